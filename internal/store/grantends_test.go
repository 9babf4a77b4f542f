package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A grant's end is judged by every read against the store's clock, with
// nothing written at the instant: the auth row (served from its cache
// until the organization's next end, then read again), the member's
// layers and a group's members as a preview counts them.
func TestGrantEndsAreIgnoredFromTheirInstantWithNoWrite(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	start := time.Unix(1_900_000_000, 0)
	now := start
	s.SetClock(func() time.Time { return now })
	end := start.Add(time.Hour).Unix()
	var set access.Set
	set.Grant(access.ModAudit, access.View)
	var gid int64
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		if gid, err = tx.CreateGroup(ctx, m.OrgID, "Auditors", "", set, ""); err != nil {
			return err
		}
		if err = tx.AddGroupMember(ctx, m.OrgID, gid, m.ID); err != nil {
			return err
		}
		return tx.SetGroupMemberUntil(ctx, m.OrgID, gid, m.ID, end)
	}); err != nil {
		t.Fatal(err)
	}
	resolve := func() (AuthRow, access.Effective) {
		t.Helper()
		a, err := s.LoadAuth(ctx, "sess", "acme", 0)
		if err != nil || a.Membership == nil {
			t.Fatalf("auth: %+v %v", a, err)
		}
		in, err := s.MemberInput(ctx, *a.Org, *a.Membership, DecidingLayers)
		if err != nil {
			t.Fatal(err)
		}
		return a, access.Resolve(in)
	}
	a, eff := resolve()
	if a.Org.NextExpiry != end || eff.Layer != access.LayerGroups || !eff.Can(access.ModAudit, access.View) {
		t.Fatalf("before the end: next %d (want %d), layer %s", a.Org.NextExpiry, end, eff.Layer)
	}
	gs, err := s.GroupsOfMember(ctx, m.OrgID, m.ID)
	if err != nil || len(gs) != 1 || gs[0].Until != end {
		t.Fatalf("groups before the end: %+v %v", gs, err)
	}
	before := s.QueryCount()
	now = time.Unix(end-1, 0)
	if a, _ = resolve(); a.Org.NextExpiry != end {
		t.Fatalf("a second before: next %d", a.Org.NextExpiry)
	}
	if n := s.QueryCount() - before; n != 2 { // the data version, the groups
		t.Errorf("a second before the end the auth row was read again (%d statements)", n)
	}
	now = time.Unix(end, 0) // the instant itself: nothing written since
	a, eff = resolve()
	if a.Org.NextExpiry != domain.NoExpiry || eff.Layer != access.LayerRole || eff.Can(access.ModAudit, access.View) {
		t.Fatalf("at the end: next %d, layer %s, audit %v", a.Org.NextExpiry, eff.Layer, eff.Can(access.ModAudit, access.View))
	}
	if gs, _ := s.GroupsOfMember(ctx, m.OrgID, m.ID); len(gs) != 0 {
		t.Errorf("an ended membership is still listed: %+v", gs)
	}
	if ms, _ := s.GroupMembers(ctx, m.OrgID, gid, 0); len(ms) != 0 {
		t.Errorf("the group still lists an ended member: %+v", ms)
	}
	alike, err := s.GroupMemberInputs(ctx, *a.Org, gid)
	if err != nil || len(alike) != 0 {
		t.Errorf("a group preview still counts an ended member: %+v %v", alike, err)
	}
	bulk, err := s.MemberInputsOf(ctx, *a.Org, []int64{m.ID})
	if err != nil || len(bulk) != 1 || len(bulk[0].In.Groups) != 0 {
		t.Errorf("a bulk preview still reads an ended group: %+v %v", bulk, err)
	}
}

// An individual set and a temporary role end the same way: the set is
// gone (the groups or the role decide), the role is its role_then.
func TestCustomAndRoleEnds(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	now := time.Unix(1_900_000_000, 0)
	s.SetClock(func() time.Time { return now })
	customEnd, roleEnd := now.Add(time.Hour).Unix(), now.Add(2*time.Hour).Unix()
	var set access.Set
	set.Grant(access.ModAudit, access.View)
	if err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.SetRole(ctx, m.OrgID, m.ID, access.RoleManager); err != nil {
			return err
		}
		if err := tx.SetRoleUntil(ctx, m.OrgID, m.ID, roleEnd, access.RoleAgent); err != nil {
			return err
		}
		if err := tx.SetCustom(ctx, m.OrgID, m.ID, &set); err != nil {
			return err
		}
		return tx.SetCustomUntil(ctx, m.OrgID, m.ID, customEnd)
	}); err != nil {
		t.Fatal(err)
	}
	load := func() AuthRow {
		t.Helper()
		a, err := s.LoadAuth(ctx, "sess", "acme", 0)
		if err != nil || a.Membership == nil {
			t.Fatalf("auth: %+v %v", a, err)
		}
		return a
	}
	a := load()
	if a.Membership.Custom == nil || a.Membership.Role != access.RoleManager || a.Org.NextExpiry != customEnd ||
		a.Membership.CustomUntil != customEnd || a.Membership.RoleUntil != roleEnd || a.Membership.RoleThen != access.RoleAgent {
		t.Fatalf("before: %+v next %d", *a.Membership, a.Org.NextExpiry)
	}
	now = time.Unix(customEnd, 0)
	if a = load(); a.Membership.Custom != nil || a.Membership.Role != access.RoleManager || a.Org.NextExpiry != roleEnd {
		t.Fatalf("after the set's end: %+v next %d", *a.Membership, a.Org.NextExpiry)
	}
	now = time.Unix(roleEnd, 0)
	if a = load(); a.Membership.Role != access.RoleAgent || a.Membership.RoleUntil != 0 || a.Org.NextExpiry != domain.NoExpiry {
		t.Fatalf("after the role's end: %+v next %d", *a.Membership, a.Org.NextExpiry)
	}
	// Inside a write the actor is judged the same way.
	var acting Acting
	if err := s.Write(ctx, func(tx *Tx) (err error) { acting, err = tx.Acting(ctx, m.OrgID, m.UserID); return err }); err != nil {
		t.Fatal(err)
	}
	if acting.Membership.Role != access.RoleAgent || acting.Membership.Custom != nil {
		t.Errorf("Acting after the ends: %+v", acting.Membership)
	}
}

// Saving a member's groups keeps the end of a group kept; a group whose
// end has come (not swept yet) is added anew, without an end.
func TestGroupEndsSurviveGroupSaves(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	now := time.Unix(1_900_000_000, 0)
	s.SetClock(func() time.Time { return now })
	var a, b int64
	end := now.Add(time.Hour).Unix()
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		if a, err = tx.CreateGroup(ctx, m.OrgID, "A", "", access.Set{}, ""); err != nil {
			return err
		}
		if b, err = tx.CreateGroup(ctx, m.OrgID, "B", "", access.Set{}, ""); err != nil {
			return err
		}
		if err = tx.SetMemberGroups(ctx, m.OrgID, m.ID, []int64{a}); err != nil {
			return err
		}
		if err = tx.SetGroupMemberUntil(ctx, m.OrgID, a, m.ID, end); err != nil {
			return err
		}
		return tx.SetMemberGroups(ctx, m.OrgID, m.ID, []int64{a, b})
	}); err != nil {
		t.Fatal(err)
	}
	gs, _ := s.GroupsOfMember(ctx, m.OrgID, m.ID)
	if len(gs) != 2 || gs[0].Until != end || gs[1].Until != 0 {
		t.Fatalf("after saving the groups: %+v", gs)
	}
	now = time.Unix(end, 0)
	if err := s.Write(ctx, func(tx *Tx) error { return tx.AddGroupMember(ctx, m.OrgID, a, m.ID) }); err != nil {
		t.Fatal(err)
	}
	if gs, _ := s.GroupsOfMember(ctx, m.OrgID, m.ID); len(gs) != 2 || gs[0].Until != 0 {
		t.Fatalf("an ended membership added again: %+v", gs)
	}
}

// The auth query reads the next end from the grants that end, never from
// the organization's members (a scan of 100,000 of them on every request),
// and the sweep walks the same indexes from a time.
func TestGrantEndReadsUseTheirIndexes(t *testing.T) {
	s, _, _ := authFixture(t)
	for name, c := range map[string]struct {
		q    string
		args []any
	}{"auth": {authQuery, []any{"sess", "acme", 0, 1}}, "sweep": {grantsEndingSQL, []any{2, 1}}} {
		plan := explain(t, s, c.q, c.args...)
		for _, idx := range []string{"memberships_custom_expiry", "memberships_role_until", "group_members_expiry"} {
			if !strings.Contains(plan, idx) {
				t.Errorf("%s: the plan does not use %s:\n%s", name, idx, plan)
			}
		}
		if strings.Count(plan, "memberships_org") > 0 && name == "sweep" {
			t.Errorf("%s walks an organization's members:\n%s", name, plan)
		}
	}
}
