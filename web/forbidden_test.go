package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// A guard's 403 names the missing permission and the layer that decides
// it, and offers the first page open to the member and My Permissions; a
// refusal that is not the member's (404, suspended) says none of it.
func TestForbiddenPageNamesWhatIsMissing(t *testing.T) {
	app := testkit.NewDemoApp(t)
	for _, tc := range []struct {
		name, who, path string
		status          int
		want, not       []string
	}{
		{"groups layer", demo.AgentEmail, "/o/acme/settings/members", http.StatusForbidden,
			[]string{"Members: View", "Your permission groups (", demo.GroupNightShift, "none of them grants it",
				`href="/o/acme"`, "Go to Dashboard", `href="/o/acme/me/permissions"`}, nil},
		{"scope flag", demo.AgentEmail, "/o/acme/customers/all", http.StatusForbidden,
			[]string{"See all customers", "none of them grants it"}, nil},
		{"role layer", demo.AgentLimitedEmail, "/o/acme/settings/groups", http.StatusForbidden,
			[]string{"Permission groups: View", "The template of your role Agent (limited) decides your access"}, []string{"permission groups ("}},
		{"another organization", demo.AgentEmail, "/o/globex/settings/members", http.StatusNotFound,
			nil, []string{"Missing permission", "Members: View", "/o/globex/me/permissions"}},
		{"suspended", demo.SuspendedEmail, "/o/acme/settings/members", http.StatusForbidden,
			[]string{"suspended"}, []string{"Missing permission", "Members: View", "Go to Dashboard"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := app.LoginAs(tc.who, demo.Password)
			r := c.Get(tc.path)
			if r.Status != tc.status {
				t.Fatalf("GET %s as %s: %d, want %d", tc.path, tc.who, r.Status, tc.status)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.Body, s) {
					t.Errorf("the page lacks %q; body %.2000s", s, r.Body)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(r.Body, s) {
					t.Errorf("the page shows %q", s)
				}
			}
		})
	}

	// The htmx fragment carries the same reason.
	r := app.LoginAs(demo.AgentEmail, demo.Password).GetHTMX("/o/acme/settings/members")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Members: View") || strings.Contains(r.Body, "<html") {
		t.Fatalf("htmx 403: %d; body %.500s", r.Status, r.Body)
	}
}

// The organization's link never dead-ends: without the dashboard it goes
// to the first page open to the member; with nothing open it is a 403
// that says so and offers My Permissions only.
func TestOrgHomeGoesToTheFirstOpenPage(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@home.test", "Owner", pw)
	acme := app.CreateOrg("Acme", "acme", []string{"crm"}, owner)
	noDash := app.CreateUser("nodash@home.test", "No Dashboard", pw)
	m := app.AddMember(acme, noDash, access.RoleAgent)
	custom := testkit.Set(t, "customers_view")
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, acme.ID, m.ID, &custom) })
	nothing := app.CreateUser("nothing@home.test", "Nothing", pw)
	m = app.AddMember(acme, nothing, access.RoleAgent)
	empty := access.Set{}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, acme.ID, m.ID, &empty) })

	c := app.LoginAs("nodash@home.test", pw)
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

	r = app.LoginAs("nothing@home.test", pw).Get("/o/acme")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Dashboard: View") ||
		!strings.Contains(r.Body, `href="/o/acme/me/permissions"`) || strings.Contains(r.Body, "data-forward") {
		t.Fatalf("GET /o/acme with nothing open: %d; body %.2000s", r.Status, r.Body)
	}
}

// An upload over the server's body limit gets the error page in words,
// with the limit, never a bare 413; the photo input carries its own limit
// and the server's refusal for the browser's check (static/js/forms.js).
func TestTooLargeUploadIsExplained(t *testing.T) {
	app := testkit.NewDemoApp(t)
	c := app.LoginAs(demo.OwnerEmail, demo.Password)
	if r := c.Get("/me/profile"); !strings.Contains(r.Body, `data-max-bytes="5242880"`) ||
		!strings.Contains(r.Body, "The photo is larger than 5 MB") {
		t.Fatalf("the photo input lacks its limit; body %.300s", r.Body)
	}
	req, err := http.NewRequest(http.MethodPost, app.URL+"/me/profile/photo", strings.NewReader(strings.Repeat("x", 9<<20)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	r := c.Do(req)
	if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "That upload is too large") ||
		!strings.Contains(r.Body, "8 MB at most") || !strings.Contains(r.Body, "<main") {
		t.Fatalf("9 MB upload: %d; body %.1500s", r.Status, r.Body)
	}
}
