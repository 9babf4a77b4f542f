package testkit

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
)

// NewDemoApp is NewApp with the demo data (demo.Seed) loaded.
func NewDemoApp(t testing.TB, opts ...AppOption) *App {
	t.Helper()
	app := NewApp(t, opts...)
	if err := demo.Seed(context.Background(), app.DB, app.URL, io.Discard); err != nil {
		t.Fatal(err)
	}
	return app
}

// DemoActor is one kind of actor of the route × actor matrix: a demo
// account in acme (or outside it), or signed out (Email "").
type DemoActor struct{ Name, Email string }

// DemoActors are the actors of the authorization matrix (web/matrix_test.go
// and the golden corpus), in its order.
var DemoActors = []DemoActor{
	{"owner", demo.OwnerEmail},
	{"admin", demo.AdminEmail},
	{"manager", demo.ManagerEmail},
	{"financial", demo.FinancialEmail},
	{"agent", demo.AgentEmail},
	{"agent-individual", demo.Agent2Email},
	{"suspended", demo.SuspendedEmail},
	{"other-org", demo.GlobexOwnerEmail},
	{"signed-out", ""},
}

// DemoClients are the DemoActors' clients by name, each signed in with the
// demo password (signed out for "signed-out").
func (a *App) DemoClients() map[string]*Client {
	a.T.Helper()
	clients := map[string]*Client{}
	for _, d := range DemoActors {
		if d.Email == "" {
			clients[d.Name] = a.Client()
			continue
		}
		clients[d.Name] = a.LoginAs(d.Email, demo.Password)
	}
	return clients
}

// DemoIDs are the demo objects that route tests put in a path's
// parameters: in the demo organization (acme) and, for the cross-tenant
// cases, in the other one (globex).
type DemoIDs struct {
	AcmeCustomer   int64 // assigned to the demo agent
	GlobexCustomer int64
	AgentMember    int64
	GlobexMember   int64
	CustomGroup    int64 // acme's "Night shift"
	GlobexGroup    int64
	AcmeChannel    int64 // acme's "Support email"
	GlobexChannel  int64
	AcmeTeam       int64 // acme's "EMEA" (globex has no team: a cross id is one of no organization)
	// The demo agent's conversation with a file, and globex's one.
	AcmeChat, AcmeAttachment     int64
	GlobexChat, GlobexAttachment int64
	OwnerUserID                  int64
}

// DemoIDs reads the demo objects' ids (the app must hold the demo data).
func (a *App) DemoIDs() DemoIDs {
	a.T.Helper()
	var d DemoIDs
	a.Tx(func(ctx context.Context, tx *store.Tx) error {
		one := func(dst *int64, q string, args ...any) {
			if err := tx.QueryRow(ctx, q, args...).Scan(dst); err != nil {
				a.T.Fatalf("demo ids: %s %v: %v", q, args, err)
			}
		}
		var acme, globex int64
		one(&acme, `SELECT id FROM organizations WHERE slug = ?`, demo.OrgSlug)
		one(&globex, `SELECT id FROM organizations WHERE slug = ?`, demo.OtherOrgSlug)
		one(&d.AcmeCustomer, `SELECT id FROM customers WHERE org_id = ? AND name = ?`, acme, demo.CustomersOf(demo.AgentEmail)[0])
		one(&d.GlobexCustomer, `SELECT MIN(id) FROM customers WHERE org_id = ?`, globex)
		one(&d.AgentMember, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.org_id = ? AND u.email = ?`, acme, demo.AgentEmail)
		one(&d.GlobexMember, `SELECT MIN(id) FROM memberships WHERE org_id = ?`, globex)
		one(&d.CustomGroup, `SELECT id FROM groups WHERE org_id = ? AND name = ?`, acme, demo.GroupNightShift)
		one(&d.GlobexGroup, `SELECT MIN(id) FROM groups WHERE org_id = ?`, globex)
		one(&d.AcmeChannel, `SELECT id FROM channels WHERE org_id = ? AND name = ?`, acme, demo.ChannelEmail)
		one(&d.GlobexChannel, `SELECT MIN(id) FROM channels WHERE org_id = ?`, globex)
		one(&d.AcmeTeam, `SELECT id FROM teams WHERE org_id = ? AND name = ?`, acme, demo.TeamEMEA)
		one(&d.OwnerUserID, `SELECT id FROM users WHERE email = ?`, demo.OwnerEmail)
		chat := `SELECT p.conversation_id, a.id FROM attachments a JOIN messages p ON p.id = a.message_id WHERE a.org_id = ? ORDER BY a.id LIMIT 1`
		for _, c := range []struct {
			org        int64
			chat, file *int64
		}{{acme, &d.AcmeChat, &d.AcmeAttachment}, {globex, &d.GlobexChat, &d.GlobexAttachment}} {
			if err := tx.QueryRow(ctx, chat, c.org).Scan(c.chat, c.file); err != nil {
				a.T.Fatalf("demo ids: a conversation with a file: %v", err)
			}
		}
		return nil
	})
	return d
}

// RouteFill says how FillRoute fills a path: Cross takes the other
// organization's objects (the slug stays acme's); Token is the value of a
// :token parameter ("not-a-real-token" when empty).
type RouteFill struct {
	Cross bool
	Token string
}

// FillRoute substitutes a registered route's parameters with demo objects.
// hasObject reports whether the path names an object of the organization
// (a customer, member or group), the routes whose cross-tenant variant
// must answer 404. A parameter it does not know fails the test: a new
// route with a new parameter needs a fixture here.
func (d DemoIDs) FillRoute(t testing.TB, path string, how RouteFill) (filled string, hasObject bool) {
	t.Helper()
	pick := func(own, other int64) string {
		hasObject = true
		if how.Cross {
			return fmt.Sprint(other)
		}
		return fmt.Sprint(own)
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		switch {
		case p == ":slug":
			parts[i] = demo.OrgSlug
		case p == ":id" && prev == "customers":
			parts[i] = pick(d.AcmeCustomer, d.GlobexCustomer)
		case p == ":id" && prev == "members", p == ":mid":
			parts[i] = pick(d.AgentMember, d.GlobexMember)
		case p == ":id" && prev == "groups":
			parts[i] = pick(d.CustomGroup, d.GlobexGroup)
		case p == ":id" && prev == "channels":
			parts[i] = pick(d.AcmeChannel, d.GlobexChannel)
		case p == ":id" && prev == "service_teams":
			parts[i] = pick(d.AcmeTeam, 999999)
		case p == ":id" && prev == "chats":
			parts[i] = pick(d.AcmeChat, d.GlobexChat)
		case p == ":aid":
			parts[i] = pick(d.AcmeAttachment, d.GlobexAttachment)
		case p == ":id" && prev == "photo":
			parts[i] = fmt.Sprint(d.OwnerUserID)
		case p == ":id" && prev == "sessions", p == ":sid":
			parts[i] = strings.Repeat("0", 64)
		case p == ":inv", p == ":id" && prev == "invitations":
			parts[i] = "999999"
		case p == ":token":
			parts[i] = how.Token
			if parts[i] == "" {
				parts[i] = "not-a-real-token"
			}
		default:
			t.Fatalf("route %s: no demo object for parameter %s: add one to testkit.FillRoute", path, p)
		}
	}
	return strings.Join(parts, "/"), hasObject
}
