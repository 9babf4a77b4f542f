package access

import (
	"slices"
	"strings"
	"testing"
)

func TestCatalogProductsAndModules(t *testing.T) {
	want := map[string][]string{
		"core":    {"dashboard", "reports", "members", "groups", "service_teams", "settings", "integrations", "billing", "audit"},
		"crm":     {"customers", "crm", "utm"},
		"inbox":   {"chats", "bulk_messages", "flows", "prompts", "channels"},
		"finance": {"financial", "pos"},
		"medical": {"medical", "documents"},
	}
	var keys, allModules []string
	for _, p := range Products() {
		keys = append(keys, p.Key)
		if !slices.Equal(p.Modules, want[p.Key]) {
			t.Errorf("product %s modules = %v, want %v", p.Key, p.Modules, want[p.Key])
		}
		if p.AlwaysIncluded != (p.Key == "core") {
			t.Errorf("product %s AlwaysIncluded = %v", p.Key, p.AlwaysIncluded)
		}
		allModules = append(allModules, p.Modules...)
	}
	if !slices.Equal(keys, []string{"core", "crm", "inbox", "finance", "medical"}) {
		t.Errorf("products = %v", keys)
	}
	// Modules() is in catalog order, IDs are indexes, Product is filled in.
	for i, m := range Modules() {
		if m.Key != allModules[i] || int(m.ID) != i {
			t.Errorf("module %d = %s (id %d), want %s", i, m.Key, m.ID, allModules[i])
		}
		if !slices.Contains(want[m.Product], m.Key) {
			t.Errorf("module %s has product %q", m.Key, m.Product)
		}
		if m.Label == "" {
			t.Errorf("module %s has no label", m.Key)
		}
	}
	groupNames := map[string]string{"core": "", "crm": "Sales Team", "inbox": "Support Agents", "finance": "Finance Team", "medical": "Medical Staff"}
	for k, g := range groupNames {
		p, ok := ProductByKey(k)
		if !ok || p.GroupName != g {
			t.Errorf("ProductByKey(%q) = %+v, %v; want group %q", k, p, ok, g)
		}
	}
	if _, ok := ProductByKey("nope"); ok {
		t.Error("ProductByKey(nope) found something")
	}
}

func TestCatalogActions(t *testing.T) {
	restricted := map[string][]Action{
		"dashboard": {View},
		"audit":     {View, Export},
		"settings":  {View, Edit},
		"billing":   {View, Edit},
		"reports":   {View, Create, Export},
	}
	for _, m := range Modules() {
		want, ok := restricted[m.Key]
		if !ok {
			want = AllActions()
		}
		std := m.Actions
		if m.Key == "chats" { // then its own: reply, note, attach (catalog_v2_test.go)
			std = m.Actions[:len(m.Actions)-len(m.OwnActions)]
		}
		if !slices.Equal(std, want) {
			t.Errorf("%s actions = %v, want %v", m.Key, m.Actions, want)
		}
		for _, a := range AllActions() {
			if m.Offers(a) != slices.Contains(want, a) {
				t.Errorf("%s.Offers(%s) = %v", m.Key, a, m.Offers(a))
			}
		}
	}
}

func TestCatalogFlags(t *testing.T) {
	want := []FlagDef{
		{FlagCustomersCanAccessAll, "customers", "canAccessAll", "customers.canAccessAll", "See all customers", ScopeAll},
		{FlagCustomersCanAccessTeam, "customers", "canAccessTeam", "customers.canAccessTeam", "See my teams' customers", ScopeTeam},
		{FlagCRMCanAccessAll, "crm", "canAccessAll", "crm.canAccessAll", "See all pipelines", ScopeAll},
		{FlagCRMCanAccessTeam, "crm", "canAccessTeam", "crm.canAccessTeam", "See my teams' pipelines", ScopeTeam},
		{FlagChatsCanAccessAll, "chats", "canAccessAll", "chats.canAccessAll", "See all conversations", ScopeAll},
		{FlagChatsCanAccessTeam, "chats", "canAccessTeam", "chats.canAccessTeam", "See my teams' conversations", ScopeTeam},
		{FlagChatsCanAssignToOthers, "chats", "canAssignToOthers", "chats.canAssignToOthers", "Assign conversations to others", 0},
	}
	if got := Flags(); !slices.Equal(got, want) {
		t.Fatalf("Flags() = %+v\nwant %+v", got, want)
	}
	for _, f := range want {
		got, ok := FlagByFullKey(f.FullKey)
		if !ok || got != f {
			t.Errorf("FlagByFullKey(%q) = %+v, %v", f.FullKey, got, ok)
		}
		if ModuleOf(f.ModuleID()).Key != f.Module {
			t.Errorf("flag %s module id %d", f.FullKey, f.ModuleID())
		}
		m, _ := ModuleByKey(f.Module)
		if !slices.Contains(m.Flags, f) {
			t.Errorf("module %s lacks flag %s", f.Module, f.Key)
		}
	}
	for _, bad := range []string{"canAccessAll", "customers.canaccessall", "utm.canAccessAll", ""} {
		if _, ok := FlagByFullKey(bad); ok {
			t.Errorf("FlagByFullKey(%q) found", bad)
		}
	}
}

func TestModuleConstantsMatchCatalog(t *testing.T) {
	consts := []ModuleID{ModDashboard, ModReports, ModMembers, ModGroups, ModServiceTeams, ModSettings,
		ModIntegrations, ModBilling, ModAudit, ModCustomers, ModCRM, ModUTM, ModChats, ModBulkMessages,
		ModFlows, ModPrompts, ModChannels, ModFinancial, ModPOS, ModMedical, ModDocuments}
	ms := Modules()
	if len(consts) != len(ms) {
		t.Fatalf("%d constants, %d modules", len(consts), len(ms))
	}
	for i, id := range consts {
		if id != ms[i].ID || MustModule(ms[i].Key) != id || id.Key() != ms[i].Key {
			t.Errorf("constant %d does not match module %s", id, ms[i].Key)
		}
	}
}

func TestMustModulePanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `"custmers"`) {
			t.Fatalf("recover() = %v, want a panic naming the key", r)
		}
	}()
	MustModule("custmers")
}

func TestCatalogCopiesAreIndependent(t *testing.T) {
	m, _ := ModuleByKey("customers")
	m.Actions[0] = Delete
	m.Flags[0].Key = "hacked"
	Modules()[0].Actions[0] = Export
	Products()[0].Modules[0] = "hacked"
	Flags()[0].Label = "hacked"
	again, _ := ModuleByKey("customers")
	if again.Actions[0] != View || again.Flags[0].Key != "canAccessAll" || Modules()[0].Actions[0] != View ||
		Products()[0].Modules[0] != "dashboard" || Flags()[0].Label != "See all customers" {
		t.Fatal("catalog data was changed through a returned copy")
	}
}

func TestActions(t *testing.T) {
	for i, name := range []string{"view", "create", "edit", "delete", "export"} {
		a, ok := ParseAction(name)
		if !ok || a != Action(i) || a.String() != name || AllActions()[i] != a {
			t.Errorf("action %q: got %v %v", name, a, ok)
		}
	}
	for _, bad := range []string{"", "View", "veiw", "read"} {
		if _, ok := ParseAction(bad); ok {
			t.Errorf("ParseAction(%q) ok", bad)
		}
	}
	if Action(9).String() != "action(9)" {
		t.Error(Action(9).String())
	}
}

func TestProductSet(t *testing.T) {
	p, err := ParseProducts([]string{"medical", "crm", "core", "crm"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Keys(); !slices.Equal(got, []string{"crm", "medical"}) {
		t.Errorf("Keys() = %v", got)
	}
	for key, want := range map[string]bool{"core": true, "crm": true, "medical": true, "inbox": false, "finance": false, "nope": false} {
		if p.Has(key) != want {
			t.Errorf("Has(%q) = %v", key, !want)
		}
	}
	for _, m := range Modules() {
		want := m.Product == "core" || m.Product == "crm" || m.Product == "medical"
		if p.HasModule(m.ID) != want {
			t.Errorf("HasModule(%s) = %v", m.Key, !want)
		}
	}
	var zero ProductSet
	if !zero.Has("core") || !zero.HasModule(ModDashboard) || zero.HasModule(ModCustomers) || len(zero.Keys()) != 0 {
		t.Error("the zero ProductSet must mean core only")
	}
	if got := AllProducts().Keys(); !slices.Equal(got, []string{"crm", "inbox", "finance", "medical"}) {
		t.Errorf("AllProducts().Keys() = %v", got)
	}
	_, err = ParseProducts([]string{"crm", "sales"})
	if err == nil || !strings.Contains(err.Error(), `"sales"`) {
		t.Errorf("unknown product error = %v", err)
	}
}

// Stored product lists parse like ParseProducts, with unknown keys skipped.
func TestParseStoredProducts(t *testing.T) {
	for _, tc := range []struct {
		stored string
		keys   []string
	}{
		{"", nil}, {"crm", []string{"crm"}}, {"crm,inbox,medical", []string{"crm", "inbox", "medical"}},
		{"gone,crm,,finance", []string{"crm", "finance"}}, {"core,crm", []string{"crm"}}, {",", nil},
	} {
		want, err := ParseProducts(tc.keys)
		if err != nil {
			t.Fatal(err)
		}
		if got := ParseStoredProducts(tc.stored); got != want {
			t.Errorf("ParseStoredProducts(%q) = %v, want %v", tc.stored, got.Keys(), want.Keys())
		}
	}
	if n := testing.AllocsPerRun(100, func() { ParseStoredProducts("crm,inbox,finance,medical") }); n != 0 {
		t.Errorf("ParseStoredProducts allocates %v times", n)
	}
}
