package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const osPath = "/o/acme/settings/organization"

type osFixture struct {
	app                       *testkit.App
	org                       domain.Org
	owner, viewer, agent, out *testkit.Client
	agentUser                 domain.User
}

// newOSFixture: Acme (CRM, business package) with an owner, a member who
// may only view the settings (individual permissions), an agent without
// settings, and a signed-in outsider.
func newOSFixture(t *testing.T) *osFixture {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &osFixture{app: app}
	owner := app.CreateUser("owner@example.com", "Owner", wzPassword)
	fx.org = app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, owner)
	viewer := app.CreateUser("viewer@example.com", "Viewer", wzPassword)
	vm := app.AddMember(fx.org, viewer, access.RoleAgent)
	var set access.Set
	set.Grant(access.ModDashboard, access.View)
	set.Grant(access.ModSettings, access.View)
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, fx.org.ID, vm.ID, &set) })
	fx.agentUser = app.CreateUser("agent@example.com", "Agent", wzPassword)
	app.AddMember(fx.org, fx.agentUser, access.RoleAgent)
	app.CreateUser("out@example.com", "Outsider", wzPassword)
	fx.owner = app.LoginAs("owner@example.com", wzPassword)
	fx.viewer = app.LoginAs("viewer@example.com", wzPassword)
	fx.agent = app.LoginAs("agent@example.com", wzPassword)
	fx.out = app.LoginAs("out@example.com", wzPassword)
	return fx
}

func (fx *osFixture) reload(t *testing.T) domain.Org {
	t.Helper()
	return fx.app.Org("acme")
}

func osForm(kv ...string) url.Values {
	f := url.Values{"name": {"Acme Ltd"}, "country": {"DE"}, "city": {"Berlin"}, "address": {"Hauptstraße 1"},
		"vat_id": {"DE123456789"}, "products": {"crm"}, "package": {"business"}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			f.Del(kv[i])
		} else {
			f.Set(kv[i], kv[i+1])
		}
	}
	return f
}

func TestOrgSettingsAccess(t *testing.T) {
	fx := newOSFixture(t)
	clients := map[string]*testkit.Client{"owner": fx.owner, "viewer": fx.viewer, "agent": fx.agent, "out": fx.out}
	testkit.Run(t, fx.app, clients, []testkit.Scenario{
		{Name: "owner edits", Actor: "owner", Path: osPath, Status: 200,
			Contains:    []string{`name="name"`, `value="Acme Ltd"`, `name="products" value="crm" checked`, `value="business" checked`, "Save changes", "/o/acme"},
			NotContains: []string{"You can view these settings"}},
		{Name: "viewer reads only", Actor: "viewer", Path: osPath, Status: 200,
			Contains:    []string{"Acme Ltd", "You can view these settings", "Core, CRM", "Business · 100 seats", "3 of 100 seats in use"},
			NotContains: []string{`name="name"`, `name="products"`, "Save changes", `hx-post="/o/acme/settings/organization"`}},
		{Name: "viewer cannot save", Actor: "viewer", Method: "POST", Path: osPath, Form: osForm("name", "Hacked"), Status: http.StatusForbidden,
			NotContains: []string{"Organization settings saved"}},
		{Name: "agent has no settings", Actor: "agent", Path: osPath, Status: http.StatusForbidden, NotContains: []string{`value="Acme Ltd"`}},
		{Name: "agent cannot save", Actor: "agent", Method: "POST", Path: osPath, Form: osForm("name", "Hacked"), Status: http.StatusForbidden},
		{Name: "outsider gets 404", Actor: "out", Path: osPath, Status: http.StatusNotFound, NotContains: []string{"Acme Ltd"}},
		{Name: "outsider cannot save", Actor: "out", Method: "POST", Path: osPath, Form: osForm("name", "Hacked"), Status: http.StatusNotFound},
		{Name: "anonymous", Path: osPath, Status: http.StatusSeeOther, Location: "/login"},
	})
	if o := fx.reload(t); o.Name != "Acme Ltd" {
		t.Fatalf("a denied request changed the name: %q", o.Name)
	}
	if audit, _ := fx.app.DB.AuditLog(context.Background(), fx.org.ID, store.AuditFilter{Action: "org.update"}); len(audit) != 0 {
		t.Fatalf("denied requests were audited as changes: %+v", audit)
	}
}

func TestOrgSettingsSave(t *testing.T) {
	fx := newOSFixture(t)
	r := fx.owner.Post(osPath, osForm("name", "Acme Europe", "city", "Munich", "vat_id", "de 987 654 321", "products", "", "package", "team"))
	if r.Status != http.StatusSeeOther || r.Location != osPath {
		t.Fatalf("save: %d %q %.1500s", r.Status, r.Location, r.Body)
	}
	if page := fx.owner.Follow(r); !strings.Contains(page.Body, "Organization settings saved") || !strings.Contains(page.Body, `value="Acme Europe"`) {
		t.Fatalf("after save: %.600s", page.Body)
	}
	o := fx.reload(t)
	if o.Name != "Acme Europe" || o.City != "Munich" || o.VATID != "DE987654321" || o.Package != "team" || o.Seats != 25 ||
		len(o.Products.Keys()) != 0 || o.Slug != "acme" {
		t.Fatalf("org = %+v", o)
	}
	audit, _ := fx.app.DB.AuditLog(context.Background(), fx.org.ID, store.AuditFilter{Action: "org.update"})
	if len(audit) != 1 || !strings.Contains(audit[0].Before, `"name":"Acme Ltd"`) || !strings.Contains(audit[0].After, `"name":"Acme Europe"`) ||
		!strings.Contains(audit[0].Before, `"products":["crm"]`) || !strings.Contains(audit[0].After, `"products":[]`) ||
		audit[0].ActorEmail != "owner@example.com" {
		t.Fatalf("audit = %+v", audit)
	}
	// The old name is free again (uniqueness follows the name), the new one is taken.
	if taken, _ := fx.app.DB.OrgNameTaken(context.Background(), "acmeltd"); taken {
		t.Error("old name still reserved")
	}
	// Saving the same values is not a change.
	r = fx.owner.Post(osPath, osForm("name", "Acme Europe", "city", "Munich", "vat_id", "DE987654321", "products", "", "package", "team"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("resave: %d", r.Status)
	}
	if audit, _ := fx.app.DB.AuditLog(context.Background(), fx.org.ID, store.AuditFilter{Action: "org.update"}); len(audit) != 1 {
		t.Errorf("no-op save audited: %d entries", len(audit))
	}
	// Adding a product later creates its predefined group.
	r = fx.owner.Post(osPath, osForm("name", "Acme Europe", "products", "finance", "package", "team"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add finance: %d %.600s", r.Status, r.Body)
	}
	groups, _ := fx.app.DB.Groups(context.Background(), fx.org.ID)
	found := 0
	for _, g := range groups {
		if g.PredefinedKey == "finance" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("Finance Team groups: %d", found)
	}
}

func TestOrgSettingsValidation(t *testing.T) {
	fx := newOSFixture(t)
	globexOwner := fx.app.CreateUser("g@example.com", "G", wzPassword)
	fx.app.CreateOrg("Globex", "globex", nil, globexOwner)
	// 11 more active members: 14 in all (one of them suspended does not count).
	for i := range 12 {
		u := fx.app.CreateUser("m"+strconv.Itoa(i)+"@example.com", "M", "")
		m := fx.app.AddMember(fx.org, u, access.RoleAgent)
		if i == 0 {
			fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
				return tx.SetStatus(ctx, fx.org.ID, m.ID, domain.StatusSuspended)
			})
		}
	}
	cases := []struct {
		name     string
		form     url.Values
		errID    string
		contains string
	}{
		{"empty name", osForm("name", " "), "org-name", "Enter the company name."},
		{"name taken", osForm("name", "GLOBEX "), "org-name", "“GLOBEX” is already taken"},
		{"bad VAT for country", osForm("country", "FR"), "org-vat", "looks like a VAT id of Germany. For France"},
		{"unknown country", osForm("country", "ZZ"), "org-country", "Choose a country from the list."},
		{"tampered product", osForm("products", "spaceships"), "products", "is not a product we offer"},
		{"tampered package", osForm("package", "platinum"), "package", "Choose one of the packages offered."},
		{"custom package", osForm("package", "custom"), "package", "Contact sales"},
		{"below members", osForm("package", "starter"), "package", "The Starter package has 10 seats, but you have 14 active members"},
	}
	for _, k := range cases {
		want := http.StatusUnprocessableEntity
		if k.name == "name taken" {
			want = http.StatusConflict // valid input, another organization's name
		}
		r := fx.owner.Post(osPath, k.form)
		if r.Status != want || !strings.Contains(r.Body, `id="`+k.errID+`-error"`) || !strings.Contains(r.Body, k.contains) {
			t.Errorf("%s: %d, want %d with %q at %s; body %.3000s", k.name, r.Status, want, k.contains, k.errID, r.Body)
		}
	}
	// htmx gets the fragment.
	r := fx.owner.PostHTMX(osPath, osForm("name", ""))
	if r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="org-settings"`) {
		t.Errorf("htmx invalid: %d %.400s", r.Status, r.Body)
	}
	if o := fx.reload(t); o.Name != "Acme Ltd" || o.Package != "business" || o.Seats != 100 || o.Country != "" || o.VATID != "" ||
		strings.Join(o.Products.Keys(), ",") != "crm" {
		t.Fatalf("invalid input changed the org: %+v", o)
	}
	if audit, _ := fx.app.DB.AuditLog(context.Background(), fx.org.ID, store.AuditFilter{Action: "org.update"}); len(audit) != 0 {
		t.Fatalf("invalid input audited: %+v", audit)
	}
	// 14 active fit in Team (25): allowed.
	if r := fx.owner.Post(osPath, osForm("package", "team")); r.Status != http.StatusSeeOther {
		t.Fatalf("team: %d %.1000s", r.Status, r.Body)
	}
}

// Removing a product hides its modules from members on their very next
// request (no re-login): the sidebar loses them and their pages answer 403.
func TestOrgSettingsRemovingProductHidesModules(t *testing.T) {
	fx := newOSFixture(t)
	r := fx.agent.Get("/o/acme")
	if r.Status != 200 || !strings.Contains(r.Body, `href="/o/acme/customers/mine"`) {
		t.Fatalf("agent before: %d %.2000s", r.Status, r.Body)
	}
	if r := fx.agent.Get("/o/acme/customers/mine"); r.Status != 200 {
		t.Fatalf("customers before: %d", r.Status)
	}
	if r := fx.owner.Post(osPath, osForm("products", "")); r.Status != http.StatusSeeOther {
		t.Fatalf("remove crm: %d %.800s", r.Status, r.Body)
	}
	r = fx.agent.Get("/o/acme")
	if r.Status != 200 || strings.Contains(r.Body, "/o/acme/customers") {
		t.Fatalf("agent still sees customers: %.2000s", r.Body)
	}
	if r := fx.agent.Get("/o/acme/customers/mine"); r.Status != http.StatusForbidden {
		t.Fatalf("customers after removal: %d", r.Status)
	}
	// The product comes back: so do the modules.
	if r := fx.owner.Post(osPath, osForm("products", "crm")); r.Status != http.StatusSeeOther {
		t.Fatalf("re-add crm: %d", r.Status)
	}
	if r := fx.agent.Get("/o/acme/customers/mine"); r.Status != 200 {
		t.Fatalf("customers after re-adding: %d", r.Status)
	}
}
