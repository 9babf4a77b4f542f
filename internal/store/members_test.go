package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// seedMembers makes an organization of n members with varied names, roles,
// statuses, activity and groups, plus a second organization sharing users.
func seedMembers(t *testing.T, s *Store, n int) (orgID int64, groupIDs []int64) {
	t.Helper()
	ctx := context.Background()
	roles := []access.Role{access.RoleAgent, access.RoleSales, access.RoleManager, access.RoleAdmin, access.RoleAgentLimited}
	first := []string{"Ada", "bob", "Cleo", "dan", "Émile", "Zoë", "ada", "Bob"}
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
			m, err := tx.AddMember(ctx, o.ID, u.ID, roles[i%len(roles)], StatusActive, nil)
			if err != nil {
				return err
			}
			if i%9 == 0 {
				if err := tx.SetStatus(ctx, o.ID, m.ID, StatusSuspended); err != nil {
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
				if _, err := tx.AddMember(ctx, other.ID, u.ID, access.RoleAgent, StatusActive, nil); err != nil {
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
		(SELECT group_concat(group_id) FROM group_members gm WHERE gm.membership_id = m.id)
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
	}
	rank := map[string]int{}
	for i, r := range access.Roles() {
		rank[string(r)] = i
	}
	var all []rec
	for rows.Next() {
		var r rec
		rows.Scan(&r.id, &r.name, &r.email, &r.role, &r.status, &r.active, &r.groups)
		if q.Role != "" && r.role != string(q.Role) || q.Status != "" && r.status != q.Status {
			continue
		}
		if q.GroupID != 0 && (r.groups == nil || !slices.Contains(strings.Split(*r.groups, ","), fmt.Sprint(q.GroupID))) {
			continue
		}
		// Three characters or more find substrings; fewer, prefixes.
		match := strings.Contains
		if len([]rune(q.Search)) < 3 {
			match = strings.HasPrefix
		}
		if q.Search != "" && !match(strings.ToLower(r.name), strings.ToLower(q.Search)) &&
			!match(strings.ToLower(r.email), strings.ToLower(q.Search)) {
			continue
		}
		all = append(all, r)
	}
	// SQLite's NOCASE folds ASCII only: compare the same way.
	fold := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 32
			}
		}
		return string(b)
	}
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

func TestListMembersPagesMatchBruteForce(t *testing.T) {
	s := openTest(t)
	orgID, groups := seedMembers(t, s, 230)
	queries := []MemberQuery{{}}
	for _, sort := range []string{SortName, SortEmail, SortRole, SortActive} {
		queries = append(queries, MemberQuery{Sort: sort}, MemberQuery{Sort: sort, Desc: true})
	}
	queries = append(queries,
		MemberQuery{Status: StatusSuspended},
		MemberQuery{Status: StatusActive, Sort: SortRole},
		MemberQuery{Role: access.RoleAdmin, Desc: true},
		MemberQuery{Role: access.RoleAgent, Status: StatusSuspended},
		MemberQuery{GroupID: groups[0]},
		MemberQuery{GroupID: groups[1], Role: access.RoleSales, Sort: SortEmail},
		MemberQuery{GroupID: groups[2]}, // empty group
		MemberQuery{GroupID: 999999},    // not a group of this org
		MemberQuery{Search: "smith3"},   // trigram index
		MemberQuery{Search: "SMITH3", Status: StatusActive, Sort: SortActive, Desc: true},
		MemberQuery{Search: "user01"}, // emails
		MemberQuery{Search: "Zo"},     // too short for trigrams: prefixes
		MemberQuery{Search: "aD", Sort: SortEmail},
		MemberQuery{Search: "Sm"}, // inside the name only: no match
		MemberQuery{Search: "u", Status: StatusSuspended},
		MemberQuery{Search: "100%"},  // wildcards are literal
		MemberQuery{Search: `mi"th`}, // FTS syntax is literal
		MemberQuery{Search: `"*" OR x`},
		MemberQuery{Search: `_%`},
		MemberQuery{Search: `\`},
		MemberQuery{Search: "nobody-at-all"},
	)
	// Run every query with the real limits (selective filters drive) and
	// with tiny ones (the same filters are broad: the walks and the capped
	// counts run).
	type limits struct{ drive, search, group, prefix int }
	for _, lim := range []limits{{driveLimit, searchCountCap, groupCountCap, prefixCountLimit}, {3, 7, 9, 5}} {
		old := limits{driveLimit, searchCountCap, groupCountCap, prefixCountLimit}
		driveLimit, searchCountCap, groupCountCap, prefixCountLimit = lim.drive, lim.search, lim.group, lim.prefix
		t.Run(fmt.Sprintf("drive%d", lim.drive), func(t *testing.T) { checkListQueries(t, s, orgID, queries) })
		driveLimit, searchCountCap, groupCountCap, prefixCountLimit = old.drive, old.search, old.group, old.prefix
	}
}

func checkListQueries(t *testing.T, s *Store, orgID int64, queries []MemberQuery) {
	ctx := context.Background()
	for _, q := range queries {
		t.Run(q.String(), func(t *testing.T) {
			want := every(t, s, orgID, q)
			q.Limit = 17
			// Forward, page by page.
			var got []int64
			cur := q
			for pages := 0; ; pages++ {
				p, err := s.ListMembers(ctx, orgID, cur)
				if err != nil {
					t.Fatal(err)
				}
				capped := p.AtLeast && len(want) > p.Total && (p.Total == searchCountCap || p.Total == groupCountCap || p.Total == prefixCountLimit)
				if p.Total != len(want) && !capped {
					t.Fatalf("total = %d (at least %v), want %d", p.Total, p.AtLeast, len(want))
				}
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

// The page queries walk an index in order: no sort of the whole
// organization per page, whatever the depth.
func TestListMembersPlansUseIndexOrder(t *testing.T) {
	s := openTest(t)
	orgID, _ := seedMembers(t, s, 20)
	for sort, spec := range memberSorts {
		for _, desc := range []bool{false, true} {
			f := memberFilter{orgID: orgID, q: MemberQuery{Sort: sort, Desc: desc, Limit: 50}}
			key := make([]any, len(spec.cols))
			for i, isInt := range spec.ints {
				if isInt {
					key[i] = int64(5)
				} else {
					key[i] = "m"
				}
			}
			for _, forward := range []bool{true, false} {
				q, args, _ := f.pageSQL(spec, forward, encodeCursor(key))
				plan := explain(t, s, q, args...)
				if strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, spec.index) || strings.Contains(plan, "SCAN") {
					t.Errorf("%s desc=%v forward=%v plan:\n%s", sort, desc, forward, plan)
				}
			}
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
		if err := tx.SetStatus(ctx, orgID, ids[1], StatusSuspended); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, orgID, ids[1], StatusSuspended); err != nil { // no change
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
	if st.Active != mc.Count("", StatusActive) || st.Suspended != mc.Count("", StatusSuspended) || st.Active+st.Suspended != 39 {
		t.Fatalf("seats = %+v", st)
	}
}
