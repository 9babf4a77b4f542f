package access

import "testing"

// Every fall-back is judged by what the member holds after the change
// against before: a limited admin (role admin, individual permissions for
// the members screens only) cannot give anyone back the Admin template.
func TestUnheldGainJudgesEveryFallBack(t *testing.T) {
	all := AllProducts()
	limited := set(t, "members_view", "members_create", "members_edit", "members_delete", "dashboard_view")
	actor := Resolve(Input{Role: RoleAdmin, Custom: &limited, Products: all})
	owner := Resolve(Input{Role: RoleOwner, Products: all})
	night := GroupGrant{Name: "Night", Set: set(t, "dashboard_view", "members_view")}
	sales := GroupGrant{Name: "Sales", Set: set(t, "dashboard_view", "customers_view")}
	self := Input{Role: RoleAdmin, Custom: &limited, Products: all}
	cases := []struct {
		name          string
		before, after Input
		missing       []string // permissions that must be named; nil = allowed
	}{
		{"self: custom off falls back to the Admin template", self, Input{Role: RoleAdmin, Products: all}, []string{"billing_edit", "groups_create"}},
		{"self: custom off onto a small group", self, Input{Role: RoleAdmin, Groups: []GroupGrant{night}, Products: all}, nil},
		{"last group removed falls back to the role", Input{Role: RoleAdmin, Groups: []GroupGrant{night}, Products: all}, Input{Role: RoleAdmin, Products: all}, []string{"settings_edit"}},
		{"one of two groups removed only takes", Input{Role: RoleAdmin, Groups: []GroupGrant{night, sales}, Products: all}, Input{Role: RoleAdmin, Groups: []GroupGrant{night}, Products: all}, nil},
		{"a role change the actor cannot give", Input{Role: RoleAgent, Products: all}, Input{Role: RoleManager, Products: all}, []string{"reports_view"}},
		{"a role change hidden behind custom gains nothing", Input{Role: RoleAgent, Custom: &limited, Products: all}, Input{Role: RoleManager, Custom: &limited, Products: all}, nil},
		{"re-enable gains everything then held", Input{Role: RoleAdmin, Suspended: true, Products: all}, Input{Role: RoleAdmin, Products: all}, []string{"billing_view"}},
		{"re-enable of someone within the actor", Input{Role: RoleAdmin, Custom: &limited, Suspended: true, Products: all}, self, nil},
		{"a newcomer's role template", Nobody(all), Input{Role: RoleAgent, Products: all}, []string{"customers_view"}},
		{"a newcomer's small group", Nobody(all), Input{Role: RoleAgent, Groups: []GroupGrant{night}, Products: all}, nil},
		{"only the organization's products count", Input{Role: RoleAgent, Custom: &limited, Products: prods(t)}, Input{Role: RoleAgent, Products: prods(t)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := UnheldGain(actor, c.before, c.after)
			if c.missing == nil {
				if !got.IsEmpty() {
					t.Fatalf("refused, missing %s", got)
				}
				return
			}
			for _, p := range c.missing {
				m, a, err := ParsePermission(p)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Has(m, a) {
					t.Fatalf("missing %s lacks %s", got, p)
				}
			}
			if got.Minus(actor.Set) != got {
				t.Fatalf("missing %s names something the actor holds", got)
			}
			if !UnheldGain(owner, c.before, c.after).IsEmpty() {
				t.Fatal("an owner may make every change")
			}
		})
	}
}
