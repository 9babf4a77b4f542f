package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// mgFixture: Acme's admin invited the owner of Globex (the membership is
// added directly), and manages Carl, whose account is Acme's alone.
type mgFixture struct {
	app                *testkit.App
	acme, globex       domain.Org
	bob, carl          domain.User
	mBob, mCarl        domain.Membership
	admin, bobC, carlC *testkit.Client
}

// mgUA is the members' browser; the page shows it as "Chrome 126 on macOS".
const mgUA = uaChromeMac

func newMGFixture(t *testing.T) *mgFixture {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &mgFixture{app: app}
	owner := app.CreateUser("owner@acme.test", "Olive Owner", wzPassword)
	admin := app.CreateUser("admin@acme.test", "Ada Admin", wzPassword)
	fx.bob = app.CreateUser("bob@globex.test", "Bob Boss", wzPassword)
	fx.carl = app.CreateUser("carl@acme.test", "Carl Acme", wzPassword)
	fx.acme = app.CreateOrg("Acme", "acme", []string{"crm"}, owner)
	fx.globex = app.CreateOrg("Globex", "globex", []string{"crm"}, fx.bob)
	app.AddMember(fx.acme, admin, access.RoleAdmin)
	fx.mBob = app.AddMember(fx.acme, fx.bob, access.RoleAgent)
	fx.mCarl = app.AddMember(fx.acme, fx.carl, access.RoleAgent)
	fx.admin = app.LoginAs("admin@acme.test", wzPassword)
	fx.bobC = app.Client()
	fx.bobC.Header.Set("User-Agent", mgUA)
	fx.bobC.LogIn("bob@globex.test", wzPassword)
	fx.carlC = app.Client()
	fx.carlC.Header.Set("User-Agent", mgUA)
	fx.carlC.LogIn("carl@acme.test", wzPassword)
	return fx
}

func (fx *mgFixture) page(m domain.Membership, suffix string) string {
	return fmt.Sprintf("/o/acme/settings/members/%d%s", m.ID, suffix)
}

// account is what a global action would change: the reset flag and the
// user's live sessions.
func (fx *mgFixture) account(u domain.User) string {
	var b strings.Builder
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var reset, live int
		if err := tx.QueryRow(ctx, `SELECT must_reset_password FROM users WHERE id = ?`, u.ID).Scan(&reset); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL`, u.ID).Scan(&live); err != nil {
			return err
		}
		fmt.Fprintf(&b, "reset=%d live=%d", reset, live)
		return nil
	})
	return b.String()
}

func (fx *mgFixture) sessionID(u domain.User) string {
	var id string
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL LIMIT 1`, u.ID).Scan(&id)
	})
	return id
}

func (fx *mgFixture) audits(action string) int {
	es, err := fx.app.DB.AuditLog(context.Background(), fx.acme.ID, store.AuditFilter{Action: action})
	if err != nil {
		fx.app.T.Fatal(err)
	}
	return len(es)
}

// Acme's admin looks at the owner of Globex: no sessions, no IP or
// device, no force reset or end-all; only "Sign out of this organization".
// The server refuses the global actions with 403 and changes nothing.
func TestAdminCannotReachAnAccountOtherOrganizationsShare(t *testing.T) {
	fx := newMGFixture(t)
	r := fx.admin.Get(fx.page(fx.mBob, ""))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Sign out of this organization") ||
		!strings.Contains(html.UnescapeString(r.Body), "also belongs to another organization where you don't manage members") {
		t.Fatalf("member page: %d %.500s", r.Status, r.Body)
	}
	// Neither the sessions nor the other organization's name.
	for _, leak := range []string{"Globex", "Chrome 126", "macOS", "127.0.0.1", "/sessions/revoke-all", "/force-reset", "Force password reset", fx.sessionID(fx.bob)[:8]} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the page shows %q of an account Acme does not manage", leak)
		}
	}
	before := fx.account(fx.bob)
	for _, path := range []string{fx.page(fx.mBob, "/force-reset"), fx.page(fx.mBob, "/sessions/revoke-all"),
		fx.page(fx.mBob, "/sessions/"+fx.sessionID(fx.bob)+"/revoke")} {
		for _, htmx := range []bool{false, true} {
			r := fx.admin.PostAs(htmx, path, nil)
			if r.Status != http.StatusForbidden || !strings.Contains(html.UnescapeString(r.Body), "whose account also belongs to another organization where you don't manage members") {
				t.Fatalf("POST %s (htmx=%v): %d, want 403 with the reason; %.400s", path, htmx, r.Status, r.Body)
			}
			if strings.Contains(r.Body, "Chrome 126") || strings.Contains(r.Body, "127.0.0.1") || strings.Contains(r.Body, "Globex") {
				t.Fatal("the refusal shows the member's sessions")
			}
		}
	}
	if after := fx.account(fx.bob); after != before {
		t.Fatalf("a refused global action changed the account: %s → %s", before, after)
	}
	if n := fx.audits("member.force_reset") + fx.audits("member.sessions_revoke"); n != 0 {
		t.Fatalf("%d refused actions were audited", n)
	}
	// Bob still works everywhere.
	for _, p := range []string{"/o/acme", "/o/globex", "/orgs"} {
		if r := fx.bobC.Get(p); r.Status != http.StatusOK {
			t.Fatalf("Bob's %s after the refusals: %d", p, r.Status)
		}
	}
}

// The managed cases: an account only in Acme, or one whose every other
// organization gives the admin members_edit too, shows its sessions and
// may be reset.
func TestAdminManagesAnAccountWithinReach(t *testing.T) {
	fx := newMGFixture(t)
	r := fx.admin.Get(fx.page(fx.mCarl, ""))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Chrome 126 on macOS") || !strings.Contains(r.Body, "Force password reset") ||
		strings.Contains(r.Body, "Sign out of this organization") {
		t.Fatalf("Carl's page: %d %.500s", r.Status, r.Body)
	}
	if r := fx.admin.Post(fx.page(fx.mCarl, "/force-reset"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("force reset of Carl: %d %.300s", r.Status, r.Body)
	}
	if got := fx.account(fx.carl); got != "reset=1 live=0" {
		t.Fatalf("Carl after the reset: %s", got)
	}
	// The admin also manages members in Globex: Bob is within reach.
	admin, _ := fx.app.DB.UserByEmail(context.Background(), "admin@acme.test")
	gm := fx.app.AddMember(fx.globex, admin, access.RoleAgent)
	if r := fx.admin.Get(fx.page(fx.mBob, "")); strings.Contains(r.Body, "Chrome 126 on macOS") {
		t.Fatal("an agent of Globex reaches Bob's sessions")
	}
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, fx.globex.ID, gm.ID, access.RoleAdmin)
	})
	r = fx.admin.Get(fx.page(fx.mBob, ""))
	if !strings.Contains(r.Body, "Chrome 126 on macOS") || !strings.Contains(r.Body, "Force password reset") {
		t.Fatalf("Bob's page once the admin manages Globex's members: %.500s", r.Body)
	}
	if r := fx.admin.Post(fx.page(fx.mBob, "/sessions/revoke-all"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("end all of Bob's sessions: %d %.300s", r.Status, r.Body)
	}
	if got := fx.account(fx.bob); got != "reset=0 live=0" {
		t.Fatalf("Bob after end-all: %s", got)
	}
}

// Signing Bob out of Acme: his next Acme request is sent to sign in, while
// Globex, /orgs and his profile keep working with the same cookie; a new
// sign-in, even in the same second, is accepted in Acme again.
func TestSignOutOfOneOrganization(t *testing.T) {
	fx := newMGFixture(t)
	cookie := fx.bobC.Cookie("gatehouse_session")
	r := fx.admin.Post(fx.page(fx.mBob, "/signout"), nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d %.300s", r.Status, r.Body)
	}
	if fx.audits("member.signout") != 1 {
		t.Fatal("the sign-out was not audited")
	}
	if got := fx.account(fx.bob); got != "reset=0 live=1" {
		t.Fatalf("the sign-out changed the account: %s", got)
	}
	r = fx.bobC.Get("/o/acme")
	if r.Status != http.StatusSeeOther || r.Location != "/login?next="+url.QueryEscape("/o/acme") {
		t.Fatalf("Bob's next Acme request: %d %q, want to be sent to sign in", r.Status, r.Location)
	}
	if r := fx.bobC.GetHTMX("/o/acme"); r.Header.Get("HX-Redirect") == "" || !strings.HasPrefix(r.Header.Get("HX-Redirect"), "/login") {
		t.Fatalf("Bob's htmx Acme request: %d, HX-Redirect %q", r.Status, r.Header.Get("HX-Redirect"))
	}
	for _, p := range []string{"/o/globex", "/orgs", "/me/profile"} {
		if r := fx.bobC.Get(p); r.Status != http.StatusOK {
			t.Fatalf("Bob's %s after the sign-out of Acme: %d", p, r.Status)
		}
	}
	if fx.bobC.Cookie("gatehouse_session") != cookie {
		t.Fatal("the session cookie changed: Bob was signed out everywhere")
	}
	// The sign-in page shows its form (it does not bounce back to Acme).
	if r := fx.bobC.Get("/login?next=" + url.QueryEscape("/o/acme")); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="password"`) {
		t.Fatalf("the sign-in page for Acme: %d %q", r.Status, r.Location)
	}
	fx.bobC.LogIn("bob@globex.test", wzPassword)
	if r := fx.bobC.Get("/o/acme"); r.Status != http.StatusOK {
		t.Fatalf("Bob's Acme after signing in again: %d %q", r.Status, r.Location)
	}
	// Signing out is members_edit's, under the owner rules: not yourself.
	if r := fx.admin.Post(fx.page(fx.mBob, "/signout"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("a second sign-out: %d", r.Status)
	}
	if r := fx.carlC.Post(fx.page(fx.mBob, "/signout"), nil); r.Status != http.StatusForbidden {
		t.Fatalf("an agent signs Bob out: %d", r.Status)
	}
}
