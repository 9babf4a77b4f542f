package store

import (
	"context"
	"fmt"
	"testing"
)

// Searches counted through the bound (accounts outside the organization
// are few: the trigram index alone settles the count) and through the join
// (they are many) give the same pages and honest totals, whether the count
// is exact or capped.
func TestListMembersSearchCountBound(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, _ := seedMembers(t, s, 120) // every account is in Big; every fifth in Other
	var otherID int64
	if err := s.r.QueryRow(`SELECT id FROM organizations WHERE slug = 'other'`).Scan(&otherID); err != nil {
		t.Fatal(err)
	}
	queries := []MemberQuery{{Search: "smith"}, {Search: "smith3"}, {Search: "SMITH4", Sort: SortEmail, Desc: true},
		{Search: "user0"}, {Search: "nobody-at-all"}, {Search: "mith", Sort: SortActive}}
	run := func(name string) {
		for _, cap := range []int{1000, 40, 7} {
			old := searchCountCap
			searchCountCap = cap
			t.Run(fmt.Sprintf("%s/cap%d/big", name, cap), func(t *testing.T) { checkListQueries(t, s, orgID, queries) })
			t.Run(fmt.Sprintf("%s/cap%d/other", name, cap), func(t *testing.T) { checkListQueries(t, s, otherID, queries) })
			searchCountCap = old
		}
	}
	run("no accounts outside") // slack 0 in Big: the index count is exact
	// A few matching accounts outside Big: the bound decides broad searches
	// and hands narrow ones to the join.
	err := s.Write(ctx, func(tx *Tx) error {
		for i := range 5 {
			if _, err := tx.CreateUser(ctx, fmt.Sprintf("outsider%d@example.com", i), fmt.Sprintf("Out Smith%d", i), ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run("five accounts outside")
	// The bound must never call a narrow search broad: with the outsiders,
	// "out smith" matches none of Big's members.
	p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "out smith"})
	if err != nil || p.Total != 0 || p.AtLeast || len(p.Rows) != 0 {
		t.Fatalf("outsiders counted as members: %+v, %v", p, err)
	}
}
