package store

import "context"

// OrgSeatsInUse counts what occupies seats of an organization: active
// members and pending invites (not accepted, not revoked, not expired).
// Suspended members do not count.
func (tx *Tx) OrgSeatsInUse(ctx context.Context, orgID int64) (active, pending int, err error) {
	err = tx.QueryRow(ctx, seatsInUseSQL, orgID, tx.Now()).Scan(&active, &pending)
	return active, pending, err
}

// HasPredefinedGroup reports whether the organization has the predefined
// group with this key (e.g. "crm" for Sales Team).
func (tx *Tx) HasPredefinedGroup(ctx context.Context, orgID int64, key string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM groups WHERE org_id = ? AND predefined_key = ?`, orgID, key).Scan(&n)
	return n > 0, err
}

// OrgSeatsInUse counts active members and pending invites (for display).
func (s *Store) OrgSeatsInUse(ctx context.Context, orgID int64) (active, pending int, err error) {
	err = s.queryRow(ctx, seatsInUseSQL, orgID, s.unix()).Scan(&active, &pending)
	return active, pending, err
}

const seatsInUseSQL = `SELECT
	(SELECT COUNT(*) FROM memberships WHERE org_id = ?1 AND status = 'active'),
	(SELECT COUNT(*) FROM invites WHERE org_id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?2)`
