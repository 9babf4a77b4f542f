package store

import (
	"context"
	"database/sql"
	"errors"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// Customer is a record of the Customers module.
type Customer struct {
	ID           int64
	OrgID        int64
	Name         string
	Email        string
	Phone        string
	Company      string
	Notes        string
	AssignedTo   int64 // membership id, 0 when unassigned
	AssigneeName string
	CreatedAt    int64
	TeamID       int64 // the owning team, 0 for none
	TeamName     string
	// The sensitive fields (ARCHITECTURE.md, Fields): who may read or change them is
	// the member's access.Projection, asked by every path.
	TaxID         string
	CreditLimit   domain.Amount // not set: no limit
	InternalNotes string
}

// FieldValue is the text of a declared customers field ("" for an unknown
// key): what a page, the CSV and the audit entry show, and what a form's
// value is compared with to tell a write from a resubmission.
func (c *Customer) FieldValue(key string) string {
	switch key {
	case "name":
		return c.Name
	case "email":
		return c.Email
	case "phone":
		return c.Phone
	case "company":
		return c.Company
	case "notes":
		return c.Notes
	case "tax_id":
		return c.TaxID
	case "credit_limit":
		return c.CreditLimit.String()
	case "internal_notes":
		return c.InternalNotes
	}
	return ""
}

// RecordScope is whose records of a scoped module (customers; pipelines and
// conversations reuse it) a query reaches: the organization, the member's
// scope on the module as the engine computed it (access.Effective.Scope),
// and for own and team scope the member. Every query that lists, counts,
// searches, exports, loads, saves or deletes such records takes one and
// applies it in SQL (whereOn); one made without a scope (the zero value, or
// own or team without a member) is refused with ErrNoScope, so no query
// runs unscoped by mistake. The scoped table has org_id, assigned_to and
// team_id columns.
type RecordScope struct {
	orgID  int64
	scope  access.Scope
	member int64 // own and team scope: the membership whose records
}

// CustomerScope is the scope of a customers query.
type CustomerScope = RecordScope

// ErrNoScope is a scoped query without a valid scope: a bug, never data.
var ErrNoScope = errors.New("store: scoped query without a scope")

// ScopeIn is the scope of a member of orgID on a scoped module: scope is the
// member's scope there (access.Effective.Scope), member their membership
// id. With all scope the member is dropped, so every member who sees all
// shares one cached page.
func ScopeIn(orgID int64, scope access.Scope, member int64) RecordScope {
	if scope.AtLeast(access.ScopeAll) {
		member = 0
	}
	return RecordScope{orgID: orgID, scope: scope, member: member}
}

// CustomersIn is the scope of a member of orgID on customers (ScopeIn).
func CustomersIn(orgID int64, scope access.Scope, member int64) CustomerScope {
	return ScopeIn(orgID, scope, member)
}

// Member is the membership an own or team scope is about (0 for all).
func (sc RecordScope) Member() int64 { return sc.member }

// OrgID is the organization of the scope.
func (sc CustomerScope) OrgID() int64 { return sc.orgID }

// Scope is the scope value (0 when none was given).
func (sc CustomerScope) Scope() access.Scope { return sc.scope }

// Mine narrows the scope to the member's own records ("Those I serve"),
// whatever the member's scope; it never widens.
func (sc RecordScope) Mine(member int64) RecordScope {
	if sc.scope == 0 {
		return sc
	}
	if sc.scope != access.ScopeOwn {
		sc.member = member
	}
	sc.scope = sc.scope.Narrow(access.ScopeOwn)
	return sc
}

// Team is the "My teams" list: the records assigned to the member or owned
// by one of their teams, whatever wider scope they hold (as Mine lists only
// their own). It never widens: with own scope it is Mine.
func (sc RecordScope) Team(member int64) RecordScope {
	if sc.scope == 0 {
		return sc
	}
	if !sc.scope.AtLeast(access.ScopeTeam) {
		return sc.Mine(member)
	}
	sc.scope, sc.member = access.ScopeTeam, member
	return sc
}

// CustomerQuery is a list request.
type CustomerQuery struct {
	Search string
	Offset int
	Limit  int // 0 = no limit (export)
	// Fields is the member's projection: the search matches only fields it
	// can read, and a sort on a field it cannot read is the default order
	// (so neither can tell a hidden value). The zero value (operator tools,
	// tests) reads every field.
	Fields access.Projection
	Sort   string // a key of CustomerSortFields; "" (or not readable): by name
	Desc   bool   // the sort descending (name, id stay ascending tie-breaks)
}

// customerSearchCols are the fields a search matches on, each only when
// readable: field key and column.
var customerSearchCols = [...]struct{ key, col string }{
	{"name", "c.name"}, {"email", "c.email"}, {"phone", "c.phone"}, {"company", "c.company"}, {"tax_id", "c.tax_id"},
}

// CustomerSortFields are the fields a list may be sorted on (others are
// long text), in declaration order, with their ORDER BY term.
var CustomerSortFields = []string{"name", "email", "phone", "company", "tax_id", "credit_limit"}

var customerSortTerms = map[string]string{
	"name": "c.name COLLATE NOCASE", "email": "c.email COLLATE NOCASE", "phone": "c.phone", "company": "c.company COLLATE NOCASE",
	"tax_id": "c.tax_id COLLATE NOCASE", "credit_limit": "c.credit_limit_cents",
}

// SortField is the sort the query runs: its Sort when that is a sortable
// field the projection can read, else "" (by name).
func (q CustomerQuery) SortField() string {
	if _, ok := customerSortTerms[q.Sort]; !ok || q.Sort == "name" && !q.Desc || !q.Fields.Readable(q.Sort) {
		return ""
	}
	return q.Sort
}

// order is the query's ORDER BY: by name, or by its sort field with name
// and id breaking ties (an unset credit limit sorts last either way).
func (q CustomerQuery) order() string {
	const byName = ` ORDER BY c.name COLLATE NOCASE, c.id`
	f := q.SortField()
	if f == "" {
		return byName
	}
	term, dir := customerSortTerms[f], ""
	if q.Desc {
		dir = " DESC"
	}
	if f == "credit_limit" {
		return ` ORDER BY c.credit_limit_cents IS NULL, ` + term + dir + `, c.name COLLATE NOCASE, c.id`
	}
	if f == "name" {
		return ` ORDER BY ` + term + dir + `, c.id`
	}
	return ` ORDER BY ` + term + dir + `, c.name COLLATE NOCASE, c.id`
}

// where is the scope in SQL over customers c; an invalid scope is ErrNoScope.
func (sc RecordScope) where() (string, []any, error) {
	return sc.whereOn(`c.org_id = ?`, `c.org_id = ? AND c.assigned_to = ?`,
		`((c.org_id = ? AND c.assigned_to = ?) OR (c.org_id = ? AND c.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.membership_id = ?)))`)
}

// whereOn picks the scope's condition among the three a scoped table writes
// out for its alias (constant texts, so the statement caches see few): all
// (the organization), own (assigned to the member) and team (assigned to
// the member or owned by one of their teams: none more when they are in
// no team). Each takes the organization, then the member (team: both
// twice, an OR of two index ranges, assigned and owned, so that a count
// reads only the member's records instead of the organization's).
func (sc RecordScope) whereOn(all, own, team string) (string, []any, error) {
	switch {
	case sc.orgID == 0:
	case sc.scope == access.ScopeAll:
		return all, []any{sc.orgID}, nil
	case sc.scope == access.ScopeTeam && sc.member != 0:
		return team, []any{sc.orgID, sc.member, sc.orgID, sc.member}, nil
	case sc.scope == access.ScopeOwn && sc.member != 0:
		return own, []any{sc.orgID, sc.member}, nil
	}
	return "", nil, ErrNoScope
}

// The assignee's name is the membership's trigger-kept copy of its user's
// name: one lookup per row instead of two.
const customerCols = `c.id, c.org_id, c.name, c.email, c.phone, c.company, c.notes, COALESCE(c.assigned_to, 0),
	COALESCE(m.user_name, ''), c.created_at, COALESCE(c.team_id, 0), COALESCE(t.name, ''), c.tax_id, c.credit_limit_cents, c.internal_notes`

const customerFrom = ` FROM customers c LEFT JOIN memberships m ON m.id = c.assigned_to LEFT JOIN teams t ON t.id = c.team_id `

// customerListCols are the columns a list shows: every column read costs,
// 25 rows a page.
const customerListCols = `c.id, c.name, c.email, c.phone, c.company, COALESCE(m.user_name, ''), COALESCE(t.name, ''), c.tax_id, c.credit_limit_cents`

// scanCustomer reads customerCols into c; limit is the credit limit's
// scan target, for a stream to reuse (one declared per row escapes: one
// allocation a row).
func scanCustomer(sc interface{ Scan(...any) error }, c *Customer, limit *sql.NullInt64) error {
	err := sc.Scan(&c.ID, &c.OrgID, &c.Name, &c.Email, &c.Phone, &c.Company, &c.Notes, &c.AssignedTo, &c.AssigneeName, &c.CreatedAt,
		&c.TeamID, &c.TeamName, &c.TaxID, limit, &c.InternalNotes)
	c.CreditLimit = amountOf(*limit)
	return err
}

func amountOf(n sql.NullInt64) domain.Amount {
	if !n.Valid {
		return domain.Amount{}
	}
	return domain.Cents(n.Int64)
}

// nullAmount is a column value: NULL when not set.
func nullAmount(a domain.Amount) any {
	if !a.Set {
		return nil
	}
	return a.Cents
}

// filter is the scope plus an optional search over the readable fields of
// customerSearchCols: every list, count and export goes through it, so
// scope is always applied in SQL, and a field the member cannot read is
// never matched (a search with none readable matches nothing).
func (sc RecordScope) filter(search string, fields access.Projection) (string, []any, error) {
	where, args, err := sc.where()
	if err != nil {
		return "", nil, err
	}
	if search != "" {
		cond := ""
		for _, f := range customerSearchCols {
			if fields.Readable(f.key) {
				if cond != "" {
					cond += " OR "
				}
				cond += f.col + ` LIKE ?1x ESCAPE '\'`
			}
		}
		if cond == "" {
			return where + ` AND 0`, args, nil
		}
		where += ` AND (` + cond + `)`
		pat := "%" + likeEscape(search) + "%"
		where = replaceNumbered(where, pat, &args)
	}
	return where, args, nil
}

// Customers lists customers in scope, by name, and the total matching. The
// rows carry what a list shows: ID, OrgID, Name, Email, Phone, Company and
// AssigneeName and TeamName (Customer loads one in full).
func (r reads) Customers(ctx context.Context, sc CustomerScope, q CustomerQuery) ([]Customer, int, error) {
	where, args, err := sc.filter(q.Search, q.Fields)
	if err != nil {
		return nil, 0, err
	}
	out, err := r.customerPage(ctx, sc.orgID, where, args[:len(args):len(args)], q)
	if err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || (len(out) < q.Limit && (len(out) > 0 || q.Offset == 0)) {
		// The last page tells the total without counting: a search that
		// matches little would otherwise read every customer twice.
		return out, q.Offset + len(out), nil
	}
	var total int
	if sc.scope == access.ScopeAll && q.Search == "" {
		total, err = r.orgCustomerCount(ctx, sc.orgID)
	} else {
		err = r.q.queryRow(ctx, `SELECT COUNT(*) FROM customers c WHERE `+where, args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// customerPage reads one page of a list (every row when q.Limit is 0).
func (r reads) customerPage(ctx context.Context, orgID int64, where string, args []any, q CustomerQuery) ([]Customer, error) {
	order := q.order()
	query := `SELECT ` + customerListCols + customerFrom + `WHERE ` + where + order
	switch {
	case q.Limit > 0 && q.Offset > 0 && q.Search == "" && q.SortField() == "":
		// A deep page skips its offset on the covering index alone and
		// reads only its own rows: page 200 of 10,000 customers costs what
		// page 1 does, not 5,000 row reads and joins.
		query = `SELECT ` + customerListCols + ` FROM (SELECT c.id FROM customers c WHERE ` + where + order + ` LIMIT ? OFFSET ?) p
			JOIN customers c ON c.id = p.id LEFT JOIN memberships m ON m.id = c.assigned_to LEFT JOIN teams t ON t.id = c.team_id` + order
		args = append(args, q.Limit, q.Offset)
	case q.Limit > 0:
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := r.q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Customer, 0, min(max(q.Limit, 0), 100))
	var limit sql.NullInt64 // out of the loop: a scan target declared in it escapes, one allocation a row
	for rows.Next() {
		c := Customer{OrgID: orgID}
		if err := rows.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Company, &c.AssigneeName, &c.TeamName, &c.TaxID, &limit); err != nil {
			return nil, err
		}
		c.CreditLimit = amountOf(limit)
		out = append(out, c)
	}
	return out, rows.Err()
}

// replaceNumbered turns the ?1x placeholders into plain ? with the pattern
// repeated, keeping the argument order right.
func replaceNumbered(where, pat string, args *[]any) string {
	out := make([]byte, 0, len(where))
	for i := 0; i < len(where); i++ {
		if i+2 < len(where) && where[i] == '?' && where[i+1] == '1' && where[i+2] == 'x' {
			out = append(out, '?')
			*args = append(*args, pat)
			i += 2
			continue
		}
		out = append(out, where[i])
	}
	return string(out)
}

// Customer loads one customer in scope; out of scope or another org's is ErrNotFound.
func (r reads) Customer(ctx context.Context, sc CustomerScope, id int64) (Customer, error) {
	where, args, err := sc.where()
	if err != nil {
		return Customer{}, err
	}
	var c Customer
	var limit sql.NullInt64
	err = scanCustomer(r.q.queryRow(ctx, `SELECT `+customerCols+customerFrom+`WHERE c.id = ? AND `+where, append([]any{id}, args...)...), &c, &limit)
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	return c, err
}

// CreateCustomer inserts a customer, owned by team c.TeamID (0: none; a
// team of another organization is not found).
func (tx *Tx) CreateCustomer(ctx context.Context, c Customer) (int64, error) {
	if c.TeamID != 0 {
		if _, err := tx.Team(ctx, c.OrgID, c.TeamID); err != nil {
			return 0, err
		}
	}
	res, err := tx.Exec(ctx, `INSERT INTO customers (org_id, name, email, phone, company, notes, assigned_to, created_at, team_id,
		tax_id, credit_limit_cents, internal_notes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.OrgID, c.Name, c.Email, c.Phone, c.Company, c.Notes, nullID(c.AssignedTo), tx.Now(),
		nullID(c.TeamID), c.TaxID, nullAmount(c.CreditLimit), c.InternalNotes)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// CheckCustomerTeam says whether a member with scope sc may make team the
// owner of a customer whose owning team is now current (0 for a new
// customer or none): no team is always allowed; a team of another
// organization is not found; with own or team scope only one of the
// member's own teams (or keeping the current one), with all scope any.
func (r reads) CheckCustomerTeam(ctx context.Context, sc CustomerScope, team, current int64) error {
	if team == 0 || team == current {
		return nil
	}
	if sc.orgID == 0 || sc.scope == 0 {
		return ErrNoScope
	}
	if _, err := r.Team(ctx, sc.orgID, team); err != nil {
		return err
	}
	if sc.scope == access.ScopeAll {
		return nil
	}
	var n int
	if err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ? AND membership_id = ?`, team, sc.member).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Invalid("team", "Choose one of your own teams, or none.")
	}
	return nil
}

// UpdateCustomer saves a customer in scope; its owning team stays as it is
// (UpdateCustomerWithTeam sets it too).
func (tx *Tx) UpdateCustomer(ctx context.Context, sc CustomerScope, c Customer) error {
	where, args, err := sc.where()
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE customers AS c SET name = ?, email = ?, phone = ?, company = ?, notes = ?, assigned_to = ?,
		tax_id = ?, credit_limit_cents = ?, internal_notes = ?
		WHERE c.id = ? AND `+where, append([]any{c.Name, c.Email, c.Phone, c.Company, c.Notes, nullID(c.AssignedTo),
		c.TaxID, nullAmount(c.CreditLimit), c.InternalNotes, c.ID}, args...)...)
}

// UpdateCustomerWithTeam saves a customer in scope with its owning team
// c.TeamID (0: none; a team of another organization is not found). Whether
// the member may choose that team is CheckCustomerTeam's question.
func (tx *Tx) UpdateCustomerWithTeam(ctx context.Context, sc CustomerScope, c Customer) error {
	if c.TeamID != 0 {
		if _, err := tx.Team(ctx, sc.orgID, c.TeamID); err != nil {
			return err
		}
	}
	where, args, err := sc.where()
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE customers AS c SET name = ?, email = ?, phone = ?, company = ?, notes = ?, assigned_to = ?, team_id = ?,
		tax_id = ?, credit_limit_cents = ?, internal_notes = ?
		WHERE c.id = ? AND `+where, append([]any{c.Name, c.Email, c.Phone, c.Company, c.Notes, nullID(c.AssignedTo), nullID(c.TeamID),
		c.TaxID, nullAmount(c.CreditLimit), c.InternalNotes, c.ID}, args...)...)
}

// DeleteCustomer removes a customer in scope.
func (tx *Tx) DeleteCustomer(ctx context.Context, sc CustomerScope, id int64) error {
	where, args, err := sc.where()
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `DELETE FROM customers AS c WHERE c.id = ? AND `+where, append([]any{id}, args...)...)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Assignee is a member customers can be assigned to.
type Assignee struct {
	MembershipID int64
	Name         string
	Email        string
}

// ModuleAssignees lists, by name, the active members of org a record of
// module may be assigned to: those whose effective access (the engine's
// Resolve over their layers, assembled as Assemble does) opens it; limit
// bounds the list. Two statements whatever the number of members: the
// members with their role, individual set and group ids, and the
// organization's groups; members who resolve alike are resolved once.
func (r reads) ModuleAssignees(ctx context.Context, org domain.Org, module access.ModuleID, limit int) ([]Assignee, error) {
	byID, err := r.groupGrantsByID(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	// The membership's copies of the name and email, in the order of their
	// index: the rows stream, and stop at limit, instead of every member
	// being joined to their user and sorted first (a second of CPU at
	// 100,000 members). Grants are judged now (their ends).
	now := r.Now()
	rows, err := r.q.query(ctx, `SELECT m.id, m.user_name, m.user_email, m.role, m.status, m.custom_permissions, `+grantEndCols+`,
		COALESCE((SELECT group_concat(gm.group_id) FROM group_members gm WHERE gm.membership_id = m.id AND `+liveGM+`), '')
		FROM memberships m
		WHERE m.org_id = ? AND m.status = 'active' ORDER BY m.user_name, m.user_email`, now, org.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type alike struct {
		role   access.Role
		custom string
		groups string
	}
	opens := map[alike]bool{}
	var out []Assignee
	for rows.Next() && len(out) < limit {
		var a Assignee
		var m domain.Membership
		var custom sql.NullString
		var gids string
		if err := rows.Scan(append(append([]any{&a.MembershipID, &a.Name, &a.Email, &m.Role, &m.Status, &custom}, grantEnds(&m)...), &gids)...); err != nil {
			return nil, err
		}
		if m.CustomUntil != 0 && now >= m.CustomUntil {
			custom = sql.NullString{}
		}
		m = m.Settle(now)
		key := alike{m.Role, custom.String, gids}
		if !custom.Valid {
			key.custom = "\x00" // no individual set, unlike an empty one
		}
		ok, seen := opens[key]
		if !seen {
			m.Custom = decodeCustom(custom)
			var grants []access.GroupGrant
			if DecidingLayers.readsGroups(m) {
				grants = byID.of(nil, gids)
			}
			ok = access.Resolve(Assemble(m, org.Products, grants)).Set.Accessible(module)
			opens[key] = ok
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

// assigneesKey is an assignee list's question: the organization at its
// permission and members versions (whatever changes who may open a module
// or their names and emails moves one of them: internal/store/bumps.go),
// the module and the bound.
type assigneesKey struct {
	org, permVersion, membersVersion int64
	expiry                           int64 // Org.NextExpiry: at a grant's end who may open a module changes
	module                           access.ModuleID
	limit                            int
}

// Assignees is ModuleAssignees kept per organization version: a page with
// an assignee picker (a customer's, a conversation's) reads the list again
// only after a change of access, membership or name. org's versions are
// those its request's auth row read.
func (s *Store) Assignees(ctx context.Context, org domain.Org, module access.ModuleID, limit int) ([]Assignee, error) {
	k := assigneesKey{org.ID, org.PermVersion, org.MembersVersion, org.NextExpiry, module, limit}
	if list, ok := s.assignees.Get(k, 0); ok && org.ExpiryKnown() {
		return list, nil
	}
	list, err := s.ModuleAssignees(ctx, org, module, limit)
	if err != nil {
		return nil, err
	}
	size := 64
	for _, a := range list {
		size += 48 + len(a.Name) + len(a.Email)
	}
	if org.ExpiryKnown() {
		s.assignees.Put(k, list, size, 0)
	}
	return list, nil
}

// MayOpen reports whether membership id of org is one whose effective
// access opens module (as ModuleAssignees lists them, whatever their
// status: the caller's assignment check asks that; an unknown id is false).
func (r reads) MayOpen(ctx context.Context, org domain.Org, id int64, module access.ModuleID) (bool, error) {
	m, err := r.Membership(ctx, org.ID, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m.Status = domain.StatusActive // as if active: suspension is the assignment check's question
	in, err := r.MemberInput(ctx, org, m, DecidingLayers)
	if err != nil {
		return false, err
	}
	return access.Resolve(in).Set.Accessible(module), nil
}

// EachCustomer streams every customer in scope matching search, by name, to
// fn: rows are never all held in memory. It reads every field (operator
// tools); a member's export is EachCustomerOf.
func (r reads) EachCustomer(ctx context.Context, sc CustomerScope, search string, fn func(Customer) error) error {
	return r.EachCustomerOf(ctx, sc, CustomerQuery{Search: search}, fn)
}

// EachCustomerOf streams every customer of the query (its search, fields
// and sort; offset and limit ignored) to fn (CSV export).
func (r reads) EachCustomerOf(ctx context.Context, sc CustomerScope, q CustomerQuery, fn func(Customer) error) error {
	where, args, err := sc.filter(q.Search, q.Fields)
	if err != nil {
		return err
	}
	rows, err := r.q.query(ctx, `SELECT `+customerCols+customerFrom+`WHERE `+where+q.order(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var limit sql.NullInt64
	for rows.Next() {
		// The statement runs uncancelled (see uncancelled): a client that
		// left ends the stream here.
		if err := ctx.Err(); err != nil {
			return err
		}
		var c Customer
		if err := scanCustomer(rows, &c, &limit); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CustomerCounts counts, in one query, the customers in scope and those of
// them assigned to membership me (the dashboard's figures).
func (r reads) CustomerCounts(ctx context.Context, sc CustomerScope, me int64) (inScope, mine int, err error) {
	// Two narrow counts beat one FILTER over every row: "mine" is an index
	// range, and the scope count reads the trigger-kept total or walks only
	// the narrowest covering index. Both go in one statement: on this driver
	// each statement costs more than a small count.
	where, args, err := sc.where()
	if err != nil {
		return 0, 0, err
	}
	mineSQL := `(SELECT COUNT(*) FROM customers c WHERE c.org_id = ? AND c.assigned_to = ?)`
	if sc.scope == access.ScopeAll {
		err = r.q.queryRow(ctx, `SELECT COALESCE((SELECT n FROM customer_counts WHERE org_id = ?), 0), `+mineSQL,
			sc.orgID, sc.orgID, me).Scan(&inScope, &mine)
		return inScope, mine, err
	}
	if sc.scope == access.ScopeOwn && sc.member == me {
		err = r.q.queryRow(ctx, `SELECT COUNT(*) FROM customers c WHERE `+where, args...).Scan(&inScope)
		return inScope, inScope, err
	}
	err = r.q.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM customers c WHERE `+where+`), `+mineSQL,
		append(args, sc.orgID, me)...).Scan(&inScope, &mine)
	return inScope, mine, err
}

// CanAssignCustomer reports whether a customer of orgID may be assigned to
// membershipID: an active member of that organization, or the customer's
// current assignee (keeping a suspended member's assignment is no change).
// customerID 0 is a new customer.
func (r reads) CanAssignCustomer(ctx context.Context, orgID, membershipID, customerID int64) (bool, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM memberships m WHERE m.id = ? AND m.org_id = ?
		AND (m.status = 'active' OR m.id = (SELECT assigned_to FROM customers WHERE id = ? AND org_id = ?))`,
		membershipID, orgID, customerID, orgID).Scan(&n)
	return n == 1, err
}

// orgCustomerCount reads the trigger-kept total of an organization's customers.
func (r reads) orgCustomerCount(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COALESCE((SELECT n FROM customer_counts WHERE org_id = ?), 0)`, orgID).Scan(&n)
	return n, err
}
