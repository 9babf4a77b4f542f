package nav

import (
	"encoding/json"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// perms builds a set from "customers_view" and "+customers.canAccessAll" names.
func perms(t testing.TB, names ...string) access.Set {
	t.Helper()
	s, err := access.ParsePermissions(names...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func prods(t testing.TB, keys ...string) access.ProductSet {
	t.Helper()
	p, err := access.ParseProducts(keys)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// outline renders items as "key>href[child,child]" for compact assertions;
// "*" marks the active items.
func outline(items []Item) string {
	var parts []string
	for _, it := range items {
		s := it.Key + ">" + it.Href
		if it.Active {
			s += "*"
		}
		if len(it.Children) > 0 {
			s += "[" + outline(it.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestBuildVisibility(t *testing.T) {
	all := access.AllProducts()
	cases := []struct {
		name     string
		set      access.Set
		products access.ProductSet
		want     string
	}{
		{"nothing", access.Set{}, all, ""},
		{"customers without canAccessAll: plain link to mine",
			perms(t, "dashboard_view", "customers_view"), all,
			"dashboard>/o/acme customers>/o/acme/customers/mine"},
		{"customers with canAccessAll: both children",
			perms(t, "customers_view", "+customers.canAccessAll"), all,
			"customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all]"},
		{"canAccessAll without view shows nothing",
			perms(t, "customers_edit", "+customers.canAccessAll"), all, ""},
		{"a flag of another module does not help",
			perms(t, "customers_view", "+crm.canAccessAll"), all,
			"customers>/o/acme/customers/mine"},
		{"single child of a pure parent: plain link under the parent's key",
			perms(t, "members_view"), all,
			"menu.settings>/o/acme/settings/members"},
		{"two children keep the panel, first child is the href",
			perms(t, "audit_view", "settings_view"), all,
			"menu.settings>/o/acme/settings/organization[settings>/o/acme/settings/organization audit>/o/acme/settings/audit]"},
		{"product missing hides its modules and empties parents",
			perms(t, "dashboard_view", "customers_view", "chats_view", "flows_view", "medical_view", "reports_view", "utm_view"), prods(t, "crm"),
			"dashboard>/o/acme customers>/o/acme/customers/mine menu.insights>/o/acme/reports[reports>/o/acme/reports utm>/o/acme/utm]"},
		{"insights collapses to reports when utm's product is missing",
			perms(t, "reports_view", "utm_view"), prods(t, "inbox"),
			"menu.insights>/o/acme/reports"},
		{"only view counts for visibility",
			perms(t, "flows_edit", "prompts_create", "bulk_messages_view"), all,
			"menu.automation>/o/acme/bulk_messages"},
		{"full set, all products",
			access.FullSet(), all,
			"dashboard>/o/acme " +
				"customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] " +
				"crm>/o/acme/crm/mine[crm.mine>/o/acme/crm/mine crm.all>/o/acme/crm/all] " +
				"chats>/o/acme/chats/mine[chats.mine>/o/acme/chats/mine chats.all>/o/acme/chats/all] " +
				"menu.automation>/o/acme/bulk_messages[bulk_messages>/o/acme/bulk_messages flows>/o/acme/flows prompts>/o/acme/prompts] " +
				"menu.finance>/o/acme/financial[financial>/o/acme/financial pos>/o/acme/pos] " +
				"menu.medical>/o/acme/medical[medical>/o/acme/medical documents>/o/acme/documents] " +
				"menu.insights>/o/acme/reports[reports>/o/acme/reports utm>/o/acme/utm] " +
				"menu.settings>/o/acme/settings/organization[settings>/o/acme/settings/organization members>/o/acme/settings/members " +
				"groups>/o/acme/settings/groups service_teams>/o/acme/settings/service_teams channels>/o/acme/settings/channels " +
				"integrations>/o/acme/settings/integrations billing>/o/acme/settings/billing audit>/o/acme/settings/audit]"},
		{"full set, core only",
			access.FullSet(), 0,
			"dashboard>/o/acme menu.insights>/o/acme/reports " +
				"menu.settings>/o/acme/settings/organization[settings>/o/acme/settings/organization members>/o/acme/settings/members " +
				"groups>/o/acme/settings/groups service_teams>/o/acme/settings/service_teams " +
				"integrations>/o/acme/settings/integrations billing>/o/acme/settings/billing audit>/o/acme/settings/audit]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := Build("acme", c.set, c.products, false, "/elsewhere")
			if got := outline(items); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			checkInvariants(t, items)
		})
	}
}

func checkInvariants(t *testing.T, items []Item) {
	t.Helper()
	if items == nil {
		t.Error("nil items")
	}
	for _, it := range items {
		if it.Children == nil {
			t.Errorf("%s: nil Children", it.Key)
		}
		if len(it.Children) == 1 {
			t.Errorf("%s: a single child must collapse", it.Key)
		}
		if it.Label == "" || it.Href == "" {
			t.Errorf("%s: empty label or href", it.Key)
		}
		checkInvariants(t, it.Children)
	}
}

func TestBuildLabelsAndIcons(t *testing.T) {
	items := Build("acme", perms(t, "customers_view", "crm_view", "chats_view", "+chats.canAccessAll", "pos_view"), access.AllProducts(), false, "")
	got := map[string]Item{}
	for _, it := range items {
		got[it.Key] = it
	}
	for key, label := range map[string]string{"customers": "Customers", "crm": "Pipelines", "chats": "Conversations", "menu.finance": "Finance"} {
		if got[key].Label != label || got[key].Icon == "" {
			t.Errorf("%s: label %q icon %q", key, got[key].Label, got[key].Icon)
		}
	}
	if c := got["chats"].Children; len(c) != 2 || c[0].Label == "" || c[1].Label != "All" {
		t.Errorf("chats children = %+v", c)
	}
}

func TestBuildActive(t *testing.T) {
	set := perms(t, "dashboard_view", "customers_view", "+customers.canAccessAll", "members_view", "groups_view", "reports_view")
	cases := []struct {
		path string
		want string // outline, active items starred
	}{
		{"/o/acme", "dashboard>/o/acme* customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		{"/o/acme/", "dashboard>/o/acme* customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		{"/o/acme/customers/all", "dashboard>/o/acme customers>/o/acme/customers/mine*[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all*] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		{"/o/acme/customers/42", "dashboard>/o/acme customers>/o/acme/customers/mine*[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		{"/o/acme/settings/members/7/permissions", "dashboard>/o/acme customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members*[members>/o/acme/settings/members* groups>/o/acme/settings/groups]"},
		{"/o/acme/reports", "dashboard>/o/acme customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports* menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		// Prefix must end at a segment boundary; another org's slug is not ours.
		{"/o/acme/customers/mineral", "dashboard>/o/acme customers>/o/acme/customers/mine*[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
		{"/o/acme2/customers/mine", "dashboard>/o/acme customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all] menu.insights>/o/acme/reports menu.settings>/o/acme/settings/members[members>/o/acme/settings/members groups>/o/acme/settings/groups]"},
	}
	for _, c := range cases {
		if got := outline(Build("acme", set, 0|prods(t, "crm"), false, c.path)); got != c.want {
			t.Errorf("path %s:\n got %s\nwant %s", c.path, got, c.want)
		}
	}
	// Collapsed parent: active with its only child.
	items := Build("acme", perms(t, "customers_view"), prods(t, "crm"), false, "/o/acme/customers/mine")
	if len(items) != 1 || !items[0].Active || len(items[0].Children) != 0 {
		t.Errorf("collapsed customers: %+v", items)
	}
}

// ARCHITECTURE.md, Contracts: the sidebar of an agent, as `gatehouse access` prints it.
func TestBuildJSONShape(t *testing.T) {
	agent := access.Resolve(access.Input{Role: access.RoleAgent, Products: prods(t, "crm")})
	out, err := json.Marshal(Build("acme", agent.Set, prods(t, "crm"), false, "/o/acme"))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"key":"dashboard","label":"Dashboard","href":"/o/acme","children":[]},` +
		`{"key":"customers","label":"Customers","href":"/o/acme/customers/mine","children":[]},` +
		`{"key":"crm","label":"Pipelines","href":"/o/acme/crm/mine","children":[]}]`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	empty, _ := json.Marshal(Build("acme", access.Set{}, 0, false, "/o/acme"))
	if string(empty) != `[]` {
		t.Errorf("empty sidebar = %s", empty)
	}
}

// The sidebar shows a module exactly when the route guard would let the
// member in: same Set, same check.
func TestBuildAgreesWithGuards(t *testing.T) {
	for _, role := range access.Roles() {
		for _, p := range []access.ProductSet{0, prods(t, "crm"), prods(t, "inbox", "medical"), access.AllProducts()} {
			eff := access.Resolve(access.Input{Role: role, Products: p})
			hrefs := map[string]bool{}
			var walk func([]Item)
			walk = func(items []Item) {
				for _, it := range items {
					hrefs[it.Href] = true
					walk(it.Children)
				}
			}
			walk(Build("x", eff.Set, p, false, ""))
			for _, m := range access.Modules() {
				var href string
				for _, n := range access.Menu() {
					for _, c := range append([]access.MenuNode{n}, n.Children...) {
						if c.Module == m.Key && c.Flag == "" && (len(c.Children) == 0) {
							href = "/o/x" + c.Path
						}
					}
				}
				if hrefs[href] != eff.Can(m.ID, access.View) {
					t.Errorf("%s %v: %s in sidebar = %v, guard = %v", role, p.Keys(), m.Key, hrefs[href], eff.Can(m.ID, access.View))
				}
			}
		}
	}
}

func BenchmarkSidebar(b *testing.B) {
	eff := access.Resolve(access.Input{Role: access.RoleManager, Products: access.AllProducts()})
	b.ReportAllocs()
	for b.Loop() {
		_ = Build("acme", eff.Set, access.AllProducts(), false, "/o/acme/customers/42")
	}
}

// ActiveKey is a sound cache key: any two paths with the same key give the
// same sidebar, for every role and product set; and paths that highlight
// different entries get different keys.
func TestActiveKeyDeterminesSidebar(t *testing.T) {
	var paths []string
	var collect func([]access.MenuNode)
	collect = func(ns []access.MenuNode) {
		for _, n := range ns {
			paths = append(paths, "/o/acme"+n.Path, "/o/acme"+n.Path+"/", "/o/acme"+n.Path+"/17", "/o/acme"+n.Path+"/17/edit",
				"/o/acme"+n.Path+"x", "/o/acme"+n.Path+"/mine/9")
			collect(n.Children)
		}
	}
	collect(access.Menu())
	paths = append(paths, "", "/", "/o/acme", "/o/acme/", "/o/acme/me/permissions", "/o/acme/nope", "/o/acmex/customers/mine", "/orgs")

	byKey := map[string][]string{}
	for _, p := range paths {
		k := ActiveKey("acme", p)
		byKey[k] = append(byKey[k], p)
	}
	if len(byKey) < 10 {
		t.Fatalf("only %d distinct keys over %d paths: %v", len(byKey), len(paths), byKey)
	}
	for _, role := range access.Roles() {
		for _, prod := range []access.ProductSet{0, prods(t, "crm"), access.AllProducts()} {
			eff := access.Resolve(access.Input{Role: role, Products: prod})
			for k, ps := range byKey {
				want := outline(Build("acme", eff.Set, prod, false, ps[0]))
				for _, p := range ps[1:] {
					if got := outline(Build("acme", eff.Set, prod, false, p)); got != want {
						t.Fatalf("%s %v: key %q covers %s and %s, whose sidebars differ:\n%s\n%s", role, prod.Keys(), k, ps[0], p, want, got)
					}
				}
			}
		}
	}
	if ActiveKey("acme", "/o/acme/customers/mine") == ActiveKey("acme", "/o/acme/customers/all") {
		t.Error("Those I serve and All share a key")
	}
}

// "My teams" is shown with team scope or more (canAccessAll alone counts,
// as the route guard's scope does) and only in an organization with a team;
// own scope keeps single-submenu navigation.
func TestBuildMyTeams(t *testing.T) {
	crm := prods(t, "crm")
	cases := []struct {
		name     string
		set      access.Set
		hasTeams bool
		want     string
	}{
		{"own", perms(t, "customers_view"), true, "customers>/o/acme/customers/mine"},
		{"team", perms(t, "customers_view", "+customers.canAccessTeam"), true,
			"customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.team>/o/acme/customers/team]"},
		{"team, no teams", perms(t, "customers_view", "+customers.canAccessTeam"), false, "customers>/o/acme/customers/mine"},
		{"all flag only", perms(t, "customers_view", "+customers.canAccessAll"), true,
			"customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.team>/o/acme/customers/team customers.all>/o/acme/customers/all]"},
		{"all, no teams", perms(t, "customers_view", "+customers.canAccessAll"), false,
			"customers>/o/acme/customers/mine[customers.mine>/o/acme/customers/mine customers.all>/o/acme/customers/all]"},
	}
	for _, c := range cases {
		if got := outline(Build("acme", c.set, crm, c.hasTeams, "/elsewhere")); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
