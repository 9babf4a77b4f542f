package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gatehouse/internal/access"
)

// MemberRow is one line of the members list.
type MemberRow struct {
	Membership
	Name         string
	Email        string
	PhotoVersion int64
	Groups       []GroupRef
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

// sortSpec is a keyset order. Every spec ends in m.id, so it is total; the
// index holds the leading columns (and the rowid implicitly), so walking it
// in order never needs a sort.
type sortSpec struct {
	index string
	cols  []string
	ints  []bool // which cols are integers (cursor decoding)
	rank  bool   // the key needs m.role_rank, read with the row
	// key is a row's sort key (cursor), from the columns read with it.
	key func(r *MemberRow, rank int64) []any
}

var memberSorts = map[string]sortSpec{
	SortName: {"memberships_org_name", []string{"m.user_name", "m.user_email", "m.id"}, []bool{false, false, true}, false,
		func(r *MemberRow, _ int64) []any { return []any{r.Name, r.Email, r.ID} }},
	SortEmail: {"memberships_org_email", []string{"m.user_email", "m.id"}, []bool{false, true}, false,
		func(r *MemberRow, _ int64) []any { return []any{r.Email, r.ID} }},
	SortRole: {"memberships_org_rank", []string{"m.role_rank", "m.user_name", "m.user_email", "m.id"}, []bool{true, false, false, true}, true,
		func(r *MemberRow, rank int64) []any { return []any{rank, r.Name, r.Email, r.ID} }},
	SortActive: {"memberships_org_active", []string{"m.last_active", "m.id"}, []bool{true, true}, false,
		func(r *MemberRow, _ int64) []any { return []any{r.LastActiveAt, r.ID} }},
}

// ValidMemberSort reports whether s is a sort key of the members list.
func ValidMemberSort(s string) bool { _, ok := memberSorts[s]; return ok }

// Plan thresholds (variables so tests can shrink them and run every plan).
var (
	// driveLimit: a filter matching at most this many members drives the
	// query from its own index and sorts them; broader filters walk the sort
	// index and stop after one page.
	driveLimit = 5000
	// searchCountCap bounds the counting of broad searches ("1,000+").
	searchCountCap = 1000
	// prefixCountLimit bounds the counting of short searches, whose counts
	// are cheap index ranges and also tell whether a part is empty.
	prefixCountLimit = 20000
	// groupCountCap bounds counting a group crossed with a role or status.
	groupCountCap = 10000
)

// ListMembers returns one page of an organization's members. Every plan is
// bounded: a selective filter (a small group, a rare status, a specific
// search) is read from its own index and only its rows are sorted; a broad
// one walks the sort index and stops after one page, at any depth (keyset
// cursors, no OFFSET).
func (s *Store) ListMembers(ctx context.Context, orgID int64, q MemberQuery) (MemberPage, error) {
	spec, ok := memberSorts[q.Sort]
	if !ok {
		spec = memberSorts[SortName]
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	f := memberFilter{orgID: orgID, q: q}
	f.search = strings.TrimSpace(q.Search)
	if utf8.RuneCountInString(f.search) > 100 {
		f.search = string([]rune(f.search)[:100])
	}

	var page MemberPage
	var err error
	if page.Total, page.AtLeast, err = s.choosePlan(ctx, &f); err != nil {
		return MemberPage{}, err
	}

	forward := q.Before == "" && !q.Last
	cursor := q.After
	if !forward {
		cursor = q.Before
	}
	sqlText, args, keyed := f.pageSQL(spec, forward, cursor)
	rows, err := s.query(ctx, sqlText, args...)
	if err != nil {
		return MemberPage{}, err
	}
	defer rows.Close()
	var ranks []int64
	page.Rows = make([]MemberRow, 0, q.Limit+1)
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
	return page, nil
}

// memberRowCols are a list row: the membership and its copies of the user's
// name, email (the sort keys) and photo version (migration 3), all of them
// in memberships_org_name, so a name-sorted page touches no table. Groups
// are attached after (attachGroups).
const memberRowCols = membershipCols + `, m.user_name, m.user_email, m.user_photo_version`

// pageSQL is the page query: rows strictly after (or before) the cursor in
// sort order, one more than a page to tell whether another page follows.
// A walk of the sort index reads the rows as it goes, in index order (no
// sort); a driven plan first picks the page by its keys alone and only
// then joins those rows, so it sorts keys, not whole rows.
func (f *memberFilter) pageSQL(spec sortSpec, forward bool, cursor string) (string, []any, bool) {
	cols := memberRowCols
	if spec.rank {
		cols += ", m.role_rank"
	}
	if f.driver == "" {
		return f.keysSQL(spec, forward, cursor, cols)
	}
	keys := make([]string, len(spec.cols))
	order := make([]string, len(spec.cols))
	for i, c := range spec.cols {
		keys[i] = fmt.Sprintf("%s AS k%d", c, i)
		order[i] = fmt.Sprintf("k%d", i)
		if !spec.ints[i] {
			order[i] += " COLLATE NOCASE"
		}
		if f.q.Desc != !forward {
			order[i] += " DESC"
		}
	}
	keyCols := "m.id AS mid, " + strings.Join(keys, ", ")
	var inner string
	var args []any
	var keyed bool
	if f.driver == "prefix" {
		// Two disjoint parts, each its page in sort order, merged: the
		// range of the sort's own index (read in order, stops after a page)
		// and the rest of the matches.
		first, rest := f.part(prefixParts(spec))
		var aArgs []any
		inner, aArgs, keyed = first.keysSQL(spec, forward, cursor, keyCols)
		args = aArgs
		if !f.restEmpty {
			b, bArgs, _ := rest.keysSQL(spec, forward, cursor, keyCols)
			inner = `SELECT * FROM (SELECT * FROM (` + inner + `) UNION ALL SELECT * FROM (` + b + `)) ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
			args = append(append(aArgs, bArgs...), f.q.Limit+1)
		}
	} else {
		inner, args, keyed = f.keysSQL(spec, forward, cursor, keyCols)
	}
	sqlText := `SELECT ` + cols + `
		FROM (` + inner + `) AS k CROSS JOIN memberships m ON m.id = k.mid
		ORDER BY k.` + strings.Join(order, ", k.")
	return sqlText, args, keyed
}

// Short searches (one or two characters) match names or emails starting
// with them: two index ranges, N (names, in memberships_org_name, which also
// holds the email) and E (emails, in memberships_org_email). A page is
// merged from two disjoint parts: the range of the sort's own index, which
// is read in order and stops after a page, and the other range minus the
// first, sorted. Drivers:
//
//	pn   N                     (memberships_org_name)
//	pe   E                     (memberships_org_email)
//	pnx  N not in E            (memberships_org_name alone: it holds both columns)
//	pex  E not in N            (E's ids EXCEPT those of N ∩ E, both read from indexes only)
//	pne  N ∩ E, for counting   (memberships_org_name alone)
func prefixParts(spec sortSpec) (first, rest string) {
	if spec.index == "memberships_org_email" {
		return "pe", "pnx"
	}
	return "pn", "pex"
}

// part returns copies of f driven by the given drivers.
func (f *memberFilter) part(drivers ...string) (memberFilter, memberFilter) {
	a, b := *f, *f
	a.driver = drivers[0]
	b.driver = drivers[1]
	return a, b
}

// keysSQL selects cols of the rows of one page from the plan's tables, in
// sort order.
func (f *memberFilter) keysSQL(spec sortSpec, forward bool, cursor, cols string) (string, []any, bool) {
	where, args := f.where()
	vals, keyed := decodeCursor(cursor, spec)
	if keyed {
		op := ">"
		if forward == f.q.Desc {
			op = "<"
		}
		where += " AND (" + strings.Join(spec.cols, ", ") + ") " + op + " (" + placeholders(len(vals)) + ")"
		args = append(args, vals...)
	}
	desc := f.q.Desc != !forward // reading backwards flips the order; the caller reverses the rows
	order := make([]string, len(spec.cols))
	for i, c := range spec.cols {
		order[i] = c
		if desc {
			order[i] += " DESC"
		}
	}
	sqlText := `SELECT ` + cols + ` FROM ` + f.from(spec) + `
		WHERE ` + where + ` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
	return sqlText, append(append(f.fromArgs(), args...), f.q.Limit+1), keyed
}

// memberFilter is a members query's WHERE clause and its driving index.
type memberFilter struct {
	orgID  int64
	q      MemberQuery
	search string
	driver string // "", "group", "status", "role", "search", "prefix" (and its parts, see prefixParts)
	// restEmpty: a short search's second part is known to be empty.
	restEmpty bool
}

// prefixRange is the range of names (and emails) starting with a short
// search, compared case-insensitively like the columns (NOCASE).
func (f *memberFilter) prefixRange() (string, string) {
	return f.search, f.search + "\U0010FFFF"
}

// like matches the search anywhere in name or email (the fallback for
// short or broad searches, where the trigram index does not help).
func (f *memberFilter) like() string { return "%" + likeEscape(f.search) + "%" }

// where is the filter as SQL over m (and the search table when it drives).
func (f *memberFilter) where() (string, []any) {
	w := []string{"m.org_id = ?"}
	args := []any{f.orgID}
	if f.q.Role != "" {
		w = append(w, "m.role = ?")
		args = append(args, string(f.q.Role))
	}
	if f.q.Status != "" {
		w = append(w, "m.status = ?")
		args = append(args, f.q.Status)
	}
	if f.q.GroupID != 0 && f.driver != "group" {
		w = append(w, "EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.membership_id = m.id)")
		args = append(args, f.q.GroupID)
	}
	lo, hi := f.prefixRange()
	switch {
	case f.search == "" || f.driver == "search" || f.driver == "pex":
	case f.driver == "pn":
		w = append(w, "m.user_name >= ? AND m.user_name < ?")
		args = append(args, lo, hi)
	case f.driver == "pe":
		w = append(w, "m.user_email >= ? AND m.user_email < ?")
		args = append(args, lo, hi)
	case f.driver == "pnx":
		w = append(w, "m.user_name >= ? AND m.user_name < ? AND NOT (m.user_email >= ? AND m.user_email < ?)")
		args = append(args, lo, hi, lo, hi)
	case f.driver == "pne":
		w = append(w, "m.user_name >= ? AND m.user_name < ? AND m.user_email >= ? AND m.user_email < ?")
		args = append(args, lo, hi, lo, hi)
	case utf8.RuneCountInString(f.search) < 3: // the walk of a broad short search
		w = append(w, "(m.user_name >= ? AND m.user_name < ? OR m.user_email >= ? AND m.user_email < ?)")
		args = append(args, lo, hi, lo, hi)
	default:
		if likeEscape(f.search) == f.search {
			// Nothing to escape: LIKE without ESCAPE takes a faster path.
			w = append(w, `(m.user_name LIKE ? OR m.user_email LIKE ?)`)
		} else {
			w = append(w, `(m.user_name LIKE ? ESCAPE '\' OR m.user_email LIKE ? ESCAPE '\')`)
		}
		args = append(args, f.like(), f.like())
	}
	return strings.Join(w, " AND "), args
}

// from names the tables in the order SQLite must read them (CROSS JOIN and
// INDEXED BY pin the plan; the choice was made from counts, which the
// planner does not have without ANALYZE).
func (f *memberFilter) from(spec sortSpec) string {
	switch f.driver {
	case "group":
		return "group_members gd CROSS JOIN memberships m ON m.id = gd.membership_id AND gd.group_id = ?"
	case "search":
		return "users_search fs CROSS JOIN memberships m ON m.user_id = fs.rowid AND fs.users_search MATCH ?"
	case "pn", "pnx", "pne":
		return "memberships m INDEXED BY memberships_org_name"
	case "pe":
		return "memberships m INDEXED BY memberships_org_email"
	case "pex":
		return `(SELECT id FROM memberships INDEXED BY memberships_org_email WHERE org_id = ? AND user_email >= ? AND user_email < ?
			EXCEPT SELECT id FROM memberships INDEXED BY memberships_org_name
			WHERE org_id = ? AND user_name >= ? AND user_name < ? AND user_email >= ? AND user_email < ?) AS hit
			CROSS JOIN memberships m ON m.id = hit.id`
	case "status":
		return "memberships m INDEXED BY memberships_org_status"
	case "role":
		return "memberships m INDEXED BY memberships_org_role"
	}
	return "memberships m INDEXED BY " + spec.index
}

func (f *memberFilter) fromArgs() []any {
	switch f.driver {
	case "group":
		return []any{f.q.GroupID}
	case "search":
		return []any{ftsPhrase(f.search)}
	case "pex":
		lo, hi := f.prefixRange()
		return []any{f.orgID, lo, hi, f.orgID, lo, hi, lo, hi}
	}
	return nil
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

// memberTotals reads from member_counts, in one row, how many members
// have the role and status, the role, and the status ("" = any).
func (s *Store) memberTotals(ctx context.Context, orgID int64, role access.Role, status string) (both, byRole, byStatus int, err error) {
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN ?1 IN ('', role) AND ?2 IN ('', status) THEN n END), 0),
		COALESCE(SUM(CASE WHEN ?1 IN ('', role) THEN n END), 0), COALESCE(SUM(CASE WHEN ?2 IN ('', status) THEN n END), 0)
		FROM member_counts WHERE org_id = ?3`, string(role), status, orgID).Scan(&both, &byRole, &byStatus)
	return both, byRole, byStatus, err
}

// searchBound counts a search of the whole organization without joining
// each match to its membership, when the organization holds nearly every
// account (one big organization, as self-hosted instances often are).
// Accounts outside it number at most slack = MAX(users.id) − its members,
// so with G accounts matching, at least G − slack members match, and
// exactly G when slack is 0. Counting G reads only the trigram index (about
// a quarter of the cost of the join); known is false when the bound does not
// settle the count (more than searchCountCap), and the caller counts the
// matches by joining them to the organization.
func (s *Store) searchBound(ctx context.Context, f *memberFilter) (n int, known bool, err error) {
	var slack int
	if err := s.queryRow(ctx, `SELECT COALESCE((SELECT MAX(id) FROM users), 0) - COALESCE((SELECT SUM(n) FROM member_counts WHERE org_id = ?), 0)`,
		f.orgID).Scan(&slack); err != nil || slack < 0 || slack > searchCountCap {
		return 0, false, err
	}
	var g int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users_search WHERE users_search MATCH ? LIMIT ?)`,
		ftsPhrase(f.search), searchCountCap+slack+1).Scan(&g); err != nil {
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

// countPrefix counts a short search, |N ∪ E| = |N| + |E| − |N ∩ E|, from
// the two index ranges and their overlap (read from memberships_org_name
// alone), each bounded by prefixCountLimit (searchCountCap with a role,
// status or group filter: those read each row). The page is merged from two
// parts (see prefixParts); when the counts show the second part empty (the
// usual case: emails starting like the names), only the first is read. A
// search matching more than the limit walks the sort index instead: its
// matches are dense, and merging would sort a large part.
func (s *Store) countPrefix(ctx context.Context, f *memberFilter, count func(string, int) (int, error)) (int, bool, error) {
	limit := prefixCountLimit
	if f.q.Role != "" || f.q.Status != "" || f.q.GroupID != 0 {
		limit = searchCountCap
	}
	var n, e, both int
	var err error
	for _, c := range []struct {
		driver string
		n      *int
	}{{"pn", &n}, {"pe", &e}, {"pne", &both}} {
		if c.driver == "pne" && (n == 0 || e == 0) {
			break // no overlap
		}
		if *c.n, err = count(c.driver, limit+1); err != nil {
			return 0, false, err
		}
		if *c.n > limit {
			f.driver = ""
			return limit, true, nil
		}
	}
	f.driver = "prefix"
	if first, _ := prefixParts(memberSorts[f.q.Sort]); first == "pn" {
		f.restEmpty = e == both
	} else {
		f.restEmpty = n == both
	}
	return n + e - both, false, nil
}

// choosePlan picks the driving index and returns the number of matching
// members. Role and status counts come from member_counts; a group's from
// its own rows; a search is counted up to searchCountCap.
func (s *Store) choosePlan(ctx context.Context, f *memberFilter) (total int, atLeast bool, err error) {
	count := func(driver string, limit int) (int, error) {
		f.driver = driver
		where, args := f.where()
		q := `SELECT COUNT(*) FROM (SELECT 1 FROM ` + f.from(memberSorts[SortName]) + ` WHERE ` + where + ` LIMIT ?)`
		var n int
		err := s.queryRow(ctx, q, append(append(f.fromArgs(), args...), limit)...).Scan(&n)
		return n, err
	}
	if f.search != "" {
		// Fewer than three characters: names and emails starting with them
		// (countPrefix). Three or more: the trigram index finds substrings;
		// a search matching few members is read from that index and sorted,
		// a broad one walks the sort index and stops after a page.
		if utf8.RuneCountInString(f.search) < 3 {
			return s.countPrefix(ctx, f, count)
		}
		const driver = "search"
		if f.q.Role == "" && f.q.Status == "" && f.q.GroupID == 0 {
			n, known, err := s.searchBound(ctx, f)
			switch {
			case err != nil:
				return 0, false, err
			case known && n > searchCountCap:
				f.driver = ""
				return searchCountCap, true, nil
			case known:
				f.driver = driver
				return n, false, nil
			}
		}
		n, err := count(driver, searchCountCap+1)
		if err != nil || n <= searchCountCap {
			return n, false, err
		}
		f.driver = ""
		return searchCountCap, true, nil
	}
	var byRole, byStatus int
	if f.q.GroupID == 0 || f.q.Role != "" || f.q.Status != "" {
		if total, byRole, byStatus, err = s.memberTotals(ctx, f.orgID, f.q.Role, f.q.Status); err != nil {
			return 0, false, err
		}
	}
	if f.q.GroupID == 0 {
		switch {
		case total > driveLimit || f.q.Role == "" && f.q.Status == "":
			f.driver = ""
		case f.q.Role != "" && (f.q.Status == "" || byRole <= byStatus):
			f.driver = "role"
		default:
			f.driver = "status"
		}
		return total, false, nil
	}
	// Only a group of this organization counts (an id from elsewhere matches nobody).
	var size int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM group_members WHERE group_id = (SELECT id FROM groups WHERE id = ? AND org_id = ?)`,
		f.q.GroupID, f.orgID).Scan(&size); err != nil {
		return 0, false, err
	}
	if f.q.Role == "" && f.q.Status == "" {
		if size <= driveLimit {
			f.driver = "group"
		}
		return size, false, nil
	}
	// Group and role/status: count through the smaller side, bounded.
	both := total
	driver := "group"
	if total < size {
		driver = map[bool]string{true: "role", false: "status"}[f.q.Role != ""]
	}
	if total, err = count(driver, groupCountCap+1); err != nil {
		return 0, false, err
	}
	if min(size, both) > driveLimit {
		f.driver = ""
	}
	if total > groupCountCap {
		return groupCountCap, true, nil
	}
	return total, false, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
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
	if err := dec.Decode(&vals); err != nil || len(vals) != len(spec.cols) {
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
func (tx *Tx) OrgGroupSets(ctx context.Context, orgID int64) ([]Group, error) {
	return collectPlainGroups(tx.Query(ctx, `SELECT `+groupCols+` FROM groups g WHERE g.org_id = ? ORDER BY g.name COLLATE NOCASE`, orgID))
}

// MemberInfo is a membership with its user, for member changes.
type MemberInfo struct {
	Membership
	Name         string
	Email        string
	PhotoVersion int64
}

// memberInfoQuery loads a membership of an organization with its user.
const memberInfoQuery = `SELECT ` + membershipCols + `, u.name, u.email, u.photo_version
	FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.id = ? AND m.org_id = ?`

func scanMemberInfo(row *sql.Row) (MemberInfo, error) {
	var mi MemberInfo
	var custom sql.NullString
	err := row.Scan(&mi.ID, &mi.OrgID, &mi.UserID, &mi.Role, &mi.Status, &custom, &mi.CreatedAt, &mi.LastActiveAt,
		&mi.Name, &mi.Email, &mi.PhotoVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return MemberInfo{}, ErrNotFound
	}
	mi.Custom = decodeCustom(custom)
	return mi, err
}

// MemberInfo loads a membership of orgID with its user (another org's id is ErrNotFound).
func (r reads) MemberInfo(ctx context.Context, orgID, id int64) (MemberInfo, error) {
	return scanMemberInfo(r.q.queryRow(ctx, memberInfoQuery, id, orgID))
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
	return fmt.Sprintf("search=%q role=%q status=%q group=%d sort=%s desc=%v", q.Search, q.Role, q.Status, q.GroupID, q.Sort, q.Desc)
}
