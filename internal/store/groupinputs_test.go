package store

import (
	"context"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// alikeOrg is an organization whose members resolve alike in groups of
// a few: two groups (night in inNight), roles, statuses, an individual set.
func alikeOrg(t *testing.T) (s *Store, org domain.Org, night int64, all, inNight []domain.Membership) {
	t.Helper()
	s = openTest(t)
	ctx := context.Background()
	var dash, cust access.Set
	dash.Grant(access.ModDashboard, access.View)
	cust.Grant(access.ModCustomers, access.View)
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, err = tx.CreateOrg(ctx, NewOrg{Name: "Alike Co", NameKey: "alikeco", Slug: "alike-co", Seats: 20}); err != nil {
			return err
		}
		if night, err = tx.CreateGroup(ctx, org.ID, "Night", "", dash, ""); err != nil {
			return err
		}
		day, err := tx.CreateGroup(ctx, org.ID, "Day", "", cust, "")
		if err != nil {
			return err
		}
		for i, mm := range []struct {
			role       access.Role
			status     string
			custom     *access.Set
			night, day bool
		}{
			{access.RoleAgent, domain.StatusActive, nil, true, false},
			{access.RoleAgent, domain.StatusActive, nil, true, false},
			{access.RoleAgent, domain.StatusSuspended, nil, true, false},
			{access.RoleAgent, domain.StatusActive, nil, true, true},
			{access.RoleAgent, domain.StatusActive, nil, true, true},
			{access.RoleManager, domain.StatusActive, nil, true, false},
			{access.RoleOwner, domain.StatusActive, nil, true, false},
			{access.RoleAgent, domain.StatusActive, &cust, true, false},
			{access.RoleAgent, domain.StatusActive, nil, false, true},
		} {
			u, err := tx.CreateUser(ctx, "m"+strconv.Itoa(i)+"@example.test", "m", "")
			if err != nil {
				return err
			}
			m, err := tx.AddMember(ctx, org.ID, u.ID, mm.role, mm.status, mm.custom)
			if err != nil {
				return err
			}
			all = append(all, m)
			if mm.night {
				if err := tx.AddGroupMember(ctx, org.ID, night, m.ID); err != nil {
					return err
				}
				inNight = append(inNight, m)
			}
			if mm.day {
				if err := tx.AddGroupMember(ctx, org.ID, day, m.ID); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if org, _ = s.OrgBySlug(ctx, "alike-co"); org.ID == 0 {
		t.Fatal("no org")
	}
	return s, org, night, all, inNight
}

// GroupMemberInputs counts a group's members per alike input; resolved,
// its rows must match resolving each member's own assembled input (as if
// active, with an individual set emptied, which the group cannot touch),
// and it must count no one outside the group.
func TestGroupMemberInputsMatchEachMember(t *testing.T) {
	s, org, night, _, inNight := alikeOrg(t)
	ctx := context.Background()
	want := map[access.Effective]int{}
	for _, m := range inNight {
		in, err := s.MemberInput(ctx, org, m, DecidingLayers)
		if err != nil {
			t.Fatal(err)
		}
		in.Suspended = false
		if in.Custom != nil {
			in.Custom = &access.Set{}
		}
		want[access.Resolve(in)]++
	}
	rows, err := s.GroupMemberInputs(ctx, org, night)
	if err != nil {
		t.Fatal(err)
	}
	got := map[access.Effective]int{}
	total := 0
	for _, r := range rows {
		got[access.Resolve(r.In)] += r.Members
		total += r.Members
	}
	if total != len(inNight) {
		t.Errorf("counted %d members, the group has %d", total, len(inNight))
	}
	if len(got) != len(want) {
		t.Errorf("%d distinct resolutions, want %d", len(got), len(want))
	}
	for eff, n := range want {
		if got[eff] != n {
			t.Errorf("a resolution held by %d members is counted %d times", n, got[eff])
		}
	}
	// Members of two groups resolve to more than the group alone grants.
	if len(want) < 4 {
		t.Errorf("the fixture should give at least 4 distinct resolutions, has %d", len(want))
	}
}

// MemberInputsOf counts the selected members per alike input (every
// layer, status and individual set as stored): resolved, its rows match
// resolving each member's own input; another organization's id is not
// counted, and alike members share a row.
func TestMemberInputsOfMatchEachMember(t *testing.T) {
	s, org, _, all, _ := alikeOrg(t)
	ctx := context.Background()
	var other int64
	if err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Other", NameKey: "other", Slug: "other", Seats: 5})
		if err != nil {
			return err
		}
		u, err := tx.CreateUser(ctx, "x@example.test", "x", "")
		if err != nil {
			return err
		}
		m, err := tx.AddMember(ctx, o.ID, u.ID, access.RoleAgent, domain.StatusActive, nil)
		other = m.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := map[resolved]int{}
	ids := []int64{other}
	for _, m := range all {
		in, err := s.MemberInput(ctx, org, m, AllLayers)
		if err != nil {
			t.Fatal(err)
		}
		want[resolvedKey(in)]++
		ids = append(ids, m.ID)
	}
	for _, scanAt := range []int{memberInputsScanAt, 0} { // looked up, then scanned
		t.Run("scan from "+strconv.Itoa(scanAt), func(t *testing.T) {
			defer func(v int) { memberInputsScanAt = v }(memberInputsScanAt)
			memberInputsScanAt = scanAt
			checkMemberInputs(t, s, org, append(ids, ids[1]), len(all), want) // an id posted twice counts once
		})
	}
}

// checkMemberInputs compares MemberInputsOf(ids) with want (n members).
func checkMemberInputs(t *testing.T, s *Store, org domain.Org, ids []int64, n int, want map[resolved]int) {
	rows, err := s.MemberInputsOf(context.Background(), org, ids)
	if err != nil {
		t.Fatal(err)
	}
	got, total := map[resolved]int{}, 0
	for _, r := range rows {
		got[resolvedKey(r.In)] += r.Members
		total += r.Members
	}
	if total != n {
		t.Errorf("counted %d members, selected %d of the organization", total, n)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%+v: held by %d members, counted %d", k.suspended, n, got[k])
		}
	}
	if len(rows) >= n {
		t.Errorf("%d rows for %d members: alike members are not grouped", len(rows), n)
	}
}

// resolved is what a preview reads of an input: whether the member is
// suspended and the resolution.
type resolved struct {
	suspended bool
	eff       access.Effective
}

func resolvedKey(in access.Input) resolved { return resolved{in.Suspended, access.Resolve(in)} }
