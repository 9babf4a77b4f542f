package access

import "testing"

// Impact counts each difference once per member, by kind, and words none:
// a group edit over many members, a role replaced by groups, a scope widened.
func TestImpactCountsGainsLossesAndScopes(t *testing.T) {
	p := prods(t, "crm", "inbox", "medical")
	customers, _ := ModuleByKey("customers")
	dashboard, _ := ModuleByKey("dashboard")
	sales := set(t, "customers_view", "customers_edit", "dashboard_view")
	salesAfter := set(t, "customers_view", "customers_export", "+customers.canAccessTeam")
	var im Impact
	// 12 members in the group alone: they lose Dashboard and Edit, gain Export and team scope.
	im.Add(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: sales}}, Products: p},
		Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: salesAfter}}, Products: p}, 12)
	// 3 with individual permissions: the group does not reach them.
	custom := set(t, "dashboard_view")
	im.Add(Input{Role: RoleAgent, Custom: &custom, Groups: []GroupGrant{{Name: "Sales", Set: sales}}, Products: p},
		Input{Role: RoleAgent, Custom: &custom, Groups: []GroupGrant{{Name: "Sales", Set: salesAfter}}, Products: p}, 3)
	if im.Members != 15 || im.Changed != 12 {
		t.Fatalf("members %d changed %d, want 15 and 12", im.Members, im.Changed)
	}
	if got := im.Deciding(LayerCustom); got != 3 {
		t.Errorf("custom deciding %d, want 3", got)
	}
	want := []Item{
		{Kind: ModuleLost, Module: dashboard.ID, Members: 12},
		{Kind: ActionGained, Module: customers.ID, Action: Export, Members: 12},
		{Kind: ActionLost, Module: customers.ID, Action: Edit, Members: 12},
		{Kind: ScopeChanged, Module: customers.ID, From: ScopeOwn, To: ScopeTeam, Members: 12},
	}
	got := im.Sorted()
	if len(got) != len(want) {
		t.Fatalf("items %+v, want %+v", got, want)
	}
	byKey := map[Item]int{}
	for _, it := range got {
		n := it.Members
		it.Members = 0
		byKey[it] = n
	}
	for _, w := range want {
		n := w.Members
		w.Members = 0
		if byKey[w] != n {
			t.Errorf("item %+v counted %d, want %d (all: %+v)", w, byKey[w], n, got)
		}
	}
	if !(Item{Kind: ScopeChanged, From: ScopeOwn, To: ScopeTeam}).Gain() || (Item{Kind: ScopeChanged, From: ScopeAll, To: ScopeOwn}).Gain() {
		t.Error("a wider scope is a gain, a narrower one a loss")
	}
}

// A role replaced by a group is a layer shift; the diff is against what the
// role template gave, and merging two impacts adds their counts.
func TestImpactShiftsLayersAndMerges(t *testing.T) {
	p := prods(t, "crm", "inbox", "medical")
	role := Input{Role: RoleAgent, Products: p}
	grouped := role
	grouped.Groups = []GroupGrant{{Name: "Customers only", Set: set(t, "customers_view")}}
	var a, b Impact
	a.Add(role, grouped, 1)
	b.Add(role, grouped, 2)
	b.Add(role, role, 4) // unchanged: counted, not changed
	a.Merge(b)
	if a.Members != 7 || a.Changed != 3 {
		t.Fatalf("members %d changed %d, want 7 and 3", a.Members, a.Changed)
	}
	if len(a.Shifts) != 2 || a.Shifts[0] != (LayerShift{From: LayerRole, To: LayerGroups, Members: 3}) {
		t.Errorf("shifts %+v", a.Shifts)
	}
	lost := a.Of(ModuleLost)
	if len(lost) == 0 {
		t.Fatal("the agent template's modules outside the group are lost")
	}
	for _, it := range lost {
		if it.Members != 3 {
			t.Errorf("%+v: want 3 members", it)
		}
	}
	for _, it := range a.Of(ModuleGained) {
		t.Errorf("nothing is gained: %+v", it)
	}
}
