package access

import (
	"slices"
	"testing"
)

// Each scoped module has canAccessTeam, granting team scope, labelled as the
// UI says; team sits between own and all: all wins over team.
func TestTeamScopeFlags(t *testing.T) {
	labels := map[string]string{"customers": "See my teams' customers", "crm": "See my teams' pipelines",
		"chats": "See my teams' conversations"}
	for key, label := range labels {
		m, _ := ModuleByKey(key)
		f, ok := ScopeFlag(m.ID, ScopeTeam)
		if !ok || f.Key != "canAccessTeam" || f.Label != label || f.FullKey != key+".canAccessTeam" {
			t.Errorf("%s: team flag %+v, %v", key, f, ok)
		}
	}
	all := AllProducts()
	for _, tc := range []struct {
		items []string
		want  Scope
	}{
		{[]string{"customers_view"}, ScopeOwn},
		{[]string{"customers_view", "+customers.canAccessTeam"}, ScopeTeam},
		{[]string{"customers_view", "+customers.canAccessAll"}, ScopeAll},
		{[]string{"customers_view", "+customers.canAccessTeam", "+customers.canAccessAll"}, ScopeAll},
		{[]string{"customers_view", "+crm.canAccessTeam"}, ScopeOwn}, // another module's flag
	} {
		s := set(t, tc.items...)
		if got, ok := Resolve(Input{Role: RoleAgent, Custom: &s, Products: all}).Scope(ModCustomers); !ok || got != tc.want {
			t.Errorf("%v: scope %v, %v; want %v", tc.items, got, ok, tc.want)
		}
	}
	inert := set(t, "customers_edit", "+customers.canAccessTeam")
	if got, ok := (Effective{Set: inert}).Scope(ModCustomers); ok || got != 0 {
		t.Errorf("team flag without view: %v %v", got, ok)
	}
}

// Anti-escalation: an actor holds X.canAccessTeam when their scope on X is
// team or all; an actor with own scope holds neither flag; holding a flag on
// one module says nothing about another.
func TestGrantingTeamScope(t *testing.T) {
	all := AllProducts()
	actor := func(items ...string) Effective {
		s := set(t, items...)
		return Resolve(Input{Role: RoleManager, Custom: &s, Products: all})
	}
	team := set(t, "customers_view", "+customers.canAccessTeam")
	allScope := set(t, "customers_view", "+customers.canAccessAll")
	for _, tc := range []struct {
		name  string
		actor Effective
		grant Set
		ok    bool
	}{
		{"all grants team", actor("customers_view", "+customers.canAccessAll"), team, true},
		{"team grants team", actor("customers_view", "+customers.canAccessTeam"), team, true},
		{"own cannot grant team", actor("customers_view"), team, false},
		{"team cannot grant all", actor("customers_view", "+customers.canAccessTeam"), allScope, false},
		{"all on crm is not team on customers", actor("customers_view", "crm_view", "+crm.canAccessAll"), team, false},
		{"all without view holds nothing", actor("customers_edit", "+customers.canAccessAll"), team, false},
		{"owner grants anything", Resolve(Input{Role: RoleOwner, Products: all}), team.Union(allScope), true},
	} {
		err := CheckGrant(tc.actor, tc.grant)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok {
			missing := Ungrantable(tc.actor, tc.grant)
			if missing.IsEmpty() {
				t.Errorf("%s: refused with nothing missing", tc.name)
			}
		}
	}
	// The implied flag is the actor's, never written into what they hold.
	a := actor("customers_view", "+customers.canAccessAll")
	if a.CanFlag(FlagCustomersCanAccessTeam) {
		t.Error("holding all scope sets canAccessTeam on the actor's set")
	}
	// A gain of team scope by a change is judged the same way.
	before := Input{Role: RoleAgent, Products: all}
	after := Input{Role: RoleSupervisor, Products: all}
	if gain := UnheldGain(actor("customers_view", "+customers.canAccessTeam"), before, after); gain.IsEmpty() {
		t.Error("making an agent supervisor needs more than customers team scope")
	}
	if gain := UnheldGain(Resolve(Input{Role: RoleManager, Products: all}), before, after); !gain.IsEmpty() {
		t.Errorf("a manager may make an agent supervisor; missing %v", gain)
	}
}

// The supervisor sits between manager and agent with the template of the
// design; agent-type templates gain the conversation actions; owner, admin
// and manager hold every own action; the predefined groups gain reply and
// note.
func TestSupervisorAndConversationActions(t *testing.T) {
	roles := Roles()
	at := func(r Role) int { return slices.Index(roles, r) }
	if !(at(RoleManager) < at(RoleSupervisor) && at(RoleSupervisor) < at(RoleAgent)) {
		t.Errorf("supervisor is not between manager and agent: %v", roles)
	}
	if r, ok := ParseRole("supervisor"); !ok || r.Label() != "Supervisor" || r.FullViewByDefault() {
		t.Errorf("supervisor: %v %q %v", ok, r.Label(), r.FullViewByDefault())
	}
	want := set(t, "dashboard_view",
		"customers_view", "customers_create", "customers_edit", "customers_export",
		"crm_view", "crm_create", "crm_edit", "crm_export",
		"chats_view", "chats_create", "chats_edit", "chats_export", "chats_reply", "chats_note", "chats_attach",
		"reports_view", "service_teams_view",
		"+customers.canAccessTeam", "+crm.canAccessTeam", "+chats.canAccessTeam")
	if got := RoleTemplate(RoleSupervisor); got != want {
		t.Errorf("supervisor template:\n got %v\nwant %v", got, want)
	}
	e := Resolve(Input{Role: RoleSupervisor, Products: AllProducts()})
	for _, m := range []ModuleID{ModCustomers, ModCRM, ModChats} {
		if s, _ := e.Scope(m); s != ScopeTeam {
			t.Errorf("supervisor's scope on %s: %v", m.Key(), s)
		}
	}
	has := func(r Role, items ...string) {
		t.Helper()
		s := RoleTemplate(r)
		for _, it := range items {
			if !set(t, it).SubsetOf(s) {
				t.Errorf("%s lacks %s", r, it)
			}
		}
	}
	lacks := func(s Set, what string, items ...string) {
		t.Helper()
		for _, it := range items {
			if set(t, it).SubsetOf(s) {
				t.Errorf("%s has %s", what, it)
			}
		}
	}
	has(RoleAgent, "chats_reply", "chats_note", "chats_attach")
	has(RoleAgentLimited, "chats_reply", "chats_note")
	lacks(RoleTemplate(RoleAgentLimited), "agent_limited", "chats_attach", "chats_edit")
	for _, r := range []Role{RoleOwner, RoleAdmin, RoleManager} {
		has(r, "chats_reply", "chats_note", "chats_attach", "+customers.canAccessTeam", "+crm.canAccessTeam", "+chats.canAccessTeam")
	}
	has(RoleFinancial, "+customers.canAccessTeam", "+crm.canAccessTeam")
	for _, r := range []Role{RoleSales, RoleMedicalDoctor, RoleMedicalAssistant} {
		lacks(RoleTemplate(r), string(r), "chats_reply", "+customers.canAccessTeam")
	}
	for key, items := range map[string][]string{
		"admin": {"chats_reply", "chats_note", "chats_attach", "+customers.canAccessTeam"},
		"user":  {"chats_reply", "chats_note"},
		"inbox": {"chats_reply", "chats_note"},
	} {
		g, _ := PredefinedGroup(key)
		for _, it := range items {
			if !set(t, it).SubsetOf(g.Set) {
				t.Errorf("group %s lacks %s", g.Name, it)
			}
		}
	}
	for _, key := range []string{"user", "inbox"} {
		g, _ := PredefinedGroup(key)
		lacks(g.Set, g.Name, "chats_attach", "+chats.canAccessTeam")
	}
	chats, _ := ModuleByKey("chats")
	if !slices.Equal(chats.OwnActions, []string{"reply", "note", "attach"}) {
		t.Errorf("chats own actions %v", chats.OwnActions)
	}
}

// The explanation states each scope with what grants it; own has no source;
// a suspended member has none at all.
func TestExplainScopes(t *testing.T) {
	all := AllProducts()
	leads := set(t, "customers_view", "chats_view", "+customers.canAccessTeam")
	x := Explain(Input{Role: RoleAgent, Groups: []GroupGrant{{Name: "Support leads", Set: leads}, {Name: "Plain", Set: set(t, "crm_view")}},
		Products: all})
	if x.Scopes["customers"] != ScopeTeam || x.Scopes["crm"] != ScopeOwn || x.Scopes["chats"] != ScopeOwn || len(x.Scopes) != 3 {
		t.Errorf("scopes %v", x.Scopes)
	}
	if got := x.ScopeSources["customers"]; !slices.Equal(got, []string{"group:Support leads"}) {
		t.Errorf("customers sources %v", got)
	}
	if got := x.ScopeSources["crm"]; got == nil || len(got) != 0 {
		t.Errorf("own scope sources %#v, want []", got)
	}
	if got := x.ScopeText("customers"); got != "team, from group Support leads" {
		t.Errorf("ScopeText %q", got)
	}
	if got := x.ScopeText("crm"); got != "own" {
		t.Errorf("ScopeText own %q", got)
	}
	if got := x.ScopeText("billing"); got != "" {
		t.Errorf("ScopeText of a module without scope %q", got)
	}
	owner := Explain(Input{Role: RoleOwner, Products: all})
	if owner.Scopes["chats"] != ScopeAll || owner.ScopeText("chats") != "all, as owner" {
		t.Errorf("owner: %v %q", owner.Scopes, owner.ScopeText("chats"))
	}
	role := Explain(Input{Role: RoleSupervisor, Products: all})
	if got := role.ScopeText("crm"); got != "team, from role Supervisor" {
		t.Errorf("role: %q", got)
	}
	two := Explain(Input{Role: RoleAgent, Products: all, Groups: []GroupGrant{{Name: "A", Set: leads}, {Name: "B", Set: leads}}})
	if got := two.ScopeText("customers"); got != "team, from group A and group B" {
		t.Errorf("two groups: %q", got)
	}
	sus := Explain(Input{Role: RoleOwner, Suspended: true, Products: all})
	if len(sus.Scopes) != 0 || len(sus.ScopeSources) != 0 || sus.Scopes == nil || sus.ScopeSources == nil {
		t.Errorf("suspended: %#v %#v", sus.Scopes, sus.ScopeSources)
	}
}
