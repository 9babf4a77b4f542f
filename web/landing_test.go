package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// loginLocation signs in through the form and returns where it sends the user.
func loginLocation(t *testing.T, app *testkit.App, email string, next string) (string, *testkit.Client) {
	t.Helper()
	c := app.Client()
	form := url.Values{"email": {email}, "password": {pw}}
	if next != "" {
		form.Set("next", next)
	}
	r := c.Post("/login", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: %d; body %.300s", email, r.Status, r.Body)
	}
	return r.Location, c
}

// landingApp has one of each kind of member for where sign-in and the
// organization's link lead: the owner, an agent, individual permissions
// without the dashboard (nodash) and granting nothing (nothing), two
// organizations (two), one of two memberships suspended (oneleft), only a
// suspended one (suspended), none (none) and a forced reset (forced), all
// @land.test with pw, in acme and beta.
func landingApp(t *testing.T) *testkit.App {
	t.Helper()
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@land.test", "Owner", pw)
	acme := app.CreateOrg("Acme", "acme", []string{"crm"}, owner)
	beta := app.CreateOrg("Beta", "beta", []string{"crm"}, app.CreateUser("beta@land.test", "Beta Owner", pw))

	agent := app.CreateUser("agent@land.test", "Agent", pw)
	app.AddMember(acme, agent, access.RoleAgent)

	// Individual permissions without the dashboard: the first sidebar entry.
	noDash := app.CreateUser("nodash@land.test", "No Dashboard", pw)
	m := app.AddMember(acme, noDash, access.RoleAgent)
	custom := testkit.Set(t, "customers_view")
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, acme.ID, m.ID, &custom) })

	// Individual permissions granting nothing: nothing to open there.
	nothing := app.CreateUser("nothing@land.test", "Nothing", pw)
	m = app.AddMember(acme, nothing, access.RoleAgent)
	empty := access.Set{}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, acme.ID, m.ID, &empty) })

	two := app.CreateUser("two@land.test", "Two Orgs", pw)
	app.AddMember(acme, two, access.RoleAgent)
	app.AddMember(beta, two, access.RoleAgent)

	// Two memberships, one suspended: the active one is the only one.
	oneLeft := app.CreateUser("oneleft@land.test", "One Left", pw)
	app.AddMember(acme, oneLeft, access.RoleAgent)
	sm := app.AddMember(beta, oneLeft, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, beta.ID, sm.ID, domain.StatusSuspended)
	})

	suspended := app.CreateUser("suspended@land.test", "Suspended", pw)
	sm = app.AddMember(beta, suspended, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, beta.ID, sm.ID, domain.StatusSuspended)
	})

	app.CreateUser("none@land.test", "No Org", pw)

	forced := app.CreateUser("forced@land.test", "Forced", pw)
	app.AddMember(acme, forced, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ForcePasswordReset(ctx, forced.ID)
		return err
	})
	return app
}

// Sign-in lands on the first page the member may open when they have
// exactly one active membership, else on /orgs; next wins; a forced reset
// goes to /reset first.
func TestSignInLands(t *testing.T) {
	app := landingApp(t)
	for _, tc := range []struct {
		email, next, want string
	}{
		{"owner@land.test", "", "/o/acme"},
		{"agent@land.test", "", "/o/acme"},
		{"nodash@land.test", "", "/o/acme/customers/mine"},
		{"nothing@land.test", "", "/orgs"},
		{"two@land.test", "", "/orgs"},
		{"oneleft@land.test", "", "/o/acme"},
		{"suspended@land.test", "", "/orgs"},
		{"none@land.test", "", "/orgs"},
		{"owner@land.test", "/me/profile", "/me/profile"},
		{"two@land.test", "/o/beta", "/o/beta"},
		{"owner@land.test", "//evil.example/", "/o/acme"}, // an off-site next is dropped
		{"forced@land.test", "", "/reset"},
		{"forced@land.test", "/o/acme", "/reset?next=%2Fo%2Facme"},
	} {
		t.Run(tc.email+" next="+tc.next, func(t *testing.T) {
			loc, c := loginLocation(t, app, tc.email, tc.next)
			if loc != tc.want {
				t.Fatalf("landed on %q, want %q", loc, tc.want)
			}
			// The landing page opens for them.
			if r := c.Get(loc); r.Status != http.StatusOK {
				t.Fatalf("GET %s after sign-in: %d", loc, r.Status)
			}
		})
	}
}

// The organization's link never dead-ends: without the dashboard it goes
// to the first page open to the member; with nothing open it is a 403
// that says so and offers My Permissions only.
func TestOrgHomeGoesToTheFirstOpenPage(t *testing.T) {
	app := landingApp(t)
	c := app.LoginAs("nodash@land.test", pw)
	r := c.Get("/o/acme")
	if r.Status != http.StatusSeeOther || r.Location != "/o/acme/customers/mine" {
		t.Fatalf("GET /o/acme without the dashboard: %d → %q, want 303 → /o/acme/customers/mine", r.Status, r.Location)
	}
	// Another refused page stays a 403, naming the layer and the way on.
	r = c.Get("/o/acme/settings/members")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "individual permissions") ||
		!strings.Contains(r.Body, `href="/o/acme/customers/mine"`) {
		t.Fatalf("403 with individual permissions: %d; body %.2000s", r.Status, r.Body)
	}

	r = app.LoginAs("nothing@land.test", pw).Get("/o/acme")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Dashboard: View") ||
		!strings.Contains(r.Body, `href="/o/acme/me/permissions"`) || strings.Contains(r.Body, "data-forward") {
		t.Fatalf("GET /o/acme with nothing open: %d; body %.2000s", r.Status, r.Body)
	}
}

// htmx sign-in lands the same way (HX-Redirect).
func TestSignInLandsHTMX(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("solo@land.test", "Solo", pw)
	app.CreateOrg("Solo", "solo", []string{"crm"}, owner)
	c := app.Client()
	r := c.PostHTMX("/login", url.Values{"email": {"solo@land.test"}, "password": {pw}})
	if r.Header.Get("HX-Redirect") != "/o/solo" {
		t.Fatalf("htmx login: %d HX-Redirect %q, want /o/solo", r.Status, r.Header.Get("HX-Redirect"))
	}
}

// "Welcome back" greets only a browser that has signed in before.
func TestWelcomeBackOnlyForReturningVisitors(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("back@land.test", "Back", pw)
	app.CreateOrg("Back", "back", []string{"crm"}, owner)
	c := app.Client()
	if r := c.Get("/login"); r.Status != http.StatusOK || strings.Contains(r.Body, "Welcome back") ||
		!strings.Contains(r.Body, "Enter your email and password to continue.") {
		t.Fatalf("first visit: %d, welcomed back or no greeting; body %.500s", r.Status, r.Body)
	}
	if r := c.Post("/login", url.Values{"email": {"back@land.test"}, "password": {"wrong-password-1"}}); strings.Contains(r.Body, "Welcome back") {
		t.Fatal("a failed first sign-in is welcomed back")
	}
	loginLocation(t, app, "back@land.test", "") // another browser signs in: this one stays new
	if r := c.Get("/login"); strings.Contains(r.Body, "Welcome back") {
		t.Fatal("a browser that never signed in is welcomed back")
	}
	if r := c.Post("/login", url.Values{"email": {"back@land.test"}, "password": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Status)
	}
	c.Post("/logout", nil)
	if r := c.Get("/login"); !strings.Contains(r.Body, "Welcome back") {
		t.Fatalf("after a sign-in and log-out the page does not welcome back; body %.500s", r.Body)
	}
}
