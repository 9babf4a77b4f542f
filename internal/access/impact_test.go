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

// Field levels are differences of their own: counted per field from the
// resolved sides, not from what a set states; read ↔ edit caused by the
// module's edit is left to the action's item.
func TestImpactCountsFieldLevels(t *testing.T) {
	p := prods(t, "crm")
	customers, _ := ModuleByKey("customers")
	before := set(t, "customers_view", "customers_edit")
	after := before
	after.SetFieldLevel(customers.ID, "tax_id", LevelRead)           // hidden → read
	after.SetFieldLevel(customers.ID, "internal_notes", LevelHidden) // stated as its default: no change
	after.SetFieldLevel(customers.ID, "name", LevelRead)             // edit → read with edit kept
	var im Impact
	im.Add(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: before}}, Products: p},
		Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: after}}, Products: p}, 12)
	got := im.Of(FieldChanged)
	if im.Changed != 12 || len(got) != 2 {
		t.Fatalf("changed %d, field items %+v; want 12 and two items", im.Changed, got)
	}
	if it := got[0]; it.Field.Key != "name" || it.FromLevel != LevelEdit || it.ToLevel != LevelRead || it.Gain() || it.Members != 12 {
		t.Errorf("first item %+v, want name edit → read, a loss for 12", it)
	}
	if it := got[1]; it.Field.Key != "tax_id" || it.FromLevel != LevelHidden || it.ToLevel != LevelRead || !it.Gain() {
		t.Errorf("second item %+v, want tax_id hidden → read, a gain", it)
	}

	// Stating only defaults changes nothing; losing edit lists the action, not five fields.
	same := before
	same.SetFieldLevel(customers.ID, "internal_notes", LevelHidden)
	noEdit := set(t, "customers_view")
	var im2 Impact
	im2.Add(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: before}}, Products: p},
		Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: same}}, Products: p}, 1)
	im2.Add(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: before}}, Products: p},
		Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: noEdit}}, Products: p}, 2)
	if im2.Changed != 2 || len(im2.Of(FieldChanged)) != 0 || len(im2.Of(ActionLost)) != 1 {
		t.Errorf("changed %d items %+v; want 2 changed, only Edit lost", im2.Changed, im2.Sorted())
	}
	if got := before.FieldDefault(customers.ID, "tax_id"); got != LevelHidden {
		t.Errorf("tax_id default %s, want hidden", got)
	}
	if got := noEdit.FieldDefault(customers.ID, "name"); got != LevelRead {
		t.Errorf("name default without edit %s, want read", got)
	}
}

// Stated, resolved alone, gives back exactly the effective access: a
// group's field levels survive turning individual permissions on.
func TestStatedKeepsFieldLevels(t *testing.T) {
	p := prods(t, "crm")
	customers, _ := ModuleByKey("customers")
	g := set(t, "customers_view", "customers_edit")
	g.SetFieldLevel(customers.ID, "tax_id", LevelRead)
	g.SetFieldLevel(customers.ID, "name", LevelRead)
	eff := Resolve(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Sales", Set: g}}, Products: p})
	s := eff.Stated()
	again := Resolve(Input{Role: RoleAgent, Custom: &s, Products: p})
	for _, f := range eff.Fields(customers.ID) {
		if got := again.FieldLevel(customers.ID, f.Field.Key); got != f.Level {
			t.Errorf("%s: %s after the copy, want %s", f.Field.Key, got, f.Level)
		}
	}
	if s.FieldLevelStated(customers.ID, "tax_id") != LevelRead || s.FieldLevelStated(customers.ID, "email") != 0 {
		t.Errorf("stated tax_id %s email %s; want read and nothing (email is at its default)",
			s.FieldLevelStated(customers.ID, "tax_id"), s.FieldLevelStated(customers.ID, "email"))
	}
}
