package access

import "testing"

func TestResolveRules(t *testing.T) {
	all := AllProducts()
	restrictive := set(t, "dashboard_view")
	salesTeam := GroupGrant{"Sales Team", set(t, "customers_view", "customers_edit", "crm_view")}
	support := GroupGrant{"Support", set(t, "chats_view", "customers_view", "customers_export", "+chats.canAccessAll")}
	withFlag := GroupGrant{"Wide", set(t, "customers_view", "+customers.canAccessAll")}
	cases := []struct {
		name  string
		in    Input
		layer Layer
		want  Set
	}{
		{"owner with restrictive custom and groups is still full",
			Input{Role: RoleOwner, Custom: &restrictive, Groups: []GroupGrant{salesTeam}, Products: all},
			LayerOwner, FullSet()},
		{"owner is limited by products only",
			Input{Role: RoleOwner, Products: prods(t, "crm")},
			LayerOwner, FullSet().RestrictTo(prods(t, "crm"))},
		{"custom {} grants nothing, groups ignored",
			Input{Role: RoleAdmin, Custom: &Set{}, Groups: []GroupGrant{withFlag}, Products: all},
			LayerCustom, Set{}},
		{"custom without canAccessAll means false, even for a full-view role",
			Input{Role: RoleManager, Custom: ptr(set(t, "customers_view", "customers_edit")), Products: all},
			LayerCustom, set(t, "customers_view", "customers_edit")},
		{"custom + groups = custom only",
			Input{Role: RoleAgent, Custom: ptr(set(t, "chats_view")), Groups: []GroupGrant{salesTeam, withFlag}, Products: all},
			LayerCustom, set(t, "chats_view")},
		{"two groups: union, flags OR-ed, role ignored",
			Input{Role: RoleManager, Groups: []GroupGrant{salesTeam, support, withFlag}, Products: all},
			LayerGroups, set(t, "customers_view", "customers_edit", "customers_export", "crm_view", "chats_view",
				"+chats.canAccessAll", "+customers.canAccessAll")},
		{"no custom, no groups: role template",
			Input{Role: RoleAgentLimited, Products: all},
			LayerRole, RoleTemplate(RoleAgentLimited)},
		{"unknown role falls back to nothing",
			Input{Role: "agnet", Products: all},
			LayerRole, Set{}},
		{"module outside products is never accessible (custom)",
			Input{Role: RoleAgent, Custom: ptr(set(t, "chats_view", "customers_view", "dashboard_view")), Products: prods(t, "crm")},
			LayerCustom, set(t, "customers_view", "dashboard_view")},
		{"module outside products is never accessible (role)",
			Input{Role: RoleAgent, Products: 0},
			LayerRole, set(t, "dashboard_view")},
		{"flags of modules outside products are dropped",
			Input{Role: RoleManager, Products: prods(t, "crm")},
			LayerRole, RoleTemplate(RoleManager).RestrictTo(prods(t, "crm"))},
		{"suspended: nothing, whatever the role",
			Input{Role: RoleOwner, Suspended: true, Products: all},
			LayerSuspended, Set{}},
		{"suspended with custom and groups",
			Input{Role: RoleAgent, Suspended: true, Custom: ptr(FullSet()), Groups: []GroupGrant{salesTeam}, Products: all},
			LayerSuspended, Set{}},
		{"edit without view is inert, and so are flags",
			Input{Role: RoleAgent, Custom: ptr(set(t, "customers_edit", "customers_delete", "crm_view", "+customers.canAccessAll", "+crm.canAccessAll")), Products: all},
			LayerCustom, set(t, "crm_view", "+crm.canAccessAll")},
		{"inert in one group, live through another",
			Input{Role: RoleAgent, Groups: []GroupGrant{{"A", set(t, "chats_edit")}, {"B", set(t, "chats_view")}}, Products: all},
			LayerGroups, set(t, "chats_view", "chats_edit")},
		{"empty group list is no groups",
			Input{Role: RoleSales, Groups: []GroupGrant{}, Products: all},
			LayerRole, RoleTemplate(RoleSales)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Resolve(c.in)
			if got.Layer != c.layer || got.Set != c.want || got.Role != c.in.Role {
				t.Errorf("Resolve = %s %v\nwant %s %v", got.Layer, got.Set, c.layer, c.want)
			}
		})
	}
}

func ptr(s Set) *Set { return &s }

func TestEffectiveChecks(t *testing.T) {
	all := AllProducts()
	owner := Resolve(Input{Role: RoleOwner, Products: all})
	admin := Resolve(Input{Role: RoleAdmin, Products: all})
	agent := Resolve(Input{Role: RoleAgent, Products: all})
	gone := Resolve(Input{Role: RoleOwner, Suspended: true, Products: all})
	if !owner.IsOwner() || owner.IsAdmin() || !admin.IsAdmin() || admin.IsOwner() || agent.IsOwner() || agent.IsAdmin() {
		t.Error("IsOwner/IsAdmin")
	}
	if gone.IsOwner() || gone.Can(ModDashboard, View) {
		t.Error("a suspended owner is no owner")
	}
	if !agent.Can(ModChats, Edit) || agent.Can(ModChats, Delete) || agent.Can(ModBilling, View) {
		t.Error("agent Can")
	}
	if agent.CanFlag(FlagCustomersCanAccessAll) || !owner.CanFlag(FlagChatsCanAssignToOthers) {
		t.Error("CanFlag")
	}
}
