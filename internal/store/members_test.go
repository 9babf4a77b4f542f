package store

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// seedMembers makes an organization of n members with varied names, roles,
// statuses, activity and groups, plus a second organization sharing users.
func seedMembers(t *testing.T, s *Store, n int) (orgID int64, groupIDs []int64) {
	t.Helper()
	ctx := context.Background()
	roles := []access.Role{access.RoleAgent, access.RoleSales, access.RoleManager, access.RoleAdmin, access.RoleAgentLimited}
	// Case and accents vary on purpose: searches fold case the way their
	// indexes do (ASCII for short ones, the trigram tokenizer's for longer).
	first := []string{"Ada", "bob", "Cleo", "dan", "Émile", "Zoë", "ada", "Bob", "émile", "ZOË", "Ådne", "ROSA"}
	err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Big", NameKey: "big", Slug: "big", Seats: n + 10})
		if err != nil {
			return err
		}
		other, err := tx.CreateOrg(ctx, NewOrg{Name: "Other", NameKey: "other", Slug: "other", Seats: n + 10})
		if err != nil {
			return err
		}
		orgID = o.ID
		for i := range 3 {
			id, err := tx.CreateGroup(ctx, o.ID, fmt.Sprintf("G%d", i), "", access.Set{}, "")
			if err != nil {
				return err
			}
			groupIDs = append(groupIDs, id)
		}
		for i := range n {
			// Duplicate names on purpose: the sort must still be total.
			name := fmt.Sprintf("%s Smith%d", first[i%len(first)], i%7)
			u, err := tx.CreateUser(ctx, fmt.Sprintf("user%03d@example.com", (i*37)%1000), name, "")
			if err != nil {
				return err
			}
			m, err := tx.AddMember(ctx, o.ID, u.ID, roles[i%len(roles)], domain.StatusActive, nil)
			if err != nil {
				return err
			}
			if i%9 == 0 {
				if err := tx.SetStatus(ctx, o.ID, m.ID, domain.StatusSuspended); err != nil {
					return err
				}
			}
			if i%4 != 0 {
				if _, err := tx.Exec(ctx, `UPDATE memberships SET last_active_at = ? WHERE id = ?`, 1000+i%13, m.ID); err != nil {
					return err
				}
			}
			if i%3 == 0 {
				if err := tx.AddGroupMember(ctx, o.ID, groupIDs[i%2], m.ID); err != nil {
					return err
				}
			}
			if i%5 == 0 {
				if _, err := tx.AddMember(ctx, other.ID, u.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return orgID, groupIDs
}

// every returns the filtered members in the expected order, computed in Go.
func every(t *testing.T, s *Store, orgID int64, q MemberQuery) []int64 {
	t.Helper()
	rows, err := s.r.Query(`SELECT m.id, u.name, u.email, m.role, m.status, COALESCE(m.last_active_at, 0),
		(SELECT group_concat(group_id) FROM group_members gm WHERE gm.membership_id = m.id),
		(SELECT group_concat(team_id) FROM team_members tm WHERE tm.membership_id = m.id)
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ?`, orgID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rec struct {
		id           int64
		name, email  string
		role, status string
		active       int64
		groups       *string
		teams        *string
	}
	rank := map[string]int{}
	for i, r := range access.Roles() {
		rank[string(r)] = i
	}
	var all []rec
	for rows.Next() {
		var r rec
		rows.Scan(&r.id, &r.name, &r.email, &r.role, &r.status, &r.active, &r.groups, &r.teams)
		if q.Role != "" && r.role != string(q.Role) || q.Status != "" && r.status != q.Status {
			continue
		}
		if q.GroupID != 0 && (r.groups == nil || !slices.Contains(strings.Split(*r.groups, ","), fmt.Sprint(q.GroupID))) {
			continue
		}
		if q.TeamID != 0 && (r.teams == nil || !slices.Contains(strings.Split(*r.teams, ","), fmt.Sprint(q.TeamID))) {
			continue
		}
		if !searchMatches(q.Search, r.name, r.email) {
			continue
		}
		all = append(all, r)
	}
	fold := asciiFold
	cmp := func(a, b rec) int {
		var keys [][2]any
		switch q.Sort {
		case SortEmail:
			keys = [][2]any{{fold(a.email), fold(b.email)}}
		case SortRole:
			keys = [][2]any{{rank[a.role], rank[b.role]}, {fold(a.name), fold(b.name)}, {fold(a.email), fold(b.email)}}
		case SortActive:
			keys = [][2]any{{a.active, b.active}}
		default:
			keys = [][2]any{{fold(a.name), fold(b.name)}, {fold(a.email), fold(b.email)}}
		}
		keys = append(keys, [2]any{a.id, b.id})
		for _, k := range keys {
			var c int
			switch x := k[0].(type) {
			case string:
				c = strings.Compare(x, k[1].(string))
			case int:
				c = x - k[1].(int)
			case int64:
				c = int(x - k[1].(int64))
			}
			if c != 0 {
				if q.Desc {
					return -c
				}
				return c
			}
		}
		return 0
	}
	slices.SortFunc(all, cmp)
	ids := make([]int64, len(all))
	for i, r := range all {
		ids[i] = r.id
	}
	return ids
}

// asciiFold is SQLite's NOCASE: it folds ASCII letters only.
func asciiFold(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// searchMatches is the members search in Go: three characters or more find
// substrings of the name or email, case folded like the trigram tokenizer
// (Unicode case, accents kept); fewer find names or emails starting with
// them, case folded like NOCASE (ASCII only).
func searchMatches(search, name, email string) bool {
	search = strings.TrimSpace(search)
	switch {
	case search == "":
		return true
	case utf8.RuneCountInString(search) < 3:
		return strings.HasPrefix(asciiFold(name), asciiFold(search)) || strings.HasPrefix(asciiFold(email), asciiFold(search))
	}
	s := strings.ToLower(search)
	return strings.Contains(strings.ToLower(name), s) || strings.Contains(strings.ToLower(email), s)
}

func TestListMembersPagesMatchBruteForce(t *testing.T) {
	s := openTest(t)
	orgID, groups := seedMembers(t, s, 230)
	checkListQueries(t, s, orgID, bruteForceQueries(groups))
}

// bruteForceQueries is every filter, sort and kind of search, for the
// organization seedMembers makes.
func bruteForceQueries(groups []int64) []MemberQuery {
	queries := []MemberQuery{{}}
	for _, sort := range []string{SortName, SortEmail, SortRole, SortActive} {
		queries = append(queries, MemberQuery{Sort: sort}, MemberQuery{Sort: sort, Desc: true})
		for _, f := range []MemberQuery{
			{Status: domain.StatusSuspended},
			{Status: domain.StatusActive},
			{Role: access.RoleAdmin},
			{Role: access.RoleAgent, Status: domain.StatusSuspended},
			{Role: access.RoleOwner}, // nobody
			{GroupID: groups[0]},
			{GroupID: groups[1], Role: access.RoleSales},
			{GroupID: groups[0], Status: domain.StatusSuspended},
			{Search: "smith3"},
			{Search: "ad"},
			{Search: "user01", Status: domain.StatusSuspended},
			{Search: "émi"},
			{Search: "É", GroupID: groups[0]},
			{Search: "zoë", Role: access.RoleAgent},
		} {
			f.Sort = sort
			queries = append(queries, f)
			f.Desc = true
			queries = append(queries, f)
		}
	}
	return append(queries,
		MemberQuery{Status: domain.StatusActive, Sort: SortRole},
		MemberQuery{Role: access.RoleAdmin, Desc: true},
		MemberQuery{GroupID: groups[1], Role: access.RoleSales, Sort: SortEmail},
		MemberQuery{GroupID: groups[2]}, // empty group
		MemberQuery{GroupID: 999999},    // not a group of this org
		MemberQuery{Search: "smith3"},   // trigrams: a few distinct names
		MemberQuery{Search: "SMITH3", Status: domain.StatusActive, Sort: SortActive, Desc: true},
		MemberQuery{Search: "mith", GroupID: groups[0], Sort: SortRole},
		MemberQuery{Search: "user01"}, // emails
		MemberQuery{Search: "USER01", Sort: SortEmail, Desc: true},
		MemberQuery{Search: "er0", Sort: SortName}, // emails only, every one
		MemberQuery{Search: "example.com"},         // every email
		MemberQuery{Search: "example.com", Role: access.RoleSales, Sort: SortActive},
		MemberQuery{Search: "a smith"}, // across the space
		MemberQuery{Search: "émile"},   // accents and case: the trigram tokenizer folds Unicode case
		MemberQuery{Search: "ÉMILE", Sort: SortEmail},
		MemberQuery{Search: "ZOË SMITH1"},
		MemberQuery{Search: "ådn", Status: domain.StatusSuspended},
		MemberQuery{Search: "Zo"}, // too short for trigrams: prefixes (NOCASE: ASCII case only)
		MemberQuery{Search: "zo", Sort: SortEmail},
		MemberQuery{Search: "é"}, // NOCASE: é is not É
		MemberQuery{Search: "É", Sort: SortRole},
		MemberQuery{Search: "aD", Sort: SortEmail},
		MemberQuery{Search: "Sm"}, // inside the name only: no match
		MemberQuery{Search: "u", Status: domain.StatusSuspended},
		MemberQuery{Search: "u", Sort: SortActive}, // every email
		MemberQuery{Search: "r", Sort: SortRole, Desc: true},
		MemberQuery{Search: "us", GroupID: groups[1], Sort: SortEmail},
		MemberQuery{Search: "100%"},  // wildcards are literal
		MemberQuery{Search: `mi"th`}, // FTS syntax is literal
		MemberQuery{Search: `"*" OR x`},
		MemberQuery{Search: `_%`},
		MemberQuery{Search: `\`},
		MemberQuery{Search: "  smith2  "}, // trimmed
		MemberQuery{Search: "nobody-at-all"},
	)
}

// checkListQueries runs the queries with the real limits, and with tiny ones
// (the same searches are then broad: the walks, the capped counts and the
// many-names plan run).
func checkListQueries(t *testing.T, s *Store, orgID int64, queries []MemberQuery) {
	type limits struct{ count, names int }
	for _, lim := range []limits{{searchCountCap, nameListLimit}, {7, 2}, {3, 0}} {
		old := limits{searchCountCap, nameListLimit}
		searchCountCap, nameListLimit = lim.count, lim.names
		t.Run(fmt.Sprintf("cap%d-names%d", lim.count, lim.names), func(t *testing.T) { checkListPages(t, s, orgID, queries) })
		searchCountCap, nameListLimit = old.count, old.names
	}
}

// checkListPages pages through each query forward from the first page and
// backward from the last, and compares the rows, their order and the total
// with the brute force.
func checkListPages(t *testing.T, s *Store, orgID int64, queries []MemberQuery) {
	ctx := context.Background()
	for _, q := range queries {
		t.Run(q.String(), func(t *testing.T) {
			want := every(t, s, orgID, q)
			q.Limit = 17
			checkTotal := func(p MemberPage) {
				t.Helper()
				if p.AtLeast && (p.Total > len(want) || p.Total < searchCountCap) || !p.AtLeast && p.Total != len(want) {
					t.Fatalf("total = %d (at least %v), want %d", p.Total, p.AtLeast, len(want))
				}
			}
			// Forward, page by page.
			var got []int64
			cur := q
			for pages := 0; ; pages++ {
				p, err := s.ListMembers(ctx, orgID, cur)
				if err != nil {
					t.Fatal(err)
				}
				checkTotal(p)
				if p.HasPrev != (pages > 0) {
					t.Fatalf("page %d: HasPrev = %v", pages, p.HasPrev)
				}
				for _, r := range p.Rows {
					if r.OrgID != orgID {
						t.Fatalf("row of another organization: %+v", r)
					}
					got = append(got, r.ID)
				}
				if !p.HasNext {
					break
				}
				cur.After, cur.Before, cur.Last = p.Next, "", false
			}
			if !slices.Equal(got, want) {
				t.Fatalf("forward order:\n got %v\nwant %v", got, want)
			}
			// Backward from the last page.
			got = nil
			cur = q
			cur.Last = true
			for {
				p, err := s.ListMembers(ctx, orgID, cur)
				if err != nil {
					t.Fatal(err)
				}
				checkTotal(p)
				ids := make([]int64, len(p.Rows))
				for i, r := range p.Rows {
					ids[i] = r.ID
				}
				got = append(ids, got...)
				if !p.HasPrev {
					break
				}
				cur.Before, cur.After, cur.Last = p.Prev, "", false
			}
			if !slices.Equal(got, want) {
				t.Fatalf("backward order:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestListMembersRowsCarryUserAndGroups(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, groups := seedMembers(t, s, 10)
	p, err := s.ListMembers(ctx, orgID, MemberQuery{GroupID: groups[0]})
	if err != nil || len(p.Rows) == 0 {
		t.Fatalf("rows %v, %v", p.Rows, err)
	}
	for _, r := range p.Rows {
		if r.Email == "" || r.Name == "" || len(r.Groups) != 1 || r.Groups[0].Name != "G0" {
			t.Fatalf("row = %+v", r)
		}
	}
	// A renamed user is found and sorted under the new name (the copy follows).
	u := p.Rows[0]
	if _, err := s.exec(ctx, `UPDATE users SET name = 'Aaron Aardvark', email = 'zz@example.com' WHERE id = ?`, u.UserID); err != nil {
		t.Fatal(err)
	}
	p, err = s.ListMembers(ctx, orgID, MemberQuery{Search: "aardvark"})
	if err != nil || len(p.Rows) != 1 || p.Rows[0].Email != "zz@example.com" {
		t.Fatalf("after rename: %+v, %v", p.Rows, err)
	}
	p, _ = s.ListMembers(ctx, orgID, MemberQuery{Limit: 1})
	if p.Rows[0].Name != "Aaron Aardvark" {
		t.Fatalf("first by name = %q", p.Rows[0].Name)
	}
	p, _ = s.ListMembers(ctx, orgID, MemberQuery{Sort: SortEmail, Desc: true, Limit: 1})
	if p.Rows[0].Email != "zz@example.com" {
		t.Fatalf("last by email = %q", p.Rows[0].Email)
	}
}

func TestListMembersBadCursorIsFirstPage(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, _ := seedMembers(t, s, 30)
	first, _ := s.ListMembers(ctx, orgID, MemberQuery{Limit: 5})
	for _, c := range []string{"garbage", encodeCursor([]any{"a"}), encodeCursor([]any{1, 2, 3}), first.Next + "x"} {
		p, err := s.ListMembers(ctx, orgID, MemberQuery{Limit: 5, After: c})
		if err != nil {
			t.Fatalf("cursor %q: %v", c, err)
		}
		if p.HasPrev || p.Rows[0].ID != first.Rows[0].ID {
			t.Fatalf("cursor %q did not fall back to the first page", c)
		}
	}
	// A cursor of the name sort is ignored by the email sort (wrong shape).
	p, _ := s.ListMembers(ctx, orgID, MemberQuery{Limit: 5, Sort: SortEmail, After: first.Next})
	if p.HasPrev {
		t.Fatal("a name cursor was used for the email sort")
	}
}

// Every statement of every filter, sort, search and cursor reads index
// ranges: none scans memberships or group_members (a "SCAN" of a table or
// of a whole index), and none sorts what it did not bound.
func TestListMembersPlansUseIndexes(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, groups := seedMembers(t, s, 60)
	var stmts []struct {
		q    string
		args []any
	}
	traceMembers = func(q string, args []any) {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{q, args})
	}
	defer func() { traceMembers = nil }()
	queries := bruteForceQueries(groups)
	for _, limits := range [][2]int{{searchCountCap, nameListLimit}, {3, 0}} {
		old := [2]int{searchCountCap, nameListLimit}
		searchCountCap, nameListLimit = limits[0], limits[1]
		for _, q := range queries {
			q.Limit = 5
			first, err := s.ListMembers(ctx, orgID, q)
			if err != nil {
				t.Fatal(err)
			}
			pages := []MemberQuery{q, {Last: true}, {After: first.Next}, {Before: first.Next}}
			for _, pq := range pages[1:] {
				p := q
				p.Last, p.After, p.Before = pq.Last, pq.After, pq.Before
				stmts = stmts[:0]
				if _, err := s.ListMembers(ctx, orgID, p); err != nil {
					t.Fatal(err)
				}
				for _, st := range stmts {
					plan := explain(t, s, st.q, st.args...)
					if bad := badPlan(plan); bad != "" {
						t.Errorf("%v (cap %d, names %d): %s in\n%s\nplan:\n%s", p, searchCountCap, nameListLimit, bad, st.q, plan)
					}
				}
			}
		}
		searchCountCap, nameListLimit = old[0], old[1]
	}
}

// A role sort under a filter reads only the roles its page needs:
// seedMembers gives each of five roles 46 members (about 41 active), so a
// page of 17 (forward, backward, or after a cursor in the last role it
// reads) reads one or two roles' ranges, never all five.
func TestRoleSortReadsTheRolesItNeeds(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, _ := seedMembers(t, s, 230)
	var page string
	traceMembers = func(q string, args []any) { page = q }
	defer func() { traceMembers = nil }()
	status := domain.StatusActive // (the suspended are too few to prune)
	first, err := s.ListMembers(ctx, orgID, MemberQuery{Sort: SortRole, Status: status, Limit: 17})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []MemberQuery{{}, {Desc: true}, {Last: true}, {After: first.Next}, {Before: first.Next}} {
		q.Sort, q.Status, q.Limit = SortRole, status, 17
		if _, err := s.ListMembers(ctx, orgID, q); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(page, "INDEXED BY memberships_org_rs_name"); n == 0 || n > 2 {
			t.Errorf("%v: the page reads %d role/status ranges, want those of one or two roles:\n%s", q, n, page)
		}
	}
}

// badPlan names what is wrong with a query plan: a scan of a table or of a
// whole index (scans of subqueries, of a constant row and of trigram
// matches are fine, and of seg, the few segments of the trigram index of
// emails), a role/status index read beyond one pair's range, or
// a sort that is not bounded: sorts belong inside a
// page's bounded elements (co-routines with a LIMIT, sized by the plan), or
// to the page's own rows once joined (after "SCAN k").
func badPlan(plan string) string {
	inside := "" // the co-routine being read, if any
	prev := ""
	for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
		switch {
		case strings.HasPrefix(line, "CO-ROUTINE (subquery-"):
			inside = strings.TrimPrefix(line, "CO-ROUTINE ")
		case line == "SCAN "+inside:
			inside = ""
		case strings.HasPrefix(line, "SCAN ") && !strings.HasPrefix(line, "SCAN (") && line != "SCAN k" && line != "SCAN hit" && line != "SCAN seg" &&
			line != "SCAN CONSTANT ROW" && !strings.Contains(line, "VIRTUAL TABLE INDEX"):
			return "a scan: " + line
		case strings.Contains(line, "_rs_") && !strings.Contains(line, "_id=? AND role=? AND status=?"):
			return "a role/status index read beyond its range: " + line
		case strings.Contains(line, "TEMP B-TREE") && inside == "" && !strings.HasPrefix(prev, "SCAN (subquery-") &&
			prev != "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)":
			return "an unbounded sort: " + line
		}
		prev = line
	}
	return ""
}

// SQL's rank of a role (the role_rank column) is roleRank's.
func TestRoleRankMatchesSchema(t *testing.T) {
	s := openTest(t)
	orgID, _ := seedMembers(t, s, 1)
	var userID int64
	if err := s.r.QueryRow(`SELECT user_id FROM memberships WHERE org_id = ?`, orgID).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	for _, r := range append(access.Roles(), "no_such_role") {
		if _, err := s.exec(context.Background(), `UPDATE memberships SET role = ? WHERE org_id = ?`, string(r), orgID); err != nil {
			t.Fatal(err)
		}
		var rank int
		if err := s.r.QueryRow(`SELECT role_rank FROM memberships WHERE org_id = ?`, orgID).Scan(&rank); err != nil {
			t.Fatal(err)
		}
		if rank != roleRank(string(r)) {
			t.Errorf("%s: role_rank %d, roleRank %d", r, rank, roleRank(string(r)))
		}
	}
}

// The listed members' groups are read from the covering index, by id.
func TestMemberGroupIDsPlan(t *testing.T) {
	s := openTest(t)
	plan := explain(t, s, memberGroupIDsSQL(8), 1, 2, 3, 4, 5, 6, 7, 8)
	if !strings.Contains(plan, "COVERING INDEX group_members_membership (membership_id=?)") || strings.Contains(plan, "SCAN") {
		t.Fatalf("plan:\n%s", plan)
	}
}

func explain(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.r.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// member_counts follows every insert, status and role change and delete.
func TestMemberCountsFollowChanges(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, _ := seedMembers(t, s, 40)
	check := func(when string) {
		t.Helper()
		mc, err := s.MemberCounts(ctx, orgID)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := s.r.Query(`SELECT role, status, COUNT(*) FROM memberships WHERE org_id = ? GROUP BY 1, 2`, orgID)
		want := MemberCounts{}
		for rows.Next() {
			var r, st string
			var n int
			rows.Scan(&r, &st, &n)
			want[[2]string{r, st}] = n
		}
		rows.Close()
		if fmt.Sprint(mc) != fmt.Sprint(want) {
			t.Fatalf("%s: counts %v, want %v", when, mc, want)
		}
	}
	check("seeded")
	var ids []int64
	rows, _ := s.r.Query(`SELECT id FROM memberships WHERE org_id = ? ORDER BY id LIMIT 3`, orgID)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.SetRole(ctx, orgID, ids[0], access.RoleOwner); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, orgID, ids[1], domain.StatusSuspended); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, orgID, ids[1], domain.StatusSuspended); err != nil { // no change
			return err
		}
		return tx.RemoveMember(ctx, orgID, ids[2])
	})
	if err != nil {
		t.Fatal(err)
	}
	check("changed")
	st, _ := s.SeatUsage(ctx, orgID)
	mc, _ := s.MemberCounts(ctx, orgID)
	if st.Active != mc.Count("", domain.StatusActive) || st.Suspended != mc.Count("", domain.StatusSuspended) || st.Active+st.Suspended != 39 {
		t.Fatalf("seats = %+v", st)
	}
}

// memberRowExprs are memberRowCols, which the covering plans select one by one.
func TestMemberRowExprs(t *testing.T) {
	if strings.Join(memberRowExprs, ", ") != memberRowCols {
		t.Fatalf("memberRowExprs %q\nmemberRowCols  %q", strings.Join(memberRowExprs, ", "), memberRowCols)
	}
}

// checkMemberCopies recomputes what migration 11's triggers keep (the
// group rows' copies of their memberships, the group counts, the distinct
// names and the two trigram indexes) and fails on any difference.
func checkMemberCopies(t *testing.T, s *Store, when string) {
	t.Helper()
	for _, c := range []struct{ what, q string }{
		{"group copies", `SELECT COUNT(*) FROM group_members g JOIN memberships m ON m.id = g.membership_id
			WHERE g.role IS NOT m.role OR g.status IS NOT m.status OR g.user_name IS NOT m.user_name
			OR g.user_email IS NOT m.user_email OR g.last_active IS NOT COALESCE(m.last_active_at, 0)`},
		{"group counts", `SELECT COUNT(*) FROM (
			SELECT group_id, role, status, COUNT(*) AS n FROM group_members GROUP BY 1, 2, 3
			EXCEPT SELECT group_id, role, status, n FROM group_member_counts WHERE n > 0)`},
		{"group counts (stale)", `SELECT COUNT(*) FROM group_member_counts c WHERE n != (SELECT COUNT(*) FROM group_members g
			WHERE g.group_id = c.group_id AND g.role = c.role AND g.status = c.status)`},
		{"distinct names", `SELECT COUNT(*) FROM (
			SELECT org_id, user_name, COUNT(*) FROM memberships GROUP BY org_id, user_name
			EXCEPT SELECT org_id, name, n FROM member_names)`},
		{"distinct names (stale)", `SELECT COUNT(*) FROM member_names n WHERE n.n != (SELECT COUNT(*) FROM memberships m
			WHERE m.org_id = n.org_id AND m.user_name = n.name)`},
	} {
		var n int
		if err := s.r.QueryRow(c.q).Scan(&n); err != nil {
			t.Fatalf("%s: %s: %v", when, c.what, err)
		}
		if n != 0 {
			t.Errorf("%s: %s: %d rows differ", when, c.what, n)
		}
	}
	for _, fts := range []string{"member_names_search", "member_emails"} {
		if _, err := s.exec(context.Background(), `INSERT INTO `+fts+`(`+fts+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s: %s: %v", when, fts, err)
		}
	}
}

// The copies follow every change a membership, a user, a group or an
// organization goes through.
func TestMemberCopiesFollowChanges(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	orgID, groups := seedMembers(t, s, 40)
	checkMemberCopies(t, s, "seeded")
	var ids, users []int64
	rows, _ := s.r.Query(`SELECT id, user_id FROM memberships WHERE org_id = ? ORDER BY id LIMIT 6`, orgID)
	for rows.Next() {
		var id, u int64
		rows.Scan(&id, &u)
		ids, users = append(ids, id), append(users, u)
	}
	rows.Close()
	step := func(what string, f func(tx *Tx) error) {
		t.Helper()
		if err := s.Write(ctx, f); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		checkMemberCopies(t, s, what)
	}
	step("roles and statuses", func(tx *Tx) error {
		if err := tx.SetRole(ctx, orgID, ids[0], access.RoleManager); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, orgID, ids[0], domain.StatusSuspended); err != nil {
			return err
		}
		return tx.SetStatus(ctx, orgID, ids[3], domain.StatusActive)
	})
	step("group members", func(tx *Tx) error {
		if err := tx.AddGroupMember(ctx, orgID, groups[2], ids[0]); err != nil {
			return err
		}
		if err := tx.AddGroupMember(ctx, orgID, groups[2], ids[1]); err != nil {
			return err
		}
		return tx.RemoveGroupMember(ctx, orgID, groups[0], ids[0])
	})
	step("renames", func(tx *Tx) error {
		for i, q := range []string{
			`UPDATE users SET name = 'Zed Renamed' WHERE id = ?`,        // a new name
			`UPDATE users SET name = 'ADA SMITH1' WHERE id = ?`,         // an existing one, in other case
			`UPDATE users SET email = 'moved@example.com' WHERE id = ?`, // a new email
			`UPDATE users SET name = 'Ünique Person', email = 'e4@example.com' WHERE id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, users[i]); err != nil {
				return err
			}
		}
		return nil
	})
	step("activity", func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET last_active_at = 5000 WHERE id IN (?, ?)`, ids[0], ids[1])
		return err
	})
	step("removals", func(tx *Tx) error {
		if err := tx.RemoveMember(ctx, orgID, ids[1]); err != nil {
			return err
		}
		return tx.DeleteGroup(ctx, orgID, groups[1])
	})
	step("a new member", func(tx *Tx) error {
		u, err := tx.CreateUser(ctx, "late@example.com", "Late Comer", "")
		if err != nil {
			return err
		}
		m, err := tx.AddMember(ctx, orgID, u.ID, access.RoleAgent, domain.StatusActive, nil)
		if err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, orgID, groups[0], m.ID)
	})
	step("an organization deleted", func(tx *Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM organizations WHERE slug = 'other'`)
		return err
	})
	// The searches see the changes.
	for q, want := range map[string]int{"renamed": 1, "moved@": 1, "ünique": 1, "ÜNIQUE": 1, "e4@ex": 1, "late": 1} {
		p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: q})
		if err != nil || p.Total != want || len(p.Rows) != want {
			t.Errorf("search %q: total %d, %d rows, %v", q, p.Total, len(p.Rows), err)
		}
	}
	checkListQueries(t, s, orgID, bruteForceQueries(groups)) // groups[1] is gone: no group of the organization
}

// Migration 11 fills the copies, counts, names and indexes from a database
// that had members and groups before it, and the list then reads the same
// rows as the brute force.
func TestMigration11FillsMemberIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	saved := migrationFS
	migrationFS, openOlderSchema = migrationsUpTo(t, 10), true
	s, err := Open(context.Background(), path)
	migrationFS, openOlderSchema = saved, false
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(context.Background()); v != 10 {
		t.Fatalf("version before %d", v)
	}
	orgID, groups := seedMembers(t, s, 50)
	s.Close()
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(context.Background()); v != newestVersion(t) {
		t.Fatalf("version %d", v)
	}
	checkMemberCopies(t, s, "migrated")
	checkListQueries(t, s, orgID, bruteForceQueries(groups))
}

// migrationsUpTo is the migration files up to version last, for a database
// as an older binary built it (swap it into migrationFS around Open).
func migrationsUpTo(tb testing.TB, last int) fstest.MapFS {
	tb.Helper()
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(migrationFS, ".")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() < fmt.Sprintf("%04d", last+1) {
			b, err := fs.ReadFile(migrationFS, e.Name())
			if err != nil {
				tb.Fatal(err)
			}
			out[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	return out
}
