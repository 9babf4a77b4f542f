package store

import "context"

// OrgSeatsInUse counts what occupies seats of an organization: active
// members and pending invites (not accepted, not revoked, not expired).
// Suspended members do not count. Inside a transaction a quota check sees
// the state the change is written against.
func (r reads) OrgSeatsInUse(ctx context.Context, orgID int64) (active, pending int, err error) {
	err = r.q.queryRow(ctx, seatsInUseSQL, orgID, r.Now()).Scan(&active, &pending)
	return active, pending, err
}

// HasPredefinedGroup reports whether the organization has the predefined
// group with this key (e.g. "crm" for Sales Team).
func (r reads) HasPredefinedGroup(ctx context.Context, orgID int64, key string) (bool, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM groups WHERE org_id = ? AND predefined_key = ?`, orgID, key).Scan(&n)
	return n > 0, err
}

const seatsInUseSQL = `SELECT
	(SELECT COUNT(*) FROM memberships WHERE org_id = ?1 AND status = 'active'),
	(SELECT COUNT(*) FROM invites WHERE org_id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?2)`
