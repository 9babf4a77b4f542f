package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// encodeCustom stores nil as NULL and a set (even empty) as JSON.
func encodeCustom(c *access.Set) (any, error) {
	if c == nil {
		return nil, nil
	}
	b, err := json.Marshal(*c)
	return string(b), err
}

func decodeCustom(raw sql.NullString) *access.Set {
	if !raw.Valid {
		return nil
	}
	s := decodeSet(raw.String) // unreadable: the empty set, fail closed
	return &s
}

const membershipCols = membershipBaseCols + `, ` + grantEndCols

// membershipBaseCols are membershipCols without the grant ends: the members
// list's rows, which its covering indexes serve (they show the stored role
// and individual set until the sweep ends a grant, at most a minute late).
const membershipBaseCols = `m.id, m.org_id, m.user_id, m.role, m.status, m.custom_permissions, m.created_at, COALESCE(m.last_active_at, 0)`

// grantEndCols are a membership's grant ends (migration 20), read after
// its other columns wherever a membership is read (grantEnds scans them).
const grantEndCols = `COALESCE(m.custom_expires_at, 0), COALESCE(m.role_until, 0), COALESCE(m.role_then, '')`

// grantEnds scans grantEndCols into m.
func grantEnds(m *domain.Membership) []any { return []any{&m.CustomUntil, &m.RoleUntil, &m.RoleThen} }

// scanMembership reads membershipCols (and extra after them) and settles
// the membership at now (domain.Membership.Settle).
func scanMembership(sc interface{ Scan(...any) error }, m *domain.Membership, now int64, extra ...any) error {
	var custom sql.NullString
	dest := append([]any{&m.ID, &m.OrgID, &m.UserID, &m.Role, &m.Status, &custom, &m.CreatedAt, &m.LastActiveAt}, grantEnds(m)...)
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	m.Custom = decodeCustom(custom)
	*m = m.Settle(now)
	return nil
}

// AddMember creates a membership. ErrConflict if the user is already a member.
func (tx *Tx) AddMember(ctx context.Context, orgID, userID int64, role access.Role, status string, custom *access.Set) (domain.Membership, error) {
	c, err := encodeCustom(custom)
	if err != nil {
		return domain.Membership{}, err
	}
	now := tx.Now()
	res, err := tx.Exec(ctx, `INSERT INTO memberships (org_id, user_id, role, status, custom_permissions, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, orgID, userID, string(role), status, c, now)
	if tx.s.isUnique(err) {
		return domain.Membership{}, ErrConflict
	}
	if err != nil {
		return domain.Membership{}, err
	}
	id, _ := res.LastInsertId()
	// As written (no read back: the row is exactly this).
	if custom != nil {
		c := *custom
		custom = &c
	}
	return domain.Membership{ID: id, OrgID: orgID, UserID: userID, Role: role, Status: status, Custom: custom, CreatedAt: now}, nil
}

// Membership loads a membership of an organization (scoped: another org's id is ErrNotFound).
func (r reads) Membership(ctx context.Context, orgID, id int64) (domain.Membership, error) {
	var m domain.Membership
	err := scanMembership(r.q.queryRow(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.id = ? AND m.org_id = ?`, id, orgID), &m, r.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Membership{}, ErrNotFound
	}
	return m, err
}

// MembershipOfUser loads the membership of a user in an organization.
func (r reads) MembershipOfUser(ctx context.Context, orgID, userID int64) (domain.Membership, error) {
	var m domain.Membership
	err := scanMembership(r.q.queryRow(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.org_id = ? AND m.user_id = ?`, orgID, userID), &m, r.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Membership{}, ErrNotFound
	}
	return m, err
}

// SetRole changes a member's role; a temporary role's end goes with it
// (SetRoleUntil sets a new one).
func (tx *Tx) SetRole(ctx context.Context, orgID, id int64, role access.Role) error {
	return tx.execOne(ctx, `UPDATE memberships SET role = ?, role_until = NULL, role_then = NULL WHERE id = ? AND org_id = ?`, string(role), id, orgID)
}

// SetStatus suspends or re-enables a member.
func (tx *Tx) SetStatus(ctx context.Context, orgID, id int64, status string) error {
	return tx.execOne(ctx, `UPDATE memberships SET status = ? WHERE id = ? AND org_id = ?`, status, id, orgID)
}

// SetCustom sets (non-nil) or clears (nil) a member's individual
// permissions; clearing them ends their end too (SetCustomUntil sets one).
func (tx *Tx) SetCustom(ctx context.Context, orgID, id int64, custom *access.Set) error {
	c, err := encodeCustom(custom)
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE memberships SET custom_permissions = ?,
		custom_expires_at = CASE WHEN ?1 IS NULL THEN NULL ELSE custom_expires_at END WHERE id = ? AND org_id = ?`, c, id, orgID)
}

// RemoveMember deletes a membership; the global user stays.
func (tx *Tx) RemoveMember(ctx context.Context, orgID, id int64) error {
	return tx.execOne(ctx, `DELETE FROM memberships WHERE id = ? AND org_id = ?`, id, orgID)
}

// CountActiveOwners counts active owners of an organization (last-owner rule).
func (r reads) CountActiveOwners(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner' AND status = 'active'`, orgID).Scan(&n)
	return n, err
}

// TouchMembership records activity for "last active" (callers throttle it).
func (s *Store) TouchMembership(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, `UPDATE memberships SET last_active_at = ? WHERE id = ?`, s.unix(), id)
	return err
}

// execOne runs an UPDATE/DELETE that must hit exactly one row.
func (tx *Tx) execOne(ctx context.Context, q string, args ...any) error {
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Change is one membership change being judged: the member's Input before
// it and after it, read and built inside the change's transaction.
type Change struct {
	Before, After access.Input
}

// JudgeChange is the one anti-escalation judgement of every membership
// change (role, groups, individual permissions on or off, a group left or
// deleted, a re-enable): it reads m as it is now, lets edit turn a copy
// into what the change makes of it, and returns what the member would gain
// that actor does not hold (empty: allowed). Both sides are resolved within
// the organization's products. actor must have been read in this same
// transaction (Acting), so a decision never rests on a stale view of them.
func (tx *Tx) JudgeChange(ctx context.Context, org domain.Org, actor access.Effective, m domain.Membership, edit func(*access.Input)) (access.Set, Change, error) {
	before, err := tx.MemberInput(ctx, org, m, AllLayers)
	if err != nil {
		return access.Set{}, Change{}, err
	}
	after := before
	after.Groups = append([]access.GroupGrant(nil), before.Groups...)
	edit(&after)
	return access.UnheldGain(actor, before, after), Change{Before: before, After: after}, nil
}

// Acting is who makes a change, as the change's own transaction reads
// them: their organization, their membership and their effective set.
type Acting struct {
	Org        domain.Org
	Membership domain.Membership
	Eff        access.Effective // of a suspended membership: nothing
}

// Acting re-reads the actor inside the transaction. ErrNotFound when the
// organization or the membership is gone; a suspended membership is
// returned as it is, for the caller to refuse in its own words.
func (tx *Tx) Acting(ctx context.Context, orgID, userID int64) (Acting, error) {
	var a Acting
	// One statement for the organization and the membership: every
	// membership and group change runs it.
	var (
		mID, mCreated, mActive sql.NullInt64
		mRole, mStatus, custom sql.NullString
		ends                   domain.Membership
	)
	row := tx.QueryRow(ctx, `SELECT `+orgCols+`, m.id, m.role, m.status, m.custom_permissions, m.created_at, COALESCE(m.last_active_at, 0), `+grantEndCols+`
		FROM organizations o LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = ? WHERE o.id = ?`, userID, orgID)
	err := scanOrg(scanWith{row, append([]any{&mID, &mRole, &mStatus, &custom, &mCreated, &mActive}, grantEnds(&ends)...)}, &a.Org)
	if errors.Is(err, sql.ErrNoRows) {
		return Acting{}, ErrNotFound
	} else if err != nil {
		return a, err
	}
	if !mID.Valid {
		return a, ErrNotFound // a.Org is set: the organization exists
	}
	a.Membership = domain.Membership{ID: mID.Int64, OrgID: orgID, UserID: userID, Role: access.Role(mRole.String), Status: mStatus.String,
		Custom: decodeCustom(custom), CreatedAt: mCreated.Int64, LastActiveAt: mActive.Int64,
		CustomUntil: ends.CustomUntil, RoleUntil: ends.RoleUntil, RoleThen: ends.RoleThen}.Settle(tx.Now())
	if eff, ok := knownEff(ctx, a, tx.Now()); ok { // see knownactor.go: nothing changed since the request's auth
		a.Eff = eff
		return a, nil
	}
	in, err := tx.MemberInput(ctx, a.Org, a.Membership, DecidingLayers)
	if err != nil {
		return a, err
	}
	a.Eff = access.Resolve(in)
	return a, nil
}

// The reasons ActingFor refuses its actor, as the write's own transaction
// reads them (errors.Is on its *domain.Error); nothing was written.
var (
	ErrActorNoOrg     = errors.New("the organization is gone")
	ErrActorNotMember = errors.New("not a member") // never one, or removed meanwhile
	ErrActorSuspended = errors.New("membership suspended")
	ErrActorLacksPerm = errors.New("permission lacking") // active, without the permission the write needs
)

// actorRefusal words a refusal of the actor: not_found for an organization
// or membership gone, forbidden for a suspended one or a missing permission.
func actorRefusal(reason error, format string, args ...any) *domain.Error {
	code := domain.CodeForbidden
	if reason == ErrActorNoOrg || reason == ErrActorNotMember {
		code = domain.CodeNotFound
	}
	e := domain.New(code, format, args...)
	e.Err = reason
	return e
}

// ActingFor is Acting for a write that needs the permission mod_need: it
// re-reads the actor inside the write's transaction and refuses (a
// *domain.Error wrapping one of the ErrActor reasons) an organization or membership gone meanwhile, a
// suspended membership, or one without the permission. Every write
// service starts with it (or with Acting, wording the same refusals), so
// a request that began before the actor was suspended, removed or
// stripped of the permission commits nothing.
func (tx *Tx) ActingFor(ctx context.Context, orgID, userID int64, mod access.ModuleID, need access.Action) (Acting, error) {
	a, err := tx.Acting(ctx, orgID, userID)
	switch {
	case errors.Is(err, ErrNotFound) && a.Org.ID == 0:
		return a, actorRefusal(ErrActorNoOrg, "This organization does not exist.")
	case errors.Is(err, ErrNotFound):
		return a, actorRefusal(ErrActorNotMember, "You are not a member of %s.", a.Org.Name)
	case err != nil:
		return a, err
	case a.Membership.Suspended():
		return a, actorRefusal(ErrActorSuspended, "Your access to %s is suspended.", a.Org.Name)
	case !a.Eff.Can(mod, need):
		return a, actorRefusal(ErrActorLacksPerm, "You don't have the permission %s.", access.PermissionName(mod, need))
	}
	return a, nil
}

// SignOutOfOrg signs a user out of one organization: every session of
// theirs live now must sign in again before the organization accepts it
// (LoadAuth's SignedOut); their other organizations are untouched, and a
// session started later is accepted. Returns how many sessions it listed.
func (tx *Tx) SignOutOfOrg(ctx context.Context, orgID, userID int64) (int64, error) {
	res, err := tx.Exec(ctx, `INSERT INTO session_signouts (session_id, org_id, at)
		SELECT id, ?, ? FROM sessions WHERE user_id = ? AND revoked_at IS NULL ON CONFLICT DO NOTHING`, orgID, tx.Now(), userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Reach is another organization where an account has an active
// membership, and whether the actor holds members_edit there (as an active
// member). An organization's admin may reach the account as a whole (its
// sessions everywhere, a global password reset) only when every Reach of
// it is MembersEdit.
type Reach struct {
	OrgID       int64
	OrgName     string
	MembersEdit bool
}

const reachQuery = `SELECT o.id, o.name, o.products, am.id, am.role, am.status, am.custom_permissions,
	COALESCE(am.custom_expires_at, 0), COALESCE(am.role_until, 0), COALESCE(am.role_then, '')
	FROM memberships tm
	JOIN organizations o ON o.id = tm.org_id
	LEFT JOIN memberships am ON am.org_id = tm.org_id AND am.user_id = ?
	WHERE tm.user_id = ? AND tm.status = 'active' AND tm.org_id != ?
	ORDER BY o.name COLLATE NOCASE, o.id`

type reachRow struct {
	reach    Reach
	products access.ProductSet
	m        *domain.Membership
}

func scanReach(rows *sql.Rows, err error, now int64) ([]reachRow, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reachRow
	for rows.Next() {
		var r reachRow
		var products string
		var amID sql.NullInt64
		var amRole, amStatus, amCustom sql.NullString
		var ends domain.Membership
		if err := rows.Scan(append([]any{&r.reach.OrgID, &r.reach.OrgName, &products, &amID, &amRole, &amStatus, &amCustom}, grantEnds(&ends)...)...); err != nil {
			return nil, err
		}
		r.products = parseProducts(products)
		if amID.Valid {
			m := domain.Membership{ID: amID.Int64, OrgID: r.reach.OrgID, Role: access.Role(amRole.String), Status: amStatus.String, Custom: decodeCustom(amCustom),
				CustomUntil: ends.CustomUntil, RoleUntil: ends.RoleUntil, RoleThen: ends.RoleThen}.Settle(now)
			r.m = &m
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resolveReach decides MembersEdit for each row, reading groups only where
// they decide.
func resolveReach(rows []reachRow, grantsOf func(orgID, membershipID int64) ([]access.GroupGrant, error)) ([]Reach, error) {
	out := make([]Reach, 0, len(rows))
	for _, r := range rows {
		if m := r.m; m != nil && !m.Suspended() {
			in, err := assemble(*m, r.products, DecidingLayers, func() ([]access.GroupGrant, error) {
				return grantsOf(r.reach.OrgID, m.ID)
			})
			if err != nil {
				return nil, err
			}
			r.reach.MembersEdit = access.Resolve(in).Can(access.ModMembers, access.Edit)
		}
		out = append(out, r.reach)
	}
	return out, nil
}

// ReachOver lists the other organizations (not orgID) where userID is an
// active member, each with whether actorID holds members_edit there.
func (r reads) ReachOver(ctx context.Context, actorID, userID, orgID int64) ([]Reach, error) {
	rs, err := r.q.query(ctx, reachQuery, actorID, userID, orgID)
	rows, err := scanReach(rs, err, r.Now())
	if err != nil {
		return nil, err
	}
	return resolveReach(rows, func(org, id int64) ([]access.GroupGrant, error) { return r.groupGrants(ctx, org, id) })
}

// Unreached names the organizations of reach where the actor lacks
// members_edit (none: the account is the actor's to manage as a whole).
func Unreached(reach []Reach) []string {
	var out []string
	for _, r := range reach {
		if !r.MembersEdit {
			out = append(out, r.OrgName)
		}
	}
	return out
}

// scanWith scans a row whose first columns a scan function knows and whose
// remaining columns go to extra.
type scanWith struct {
	row   *sql.Row
	extra []any
}

func (s scanWith) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }
