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

// sdApp: base URL http://example.com, Acme (owner ada) and Globex (someone else).
func sdApp(t *testing.T, base string) *testkit.App {
	t.Helper()
	app := testkit.NewApp(t, testkit.WithBaseURL(base))
	ada := app.CreateUser("ada@example.com", "Ada", wzPassword)
	app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, ada)
	bob := app.CreateUser("bob@example.com", "Bob", wzPassword)
	app.CreateOrg("Globex", "globex", nil, bob)
	return app
}

func TestSubdomainSignedOut(t *testing.T) {
	app := sdApp(t, "http://example.com")
	c := app.HostClient("example.com")

	r := c.GetHost("acme.example.com", "/")
	if r.Status != http.StatusSeeOther || r.Location != "/login?next=%2Fo%2Facme" {
		t.Fatalf("acme root signed out: %d %q", r.Status, r.Location)
	}
	r = c.GetHost("acme.example.com", "/login")
	if r.Status != 200 || !strings.Contains(r.Body, `name="next" value="/o/acme"`) || !strings.Contains(r.Body, `action="/login"`) {
		t.Fatalf("acme login page: %d %.600s", r.Status, r.Body)
	}
	for _, path := range []string{"/", "/login", "/signup", "/customers/mine", "/settings/organization"} {
		r := c.GetHost("nope.example.com", path)
		if r.Status != http.StatusNotFound || !strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "Not found") {
			t.Errorf("unknown subdomain %s: %d %.300s", path, r.Status, r.Body)
		}
	}
	// Global pages stay global on a subdomain; assets too (the 404 page needs them).
	if r := c.GetHost("nope.example.com", "/static/css/app.css"); r.Status != 200 {
		t.Errorf("asset on a subdomain: %d", r.Status)
	}
	if r := c.GetHost("acme.example.com", "/healthz"); r.Status != 200 || r.Body != "ok" {
		t.Errorf("healthz on a subdomain: %d", r.Status)
	}
	// www is the base site, never an organization.
	if r := c.GetHost("www.example.com", "/login"); r.Status != 200 || strings.Contains(r.Body, `value="/o/www"`) {
		t.Errorf("www login: %d", r.Status)
	}
}

// One login covers the base domain and every subdomain.
func TestSubdomainSignedIn(t *testing.T) {
	app := sdApp(t, "http://example.com")
	c := app.HostClient("example.com")
	c.LogIn("ada@example.com", wzPassword)

	r := c.GetHost("acme.example.com", "/")
	if r.Status != 200 || !strings.Contains(r.Body, "Acme Ltd") || !strings.Contains(r.Body, `href="/o/acme/customers/mine"`) {
		t.Fatalf("acme dashboard by subdomain: %d %.800s", r.Status, r.Body)
	}
	if r := c.GetHost("acme.example.com", "/settings/organization"); r.Status != 200 || !strings.Contains(r.Body, `value="Acme Ltd"`) ||
		!strings.Contains(r.Body, "acme.example.com") {
		t.Fatalf("settings by subdomain: %d %.600s", r.Status, r.Body)
	}
	if r := c.GetHost("acme.example.com", "/customers/mine"); r.Status != 200 {
		t.Errorf("module page by subdomain: %d", r.Status)
	}
	// /o/acme/… works on every host.
	for _, host := range []string{"example.com", "acme.example.com", "globex.example.com"} {
		if r := c.GetHost(host, "/o/acme"); r.Status != 200 || !strings.Contains(r.Body, "Acme Ltd") {
			t.Errorf("/o/acme on %s: %d", host, r.Status)
		}
	}
	// Someone else's organization and an unknown one: 404, nothing of theirs shown.
	if r := c.GetHost("globex.example.com", "/"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Globex") {
		t.Errorf("globex by subdomain: %d", r.Status)
	}
	if r := c.GetHost("nope.example.com", "/"); r.Status != http.StatusNotFound {
		t.Errorf("unknown subdomain signed in: %d", r.Status)
	}
	// A name that only starts like a global path is the organization's page.
	if r := c.GetHost("acme.example.com", "/loginx"); r.Status != http.StatusNotFound || strings.Contains(r.Body, `name="password"`) {
		t.Errorf("/loginx: %d", r.Status)
	}
	// Signed in, the organization's login page sends the user to its dashboard.
	if r := c.GetHost("acme.example.com", "/login"); r.Status != http.StatusSeeOther || r.Location != "/o/acme" {
		t.Errorf("login when signed in: %d %q", r.Status, r.Location)
	}
	// Global pages on a subdomain.
	if r := c.GetHost("acme.example.com", "/orgs"); r.Status != 200 || !strings.Contains(r.Body, "My organizations") {
		t.Errorf("/orgs on a subdomain: %d", r.Status)
	}
	// The rewrite costs no query when a session exists: same count as /o/acme.
	n0 := app.DB.QueryCount()
	c.GetHost("example.com", "/o/acme")
	direct := app.DB.QueryCount() - n0
	n0 = app.DB.QueryCount()
	c.GetHost("acme.example.com", "/")
	viaSub := app.DB.QueryCount() - n0
	if viaSub != direct {
		t.Errorf("subdomain request ran %d queries, /o/acme %d", viaSub, direct)
	}
}

// Logging in on the organization's subdomain lands on its dashboard.
func TestSubdomainLoginPage(t *testing.T) {
	app := sdApp(t, "http://example.com")
	c := app.HostClient("acme.example.com")
	r := c.Post("/login", url.Values{"email": {"ada@example.com"}, "password": {wzPassword}, "next": {"/o/acme"}})
	if r.Status != http.StatusSeeOther || r.Location != "/o/acme" {
		t.Fatalf("login on subdomain: %d %q", r.Status, r.Location)
	}
	if r := c.GetHost("example.com", "/orgs"); r.Status != 200 || !strings.Contains(r.Body, `href="/o/acme"`) {
		t.Fatalf("base domain after subdomain login: %d", r.Status)
	}
}

func TestSubdomainLocalhost(t *testing.T) {
	app := sdApp(t, "http://localhost:8080")
	c := app.HostClient("acme.localhost")
	c.LogIn("ada@example.com", wzPassword)
	if r := c.Get("/"); r.Status != 200 || !strings.Contains(r.Body, "Acme Ltd") {
		t.Fatalf("acme.localhost: %d %.500s", r.Status, r.Body)
	}
	if r := c.GetHost("nope.localhost", "/"); r.Status != http.StatusNotFound {
		t.Fatalf("nope.localhost: %d", r.Status)
	}
	// The plain test URL (an IP) has no subdomains: it is the base site.
	plain := app.Client()
	plain.LogIn("ada@example.com", wzPassword)
	if r := plain.Get("/o/acme"); r.Status != 200 {
		t.Fatalf("/o/acme on the IP: %d", r.Status)
	}
}

// A member suspended in one organization gets the suspended page on its
// subdomain, and keeps the other organization.
func TestSubdomainSuspendedMember(t *testing.T) {
	app := sdApp(t, "http://example.com")
	eve := app.CreateUser("eve@example.com", "Eve", wzPassword)
	acme, _ := app.DB.OrgBySlug(t.Context(), "acme")
	globex, _ := app.DB.OrgBySlug(t.Context(), "globex")
	m := app.AddMember(acme, eve, access.RoleAgent)
	app.AddMember(globex, eve, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, acme.ID, m.ID, domain.StatusSuspended)
	})
	c := app.HostClient("example.com")
	c.LogIn("eve@example.com", wzPassword)
	if r := c.GetHost("acme.example.com", "/"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "suspended") {
		t.Errorf("suspended by subdomain: %d", r.Status)
	}
	if r := c.GetHost("globex.example.com", "/"); r.Status != 200 {
		t.Errorf("other org by subdomain: %d", r.Status)
	}
}
