package membership_test

import (
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// MayTouch is the one rule of who may change whose membership: an owner
// anyone's, nobody else an owner's, and nobody the membership of someone
// holding what they lack, judged as if active.
func TestMayTouch(t *testing.T) {
	products, _ := access.ParseProducts([]string{"crm", "inbox"})
	member := func(role access.Role, status string, custom ...string) access.Input {
		m := domain.Membership{Role: role, Status: status}
		if custom != nil {
			s := testkit.Set(t, custom...)
			m.Custom = &s
		}
		return store.Assemble(m, products, nil)
	}
	owner := access.Resolve(member(access.RoleOwner, domain.StatusActive))
	admin := access.Resolve(member(access.RoleAdmin, domain.StatusActive))
	desk := access.Resolve(member(access.RoleAdmin, domain.StatusActive, "dashboard_view", "members_view", "members_edit"))
	for _, tc := range []struct {
		name       string
		actor      access.Effective
		target     access.Input
		ownersOnly bool
		missing    bool
	}{
		{"an owner touches an owner", owner, member(access.RoleOwner, domain.StatusActive), false, false},
		{"an owner touches an admin", owner, member(access.RoleAdmin, domain.StatusActive), false, false},
		{"an admin may not touch an owner", admin, member(access.RoleOwner, domain.StatusActive), true, false},
		{"nor a suspended owner", admin, member(access.RoleOwner, domain.StatusSuspended), true, false},
		{"an admin touches an agent", admin, member(access.RoleAgent, domain.StatusActive), false, false},
		{"the desk touches someone holding less", desk, member(access.RoleAgent, domain.StatusActive, "dashboard_view"), false, false},
		{"the desk may not touch an admin", desk, member(access.RoleAdmin, domain.StatusActive), false, true},
		{"nor a suspended admin: judged as if active", desk, member(access.RoleAdmin, domain.StatusSuspended), false, true},
	} {
		got := membership.MayTouch(tc.actor, tc.target)
		if got.OwnersOnly != tc.ownersOnly || got.Missing.IsEmpty() == tc.missing || got.OK() != (!tc.ownersOnly && !tc.missing) {
			t.Errorf("%s: %+v", tc.name, got)
		}
		if (got.Refusal("Them") == nil) != got.OK() {
			t.Errorf("%s: refusal %v for %+v", tc.name, got.Refusal("Them"), got)
		}
		if got.OwnersOnly != membership.OwnersOnly(tc.actor, tc.target.Role) {
			t.Errorf("%s: OwnersOnly disagrees", tc.name)
		}
	}
}
