package store

import (
	"context"

	"gatehouse/internal/access"
)

// Time-bound grants (ARCHITECTURE.md, Time-bound grants): the ends are
// columns of the grants themselves (group_members.expires_at, and on
// memberships custom_expires_at, role_until and role_then), Unix seconds,
// 0 written as NULL (none). Reads judge them against the store's clock
// (domain.Membership.Settle, liveGM); setting one bumps the permission
// version (bumps.go) like any change of access.

// nullEnd writes an end: 0 (none) as NULL.
func nullEnd(at int64) any {
	if at == 0 {
		return nil
	}
	return at
}

// SetGroupMemberUntil sets the end of a membership of a group of orgID (0:
// none). ErrNotFound when the membership is not in the group.
func (tx *Tx) SetGroupMemberUntil(ctx context.Context, orgID, groupID, membershipID, until int64) error {
	return tx.execOne(ctx, `UPDATE group_members SET expires_at = ? WHERE group_id = ? AND membership_id = ?
		AND group_id IN (SELECT id FROM groups WHERE org_id = ?)`, nullEnd(until), groupID, membershipID, orgID)
}

// SetCustomUntil sets the end of a member's individual permissions (0: none).
func (tx *Tx) SetCustomUntil(ctx context.Context, orgID, id, until int64) error {
	return tx.execOne(ctx, `UPDATE memberships SET custom_expires_at = ? WHERE id = ? AND org_id = ?`, nullEnd(until), id, orgID)
}

// SetRoleUntil makes a member's role temporary: at until it becomes then
// (until 0: the role stays; then is cleared). The caller refuses the
// owner role on either side.
func (tx *Tx) SetRoleUntil(ctx context.Context, orgID, id, until int64, then access.Role) error {
	var t any
	if until != 0 {
		t = string(then)
	}
	return tx.execOne(ctx, `UPDATE memberships SET role_until = ?, role_then = ? WHERE id = ? AND org_id = ?`, nullEnd(until), t, id, orgID)
}
