package store

import (
	"context"
)

// The pending invitations of an account, as /orgs lists them and as the
// account accepts or declines them. They are matched by address: an
// invitation belongs to whoever holds its address, and nobody else sees it.

// InvitationsFor lists the live (unaccepted, unrevoked, undeclined,
// unexpired) invitations of an address, newest first, with their
// organizations and inviters.
func (r reads) InvitationsFor(ctx context.Context, email string, limit int) ([]InviteLink, error) {
	rows, err := r.q.query(ctx, `SELECT `+inviteCols+`, o.name, o.slug, COALESCE(u.name, '')
		FROM invites i JOIN organizations o ON o.id = i.org_id LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.email = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
		ORDER BY i.id DESC LIMIT ?`, NormalizeEmail(email), r.Now(), limit)
	return collect(rows, err, func(sc scanner, l *InviteLink) error {
		return scanInvite(sc, &l.Invite, &l.OrgName, &l.OrgSlug, &l.InviterName)
	})
}

// InviteOfAddress loads an invitation by id for the holder of email: an
// invitation of another address is ErrNotFound, as for one that does not
// exist.
func (r reads) InviteOfAddress(ctx context.Context, id int64, email string) (Invite, error) {
	return one(r.q.queryRow(ctx, `SELECT `+inviteCols+` FROM invites i WHERE i.id = ? AND i.email = ?`,
		id, NormalizeEmail(email)), plainInvite)
}

// AcceptInviteByID marks a live invitation accepted in one conditional
// UPDATE (of two concurrent accepts exactly one gets the row, the other
// ErrNotFound).
func (tx *Tx) AcceptInviteByID(ctx context.Context, id int64) (Invite, error) {
	return tx.acceptInvite(ctx, "id", id)
}

// DeclineInvite ends a live invitation at the invited account's request:
// declined and revoked, so its seat frees and its link dies.
func (tx *Tx) DeclineInvite(ctx context.Context, id int64) error {
	now := tx.Now()
	return tx.execOne(ctx, `UPDATE invites SET declined_at = ?1, revoked_at = ?1
		WHERE id = ?2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?1`, now, id)
}
