package store

import (
	"context"
	"fmt"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
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
		t.Run(name+"/big", func(t *testing.T) { checkListQueries(t, s, orgID, queries) })
		t.Run(name+"/other", func(t *testing.T) { checkListQueries(t, s, otherID, queries) })
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

// Short searches merge names and emails starting with the search: a member
// matching by name, by email or by both is listed once, in order, in every
// sort and direction, page by page both ways, whether the second part is
// empty or not and whether the count is exact or capped.
func TestListMembersShortSearchParts(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var orgID int64
	err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Short", NameKey: "short", Slug: "short", Seats: 100})
		if err != nil {
			return err
		}
		orgID = o.ID
		for i, m := range [][2]string{
			{"Sam Stone", "sam@example.com"},      // both
			{"sally Ride", "SALLY@example.com"},   // both, other cases
			{"Bob Brown", "samuel.b@example.com"}, // email only
			{"Sara Lee", "zz@example.com"},        // name only
			{"Ann Sato", "ann@example.com"},       // neither (sa inside the name)
			{"Saul", "saul@example.com"},          // both
			{"Zed", "sa@example.com"},             // email only
			{"Sam Stone", "sam2@example.com"},     // same name, both
		} {
			u, err := tx.CreateUser(ctx, m[1], m[0], "")
			if err != nil {
				return err
			}
			mm, err := tx.AddMember(ctx, o.ID, u.ID, []access.Role{access.RoleAgent, access.RoleAdmin, access.RoleSales}[i%3], domain.StatusActive, nil)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE memberships SET last_active_at = ? WHERE id = ?`, 100+i%4, mm.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var queries []MemberQuery
	for _, term := range []string{"sa", "SA", "s", "Sam", "b", "z", "an", "x"} {
		for _, sort := range []string{SortName, SortEmail, SortRole, SortActive} {
			queries = append(queries, MemberQuery{Search: term, Sort: sort}, MemberQuery{Search: term, Sort: sort, Desc: true})
		}
	}
	queries = append(queries, MemberQuery{Search: "sa", Role: access.RoleAgent}, MemberQuery{Search: "s", Status: domain.StatusSuspended})
	checkListQueries(t, s, orgID, queries)
	// The count: "sa" matches seven members (two by email only, one by name only).
	p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "sa"})
	if err != nil || p.Total != 7 || p.AtLeast || len(p.Rows) != 7 {
		t.Fatalf("sa: total %d (at least %v), %d rows, %v", p.Total, p.AtLeast, len(p.Rows), err)
	}
}

// In an instance with one organization every membership is its own, so an
// email search that matches no name is counted from the trigram index of
// emails alone; the pages and totals are the brute force's, under every
// cap (capped, the matches are dense and the page walks the sort order).
func TestListMembersEmailSearchOneOrganization(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var emails, names []string
	for i := range 12 {
		emails = append(emails, fmt.Sprintf("staff%02d@corp%d.example", i, i%3))
		names = append(names, fmt.Sprintf("Person %c", 'A'+i))
	}
	orgID := soloOrg(t, s, 100, emails, names)
	var queries []MemberQuery
	for _, term := range []string{"staff", "corp1", "aff0", "STAFF1", "nobody"} {
		for _, sort := range []string{SortName, SortEmail, SortRole} {
			queries = append(queries, MemberQuery{Search: term, Sort: sort}, MemberQuery{Search: term, Sort: sort, Desc: true})
		}
		queries = append(queries, MemberQuery{Search: term, Role: access.RoleAdmin})
	}
	checkListQueries(t, s, orgID, queries)
	p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "corp1"})
	if err != nil || p.Total != 4 || p.AtLeast || len(p.Rows) != 4 {
		t.Fatalf("corp1: total %d (at least %v), %d rows, %v", p.Total, p.AtLeast, len(p.Rows), err)
	}
}

// An email search whose trigrams are partly in every email ("mem", "ber"
// of member…) and partly rare asks the index for the rarest alone and
// checks each candidate's email for the search: the pages and totals are
// the brute force's for searches with common and rare parts, only common
// ones, absent trigrams, Unicode (searched, and in emails: the Kelvin sign
// folds to "k" in the index, so an ASCII search finds it), and short ones;
// in an instance of one organization and, after a second one is added,
// through the join to the organization.
func TestListMembersEmailSearchRareTrigrams(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	emails := []string{"member4242-ü@bench.test", "\u212Aelvin42@bench.test", "MEMBER9999@Bench.Test", "mém4242@bench.test"}
	for i := range 2000 {
		emails = append(emails, fmt.Sprintf("member%d@bench.test", i*7%5000))
	}
	names := make([]string, len(emails))
	for i := range names {
		names[i] = fmt.Sprintf("Person %d", i%50)
	}
	orgID := soloOrg(t, s, 5000, emails, names)
	// Accounts' emails are normalized as they are created; one written
	// before that rule keeps its Kelvin sign.
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET email = ? WHERE email = ?`, "\u212Aelvin42-staff@bench.test", "kelvin42@bench.test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.OptimizeSearch(ctx); err != nil {
		t.Fatal(err)
	}
	// The estimate: "mem", "emb" and "ber" are in every email and their
	// lists span more pages of the index than the digits' trigrams ("mbe"
	// too is in every email, but its list starts on a page, and its page
	// count is as coarse as the others').
	rare, err := s.rareTrigrams(ctx, "member4242")
	if err != nil || len(rare) != maxRareTrigrams {
		t.Fatalf("rare trigrams of member4242: %q, %v", rare, err)
	}
	for _, g := range rare {
		if g == "mem" || g == "emb" || g == "ber" {
			t.Errorf("rare trigrams of member4242: %q has the common %q", rare, g)
		}
	}
	// Searches matching every email are asked once (the pager walks them).
	queries := []MemberQuery{{Search: "member"}, {Search: "@bench.test", Sort: SortEmail, Desc: true}}
	for _, term := range []string{"member4242", "MEMBER42", "ber424", "4242@", "r4242-", "zzzz9",
		"kelvin42", "\u212Aelvin", "n42-staff@", "mém4242", "2-ü@", "memb", "me", "r9999@bench"} {
		queries = append(queries, MemberQuery{Search: term}, MemberQuery{Search: term, Sort: SortEmail, Desc: true},
			MemberQuery{Search: term, Role: access.RoleAdmin})
	}
	checkListQueries(t, s, orgID, queries)
	p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "member4242"})
	if err != nil || p.Total != 2 || p.AtLeast {
		t.Fatalf("member4242: total %d (at least %v), %v", p.Total, p.AtLeast, err)
	}
	if p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "kelvin42"}); err != nil || p.Total != 1 {
		t.Fatalf("kelvin42 (the Kelvin sign's email): total %d, %v", p.Total, err)
	}
	// Memberships elsewhere: the matches are joined to the organization.
	err = s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Other", NameKey: "other", Slug: "other", Seats: 100})
		if err != nil {
			return err
		}
		for i := range 30 {
			u, err := tx.CreateUser(ctx, fmt.Sprintf("member4242%d@elsewhere.test", i), "Someone Else", "")
			if err != nil {
				return err
			}
			if _, err := tx.AddMember(ctx, o.ID, u.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkListQueries(t, s, orgID, queries)
}

// soloOrg creates organization "Solo" with one member per email (names[i]
// its account's name), agents and admins in turn, and returns its id.
func soloOrg(t *testing.T, s *Store, seats int, emails, names []string) int64 {
	t.Helper()
	ctx := context.Background()
	var orgID int64
	err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Solo", NameKey: "solo", Slug: "solo", Seats: seats})
		if err != nil {
			return err
		}
		orgID = o.ID
		for i, e := range emails {
			u, err := tx.CreateUser(ctx, e, names[i], "")
			if err != nil {
				return err
			}
			if _, err := tx.AddMember(ctx, o.ID, u.ID, []access.Role{access.RoleAgent, access.RoleAdmin}[i%2], domain.StatusActive, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return orgID
}
