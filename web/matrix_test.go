package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// The authorization matrix: every registered route × every kind of actor.
// Expectations come from each route's declared guard and the actor's
// effective permissions, so a route added without a guard, or a guard that
// does not hold, fails here. Denials must not leak the organization's data.

// matrixFixture holds the ids that fill route parameters.
type matrixFixture struct {
	testkit.DemoIDs
	acme             store.OrgSnapshot
	acmeCustomerName []string
	acmeEmails       []string
}

func loadMatrixFixture(t *testing.T, app *testkit.App) matrixFixture {
	ctx := context.Background()
	f := matrixFixture{DemoIDs: app.DemoIDs()}
	var err error
	if f.acme, err = app.DB.OrgSnapshot(ctx, demo.OrgSlug); err != nil {
		t.Fatal(err)
	}
	for _, m := range f.acme.Members {
		f.acmeEmails = append(f.acmeEmails, m.Email)
	}
	all, _, err := app.DB.Customers(ctx, store.CustomersIn(f.acme.Org.ID, access.ScopeAll, 0), store.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		f.acmeCustomerName = append(f.acmeCustomerName, c.Name)
	}
	return f
}

// fill substitutes route parameters; cross selects the other organization's
// object ids (the slug stays acme). ok=false when the route has no object id.
func (f matrixFixture) fill(t *testing.T, path string, cross bool) (string, bool) {
	return f.FillRoute(t, path, testkit.RouteFill{Cross: cross})
}

// effectiveIn resolves an actor's permissions in acme with the engine.
func effectiveIn(t *testing.T, app *testkit.App, f matrixFixture, email string) (access.Effective, bool, bool) {
	ctx := context.Background()
	for _, m := range f.acme.Members {
		if m.Email != email {
			continue
		}
		in := access.Input{Role: m.Role, Suspended: m.Suspended(), Custom: m.Custom, Products: f.acme.Org.Products}
		groups, err := app.DB.GroupsOfMember(ctx, m.OrgID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		in.Groups = store.Grants(groups)
		return access.Resolve(in), true, m.Suspended()
	}
	return access.Effective{}, false, false
}

// allowedStatus: what a permitted GET may answer.
func allowedStatus(status int) bool {
	return status == http.StatusOK || status == http.StatusSeeOther || status == http.StatusFound
}

func TestAuthorizationMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("matrix is long")
	}
	app := testkit.NewDemoApp(t)
	f := loadMatrixFixture(t, app)
	clients := app.DemoClients()
	u := app.User(demo.OwnerEmail)
	instanceAdmin := u.IsInstanceAdmin

	routes := app.Server.Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, rt := range routes {
		rt := rt
		if rt.Path == "/logout" || strings.HasPrefix(rt.Path, "/static") {
			continue // logging out would end the actor's session for later rows
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			path, hasObject := f.fill(t, rt.Path, false)
			for _, a := range testkit.DemoActors {
				checkMatrixCell(t, app, f, clients[a.Name], a, rt, path, instanceAdmin)
			}
			if hasObject && strings.HasPrefix(rt.Path, "/o/") {
				// Another organization's object ids answer 404, even to the owner.
				cross, _ := f.fill(t, rt.Path, true)
				r := clients["owner"].Send(rt.Method, cross)
				if r.Status != http.StatusNotFound {
					t.Errorf("owner %s %s (other org's id): %d, want 404", rt.Method, cross, r.Status)
				}
			}
		})
	}
}

func checkMatrixCell(t *testing.T, app *testkit.App, f matrixFixture, c *testkit.Client, a testkit.DemoActor, rt web.Route, path string, instanceAdmin bool) {
	t.Helper()
	g := rt.Guard
	orgRoute := strings.HasPrefix(rt.Path, "/o/")
	eff, member, suspended := effectiveIn(t, app, f, a.Email)

	// Decide what must happen.
	want := 0 // 0 = allowed
	switch {
	case g.Name == "public":
		want = 0
	case a.Email == "":
		want = http.StatusSeeOther
	case g.Name == "signed-in":
		want = 0
	case g.Name == "instance-admin":
		if !(a.Email == demo.OwnerEmail && instanceAdmin) {
			want = http.StatusForbidden
		}
	case orgRoute && !member:
		want = http.StatusNotFound
	case orgRoute && suspended:
		want = http.StatusForbidden
	case g.Name == "member":
		want = 0
	case g.Name == "module":
		m := access.MustModule(g.Module)
		ok := eff.Can(m, g.Action)
		switch {
		case g.Scope != 0: // a scope flag: the scope it grants (canAccessAll reaches team)
			s, _ := eff.Scope(m)
			ok = ok && s.AtLeast(g.Scope)
		case g.Flag != "":
			ok = ok && eff.CanFlag(access.MustFlag(g.Flag))
		}
		if g.Teams {
			has, err := app.DB.OrgHasTeams(context.Background(), f.acme.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			ok = ok && has
		}
		if !ok {
			want = http.StatusForbidden
		}
	default:
		t.Fatalf("route %s has unknown guard %q", rt.Path, g.Name)
	}
	if want == 0 && rt.Method != http.MethodGet {
		return // permitted writes are exercised by each area's own tests
	}
	r := c.Send(rt.Method, path)
	if r.Status >= 500 {
		t.Errorf("%s %s %s: %d", a.Name, rt.Method, path, r.Status)
		return
	}
	if want == 0 {
		if g.Name == "public" {
			return
		}
		// Scope: a customer that is not theirs is a 404 for members without "see all".
		if strings.Contains(rt.Path, "/customers/:id") && a.Email != demo.AgentEmail &&
			!eff.CanFlag(access.FlagCustomersCanAccessAll) {
			if r.Status != http.StatusNotFound {
				t.Errorf("%s GET %s (customer out of scope): %d, want 404", a.Name, path, r.Status)
			}
			return
		}
		// Likewise a conversation: the demo agent's is in no other actor's
		// scope but all.
		if strings.Contains(rt.Path, "/chats/:id") && a.Email != demo.AgentEmail {
			if s, _ := eff.Scope(access.ModChats); !s.AtLeast(access.ScopeAll) {
				if r.Status != http.StatusNotFound {
					t.Errorf("%s GET %s (conversation out of scope): %d, want 404", a.Name, path, r.Status)
				}
				return
			}
		}
		if rt.Path == "/me/photo/:id" && r.Status == http.StatusNotFound {
			return // the owner has no photo: 404 is the honest answer
		}
		if !allowedStatus(r.Status) {
			t.Errorf("%s GET %s: %d, want 2xx/3xx (guard %s)", a.Name, path, r.Status, g)
		}
		return
	}
	if r.Status != want {
		t.Errorf("%s %s %s: %d, want %d (guard %s)", a.Name, rt.Method, path, r.Status, want, g)
		return
	}
	if want == http.StatusSeeOther && !strings.HasPrefix(r.Location, "/login") && !strings.HasPrefix(r.Location, "/reset") {
		t.Errorf("%s %s %s: redirect to %q, want /login", a.Name, rt.Method, path, r.Location)
	}
	// A denial shows nothing of the organization's data.
	for _, name := range f.acmeCustomerName {
		if strings.Contains(r.Body, name) {
			t.Errorf("%s %s %s (%d) leaks customer %q", a.Name, rt.Method, path, r.Status, name)
		}
	}
	if want == http.StatusNotFound && strings.Contains(r.Body, demo.OrgName) {
		t.Errorf("%s %s %s: 404 page names the organization", a.Name, rt.Method, path)
	}
	for _, e := range f.acmeEmails {
		if e != a.Email && strings.Contains(r.Body, e) {
			t.Errorf("%s %s %s (%d) leaks member email %s", a.Name, rt.Method, path, r.Status, e)
		}
	}
}

// routePolicy is the written-down access rule of every route, kept apart
// from routes.go on purpose: a route added without an entry here, or a guard
// that drifts from it, fails TestEveryRouteHasItsPolicy.
var routePolicy = map[string]string{
	"GET /healthz":                                       "public",
	"GET /":                                              "public",
	"GET /signup":                                        "public",
	"POST /signup":                                       "public",
	"GET /login":                                         "public",
	"POST /login":                                        "public",
	"POST /logout":                                       "public",
	"GET /forgot":                                        "public",
	"POST /forgot":                                       "public",
	"GET /reset":                                         "public",
	"POST /reset":                                        "public",
	"GET /orgs":                                          "signed-in",
	"POST /orgs/invitations/:id/accept":                  "signed-in",
	"POST /orgs/invitations/:id/decline":                 "signed-in",
	"GET /signup/check-email":                            "public",
	"GET /verify":                                        "public",
	"POST /verify/resend":                                "signed-in",
	"GET /setup":                                         "public",
	"POST /setup":                                        "public",
	"GET /admin/outbox":                                  "instance-admin",
	"GET /o/:slug":                                       "dashboard_view",
	"GET /o/:slug/customers":                             "customers_view",
	"GET /o/:slug/customers/mine":                        "customers_view",
	"GET /o/:slug/customers/team":                        "customers_view+customers.canAccessTeam+teams",
	"GET /o/:slug/customers/all":                         "customers_view+customers.canAccessAll",
	"GET /o/:slug/customers/export.csv":                  "customers_export",
	"GET /o/:slug/customers/new":                         "customers_create",
	"POST /o/:slug/customers":                            "customers_create",
	"GET /o/:slug/customers/:id":                         "customers_view",
	"GET /o/:slug/customers/:id/edit":                    "customers_edit",
	"POST /o/:slug/customers/:id":                        "customers_edit",
	"POST /o/:slug/customers/:id/delete":                 "customers_delete",
	"GET /o/:slug/crm":                                   "crm_view",
	"GET /o/:slug/crm/mine":                              "crm_view",
	"GET /o/:slug/crm/team":                              "crm_view+crm.canAccessTeam+teams",
	"GET /o/:slug/crm/all":                               "crm_view+crm.canAccessAll",
	"GET /o/:slug/chats":                                 "chats_view",
	"GET /o/:slug/chats/mine":                            "chats_view",
	"GET /o/:slug/chats/team":                            "chats_view+chats.canAccessTeam+teams",
	"GET /o/:slug/chats/all":                             "chats_view+chats.canAccessAll",
	"GET /o/:slug/chats/new":                             "chats_create",
	"POST /o/:slug/chats":                                "chats_create",
	"GET /o/:slug/chats/:id":                             "chats_view",
	"POST /o/:slug/chats/:id":                            "chats_edit",
	"GET /o/:slug/chats/:id/messages":                    "chats_view",
	"POST /o/:slug/chats/:id/messages":                   "chats_view",
	"POST /o/:slug/chats/:id/move":                       "chats_edit",
	"POST /o/:slug/chats/:id/assign":                     "chats_edit",
	"POST /o/:slug/chats/:id/delete":                     "chats_delete",
	"GET /o/:slug/chats/:id/attachments/:aid":            "chats_view",
	"GET /o/:slug/bulk_messages":                         "bulk_messages_view",
	"GET /o/:slug/flows":                                 "flows_view",
	"GET /o/:slug/prompts":                               "prompts_view",
	"GET /o/:slug/financial":                             "financial_view",
	"GET /o/:slug/pos":                                   "pos_view",
	"GET /o/:slug/medical":                               "medical_view",
	"GET /o/:slug/documents":                             "documents_view",
	"GET /o/:slug/reports":                               "reports_view",
	"GET /o/:slug/utm":                                   "utm_view",
	"GET /o/:slug/settings/service_teams":                "service_teams_view",
	"POST /o/:slug/settings/service_teams":               "service_teams_create",
	"GET /o/:slug/settings/service_teams/:id":            "service_teams_view",
	"POST /o/:slug/settings/service_teams/:id":           "service_teams_edit",
	"POST /o/:slug/settings/service_teams/:id/delete":    "service_teams_delete",
	"GET /o/:slug/settings/service_teams/:id/candidates": "service_teams_edit",
	"POST /o/:slug/settings/service_teams/:id/members":   "service_teams_edit",
	"POST /o/:slug/settings/service_teams/:id/members/:mid/remove": "service_teams_edit",
	"POST /o/:slug/settings/service_teams/:id/members/:mid/lead":   "service_teams_edit",
	"GET /o/:slug/settings/channels":                               "channels_view",
	"POST /o/:slug/settings/channels":                              "channels_create",
	"GET /o/:slug/settings/channels/:id":                           "channels_view",
	"POST /o/:slug/settings/channels/:id":                          "channels_edit",
	"POST /o/:slug/settings/channels/:id/archive":                  "channels_delete",
	"POST /o/:slug/settings/channels/:id/unarchive":                "channels_delete",
	"GET /o/:slug/settings/integrations":                           "integrations_view",
	"GET /o/:slug/settings/billing":                                "billing_view",
	"GET /orgs/new":                                                "signed-in",
	"POST /orgs/new":                                               "signed-in",
	"POST /orgs/new/discard":                                       "signed-in",
	"GET /orgs/new/check-name":                                     "signed-in",
	"GET /orgs/new/check-slug":                                     "signed-in",
	"GET /orgs/new/quote":                                          "signed-in",
	"POST /orgs/new/quote":                                         "signed-in",
	"GET /o/:slug/settings/organization":                           "settings_view",
	"POST /o/:slug/settings/organization":                          "settings_edit",
	"GET /o/:slug/settings/groups":                                 "groups_view",
	"GET /o/:slug/settings/groups/new":                             "groups_create",
	"POST /o/:slug/settings/groups":                                "groups_create",
	"GET /o/:slug/settings/groups/:id":                             "groups_view",
	"GET /o/:slug/settings/groups/:id/candidates":                  "groups_edit",
	"POST /o/:slug/settings/groups/:id":                            "groups_edit",
	"POST /o/:slug/settings/groups/:id/reset":                      "groups_edit",
	"POST /o/:slug/settings/groups/:id/delete":                     "groups_delete",
	"POST /o/:slug/settings/groups/:id/members":                    "groups_edit",
	"POST /o/:slug/settings/groups/:id/members/:mid/remove":        "groups_edit",
	"GET /me/profile":                                              "signed-in",
	"POST /me/profile":                                             "signed-in",
	"POST /me/profile/email":                                       "signed-in",
	"POST /me/profile/password":                                    "signed-in",
	"POST /me/profile/photo":                                       "signed-in",
	"POST /me/profile/photo/remove":                                "signed-in",
	"GET /me/photo/:id":                                            "signed-in",
	"POST /me/sessions/revoke-others":                              "signed-in",
	"POST /me/sessions/:id/revoke":                                 "signed-in",
	"GET /o/:slug/me/permissions":                                  "member",
	"GET /o/:slug/me/permissions.json":                             "member",
	"GET /o/:slug/settings/audit":                                  "audit_view",
	"GET /o/:slug/settings/audit/export.csv":                       "audit_export",
	"GET /o/:slug/settings/members/export.csv":                     "members_export",
	"GET /o/:slug/settings/members/import/template.csv":            "members_create",
	"POST /o/:slug/settings/members/import/problems.csv":           "members_create",
	"GET /o/:slug/settings/members":                                "members_view",
	"POST /o/:slug/settings/members/bulk":                          "members_edit",
	"POST /o/:slug/settings/members/bulk/preview":                  "members_edit",
	"GET /o/:slug/settings/members/invite":                         "members_create",
	"POST /o/:slug/settings/members/invite":                        "members_create",
	"GET /o/:slug/settings/members/import":                         "members_create",
	"POST /o/:slug/settings/members/import":                        "members_create",
	"POST /o/:slug/settings/members/import/confirm":                "members_create",
	"POST /o/:slug/settings/members/invites/:inv/resend":           "members_create",
	"POST /o/:slug/settings/members/invites/resend":                "members_create",
	"POST /o/:slug/settings/members/invites/resend/preview":        "members_create",
	"POST /o/:slug/settings/members/invites/:inv/revoke":           "members_create",
	"GET /o/:slug/settings/members/:id":                            "members_view",
	"POST /o/:slug/settings/members/:id/role":                      "members_edit",
	"POST /o/:slug/settings/members/:id/grant-end":                 "members_edit",
	"POST /o/:slug/settings/members/:id/grant-end/preview":         "members_edit",
	"POST /o/:slug/settings/members/:id/groups":                    "members_edit",
	"POST /o/:slug/settings/members/:id/suspend":                   "members_edit",
	"POST /o/:slug/settings/members/:id/reenable":                  "members_edit",
	"POST /o/:slug/settings/members/:id/force-reset":               "members_edit",
	"POST /o/:slug/settings/members/:id/sessions/revoke-all":       "members_edit",
	"POST /o/:slug/settings/members/:id/sessions/:sid/revoke":      "members_edit",
	"POST /o/:slug/settings/members/:id/signout":                   "members_edit",
	"POST /o/:slug/settings/members/:id/remove":                    "members_delete",
	"GET /invite/:token":                                           "public",
	"POST /invite/:token/accept":                                   "signed-in",

	// Member permissions tab.
	"GET /o/:slug/settings/members/:id/permissions":                 "members_view",
	"POST /o/:slug/settings/members/:id/permissions":                "members_edit",
	"POST /o/:slug/settings/members/:id/permissions/preview":        "members_edit",
	"POST /o/:slug/settings/members/:id/preview":                    "members_edit",
	"POST /o/:slug/settings/members/invite/preview":                 "members_create",
	"POST /o/:slug/settings/groups/:id/preview":                     "groups_edit",
	"POST /o/:slug/settings/members/:id/permissions/custom/enable":  "members_edit",
	"POST /o/:slug/settings/members/:id/permissions/custom/disable": "members_edit",

	// The confirm steps and previews of team and group member changes.
	"POST /o/:slug/settings/service_teams/:id/members/preview":      "service_teams_edit",
	"POST /o/:slug/settings/service_teams/:id/members/:mid/preview": "service_teams_edit",
	"POST /o/:slug/settings/groups/:id/members/:mid/preview":        "groups_edit",
}

func TestEveryRouteHasItsPolicy(t *testing.T) {
	app := testkit.NewApp(t)
	seen := map[string]bool{}
	for _, rt := range app.Server.Routes() {
		key := rt.Method + " " + rt.Path
		seen[key] = true
		want, ok := routePolicy[key]
		if !ok {
			t.Errorf("route %s has no entry in routePolicy (guard %s): add it", key, rt.Guard)
			continue
		}
		if got := rt.Guard.String(); got != want {
			t.Errorf("route %s is guarded by %s, policy says %s", key, got, want)
		}
	}
	for key := range routePolicy {
		if !seen[key] {
			t.Errorf("routePolicy lists %s, which is not registered", key)
		}
	}
}

// matrixSnapshot is every row of every table but the sessions' bookkeeping
// (last seen, login events), in a stable order: "nothing changed" for the
// forged-request matrix below.
func matrixSnapshot(t *testing.T, app *testkit.App) string {
	t.Helper()
	var b strings.Builder
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
			AND name NOT IN ('sessions', 'login_events') ORDER BY name`)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			tables = append(tables, n)
		}
		rows.Close()
		for _, tb := range tables {
			rows, err := tx.Query(ctx, `SELECT * FROM "`+tb+`" ORDER BY 1`)
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				for i, c := range cols {
					if tb == "memberships" && (c == "last_active" || c == "last_active_at") {
						continue // a request's own bookkeeping
					}
					fmt.Fprintf(&b, "%s.%s=%v ", tb, c, vals[i])
				}
				b.WriteString("\n")
			}
			rows.Close()
		}
		return nil
	})
	return b.String()
}

// Every state-changing route × every way to forge it, as the owner (who may
// do everything): another session's token, a token from before sign-in,
// none, the right token sent cross-site (Sec-Fetch-Site) or from another
// Origin. Each is refused with 403, and no row of any table changes.
func TestEveryStateChangingRouteRefusesForgedRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("matrix is long")
	}
	app := testkit.NewDemoApp(t)
	f := loadMatrixFixture(t, app)
	owner := app.LoginAs(demo.OwnerEmail, demo.Password)
	ownerToken := owner.CSRF()
	adminToken := app.LoginAs(demo.AdminEmail, demo.Password).CSRF()
	preLogin := app.Client().CSRF()
	owner.Get("/o/" + demo.OrgSlug) // the session's bookkeeping happens now, not during the attacks
	before := matrixSnapshot(t, app)

	type forgery struct {
		name, token, header, value, message string
		htmx                                bool
	}
	forgeries := []forgery{
		{name: "another session's token", token: adminToken, message: "The form has expired"},
		{name: "another session's token as X-CSRF-Token", token: adminToken, htmx: true, message: "The form has expired"},
		{name: "a token from before sign-in", token: preLogin, message: "The form has expired"},
		{name: "no token", message: "The form has expired"},
		{name: "cross-site", token: ownerToken, header: "Sec-Fetch-Site", value: "cross-site", message: "came from another site"},
		{name: "same-site", token: ownerToken, header: "Sec-Fetch-Site", value: "same-site", message: "came from another site"},
		{name: "foreign Origin", token: ownerToken, header: "Origin", value: "http://evil.example", message: "came from another site"},
	}
	n := 0
	for _, rt := range app.Server.Routes() {
		if rt.Method == http.MethodGet || strings.HasPrefix(rt.Path, "/static") {
			continue
		}
		path, _ := f.fill(t, rt.Path, false)
		for _, fg := range forgeries {
			form := url.Values{}
			if fg.token != "" && !fg.htmx {
				form.Set("_csrf", fg.token)
			}
			req, _ := http.NewRequest(rt.Method, app.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if fg.htmx {
				req.Header.Set("HX-Request", "true")
				req.Header.Set("X-CSRF-Token", fg.token)
			}
			if fg.header != "" {
				req.Header.Set(fg.header, fg.value)
			}
			r := owner.Do(req)
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, fg.message) {
				t.Errorf("%s %s with %s: %d, want 403 saying %q", rt.Method, path, fg.name, r.Status, fg.message)
			}
			n++
		}
	}
	if n < 7*30 {
		t.Fatalf("only %d forged requests: too few state-changing routes found", n)
	}
	if after := matrixSnapshot(t, app); after != before {
		b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
		for i := 0; i < len(a) || i < len(b); i++ {
			if i >= len(a) || i >= len(b) || a[i] != b[i] {
				t.Fatalf("forged requests changed the database; first difference:\nbefore: %.600s\nafter:  %.600s", at(b, i), at(a, i))
			}
		}
	}
	if r := owner.Get("/orgs"); r.Status != http.StatusOK {
		t.Fatalf("the owner's session did not survive the forged sign-out: %d", r.Status)
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(none)"
}

// The photo row of the matrix with a photo to find: the demo agent's photo
// (an active member of Acme) by every actor. Active colleagues and
// instance admins see it; the suspended member and the other
// organization's owner get 404, as for no photo; signed out goes to login.
func TestMatrixColleaguePhoto(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	agent := app.User(demo.AgentEmail)
	if _, err := app.DB.SetPhoto(ctx, agent.ID, prPNG(t, 24, 24)); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/me/photo/%d", agent.ID)
	want := map[string]int{"owner": 200, "admin": 200, "manager": 200, "financial": 200, "agent": 200,
		"agent-individual": 200, "suspended": 404, "other-org": 404, "signed-out": 303}
	for _, a := range testkit.DemoActors {
		c, status := app.Client(), want[a.Name]
		if a.Email != "" {
			c = app.LoginAs(a.Email, demo.Password)
			if u, err := app.DB.UserByEmail(ctx, a.Email); err == nil && u.IsInstanceAdmin {
				status = 200
			}
		}
		if r := c.Get(path); r.Status != status {
			t.Errorf("%s GET %s: %d, want %d", a.Name, path, r.Status, status)
		}
	}
}
