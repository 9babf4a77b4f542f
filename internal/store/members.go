package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// MemberRow is one line of the members list.
type MemberRow struct {
	domain.Membership
	Name         string
	Email        string
	PhotoVersion int64
	Groups       []GroupRef
	Teams        []domain.MemberTeam // by name, leads marked
}

// GroupRef names a group.
type GroupRef struct {
	ID   int64
	Name string
}

// Member sort keys.
const (
	SortName   = "name"
	SortEmail  = "email"
	SortRole   = "role"
	SortActive = "active"
)

// MemberQuery selects a page of the members list. After and Before are
// cursors from a previous MemberPage (at most one is used); Last asks for
// the final page.
type MemberQuery struct {
	Search  string
	Role    access.Role // "" = every role
	Status  string      // "" = every status
	GroupID int64       // 0 = any group
	TeamID  int64       // 0 = any team (or none); another organization's team lists no one
	Sort    string      // SortName (default), SortEmail, SortRole, SortActive
	Desc    bool
	After   string
	Before  string
	Last    bool
	Limit   int // default 50
	// Groups names the listed members' groups: the organization's groups
	// as the caller has them (cached per permission version). nil: read
	// them here when a listed member is in a group.
	Groups *GroupIndex
}

// MemberPage is one page of members.
type MemberPage struct {
	Rows    []MemberRow
	Total   int  // rows matching the filters
	AtLeast bool // Total is a lower bound (broad searches stop counting at searchCountCap)
	HasPrev bool
	HasNext bool
	Prev    string // cursor: the page before this one
	Next    string // cursor: the page after this one
}

// sortSpec is a keyset order: its keys, by name ("name", "email", "rank",
// "active", "id"), end in the membership id, so the order is total.
type sortSpec struct {
	keys []string
	ints []bool // which keys are integers (cursor decoding)
	// whole is the organization's index in this order, read when the page
	// has no role, status or group filter.
	whole string
	// order names the index family that holds this order after a role and a
	// status: memberships_org_rs_<order>, group_members_rs_<order>
	// (migration 11). The rank order is the name order within a role.
	order string
	rank  bool // the first key is the role's rank
	// key is a row's sort key (cursor), from the columns read with it.
	key func(r *MemberRow, rank int64) []any
}

var memberSorts = map[string]sortSpec{
	SortName: {[]string{"name", "email", "id"}, []bool{false, false, true}, "memberships_org_name", "name", false,
		func(r *MemberRow, _ int64) []any { return []any{r.Name, r.Email, r.ID} }},
	SortEmail: {[]string{"email", "id"}, []bool{false, true}, "memberships_org_email", "email", false,
		func(r *MemberRow, _ int64) []any { return []any{r.Email, r.ID} }},
	SortRole: {[]string{"rank", "name", "email", "id"}, []bool{true, false, false, true}, "memberships_org_rank", "name", true,
		func(r *MemberRow, rank int64) []any { return []any{rank, r.Name, r.Email, r.ID} }},
	SortActive: {[]string{"active", "id"}, []bool{true, true}, "memberships_org_active", "active", false,
		func(r *MemberRow, _ int64) []any { return []any{r.LastActiveAt, r.ID} }},
}

// ValidMemberSort reports whether s is a sort key of the members list.
func ValidMemberSort(s string) bool { _, ok := memberSorts[s]; return ok }

// roleRank is memberships.role_rank (schema.sql) for a role: its place in
// access.Roles(), unknown roles last.
func roleRank(role string) int {
	for i, r := range access.Roles() {
		if string(r) == role {
			return i
		}
	}
	return len(access.Roles())
}

// Plan thresholds (variables so tests can shrink them and run every plan).
var (
	// searchCountCap bounds the counting of a search part ("1,000+"), and
	// so the rows a part may read out of order and sort.
	searchCountCap = 1000
	// nameListLimit: a search found in at most this many distinct names
	// (member_names) is read name by name; in more, it walks the sort order.
	nameListLimit = 100
	// maxNameRanges bounds the ranges merged for an email-sorted search
	// read name by name.
	maxNameRanges = 64
)

// ListMembers returns one page of an organization's members. Every page
// is read from index ranges in sort order, merged (ARCHITECTURE.md,
// Performance): an index per sort order after the role and status
// (memberships, and the copies in group_members for a group filter), one
// range per (role, status) pair the filter admits, so a filter is never a
// scan; a search adds, per part, a range (short searches: names or emails
// starting with it), a list of names (longer ones: the distinct names
// containing it) or a small sorted set (emails containing it). Paging is by
// keyset cursors, at any depth.
func (s *Store) ListMembers(ctx context.Context, orgID int64, q MemberQuery) (MemberPage, error) {
	spec, ok := memberSorts[q.Sort]
	if !ok {
		spec = memberSorts[SortName]
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	search := strings.TrimSpace(q.Search)
	if utf8.RuneCountInString(search) > 100 {
		search = string([]rune(search)[:100])
	}
	pl, err := s.planMembers(ctx, orgID, q, spec, search)
	if err != nil {
		return MemberPage{}, err
	}
	page := MemberPage{Total: pl.total, AtLeast: pl.atLeast}

	forward := q.Before == "" && !q.Last
	cursor := q.After
	if !forward {
		cursor = q.Before
	}
	vals, keyed := decodeCursor(cursor, spec)
	var ranks []int64
	page.Rows = make([]MemberRow, 0, q.Limit+1)
	if sqlText, args := pl.pageSQL(forward, vals, keyed, q.Limit+1); sqlText != "" {
		rows, err := s.membersQuery(ctx, sqlText, args...)
		if err != nil {
			return MemberPage{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var r MemberRow
			var custom sql.NullString
			var rank int64
			dest := []any{&r.ID, &r.OrgID, &r.UserID, &r.Role, &r.Status, &custom, &r.CreatedAt, &r.LastActiveAt,
				&r.Name, &r.Email, &r.PhotoVersion}
			if spec.rank {
				dest = append(dest, &rank)
			}
			if err := rows.Scan(dest...); err != nil {
				return MemberPage{}, err
			}
			r.Custom = decodeCustom(custom)
			page.Rows = append(page.Rows, r)
			ranks = append(ranks, rank)
		}
		if err := rows.Err(); err != nil {
			return MemberPage{}, err
		}
	}
	more := len(page.Rows) > q.Limit
	if more {
		page.Rows, ranks = page.Rows[:q.Limit], ranks[:q.Limit]
	}
	if forward {
		page.HasPrev, page.HasNext = keyed, more
	} else {
		reverse(page.Rows)
		reverse(ranks)
		page.HasPrev, page.HasNext = more, keyed
	}
	if n := len(page.Rows); n > 0 {
		page.Prev = encodeCursor(spec.key(&page.Rows[0], ranks[0]))
		page.Next = encodeCursor(spec.key(&page.Rows[n-1], ranks[n-1]))
	}
	if err := s.attachGroups(ctx, orgID, q.Groups, page.Rows); err != nil {
		return MemberPage{}, err
	}
	if err := s.attachTeams(ctx, orgID, page.Rows); err != nil {
		return MemberPage{}, err
	}
	return page, nil
}

// memberRowCols are a list row: the membership and its copies of the user's
// name, email (the sort keys) and photo version (migration 3), all of them
// in memberships_org_name, so a name-sorted page touches no table. Groups
// are attached after (attachGroups).
const memberRowCols = membershipBaseCols + `, m.user_name, m.user_email, m.user_photo_version`

// memberRowExprs are memberRowCols one by one.
var memberRowExprs = []string{"m.id", "m.org_id", "m.user_id", "m.role", "m.status", "m.custom_permissions", "m.created_at",
	"COALESCE(m.last_active_at, 0)", "m.user_name", "m.user_email", "m.user_photo_version"}

// traceMembers, when set (tests), sees every statement the members list
// runs, so that its plans can be checked.
var traceMembers func(q string, args []any)

func (s *Store) membersQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if traceMembers != nil {
		traceMembers(q, args)
	}
	return s.query(ctx, q, args...)
}

func (s *Store) membersQueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if traceMembers != nil {
		traceMembers(q, args)
	}
	return s.queryRow(ctx, q, args...)
}

// memberPlan is how a page is read: the elements its rows come from, each
// in sort order (or sorted, when the plan knows it is small), and the
// number of members that match.
type memberPlan struct {
	orgID, groupID int64
	teamID         int64
	q              MemberQuery
	spec           sortSpec
	search         string
	// arms are the (role, status) pairs with members that the filter
	// admits: each is one range of a role/status index.
	arms []arm
	// whole: no role, status, group or team filter, so the organization's own
	// sort indexes serve where they hold what the element reads.
	whole bool
	// orgSize is the organization's members, slack how many memberships
	// other organizations hold at most (read with the arms; group plans
	// ask memberSlack).
	orgSize, slack int
	elems          []element
	total          int
	atLeast        bool
}

// arm is one (role, status) pair and how many members it holds.
type arm struct {
	role, status string
	n            int
}

// element is one stream of a page's candidate rows: an index range (with
// a condition its rows are checked against), read in sort order, or a small
// set read out of order and sorted. The elements of a plan are disjoint.
type element struct {
	group    bool // reads group_members g (else memberships m)
	from     string
	fromArgs []any
	where    []string
	args     []any
	// rank ≥ 0: the element holds one role, whose rank is this constant
	// (the index holds the rest of the key in order).
	rank   int
	sorted bool
	// active is the last-activity key as its index holds it.
	active string
	// covering: the index holds every listed column (memberRowCols).
	covering bool
	// size > 0: the element reads a whole arm, of this many members.
	size int
}

// cols are the SQL names of a table's key columns.
type cols struct{ name, email, id string }

var (
	memberCols = cols{"m.user_name", "m.user_email", "m.id"}
	groupCols_ = cols{"g.user_name", "g.user_email", "g.membership_id"}
)

func (e element) cols() cols {
	if e.group {
		return groupCols_
	}
	return memberCols
}

// keyExpr is a sort key as SQL over the element's table.
func (e element) keyExpr(key string) string {
	c := e.cols()
	switch key {
	case "name":
		return c.name
	case "email":
		return c.email
	case "active":
		return e.active
	case "rank":
		if e.rank >= 0 {
			return strconv.Itoa(e.rank)
		}
		return "m.role_rank"
	}
	return c.id
}

// pred is a search condition over a table's columns.
type pred func(c cols) (string, []any)

// along returns the elements that read the plan's members in the given
// order ("name", "email", "active") with the condition p (nil: none): the
// organization's own index when it holds every column read, else one
// element per arm.
func (pl *memberPlan) along(order string, p pred, sorted bool) []element {
	spec := pl.spec
	if pl.whole {
		index := ""
		switch {
		case p == nil && order == spec.order:
			index = spec.whole // the page's own order, rank included
		case order == "name" && (spec.order == "name" && !spec.rank || spec.order == "email"):
			// Covering for these sorts' keys (role_rank and last_active are
			// computed columns, which it does not hold).
			index = "memberships_org_name"
		}
		if index != "" {
			e := element{from: "memberships m INDEXED BY " + index, where: []string{"m.org_id = ?"}, args: []any{pl.orgID}, rank: -1,
				sorted: sorted, active: "m.last_active", covering: index == "memberships_org_name"}
			e.add(p)
			return []element{e}
		}
	}
	out := make([]element, 0, len(pl.arms))
	for _, a := range pl.arms {
		e := element{group: pl.groupID != 0, rank: -1, sorted: sorted, active: "COALESCE(m.last_active_at, 0)"}
		if e.group {
			e.active = "g.last_active"
			e.from = "group_members g INDEXED BY group_members_rs_" + order
			e.where = []string{"g.group_id = ?", "g.role = ?", "g.status = ?"}
			e.args = []any{pl.groupID, a.role, a.status}
		} else {
			e.from = "memberships m INDEXED BY memberships_org_rs_" + order
			e.covering = order == "name"
			e.where = []string{"m.org_id = ?", "m.role = ?", "m.status = ?"}
			e.args = []any{pl.orgID, a.role, a.status}
		}
		if spec.rank {
			e.rank = roleRank(a.role)
		}
		if p == nil {
			e.size = a.n // the team's arms count its members alone
		}
		e.add(pl.inTeam())
		e.add(p)
		out = append(out, e)
	}
	return out
}

func (e *element) add(p pred) {
	if p == nil {
		return
	}
	w, args := p(e.cols())
	e.where = append(e.where, w)
	e.args = append(e.args, args...)
}

// driven is an element reading memberships from a set of ids (from is a
// subquery naming them id, with its arguments), checked against the plan's
// filters and p; the caller bounds its size, it is sorted.
func (pl *memberPlan) driven(from string, fromArgs []any, p pred) element {
	e := element{from: from + ` CROSS JOIN memberships m ON m.id = hit.id`, fromArgs: fromArgs,
		where: []string{"m.org_id = ?"}, args: []any{pl.orgID}, rank: -1, sorted: true, active: "m.last_active"}
	if pl.q.Role != "" {
		e.where = append(e.where, "m.role = ?")
		e.args = append(e.args, string(pl.q.Role))
	}
	if pl.q.Status != "" {
		e.where = append(e.where, "m.status = ?")
		e.args = append(e.args, pl.q.Status)
	}
	if pl.groupID != 0 {
		e.where = append(e.where, "EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.membership_id = m.id)")
		e.args = append(e.args, pl.groupID)
	}
	e.add(pl.inTeam())
	e.add(p)
	return e
}

// inTeam is the team filter as a condition (nil without one). A team keeps
// no copies of its members' sort keys, as group_members does, so under it
// the arms are read with this condition; its primary key answers it.
func (pl *memberPlan) inTeam() pred {
	if pl.teamID == 0 {
		return nil
	}
	return func(c cols) (string, []any) {
		return "EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = ? AND tm.membership_id = " + c.id + ")", []any{pl.teamID}
	}
}

// elementSQL selects sel from e's rows after the cursor (vals) in the
// reading direction, in order and limited when ordered; rows joins the
// memberships of group rows (sel reads m). ok is false when no row of e can
// follow the cursor.
func (pl *memberPlan) elementSQL(e element, sel string, rows, asc bool, vals []any, keyed, ordered bool, limit int) (string, []any, bool) {
	where := append([]string(nil), e.where...)
	args := append(append([]any(nil), e.fromArgs...), e.args...)
	keys := pl.spec.keys
	if e.rank >= 0 {
		// The rank is constant: an element of a rank before the cursor's
		// (in the reading direction) has nothing to give, one after it
		// gives everything, one of the same rank compares the rest.
		if keyed {
			switch cr := vals[0].(int64); {
			case int64(e.rank) == cr:
				vals = vals[1:]
			case (int64(e.rank) > cr) == asc:
				keyed = false
			default:
				return "", nil, false
			}
		}
		keys = keys[1:]
	}
	if keyed {
		exprs := make([]string, len(keys))
		for i, k := range keys {
			exprs[i] = e.keyExpr(k)
		}
		op := "<"
		if asc {
			op = ">"
		}
		where = append(where, "("+strings.Join(exprs, ", ")+") "+op+" ("+placeholders(len(vals))+")")
		args = append(args, vals...)
	}
	q := `SELECT ` + sel + ` FROM ` + e.from
	if e.group && rows {
		q += ` CROSS JOIN memberships m ON m.id = g.membership_id`
	}
	q += ` WHERE ` + strings.Join(where, " AND ")
	if ordered {
		order := make([]string, len(keys))
		for i, k := range keys {
			order[i] = e.keyExpr(k) + dir(asc)
		}
		q += ` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
		args = append(args, limit)
	}
	return q, args, true
}

func dir(asc bool) string {
	if asc {
		return ""
	}
	return " DESC"
}

// pageSQL is the page query: limit rows after (or before) the cursor in
// sort order. One element is read straight, in order; several are merged
// by their keys (SQLite's MERGE of UNION ALL arms, each read lazily in
// index order), and only the page's rows are joined to memberships. An
// element that is sorted, or whose rank is a constant, is bounded to the
// page first (SQLite sorts it, or cannot tell that it is in order).
func (pl *memberPlan) pageSQL(forward bool, vals []any, keyed bool, limit int) (string, []any) {
	// Reading backwards flips the order; the caller reverses the rows.
	asc := pl.q.Desc != forward
	rowExprs := func(e element) []string {
		if pl.spec.rank {
			return append(memberRowExprs[:len(memberRowExprs):len(memberRowExprs)], e.keyExpr("rank"))
		}
		return memberRowExprs
	}
	rowCols := func(e element) string { return strings.Join(rowExprs(e), ", ") }
	if len(pl.elems) == 1 && !pl.elems[0].sorted {
		q, args, ok := pl.elementSQL(pl.elems[0], rowCols(pl.elems[0]), true, asc, vals, keyed, true, limit)
		if !ok {
			return "", nil
		}
		return q, args
	}
	// When every element's index holds the listed columns, the arms carry
	// them and nothing is joined.
	covering := true
	for _, e := range pl.elems {
		covering = covering && e.covering
	}
	var arms []string
	var args []any
	for _, e := range pl.byRank(asc, vals, keyed, limit) {
		sel := make([]string, 0, len(pl.spec.keys)+1)
		for i, k := range pl.spec.keys {
			sel = append(sel, fmt.Sprintf("%s AS k%d", e.keyExpr(k), i))
		}
		if covering {
			for i, c := range rowExprs(e) {
				sel = append(sel, fmt.Sprintf("%s AS c%d", c, i))
			}
		} else {
			sel = append(sel, e.keyExpr("id")+" AS mid")
		}
		bounded := e.sorted || e.rank >= 0
		q, a, ok := pl.elementSQL(e, strings.Join(sel, ", "), false, asc, vals, keyed, bounded, limit)
		if !ok {
			continue
		}
		if bounded {
			q = `SELECT * FROM (` + q + `)`
		}
		arms = append(arms, q)
		args = append(args, a...)
	}
	if len(arms) == 0 {
		return "", nil
	}
	order := make([]string, len(pl.spec.keys))
	for i := range pl.spec.keys {
		order[i] = fmt.Sprintf("k%d", i)
		if !pl.spec.ints[i] {
			order[i] += " COLLATE NOCASE"
		}
		order[i] += dir(asc)
	}
	compound := strings.Join(arms, "\n\t\tUNION ALL ") + `
		ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
	if covering {
		cs := make([]string, len(rowExprs(element{rank: -1})))
		for i := range cs {
			cs[i] = fmt.Sprintf("c%d", i)
		}
		return `SELECT ` + strings.Join(cs, ", ") + ` FROM (` + compound + `) ORDER BY ` + strings.Join(order, ", "), append(args, limit)
	}
	outer := make([]string, len(order))
	for i, o := range order {
		outer[i] = "k." + o
	}
	q := `SELECT ` + rowCols(element{rank: -1}) + ` FROM (` + compound + `) AS k
		CROSS JOIN memberships m ON m.id = k.mid ORDER BY ` + strings.Join(outer, ", ")
	return q, append(args, limit)
}

// byRank is the elements a page of a role sort needs: read in rank order
// from the cursor's rank, once the whole roles after it hold limit rows,
// the roles after those have nothing to give, and are not read. Only
// elements that read whole arms (size, no search) tell; otherwise, and
// for other sorts, it is every element.
func (pl *memberPlan) byRank(asc bool, vals []any, keyed bool, limit int) []element {
	if !pl.spec.rank {
		return pl.elems
	}
	held := map[int]int{} // members per rank
	for _, e := range pl.elems {
		if e.rank < 0 || e.size == 0 {
			return pl.elems
		}
		held[e.rank] += e.size
	}
	ranks := make([]int, 0, len(held))
	for r := range held {
		ranks = append(ranks, r)
	}
	slices.Sort(ranks)
	if !asc {
		slices.Reverse(ranks)
	}
	after := func(a, b int) bool { return a > b == asc && a != b } // a comes after b
	n := 0
	for _, r := range ranks {
		// The cursor's rank gives only what follows the cursor, and
		// those before it nothing (elementSQL): neither counts.
		if keyed && !after(r, int(vals[0].(int64))) {
			continue
		}
		if n += held[r]; n < limit {
			continue
		}
		out := make([]element, 0, len(pl.elems))
		for _, e := range pl.elems {
			if !after(e.rank, r) {
				out = append(out, e)
			}
		}
		return out
	}
	return pl.elems
}

// count counts the rows of elems, up to limit.
func (s *Store) count(ctx context.Context, elems []element, limit int) (int, error) {
	if len(elems) == 0 {
		return 0, nil
	}
	parts := make([]string, len(elems))
	var args []any
	for i, e := range elems {
		parts[i] = `SELECT 1 FROM ` + e.from + ` WHERE ` + strings.Join(e.where, " AND ")
		args = append(append(args, e.fromArgs...), e.args...)
	}
	var n int
	err := s.membersQueryRow(ctx, `SELECT COUNT(*) FROM (`+strings.Join(parts, " UNION ALL ")+` LIMIT ?)`, append(args, limit)...).Scan(&n)
	return n, err
}

// tally sums the counts of a plan's parts; a part counted to its limit
// makes the total a lower bound.
type tally struct {
	n       int
	atLeast bool
}

func (t *tally) add(n, limit int) {
	if n > limit {
		n, t.atLeast = limit, true
	}
	t.n += n
}

// planMembers picks the elements of a page and counts the matching members.
func (s *Store) planMembers(ctx context.Context, orgID int64, q MemberQuery, spec sortSpec, search string) (*memberPlan, error) {
	pl := &memberPlan{orgID: orgID, groupID: q.GroupID, teamID: q.TeamID, q: q, spec: spec, search: search,
		whole: q.GroupID == 0 && q.TeamID == 0 && q.Role == "" && q.Status == ""}
	// The pairs, with the organization's size and the highest membership
	// id (the slack of a search count, see planEmails) in the same read.
	// Only a group of this organization lists anyone.
	sqlText := `SELECT role, status, n, (SELECT MAX(id) FROM memberships) FROM member_counts WHERE org_id = ?1 AND n > 0`
	args := []any{orgID}
	switch {
	case q.TeamID != 0:
		// A team has no counts kept: its members are counted from its
		// rows (a team is a few hundred, its primary key a range), within
		// the group when there is one.
		sqlText = `SELECT m.role, m.status, COUNT(*), 0 FROM team_members tm CROSS JOIN memberships m ON m.id = tm.membership_id
			WHERE tm.team_id = (SELECT id FROM teams WHERE id = ?2 AND org_id = ?1)`
		args = append(args, q.TeamID)
		if q.GroupID != 0 {
			sqlText += ` AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ?3 AND gm.membership_id = m.id)`
			args = append(args, q.GroupID)
		}
		sqlText += ` GROUP BY m.role, m.status`
	case q.GroupID != 0:
		sqlText = `SELECT role, status, n, 0 FROM group_member_counts
			WHERE group_id = (SELECT id FROM groups WHERE id = ?2 AND org_id = ?1) AND n > 0`
		args = append(args, q.GroupID)
	}
	rows, err := s.membersQuery(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a arm
		var maxID sql.NullInt64
		if err := rows.Scan(&a.role, &a.status, &a.n, &maxID); err != nil {
			return nil, err
		}
		pl.slack = int(maxID.Int64)
		if q.GroupID == 0 && q.TeamID == 0 {
			pl.orgSize += a.n
		}
		if (q.Role == "" || a.role == string(q.Role)) && (q.Status == "" || a.status == q.Status) {
			pl.arms = append(pl.arms, a)
		}
	}
	if err := rows.Err(); err != nil || len(pl.arms) == 0 {
		return pl, err
	}
	rows.Close()
	pl.slack -= pl.orgSize
	if q.TeamID != 0 {
		if done, err := s.planSmallTeam(ctx, pl); done || err != nil {
			return pl, err
		}
	}
	switch {
	case search == "":
		for _, a := range pl.arms {
			pl.total += a.n
		}
		pl.elems = pl.along(spec.order, nil, false)
		return pl, nil
	case utf8.RuneCountInString(search) < 3:
		return pl, s.planPrefix(ctx, pl)
	}
	return pl, s.planSubstring(ctx, pl)
}

// memberSlack is how many memberships other organizations hold at most
// (MAX(memberships.id) − the organization's members).
func (s *Store) memberSlack(ctx context.Context, pl *memberPlan) (int, error) {
	if pl.groupID == 0 && pl.teamID == 0 {
		return pl.slack, nil
	}
	var slack int
	err := s.membersQueryRow(ctx, `SELECT COALESCE((SELECT MAX(id) FROM memberships), 0) - COALESCE((SELECT SUM(n) FROM member_counts WHERE org_id = ?), 0)`,
		pl.orgID).Scan(&slack)
	return slack, err
}

// planPrefix plans a short search (one or two characters), too short for
// trigrams: names or emails starting with it, compared like the columns
// (NOCASE). Two disjoint parts, each a range of its own index: the part in
// the sort's order (names, or emails for the email sort) is read in order;
// the other part (emails not starting like the name, or the reverse) is
// sorted when it is small and otherwise dense enough that walking the sort
// order with its condition fills a page quickly.
func (s *Store) planPrefix(ctx context.Context, pl *memberPlan) error {
	lo, hi := pl.search, pl.search+"\U0010FFFF"
	starts := func(col func(c cols) string, not func(c cols) string) pred {
		return func(c cols) (string, []any) {
			w := col(c) + " >= ? AND " + col(c) + " < ?"
			args := []any{lo, hi}
			if not != nil {
				w += " AND NOT (" + not(c) + " >= ? AND " + not(c) + " < ?)"
				args = append(args, lo, hi)
			}
			return w, args
		}
	}
	name := func(c cols) string { return c.name }
	email := func(c cols) string { return c.email }
	type part struct {
		order string
		p     pred
		n     int
		exact bool // n is exact, whatever its size
	}
	first := part{order: "name", p: starts(name, nil)}
	rest, restAll := part{order: "email", p: starts(email, name)}, starts(email, nil)
	if pl.spec.order == "email" {
		first = part{order: "email", p: starts(email, nil)}
		rest, restAll = part{order: "name", p: starts(name, email)}, starts(name, nil)
	}
	var err error
	if first.n, first.exact, err = s.prefixCount(ctx, pl, first.order, first.p); err != nil {
		return err
	}
	// The rest: none when nothing starts so in its own column, all of those
	// when nothing does in the first's; else counted.
	if rest.n, rest.exact, err = s.prefixCount(ctx, pl, rest.order, restAll); err != nil {
		return err
	}
	if rest.n > 0 && first.n > 0 {
		rest.exact = false
		if rest.n, err = s.count(ctx, pl.along(rest.order, rest.p, false), searchCountCap+1); err != nil {
			return err
		}
	}
	var t tally
	for _, pt := range []part{first, rest} {
		if pt.exact {
			t.n += pt.n
		} else {
			t.add(pt.n, searchCountCap)
		}
		switch {
		case pt.n == 0:
		case pt.order == pl.spec.order:
			pl.elems = append(pl.elems, pl.along(pt.order, pt.p, false)...)
		case pt.n <= searchCountCap:
			pl.elems = append(pl.elems, pl.along(pt.order, pt.p, true)...)
		default:
			pl.elems = append(pl.elems, pl.along(pl.spec.order, pt.p, false)...)
		}
	}
	pl.total, pl.atLeast = t.n, t.atLeast
	return nil
}

// prefixCount counts the plan's members whose name (order "name") or email
// (p) starts with the search, up to searchCountCap+1. In the whole
// organization names are summed from member_names when few distinct names
// start so (exact, whatever the total), and emails are counted on the
// narrow memberships_org_email.
func (s *Store) prefixCount(ctx context.Context, pl *memberPlan, order string, p pred) (n int, exact bool, err error) {
	if pl.whole && order == "email" {
		e := element{from: "memberships m INDEXED BY memberships_org_email", where: []string{"m.org_id = ?"}, args: []any{pl.orgID}}
		e.add(p)
		n, err = s.count(ctx, []element{e}, searchCountCap+1)
		return n, false, err
	}
	if pl.whole {
		var names int
		if err := s.membersQueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT n FROM member_names
			WHERE org_id = ? AND name >= ? AND name < ? LIMIT ?)`, pl.orgID, pl.search, pl.search+"\U0010FFFF", nameListLimit+1).Scan(&names, &n); err != nil {
			return 0, false, err
		}
		if names <= nameListLimit {
			return n, true, nil
		}
	}
	n, err = s.count(ctx, pl.along(order, p, false), searchCountCap+1)
	return n, false, err
}

// nameCount is one distinct name of an organization and its members.
type nameCount struct {
	name string
	n    int
}

// matchingNames returns the organization's distinct names containing the
// search (member_names, migration 11), or many when there are more than
// nameListLimit (or other organizations' names crowd the trigram index).
func (s *Store) matchingNames(ctx context.Context, orgID int64, search string) (names []nameCount, many bool, err error) {
	limit := 4 * (nameListLimit + 1)
	rows, err := s.membersQuery(ctx, `SELECT n.org_id, n.name, n.n
		FROM (SELECT rowid AS id FROM member_names_search WHERE member_names_search MATCH ? LIMIT ?) AS hit
		CROSS JOIN member_names n ON n.id = hit.id`, ftsPhrase(search), limit)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	examined := 0
	for rows.Next() {
		var nc nameCount
		var org int64
		if err := rows.Scan(&org, &nc.name, &nc.n); err != nil {
			return nil, false, err
		}
		examined++
		if org != orgID {
			continue
		}
		if names = append(names, nc); len(names) > nameListLimit {
			return nil, true, nil
		}
	}
	return names, examined == limit, rows.Err()
}

// planSubstring plans a search of three characters or more: names or
// emails containing it (trigrams; the tokenizer's case folding). Members
// whose name contains it are those of the organization's distinct names
// that do (few, usually: names repeat): read name by name, in order for
// the name and role sorts, counted from member_names. Members whose email
// contains it (and whose name does not) come from the trigram index of
// emails, sorted. A part too large to sort is dense, and the page walks the
// sort order with the search as its condition.
func (s *Store) planSubstring(ctx context.Context, pl *memberPlan) error {
	names, many, err := s.matchingNames(ctx, pl.orgID, pl.search)
	if err != nil {
		return err
	}
	if many {
		return s.planManyNames(ctx, pl)
	}
	list := make([]any, len(names))
	for i, nc := range names {
		list[i] = nc.name
	}
	listed := func(c cols) (string, []any) { return c.name + " IN (" + placeholders(len(list)) + ")", list }
	var t tally
	var nameElems []element
	if len(names) > 0 {
		n := 0
		if pl.whole {
			for _, nc := range names {
				n += nc.n
			}
		} else if n, err = s.count(ctx, pl.along("name", listed, false), searchCountCap+1); err != nil {
			return err
		}
		if pl.whole {
			t.n += n // exact, whatever its size
		} else {
			t.add(n, searchCountCap)
		}
		arms := 1
		if !pl.whole {
			arms = len(pl.arms)
		}
		switch {
		case n == 0:
		case pl.spec.order == "name":
			nameElems = pl.along("name", listed, false)
		case pl.spec.order == "email" && len(names)*arms <= maxNameRanges:
			// Within one name the name indexes are in email order: one
			// range per name, merged.
			for _, nc := range names {
				nameElems = append(nameElems, pl.along("name", func(c cols) (string, []any) {
					return c.name + " = ?", []any{nc.name}
				}, false)...)
			}
		case n <= searchCountCap:
			nameElems = pl.along("name", listed, true)
		default:
			nameElems = pl.along(pl.spec.order, listed, false)
		}
	}
	// Emails: those of listed names are counted already.
	emails, emailElems, err := s.planEmails(ctx, pl, names, listed)
	if err != nil {
		return err
	}
	t.add(emails, searchCountCap)
	pl.total, pl.atLeast = t.n, t.atLeast
	if emails <= searchCountCap {
		pl.elems = append(nameElems, emailElems...)
		return nil
	}
	// Dense: one walk of the sort order for both parts.
	pl.elems = pl.along(pl.spec.order, func(c cols) (string, []any) {
		w, args := pl.emailHas(c)
		if len(names) > 0 {
			lw, largs := listed(c)
			w, args = "("+lw+" OR "+w+")", append(largs, args...)
		}
		return w, args
	}, false)
	return nil
}

// planEmails plans the members whose email contains the search and whose
// name is not listed: their number, up to searchCountCap+1, and the
// elements that read them (none when there are more: the part is dense,
// and the caller walks). When the organization holds nearly every
// membership, the trigram index of emails alone tells a dense part:
// memberships elsewhere number at most slack = MAX(memberships.id) − its
// members, so G matches mean at least G − slack − (members counted by
// name) here. A small part is read from that index and sorted.
func (s *Store) planEmails(ctx context.Context, pl *memberPlan, names []nameCount, listed pred) (int, []element, error) {
	has := func(c cols) (string, []any) {
		w, args := pl.emailHas(c)
		if len(names) > 0 {
			lw, largs := listed(c)
			w, args = w+" AND NOT "+lw, append(args, largs...)
		}
		return w, args
	}
	slack, err := s.memberSlack(ctx, pl)
	if err != nil {
		return 0, nil, err
	}
	if slack > searchCountCap {
		// Many memberships elsewhere: join the matches to the organization.
		q, args, err := s.emailMatches(ctx, pl.search)
		if err != nil {
			return 0, nil, err
		}
		e := pl.emailElement(names, listed, `(`+q+`) AS hit`, args)
		n, err := s.count(ctx, []element{e}, searchCountCap+1)
		if err != nil || n == 0 || n > searchCountCap {
			return n, nil, err
		}
		return n, []element{e}, nil
	}
	byName := 0
	for _, nc := range names {
		byName += nc.n
	}
	// The matches, read once: the count and the page read them by id.
	limit := searchCountCap + slack + byName + 1
	q, args, err := s.emailMatches(ctx, pl.search)
	if err != nil {
		return 0, nil, err
	}
	rows, err := s.membersQuery(ctx, q+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return 0, nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return 0, nil, err
	}
	if len(ids) == limit {
		if pl.whole {
			return len(ids) - slack - byName, nil, nil // dense: more than the cap
		}
		// Dense in the organization; under a filter, walk its arms with
		// the condition as far as the count needs (and, when it finds
		// few, read them whole: the count did as much).
		n, err := s.count(ctx, pl.along(pl.spec.order, has, false), searchCountCap+1)
		if err != nil || n == 0 || n > searchCountCap {
			return n, nil, err
		}
		return n, pl.along(pl.spec.order, has, true), nil
	}
	list, _ := json.Marshal(ids)
	e := pl.emailElement(names, listed, `(SELECT value AS id FROM json_each(?)) AS hit`, []any{string(list)})
	if pl.whole && slack == 0 && len(names) == 0 {
		// The organization holds every membership: each match is one of
		// its members, none counted by name.
		return len(ids), []element{e}, nil
	}
	n, err := s.count(ctx, []element{e}, searchCountCap+1)
	if err != nil || n == 0 || n > searchCountCap {
		return n, nil, err
	}
	return n, []element{e}, nil
}

// emailElement reads the members whose email contains the search and
// whose name is not listed, from the matches' ids (from: a subquery named
// hit with their column id, and its arguments).
func (pl *memberPlan) emailElement(names []nameCount, listed pred, from string, args []any) element {
	var p pred
	if len(names) > 0 {
		p = func(c cols) (string, []any) { w, args := listed(c); return "NOT " + w, args }
	}
	return pl.driven(from, args, p)
}

// emailMatches is a query of the ids of the memberships whose email
// contains search (three characters or more), in id order, and its
// arguments. The plain query is search as one trigram phrase, which reads
// every trigram's list: for "member4242" at a million members, five lists
// of a million entries each (every email has "mem", "ber", …). When some
// of an ASCII search's trigrams are rare (rareTrigrams), the index is asked
// for the few rarest alone, and each candidate's email is checked for the
// search itself: LIKE, which folds ASCII case as the trigram tokenizer
// does; an email with other characters (one of which might fold to ASCII,
// like the Kelvin sign) is checked by the phrase. Same rows, same order.
func (s *Store) emailMatches(ctx context.Context, search string) (string, []any, error) {
	phrase := `SELECT rowid AS id FROM member_emails WHERE member_emails MATCH ?`
	rare, err := s.rareTrigrams(ctx, search)
	if err != nil || len(rare) == 0 {
		return phrase, []any{ftsPhrase(search)}, err
	}
	terms := make([]string, len(rare))
	for i, t := range rare {
		terms[i] = ftsPhrase(t)
	}
	return `SELECT m.id FROM member_emails e CROSS JOIN memberships m ON m.id = e.rowid
		WHERE e.member_emails MATCH ? AND (` + likeClause("m.user_email") + `
			OR (m.user_email GLOB ? AND m.id IN (` + phrase + `)))`,
		[]any{strings.Join(terms, " AND "), "%" + likeEscape(search) + "%", nonASCIIGlob, ftsPhrase(search)}, nil
}

// nonASCIIGlob matches a text with a character outside ASCII.
const nonASCIIGlob = "*[^\x01-\x7f]*"

// Rare trigrams: the maxRareTrigrams rarest, when the rarest spans at most
// maxRarePages leaf pages of the index (a page holds several hundred
// entries: "r42" of a million emails is 11,111 entries on 18 pages), so
// the candidates are few whatever the others.
const (
	maxRareTrigrams = 3
	maxRarePages    = 32
)

// rareTrigrams picks the rarest trigrams of an ASCII search (lowercased,
// as the index stores them), rarest first, or none when the search has
// no more distinct trigrams than would be picked (the phrase reads the
// same lists) or the rarest is not rare. How many documents hold a trigram
// fts5vocab only tells by reading its whole list (30 ms for one of a
// million entries), so rarity is read from the index's own b-tree:
// member_emails_idx has, per segment, a row for each leaf page on which a
// term starts (its key: '0', the main index's prefix byte, then the
// term's leading bytes), so the page numbers of the rows around a term
// bound the pages its list spans (a term absent from a segment spans at
// most one). An estimate only: a wrong one makes the query slower, never
// its answer different.
func (s *Store) rareTrigrams(ctx context.Context, search string) ([]string, error) {
	// An email has no spaces: the phrase of a search with one (a name)
	// ends at once, on a trigram in no email's list, so the estimate
	// would only add a statement.
	if !isASCII(search) || strings.ContainsAny(search, " \t") {
		return nil, nil
	}
	lower := strings.ToLower(search)
	seen := map[string]bool{}
	var grams []string
	for i := 0; i+3 <= len(lower); i++ {
		if g := lower[i : i+3]; !seen[g] {
			seen[g] = true
			grams = append(grams, g)
		}
	}
	if len(grams) <= maxRareTrigrams {
		return nil, nil
	}
	list, _ := json.Marshal(grams)
	rows, err := s.membersQuery(ctx, `WITH RECURSIVE seg(id) AS (SELECT MIN(segid) FROM member_emails_idx
			UNION ALL SELECT (SELECT MIN(segid) FROM member_emails_idx WHERE segid > seg.id) FROM seg WHERE seg.id IS NOT NULL)
		SELECT t.value, (SELECT SUM(
			COALESCE((SELECT i.pgno FROM member_emails_idx i WHERE i.segid = seg.id AND i.term > t.term ORDER BY i.term LIMIT 1), 1 << 30)
			- COALESCE((SELECT i.pgno FROM member_emails_idx i WHERE i.segid = seg.id AND i.term <= t.term ORDER BY i.term DESC LIMIT 1), 0))
			FROM seg WHERE seg.id IS NOT NULL)
		FROM (SELECT value, CAST('0' || value AS BLOB) AS term FROM json_each(?)) AS t`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pages := map[string]int64{}
	for rows.Next() {
		var g string
		var n sql.NullInt64
		if err := rows.Scan(&g, &n); err != nil {
			return nil, err
		}
		pages[g] = n.Int64 // NULL: no segment, an empty index
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(grams, func(a, b string) int { return cmp.Compare(pages[a], pages[b]) })
	if pages[grams[0]] > maxRarePages {
		return nil, nil
	}
	return grams[:maxRareTrigrams], nil
}

// emailHas is "the email contains the search" for a walk: LIKE, whose
// ASCII case folding is the trigram tokenizer's for an ASCII search; a
// search with other characters asks the trigram index.
func (pl *memberPlan) emailHas(c cols) (string, []any) {
	if isASCII(pl.search) {
		return likeClause(c.email), []any{"%" + likeEscape(pl.search) + "%"}
	}
	return c.id + " IN (SELECT rowid FROM member_emails WHERE member_emails MATCH ?)", []any{ftsPhrase(pl.search)}
}

func likeClause(col string) string { return col + ` LIKE ? ESCAPE '\'` }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// planManyNames plans a search found in many distinct names: counted from
// the trigram index of accounts (bounded), read from it and sorted when
// that is at most searchCountCap members, else walked in sort order.
func (s *Store) planManyNames(ctx context.Context, pl *memberPlan) error {
	drive := pl.driven(`(SELECT m2.id FROM users_search fs CROSS JOIN memberships m2 ON m2.org_id = ? AND m2.user_id = fs.rowid
		WHERE fs.users_search MATCH ?) AS hit`, []any{pl.orgID, ftsPhrase(pl.search)}, nil)
	n, known := 0, false
	var err error
	if pl.whole {
		if n, known, err = s.searchBound(ctx, pl.orgID, pl.search); err != nil {
			return err
		}
	}
	if !known {
		if n, err = s.count(ctx, []element{drive}, searchCountCap+1); err != nil {
			return err
		}
	}
	var t tally
	t.add(n, searchCountCap)
	pl.total, pl.atLeast = t.n, t.atLeast
	if n <= searchCountCap {
		if n > 0 {
			pl.elems = []element{drive}
		}
		return nil
	}
	pl.elems = pl.along(pl.spec.order, pl.nameOrEmailHas, false)
	return nil
}

// nameOrEmailHas is "the name or the email contains the search" (three
// characters or more) for a walk: LIKE for an ASCII search, as emailHas;
// else the trigram index of accounts.
func (pl *memberPlan) nameOrEmailHas(c cols) (string, []any) {
	if isASCII(pl.search) {
		like := "%" + likeEscape(pl.search) + "%"
		return "(" + likeClause(c.name) + " OR " + likeClause(c.email) + ")", []any{like, like}
	}
	return c.id + ` IN (SELECT m2.id FROM users_search fs CROSS JOIN memberships m2 ON m2.org_id = ? AND m2.user_id = fs.rowid
			WHERE fs.users_search MATCH ?)`, []any{pl.orgID, ftsPhrase(pl.search)}
}

// planSmallTeam plans a page of a team of at most searchCountCap members
// (after the role, status and group filters): read by id from the team's
// primary key with the search as a condition, and sorted, counted exactly.
// A larger team is planned like the organization, every element checked
// against the team (inTeam). done is false for a larger team.
func (s *Store) planSmallTeam(ctx context.Context, pl *memberPlan) (done bool, err error) {
	n := 0
	for _, a := range pl.arms {
		n += a.n
	}
	if n > searchCountCap {
		return false, nil
	}
	var p pred
	switch {
	case pl.search == "":
	case utf8.RuneCountInString(pl.search) < 3:
		// Names or emails starting with it, as planPrefix reads them.
		lo, hi := pl.search, pl.search+"\U0010FFFF"
		p = func(c cols) (string, []any) {
			return "(" + c.name + " >= ? AND " + c.name + " < ? OR " + c.email + " >= ? AND " + c.email + " < ?)", []any{lo, hi, lo, hi}
		}
	default:
		p = pl.nameOrEmailHas
	}
	e := pl.driven(`(SELECT membership_id AS id FROM team_members WHERE team_id = ?) AS hit`, []any{pl.teamID}, p)
	if p != nil {
		if n, err = s.count(ctx, []element{e}, searchCountCap+1); err != nil {
			return true, err
		}
	}
	pl.total = n
	if n > 0 {
		pl.elems = []element{e}
	}
	return true, nil
}

// searchBound counts a search of the whole organization from the trigram
// index of accounts alone, when the organization holds nearly every
// account (one big organization, as self-hosted instances often are):
// accounts outside it number at most slack = MAX(users.id) − its members,
// so with G accounts matching, at least G − slack members match, and
// exactly G when slack is 0. known is false when the bound does not settle
// the count.
func (s *Store) searchBound(ctx context.Context, orgID int64, search string) (n int, known bool, err error) {
	var slack int
	if err := s.membersQueryRow(ctx, `SELECT COALESCE((SELECT MAX(id) FROM users), 0) - COALESCE((SELECT SUM(n) FROM member_counts WHERE org_id = ?), 0)`,
		orgID).Scan(&slack); err != nil || slack < 0 || slack > searchCountCap {
		return 0, false, err
	}
	var g int
	if err := s.membersQueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users_search WHERE users_search MATCH ? LIMIT ?)`,
		ftsPhrase(search), searchCountCap+slack+1).Scan(&g); err != nil {
		return 0, false, err
	}
	switch {
	case g-slack > searchCountCap:
		return g - slack, true, nil
	case slack == 0:
		return g, true, nil
	}
	return 0, false, nil
}

// searchIndexes are the full-text indexes the members search reads.
var searchIndexes = []string{"users_search", "member_names_search", "member_emails"}

// OptimizeSearch merges each full-text index of the members search into
// one segment (FTS5 'optimize'). A bulk load leaves an index in several
// segments, and a query reads every segment's part of each trigram's
// list, so a bulk import calls this once at its end (migration 12 keeps
// the merging of everyday writes eager).
func (s *Store) OptimizeSearch(ctx context.Context) error {
	return s.Write(ctx, func(tx *Tx) error {
		for _, t := range searchIndexes {
			if _, err := tx.Exec(ctx, `INSERT INTO `+t+`(`+t+`) VALUES ('optimize')`); err != nil {
				return fmt.Errorf("optimize %s: %w", t, err)
			}
		}
		return nil
	})
}

// mergeSearchPages bounds one merge step of one index: about that many
// pages written (FTS5 'merge'), a few milliseconds on the writer.
const mergeSearchPages = 200

// mergeSearchStep merges each search index a bounded step towards one
// segment, when writes pause (the checkpointer calls it): everyday writes
// leave an index in a few segments even with eager merging (migration 12),
// and a query reads each segment's part of every trigram's list. A
// negative 'merge' takes any segments, not only a full level of them. more
// is whether an index is still in more than one segment.
func (s *Store) mergeSearchStep() (more bool) {
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		more = false
		for _, t := range searchIndexes {
			var segs int
			if err := tx.QueryRow(ctx, `SELECT count(DISTINCT segid) FROM `+t+`_idx`).Scan(&segs); err != nil || segs <= 1 {
				if err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+t+`(`+t+`, rank) VALUES ('merge', ?)`, -mergeSearchPages); err != nil {
				return fmt.Errorf("merge %s: %w", t, err)
			}
			if err := tx.QueryRow(ctx, `SELECT count(DISTINCT segid) FROM `+t+`_idx`).Scan(&segs); err != nil {
				return err
			}
			more = more || segs > 1
		}
		return nil
	})
	return err == nil && more // an error (a closed store): try after the next writes
}

// ftsPhrase quotes a search as one FTS5 phrase (trigrams: a substring match).
func ftsPhrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// MemberCounts is how many members an organization has per role and
// status (the member_counts table, kept by triggers).
type MemberCounts map[[2]string]int

// Count sums the members of role and status ("" = any).
func (mc MemberCounts) Count(role access.Role, status string) int {
	n := 0
	for k, v := range mc {
		if (role == "" || k[0] == string(role)) && (status == "" || k[1] == status) {
			n += v
		}
	}
	return n
}

// MemberCounts reads an organization's counts: a few rows, whatever its size.
func (s *Store) MemberCounts(ctx context.Context, orgID int64) (MemberCounts, error) {
	rows, err := s.query(ctx, `SELECT role, status, n FROM member_counts WHERE org_id = ? AND n > 0`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	mc := MemberCounts{}
	for rows.Next() {
		var role, status string
		var n int
		if err := rows.Scan(&role, &status, &n); err != nil {
			return nil, err
		}
		mc[[2]string{role, status}] = n
	}
	return mc, rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// Cursors are the sort key of a row, as URL-safe JSON. A cursor that does
// not fit the sort (edited by hand, or from another sort) is ignored.
func encodeCursor(key []any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string, spec sortSpec) ([]any, bool) {
	if c == "" || len(c) > 2048 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var vals []any
	if err := dec.Decode(&vals); err != nil || len(vals) != len(spec.keys) || dec.More() {
		return nil, false
	}
	for i, v := range vals {
		if spec.ints[i] {
			n, ok := v.(json.Number)
			if !ok {
				return nil, false
			}
			iv, err := n.Int64()
			if err != nil {
				return nil, false
			}
			vals[i] = iv
		} else if _, ok := v.(string); !ok {
			return nil, false
		}
	}
	return vals, true
}

// GroupRefs lists an organization's groups by name, without member counts
// (filters and checkboxes).
func (s *Store) GroupRefs(ctx context.Context, orgID int64) ([]GroupRef, error) {
	rows, err := s.query(ctx, `SELECT id, name FROM groups WHERE org_id = ? ORDER BY name COLLATE NOCASE`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GroupRef
	for rows.Next() {
		var g GroupRef
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// OrgGroupSets lists an organization's groups with their sets, by name,
// inside a transaction (invites and group changes are checked against them).
func (tx *Tx) OrgGroupSets(ctx context.Context, orgID int64) ([]domain.Group, error) {
	return collectPlainGroups(tx.Query(ctx, `SELECT `+groupCols+` FROM groups g WHERE g.org_id = ? ORDER BY g.name COLLATE NOCASE`, orgID))
}

// MemberInfo is a membership with its user, for member changes.
type MemberInfo struct {
	domain.Membership
	Name         string
	Email        string
	PhotoVersion int64
}

// memberInfoQuery loads a membership of an organization with its user.
const memberInfoQuery = `SELECT ` + membershipCols + `, u.name, u.email, u.photo_version
	FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.id = ? AND m.org_id = ?`

func scanMemberInfo(row *sql.Row, now int64) (MemberInfo, error) {
	var mi MemberInfo
	err := scanMembership(row, &mi.Membership, now, &mi.Name, &mi.Email, &mi.PhotoVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return MemberInfo{}, ErrNotFound
	}
	return mi, err
}

// MemberInfo loads a membership of orgID with its user (another org's id is ErrNotFound).
func (r reads) MemberInfo(ctx context.Context, orgID, id int64) (MemberInfo, error) {
	return scanMemberInfo(r.q.queryRow(ctx, memberInfoQuery, id, orgID), r.Now())
}

// ForcePasswordReset makes the user set a new password at next login and
// ends every session they have; returns how many sessions ended.
func (tx *Tx) ForcePasswordReset(ctx context.Context, userID int64) (int64, error) {
	if err := tx.execOne(ctx, `UPDATE users SET must_reset_password = 1 WHERE id = ?`, userID); err != nil {
		return 0, err
	}
	return tx.EndSessions(ctx, userID, "")
}

// EndSessions revokes one live session of the user (id), or all of them
// (id ""); returns how many ended. Scoped to the user, so an id of someone
// else's session ends nothing.
func (tx *Tx) EndSessions(ctx context.Context, userID int64, id string) (int64, error) {
	q := `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`
	args := []any{tx.Now(), userID}
	if id != "" {
		q += ` AND id = ?`
		args = append(args, id)
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// String helps debugging a query in tests.
func (q MemberQuery) String() string {
	return fmt.Sprintf("search=%q role=%q status=%q group=%d team=%d sort=%s desc=%v", q.Search, q.Role, q.Status, q.GroupID, q.TeamID, q.Sort, q.Desc)
}
