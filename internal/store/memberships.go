package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"gatehouse/internal/access"
)

// Member statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Membership is a user in an organization.
type Membership struct {
	ID           int64
	OrgID        int64
	UserID       int64
	Role         access.Role
	Status       string
	Custom       *access.Set // nil: inherit; non-nil (maybe empty): individual permissions
	CreatedAt    int64
	LastActiveAt int64
}

// Suspended reports the status.
func (m Membership) Suspended() bool { return m.Status == StatusSuspended }

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

const membershipCols = `m.id, m.org_id, m.user_id, m.role, m.status, m.custom_permissions, m.created_at, COALESCE(m.last_active_at, 0)`

func scanMembership(sc interface{ Scan(...any) error }, m *Membership) error {
	var custom sql.NullString
	if err := sc.Scan(&m.ID, &m.OrgID, &m.UserID, &m.Role, &m.Status, &custom, &m.CreatedAt, &m.LastActiveAt); err != nil {
		return err
	}
	m.Custom = decodeCustom(custom)
	return nil
}

// AddMember creates a membership. ErrConflict if the user is already a member.
func (tx *Tx) AddMember(ctx context.Context, orgID, userID int64, role access.Role, status string, custom *access.Set) (Membership, error) {
	c, err := encodeCustom(custom)
	if err != nil {
		return Membership{}, err
	}
	res, err := tx.Exec(ctx, `INSERT INTO memberships (org_id, user_id, role, status, custom_permissions, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, orgID, userID, string(role), status, c, tx.Now())
	if isUniqueErr(err) {
		return Membership{}, ErrConflict
	}
	if err != nil {
		return Membership{}, err
	}
	id, _ := res.LastInsertId()
	return tx.Membership(ctx, orgID, id)
}

// Membership loads a membership of an organization (scoped: another org's id is ErrNotFound).
func (tx *Tx) Membership(ctx context.Context, orgID, id int64) (Membership, error) {
	var m Membership
	err := scanMembership(tx.QueryRow(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.id = ? AND m.org_id = ?`, id, orgID), &m)
	if errors.Is(err, sql.ErrNoRows) {
		return Membership{}, ErrNotFound
	}
	return m, err
}

// Membership loads a membership of an organization.
func (s *Store) Membership(ctx context.Context, orgID, id int64) (Membership, error) {
	var m Membership
	err := scanMembership(s.queryRow(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.id = ? AND m.org_id = ?`, id, orgID), &m)
	if errors.Is(err, sql.ErrNoRows) {
		return Membership{}, ErrNotFound
	}
	return m, err
}

// MembershipOfUser loads the membership of a user in an organization.
func (s *Store) MembershipOfUser(ctx context.Context, orgID, userID int64) (Membership, error) {
	var m Membership
	err := scanMembership(s.queryRow(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.org_id = ? AND m.user_id = ?`, orgID, userID), &m)
	if errors.Is(err, sql.ErrNoRows) {
		return Membership{}, ErrNotFound
	}
	return m, err
}

// SetRole changes a member's role.
func (tx *Tx) SetRole(ctx context.Context, orgID, id int64, role access.Role) error {
	return tx.execOne(ctx, `UPDATE memberships SET role = ? WHERE id = ? AND org_id = ?`, string(role), id, orgID)
}

// SetStatus suspends or re-enables a member.
func (tx *Tx) SetStatus(ctx context.Context, orgID, id int64, status string) error {
	return tx.execOne(ctx, `UPDATE memberships SET status = ? WHERE id = ? AND org_id = ?`, status, id, orgID)
}

// SetCustom sets (non-nil) or clears (nil) a member's individual permissions.
func (tx *Tx) SetCustom(ctx context.Context, orgID, id int64, custom *access.Set) error {
	c, err := encodeCustom(custom)
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE memberships SET custom_permissions = ? WHERE id = ? AND org_id = ?`, c, id, orgID)
}

// RemoveMember deletes a membership; the global user stays.
func (tx *Tx) RemoveMember(ctx context.Context, orgID, id int64) error {
	return tx.execOne(ctx, `DELETE FROM memberships WHERE id = ? AND org_id = ?`, id, orgID)
}

// CountActiveOwners counts active owners of an organization (last-owner rule).
func (tx *Tx) CountActiveOwners(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner' AND status = 'active'`, orgID).Scan(&n)
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
