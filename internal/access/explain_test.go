package access

import (
	"maps"
	"slices"
	"testing"
)

func TestExplainSources(t *testing.T) {
	all := AllProducts()
	sales := GroupGrant{"Sales Team", set(t, "customers_view", "customers_edit", "crm_view")}
	user := GroupGrant{"User", set(t, "customers_view", "chats_view", "+customers.canAccessAll")}
	cases := []struct {
		name   string
		in     Input
		perms  map[string][]string // checked entries
		flags  map[string]bool     // exact
		fsrc   map[string][]string // exact
		groups []string
	}{
		{"owner", Input{Role: RoleOwner, Groups: []GroupGrant{sales}, Products: prods(t, "crm")},
			map[string][]string{"customers_delete": {"owner"}, "billing_edit": {"owner"}},
			map[string]bool{"customers.canAccessAll": true, "crm.canAccessAll": true, "customers.canAccessTeam": true, "crm.canAccessTeam": true},
			map[string][]string{"customers.canAccessAll": {"owner"}, "crm.canAccessAll": {"owner"},
				"customers.canAccessTeam": {"owner"}, "crm.canAccessTeam": {"owner"}},
			[]string{"Sales Team"}},
		{"custom", Input{Role: RoleAgent, Custom: ptr(set(t, "customers_view", "chats_view", "+chats.canAssignToOthers")), Groups: []GroupGrant{sales}, Products: all},
			map[string][]string{"customers_view": {"custom"}, "chats_view": {"custom"}},
			map[string]bool{"customers.canAccessAll": false, "chats.canAccessAll": false, "chats.canAssignToOthers": true,
				"customers.canAccessTeam": false, "chats.canAccessTeam": false},
			map[string][]string{"chats.canAssignToOthers": {"custom"}},
			[]string{"Sales Team"}},
		{"groups", Input{Role: RoleAgent, Groups: []GroupGrant{sales, user}, Products: all},
			map[string][]string{"customers_view": {"group:Sales Team", "group:User"}, "customers_edit": {"group:Sales Team"}, "chats_view": {"group:User"}},
			map[string]bool{"customers.canAccessAll": true, "crm.canAccessAll": false, "chats.canAccessAll": false, "chats.canAssignToOthers": false,
				"customers.canAccessTeam": false, "crm.canAccessTeam": false, "chats.canAccessTeam": false},
			map[string][]string{"customers.canAccessAll": {"group:User"}},
			[]string{"Sales Team", "User"}},
		{"role", Input{Role: RoleAgentLimited, Products: all},
			map[string][]string{"dashboard_view": {"role:agent_limited"}, "chats_create": {"role:agent_limited"}},
			map[string]bool{"customers.canAccessAll": false, "chats.canAccessAll": false, "chats.canAssignToOthers": false,
				"customers.canAccessTeam": false, "chats.canAccessTeam": false},
			map[string][]string{},
			[]string{}},
		{"suspended", Input{Role: RoleAgent, Suspended: true, Groups: []GroupGrant{sales}, Products: all},
			map[string][]string{}, map[string]bool{}, map[string][]string{}, []string{"Sales Team"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := Explain(c.in)
			if x.Effective != Resolve(c.in) {
				t.Fatal("Explain disagrees with Resolve")
			}
			// Every effective permission is explained, nothing more.
			keys := slices.Sorted(maps.Keys(x.Permissions))
			if want := slices.Sorted(slices.Values(x.Set.Permissions())); !slices.Equal(keys, want) {
				t.Errorf("explained %v, effective %v", keys, want)
			}
			for p, src := range x.Permissions {
				if len(src) == 0 {
					t.Errorf("%s has no source", p)
				}
			}
			for p, want := range c.perms {
				if got := x.Permissions[p]; !slices.Equal(got, want) {
					t.Errorf("sources of %s = %v, want %v", p, got, want)
				}
			}
			if !maps.Equal(x.Flags, c.flags) {
				t.Errorf("flags = %v, want %v", x.Flags, c.flags)
			}
			if !maps.EqualFunc(x.FlagSources, c.fsrc, slices.Equal) {
				t.Errorf("flag sources = %v, want %v", x.FlagSources, c.fsrc)
			}
			if !slices.Equal(x.Groups, c.groups) || x.Groups == nil {
				t.Errorf("groups = %#v, want %v", x.Groups, c.groups)
			}
		})
	}
}

// contract example (ARCHITECTURE.md, Contracts): an agent in Sales Team, org with crm and inbox.
func TestExplainDesignExample(t *testing.T) {
	team, _ := PredefinedGroup("crm")
	x := Explain(Input{Role: RoleAgent, Groups: []GroupGrant{{team.Name, team.Set}}, Products: prods(t, "crm", "inbox")})
	if x.Layer != LayerGroups {
		t.Fatal(x.Layer)
	}
	for _, p := range []string{"customers_view", "customers_edit"} {
		if !slices.Equal(x.Permissions[p], []string{"group:Sales Team"}) {
			t.Errorf("%s: %v", p, x.Permissions[p])
		}
	}
	if !maps.Equal(x.Flags, map[string]bool{"customers.canAccessAll": false, "crm.canAccessAll": false,
		"customers.canAccessTeam": false, "crm.canAccessTeam": false}) {
		t.Errorf("flags = %v", x.Flags)
	}
}
