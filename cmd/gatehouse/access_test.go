package main

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// accessJSON is the contract (ARCHITECTURE.md, Contracts) of `gatehouse access`.
type accessJSON struct {
	Organization string              `json:"organization"`
	Email        string              `json:"email"`
	Role         string              `json:"role"`
	Status       string              `json:"status"`
	Layer        string              `json:"layer"`
	Groups       []string            `json:"groups"`
	Permissions  map[string][]string `json:"permissions"`
	Flags        map[string]bool     `json:"flags"`
	Sidebar      []sidebarJSON       `json:"sidebar"`
}

type sidebarJSON struct {
	Key      string        `json:"key"`
	Label    string        `json:"label"`
	Href     string        `json:"href"`
	Children []sidebarJSON `json:"children"`
}

func accessOf(t *testing.T, d *toolDB, email string) (accessJSON, string) {
	t.Helper()
	r := runTool(t, nil, "access", "--org", "acme", "--user", email, "--db", d.path)
	if r.err != nil {
		t.Fatalf("access %s: %v\n%s", email, r.err, r.errOut)
	}
	var a accessJSON
	if err := json.Unmarshal([]byte(r.out), &a); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.out)
	}
	// Every contract key is present, even when empty.
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(r.out), &raw)
	for _, k := range []string{"organization", "email", "role", "status", "layer", "groups", "permissions", "flags", "sidebar"} {
		if v, ok := raw[k]; !ok || string(v) == "null" {
			t.Errorf("key %q missing or null in\n%s", k, r.out)
		}
	}
	return a, r.out
}

// The contract example (ARCHITECTURE.md, Contracts): an agent whose groups decide ("Sales Team").
func TestAccessAgentInSalesTeam(t *testing.T) {
	d := newToolDB(t)
	d.member("boss@example.com", access.RoleOwner, domain.StatusActive, nil)
	d.member("bob@example.com", access.RoleAgent, domain.StatusActive, nil, "Sales Team")
	a, out := accessOf(t, d, "Bob@Example.com")

	if a.Organization != "acme" || a.Email != "bob@example.com" || a.Role != "agent" || a.Status != "active" || a.Layer != "groups" {
		t.Errorf("head = %+v", a)
	}
	if !reflect.DeepEqual(a.Groups, []string{"Sales Team"}) {
		t.Errorf("groups = %q", a.Groups)
	}
	src := []string{"group:Sales Team"}
	wantPerms := map[string][]string{
		"dashboard_view": src, "customers_view": src, "customers_create": src, "customers_edit": src, "customers_export": src,
		"crm_view": src, "crm_create": src, "crm_edit": src, "crm_export": src, "utm_view": src,
	}
	if !reflect.DeepEqual(a.Permissions, wantPerms) {
		t.Errorf("permissions = %v", a.Permissions)
	}
	if _, ok := a.Permissions["customers_delete"]; ok {
		t.Error("customers_delete must not be granted")
	}
	if !reflect.DeepEqual(a.Flags, map[string]bool{"customers.canAccessAll": false, "crm.canAccessAll": false,
		"customers.canAccessTeam": false, "crm.canAccessTeam": false}) {
		t.Errorf("flags = %v", a.Flags)
	}
	// Customers and Pipelines collapse onto "mine"; Insights onto its only child.
	wantSidebar := []sidebarJSON{
		{Key: "dashboard", Label: "Dashboard", Href: "/o/acme", Children: []sidebarJSON{}},
		{Key: "customers", Label: "Customers", Href: "/o/acme/customers/mine", Children: []sidebarJSON{}},
		{Key: "crm", Label: "Pipelines", Href: "/o/acme/crm/mine", Children: []sidebarJSON{}},
		{Key: "menu.insights", Label: "Insights", Href: "/o/acme/utm", Children: []sidebarJSON{}},
	}
	if !reflect.DeepEqual(a.Sidebar, wantSidebar) {
		t.Errorf("sidebar = %+v", a.Sidebar)
	}
	// Pretty-printed with two spaces, one trailing newline; children [] explicit.
	if !strings.HasPrefix(out, "{\n  \"organization\": \"acme\",\n  \"email\": \"bob@example.com\",\n") || !strings.HasSuffix(out, "\n}\n") {
		t.Errorf("layout:\n%s", out)
	}
	if !strings.Contains(out, "  \"permissions\": {\n    \"dashboard_view\": [\"group:Sales Team\"],\n    \"customers_view\": [\"group:Sales Team\"],\n") ||
		!strings.Contains(out, `"flags": {`) || !strings.Contains(out, `"customers.canAccessTeam": false`) ||
		!strings.Contains(out, "\"key\": \"customers\",\n      \"label\": \"Customers\",\n      \"href\": \"/o/acme/customers/mine\",\n      \"children\": []\n") {
		t.Errorf("layout:\n%s", out)
	}
}

func TestAccessOwnerLayer(t *testing.T) {
	d := newToolDB(t)
	empty := access.Set{}
	// Groups and custom permissions never restrict an owner.
	d.member("boss@example.com", access.RoleOwner, domain.StatusActive, &empty, "Guest")
	a, _ := accessOf(t, d, "boss@example.com")
	if a.Layer != "owner" || !reflect.DeepEqual(a.Groups, []string{"Guest"}) {
		t.Fatalf("layer %s groups %q", a.Layer, a.Groups)
	}
	for _, m := range access.Modules() {
		if m.Product != "core" && m.Product != "crm" {
			if _, ok := a.Permissions[m.Key+"_view"]; ok {
				t.Errorf("%s granted outside the organization's products", m.Key)
			}
			continue
		}
		for _, act := range m.Actions {
			name := m.Key + "_" + act.String()
			if !reflect.DeepEqual(a.Permissions[name], []string{"owner"}) {
				t.Errorf("%s = %q, want [owner]", name, a.Permissions[name])
			}
		}
	}
	if !reflect.DeepEqual(a.Flags, map[string]bool{"customers.canAccessAll": true, "crm.canAccessAll": true,
		"customers.canAccessTeam": true, "crm.canAccessTeam": true}) {
		t.Errorf("flags = %v", a.Flags)
	}
	var customers sidebarJSON
	for _, it := range a.Sidebar {
		if it.Key == "customers" {
			customers = it
		}
	}
	if customers.Href != "/o/acme/customers/mine" || len(customers.Children) != 2 || customers.Children[1].Href != "/o/acme/customers/all" {
		t.Errorf("owner's Customers = %+v", customers)
	}
}

func TestAccessCustomEmptyAndSuspended(t *testing.T) {
	d := newToolDB(t)
	d.member("boss@example.com", access.RoleOwner, domain.StatusActive, nil)
	empty := access.Set{}
	d.member("carol@example.com", access.RoleManager, domain.StatusActive, &empty, "Admin")
	d.member("dave@example.com", access.RoleAgent, domain.StatusSuspended, nil, "Sales Team")

	c, out := accessOf(t, d, "carol@example.com")
	if c.Layer != "custom" || len(c.Permissions) != 0 || len(c.Flags) != 0 || len(c.Sidebar) != 0 ||
		!reflect.DeepEqual(c.Groups, []string{"Admin"}) {
		t.Errorf("custom {}: %+v", c)
	}
	if !strings.Contains(out, `"permissions": {},`) || !strings.Contains(out, `"sidebar": []`) {
		t.Errorf("custom {} layout:\n%s", out)
	}

	s, _ := accessOf(t, d, "dave@example.com")
	if s.Layer != "suspended" || s.Status != "suspended" || len(s.Permissions) != 0 || len(s.Flags) != 0 || len(s.Sidebar) != 0 {
		t.Errorf("suspended: %+v", s)
	}
}

func TestAccessErrors(t *testing.T) {
	d := newToolDB(t)
	d.member("boss@example.com", access.RoleOwner, domain.StatusActive, nil)
	if _, err := d.db.CreateUser(t.Context(), "stranger@example.com", "Stranger", ""); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		env   map[string]string
		usage bool
		want  string
	}{
		{args: []string{"--org", "nope", "--user", "boss@example.com", "--db", d.path}, want: `no organization with slug "nope"`},
		{args: []string{"--org", "acme", "--user", "ghost@example.com", "--db", d.path}, want: `no user with email "ghost@example.com"`},
		{args: []string{"--org", "acme", "--user", "stranger@example.com", "--db", d.path}, want: `stranger@example.com is not a member of organization "acme"`},
		{args: []string{"--user", "boss@example.com", "--db", d.path}, usage: true, want: "--org is required (or GATEHOUSE_ORG)"},
		{args: []string{"--org", "acme", "--db", d.path}, usage: true, want: "--user is required (or GATEHOUSE_USER)"},
		{args: []string{"--org", "acme", "--user", "boss@example.com", "--db", d.path, "--bogus"}, usage: true, want: "flag provided but not defined: -bogus"},
		{args: []string{"--org", "acme", "--user", "boss@example.com", "--db", d.path + ".missing"}, want: "no such file"},
	}
	for _, c := range cases {
		r := runTool(t, c.env, append([]string{"access"}, c.args...)...)
		var ue usageError
		if r.err == nil || errors.As(r.err, &ue) != c.usage {
			t.Errorf("%q: err %v (usage=%v)", c.args, r.err, c.usage)
			continue
		}
		if !strings.Contains(r.err.Error()+r.errOut, c.want) {
			t.Errorf("%q: %q / stderr %q, want %q", c.args, r.err, r.errOut, c.want)
		}
		if r.out != "" {
			t.Errorf("%q: printed %q on stdout", c.args, r.out)
		}
	}
	// Unknown flags print the flag error and usage on stderr.
	r := runTool(t, nil, "access", "--bogus")
	if !strings.Contains(r.errOut, "flag provided but not defined: -bogus") || !strings.Contains(r.errOut, "-org string") {
		t.Errorf("stderr %q", r.errOut)
	}
}

// Every flag also comes from GATEHOUSE_<FLAG>; the command line wins.
func TestAccessFlagsFromEnvironment(t *testing.T) {
	d := newToolDB(t)
	d.member("boss@example.com", access.RoleOwner, domain.StatusActive, nil)
	d.member("bob@example.com", access.RoleAgent, domain.StatusActive, nil)
	env := map[string]string{"GATEHOUSE_DB": d.path, "GATEHOUSE_ORG": "acme", "GATEHOUSE_USER": "bob@example.com"}
	r := runTool(t, env, "access")
	if r.err != nil || !strings.Contains(r.out, `"email": "bob@example.com"`) || !strings.Contains(r.out, `"layer": "role"`) {
		t.Fatalf("from env: %v\n%s%s", r.err, r.out, r.errOut)
	}
	if !strings.Contains(r.out, `"customers_view": ["role:agent"]`) {
		t.Errorf("role sources:\n%s", r.out)
	}
	r = runTool(t, env, "access", "--user", "boss@example.com")
	if r.err != nil || !strings.Contains(r.out, `"layer": "owner"`) {
		t.Fatalf("flag over env: %v\n%s", r.err, r.out)
	}
	r = runTool(t, map[string]string{"GATEHOUSE_DB": d.path + ".missing"}, "export", "--org", "acme")
	if r.err == nil || !strings.Contains(r.err.Error(), ".missing") {
		t.Errorf("GATEHOUSE_DB ignored by export: %v", r.err)
	}
}
