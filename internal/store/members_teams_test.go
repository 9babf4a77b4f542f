package store

import (
	"context"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// seedMemberTeams puts seedMembers' organization into a small team (every
// 7th member, some leads), a large one (two members in three) and an
// empty one, and gives the other organization a team with members of it.
func seedMemberTeams(t *testing.T, s *Store, orgID int64) (small, large, empty, foreign int64) {
	t.Helper()
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if small, err = tx.CreateTeam(ctx, orgID, "Small", ""); err != nil {
			return err
		}
		if large, err = tx.CreateTeam(ctx, orgID, "large", ""); err != nil {
			return err
		}
		if empty, err = tx.CreateTeam(ctx, orgID, "Empty", ""); err != nil {
			return err
		}
		other, err := tx.OrgBySlug(ctx, "other")
		if err != nil {
			return err
		}
		if foreign, err = tx.CreateTeam(ctx, other.ID, "Theirs", ""); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, org_id FROM memberships ORDER BY id`)
		if err != nil {
			return err
		}
		type mem struct{ id, org int64 }
		var ms []mem
		for rows.Next() {
			var m mem
			if err := rows.Scan(&m.id, &m.org); err != nil {
				rows.Close()
				return err
			}
			ms = append(ms, m)
		}
		rows.Close()
		for i, m := range ms {
			var teams []domain.MemberTeam
			switch {
			case m.org != orgID:
				teams = append(teams, domain.MemberTeam{TeamID: foreign})
			default:
				if i%7 == 0 {
					teams = append(teams, domain.MemberTeam{TeamID: small, Lead: i%14 == 0})
				}
				if i%3 != 0 {
					teams = append(teams, domain.MemberTeam{TeamID: large})
				}
			}
			if err := tx.SetMemberTeams(ctx, m.org, m.id, teams); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return small, large, empty, foreign
}

// The team filter, alone and with every other filter, sort and kind of
// search, pages like the brute force: a small team read by id, a large one
// (with the tiny limits of checkListQueries, both) walked with the team as
// a condition; an empty team and another organization's list no one.
func TestListMembersTeamFilterMatchesBruteForce(t *testing.T) {
	s := openTest(t)
	orgID, groups := seedMembers(t, s, 230)
	small, large, empty, foreign := seedMemberTeams(t, s, orgID)
	var queries []MemberQuery
	for _, team := range []int64{small, large} {
		for _, sort := range []string{SortName, SortEmail, SortRole, SortActive} {
			for _, f := range []MemberQuery{
				{},
				{Desc: true},
				{Status: domain.StatusSuspended},
				{Role: access.RoleAgent},
				{GroupID: groups[0]},
				{GroupID: groups[1], Role: access.RoleSales},
				{Search: "smith3"},
				{Search: "ad"},
				{Search: "user01"},
				{Search: "émi", Status: domain.StatusActive},
				{Search: "É"},
				{Search: "example.com", GroupID: groups[0]},
				{Search: "nobody-at-all"},
			} {
				f.TeamID, f.Sort = team, sort
				queries = append(queries, f)
			}
		}
	}
	queries = append(queries, MemberQuery{TeamID: empty}, MemberQuery{TeamID: foreign}, MemberQuery{TeamID: foreign, Search: "user"},
		MemberQuery{TeamID: 999999})
	checkListQueries(t, s, orgID, queries)
	for _, q := range queries[len(queries)-4:] {
		if p, err := s.ListMembers(context.Background(), orgID, q); err != nil || len(p.Rows) != 0 || p.Total != 0 {
			t.Errorf("%v: %d rows, total %d, %v", q, len(p.Rows), p.Total, err)
		}
	}
}

// Each listed row carries its teams by name, leads marked, read for the
// page in one statement (attachTeams); another organization's team is never named.
func TestListMembersRowsCarryTeams(t *testing.T) {
	s := openTest(t)
	orgID, _ := seedMembers(t, s, 30)
	small, large, _, _ := seedMemberTeams(t, s, orgID)
	p, err := s.ListMembers(context.Background(), orgID, MemberQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var want map[int64][]domain.MemberTeam
	rows, err := s.r.Query(`SELECT tm.membership_id, t.id, t.name, tm.is_lead FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE t.org_id = ? ORDER BY t.name COLLATE NOCASE`, orgID)
	if err != nil {
		t.Fatal(err)
	}
	want = map[int64][]domain.MemberTeam{}
	for rows.Next() {
		var mid int64
		var mt domain.MemberTeam
		rows.Scan(&mid, &mt.TeamID, &mt.Name, &mt.Lead)
		want[mid] = append(want[mid], mt)
	}
	rows.Close()
	leads, both := 0, 0
	for _, r := range p.Rows {
		if !slices.Equal(r.Teams, want[r.ID]) {
			t.Errorf("member %d: teams %v, want %v", r.ID, r.Teams, want[r.ID])
		}
		for _, mt := range r.Teams {
			if mt.TeamID != small && mt.TeamID != large {
				t.Errorf("member %d: a team not of the organization: %v", r.ID, mt)
			}
			if mt.Lead {
				leads++
			}
		}
		if len(r.Teams) == 2 {
			both++
		}
	}
	if len(p.Rows) != 30 || leads == 0 || both == 0 {
		t.Fatalf("fixture: %d rows, %d leads, %d in both teams", len(p.Rows), leads, both)
	}
}
