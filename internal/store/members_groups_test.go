package store

import (
	"context"
	"slices"
	"testing"

	"gatehouse/internal/access"
)

// Rows name their groups by the caller's index, ordered by name
// case-insensitively; an index older than a group (made before the group
// was created) does not lose it: the store reads the groups afresh.
func TestListMembersNamesGroupsFromIndex(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, groups := seedMembers(t, s, 12)
	stale, err := s.GroupIndex(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	var late int64
	var member int64
	err = s.Write(ctx, func(tx *Tx) error {
		if late, err = tx.CreateGroup(ctx, orgID, "a late group", "", access.Set{}, ""); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT membership_id FROM group_members WHERE group_id = ? LIMIT 1`, groups[0]).Scan(&member); err != nil {
			return err
		}
		if err := tx.AddGroupMember(ctx, orgID, late, member); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, orgID, groups[1], member)
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := s.GroupIndex(ctx, orgID)
	for name, gi := range map[string]*GroupIndex{"fresh": fresh, "stale": stale, "none": nil} {
		p, err := s.ListMembers(ctx, orgID, MemberQuery{Groups: gi, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for _, r := range p.Rows {
			var names []string
			for _, g := range r.Groups {
				names = append(names, g.Name)
			}
			if r.ID == member {
				seen = true
				if !slices.Equal(names, []string{"a late group", "G0", "G1"}) {
					t.Fatalf("%s index: groups %v", name, names)
				}
			}
			var want []string
			rows, _ := s.r.Query(`SELECT g.name FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.membership_id = ? ORDER BY g.name COLLATE NOCASE`, r.ID)
			for rows.Next() {
				var n string
				rows.Scan(&n)
				want = append(want, n)
			}
			rows.Close()
			if !slices.Equal(names, want) {
				t.Fatalf("%s index: member %d groups %v, want %v", name, r.ID, names, want)
			}
		}
		if !seen {
			t.Fatalf("%s index: member not listed", name)
		}
	}
}

// An index remembers the groups of the members it listed: the same page
// again reads no group rows, gives the same groups, and the memory is
// bounded.
func TestGroupIndexRemembersListedMembers(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, _ := seedMembers(t, s, 40)
	gi, err := s.GroupIndex(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	gi.maxN = 30
	list := func() ([]MemberRow, int64) {
		before := s.QueryCount()
		p, err := s.ListMembers(ctx, orgID, MemberQuery{Groups: gi, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		return p.Rows, s.QueryCount() - before
	}
	first, n1 := list()
	again, n2 := list()
	if n2 != n1-1 {
		t.Fatalf("queries: %d, then %d (want one fewer: no group read)", n1, n2)
	}
	for i := range first {
		if !slices.Equal(first[i].Groups, again[i].Groups) {
			t.Fatalf("member %d: %v, then %v", first[i].ID, first[i].Groups, again[i].Groups)
		}
	}
	if len(gi.of) != 20 {
		t.Fatalf("remembers %d members, want 20", len(gi.of))
	}
	if _, err := s.ListMembers(ctx, orgID, MemberQuery{Groups: gi, Limit: 20, After: encodeCursor([]any{"zzzz", "", int64(0)}), Last: true}); err != nil {
		t.Fatal(err)
	}
	if len(gi.of) > gi.maxN {
		t.Fatalf("remembers %d members, more than %d", len(gi.of), gi.maxN)
	}
}
