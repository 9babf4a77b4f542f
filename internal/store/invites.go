package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"gatehouse/internal/access"
)

// Invite is an invitation to join an organization, bound to one email.
// Only the SHA-256 of its token is stored.
type Invite struct {
	ID         int64
	OrgID      int64
	Email      string
	Name       string
	Role       access.Role
	GroupIDs   []int64
	InvitedBy  int64
	CreatedAt  int64
	ExpiresAt  int64
	AcceptedAt int64 // 0 while not accepted
	RevokedAt  int64 // 0 while not revoked
	DeclinedAt int64 // 0 unless the invited account declined (RevokedAt is set too)
	// Read by OpenInvites only, for the pending list: who sent it (name,
	// else email; "" once their account is gone) and its groups' names.
	InviterName string
	GroupNames  []string
}

// InviteState is what a link can still do.
type InviteState string

const (
	InvitePending  InviteState = "pending"
	InviteExpired  InviteState = "expired"
	InviteAccepted InviteState = "accepted"
	InviteRevoked  InviteState = "revoked"
	InviteDeclined InviteState = "declined"
)

// State reports the invitation's state at now (Unix seconds).
func (i Invite) State(now int64) InviteState {
	switch {
	case i.AcceptedAt != 0:
		return InviteAccepted
	case i.DeclinedAt != 0:
		return InviteDeclined
	case i.RevokedAt != 0:
		return InviteRevoked
	case i.ExpiresAt <= now:
		return InviteExpired
	}
	return InvitePending
}

const inviteCols = `i.id, i.org_id, i.email, i.name, i.role, i.groups, COALESCE(i.invited_by, 0), i.created_at, i.expires_at,
	COALESCE(i.accepted_at, 0), COALESCE(i.revoked_at, 0), COALESCE(i.declined_at, 0)`

func scanInvite(sc interface{ Scan(...any) error }, i *Invite, extra ...any) error {
	var groups string
	dest := append([]any{&i.ID, &i.OrgID, &i.Email, &i.Name, &i.Role, &groups, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt,
		&i.AcceptedAt, &i.RevokedAt, &i.DeclinedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	i.GroupIDs = nil
	_ = json.Unmarshal([]byte(groups), &i.GroupIDs) // unreadable: no groups (fail closed)
	return nil
}

func plainInvite(sc scanner, i *Invite) error { return scanInvite(sc, i) }

func encodeIDs(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// CreateInvite stores a new invitation with its token hash.
func (tx *Tx) CreateInvite(ctx context.Context, inv Invite, tokenHash string) (Invite, error) {
	var by any
	if inv.InvitedBy != 0 {
		by = inv.InvitedBy
	}
	res, err := tx.Exec(ctx, `INSERT INTO invites (org_id, email, name, role, groups, token_hash, invited_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.OrgID, NormalizeEmail(inv.Email), inv.Name, string(inv.Role),
		encodeIDs(inv.GroupIDs), tokenHash, by, tx.Now(), inv.ExpiresAt)
	if err != nil {
		return Invite{}, err
	}
	id, _ := res.LastInsertId()
	return tx.Invite(ctx, inv.OrgID, id)
}

// Invite loads an invitation of an organization (another org's id is ErrNotFound).
func (r reads) Invite(ctx context.Context, orgID, id int64) (Invite, error) {
	return one(r.q.queryRow(ctx, `SELECT `+inviteCols+` FROM invites i WHERE i.id = ? AND i.org_id = ?`, id, orgID), plainInvite)
}

// OpenInviteFor returns the newest invitation of email in the organization
// that is neither accepted nor revoked (it may have expired).
func (r reads) OpenInviteFor(ctx context.Context, orgID int64, email string) (Invite, error) {
	return one(r.q.queryRow(ctx, `SELECT `+inviteCols+` FROM invites i
		WHERE i.org_id = ? AND i.email = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL
		ORDER BY i.id DESC LIMIT 1`, orgID, NormalizeEmail(email)), plainInvite)
}

// InviteLink is an invitation found by its token, with its organization.
type InviteLink struct {
	Invite
	OrgName     string
	OrgSlug     string
	InviterName string
}

// InviteByToken finds an invitation by token hash, whatever its state (the
// caller words the refusal). A resent invitation's old token finds nothing.
func (r reads) InviteByToken(ctx context.Context, tokenHash string) (InviteLink, error) {
	var l InviteLink
	err := scanInvite(r.q.queryRow(ctx, `SELECT `+inviteCols+`, o.name, o.slug, COALESCE(u.name, '')
		FROM invites i JOIN organizations o ON o.id = i.org_id LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.token_hash = ?`, tokenHash), &l.Invite, &l.OrgName, &l.OrgSlug, &l.InviterName)
	if errors.Is(err, sql.ErrNoRows) {
		return InviteLink{}, ErrNotFound
	}
	return l, err
}

// AcceptInvite marks a live invitation accepted in one conditional UPDATE:
// of two concurrent accepts exactly one gets the row, the other ErrNotFound.
// Used, revoked, expired and replaced (resent) tokens all give ErrNotFound.
func (tx *Tx) AcceptInvite(ctx context.Context, tokenHash string) (Invite, error) {
	return tx.acceptInvite(ctx, "token_hash", tokenHash)
}

// acceptInvite is the one conditional UPDATE behind AcceptInvite and
// AcceptInviteByID; key is the column that picks the invitation.
func (tx *Tx) acceptInvite(ctx context.Context, key string, value any) (Invite, error) {
	now := tx.Now()
	return one(tx.QueryRow(ctx, `UPDATE invites SET accepted_at = ?1
		WHERE `+key+` = ?2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?1
		RETURNING `+strings.ReplaceAll(inviteCols, "i.", ""), now, value), plainInvite)
}

// ReissueInvite gives a pending or expired invitation a new token and expiry;
// the old link dies with its hash.
func (tx *Tx) ReissueInvite(ctx context.Context, orgID, id int64, tokenHash string, expiresAt int64) error {
	return tx.execOne(ctx, `UPDATE invites SET token_hash = ?, expires_at = ?, created_at = ?
		WHERE id = ? AND org_id = ? AND accepted_at IS NULL AND revoked_at IS NULL`, tokenHash, expiresAt, tx.Now(), id, orgID)
}

// RevokeInvite ends an open invitation.
func (tx *Tx) RevokeInvite(ctx context.Context, orgID, id int64) error {
	return tx.execOne(ctx, `UPDATE invites SET revoked_at = ? WHERE id = ? AND org_id = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
		tx.Now(), id, orgID)
}

// OpenInvites lists an organization's invitations that are neither accepted
// nor revoked, newest first; expired ones are included (State tells).
func (r reads) OpenInvites(ctx context.Context, orgID int64, limit int) ([]Invite, error) {
	rows, err := r.q.query(ctx, `SELECT `+inviteCols+`, COALESCE(NULLIF(u.name, ''), u.email, ''),
			(SELECT json_group_array(name) FROM (SELECT g.name FROM json_each(i.groups) j
				JOIN groups g ON g.id = j.value AND g.org_id = i.org_id ORDER BY g.name COLLATE NOCASE))
		FROM invites i LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.org_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.id DESC LIMIT ?`, orgID, limit)
	return collect(rows, err, func(sc scanner, i *Invite) error {
		var names string
		if err := scanInvite(sc, i, &i.InviterName, &names); err != nil {
			return err
		}
		return json.Unmarshal([]byte(names), &i.GroupNames)
	})
}

// Seats is an organization's seat usage: active members and pending
// (unexpired, unrevoked, unaccepted) invitations count; suspended members
// and dead invitations do not.
type Seats struct {
	Quota     int
	Active    int
	Suspended int
	Pending   int
}

// Used is what counts against the quota.
func (s Seats) Used() int { return s.Active + s.Pending }

// Free is how many seats are left (never negative).
func (s Seats) Free() int { return max(0, s.Quota-s.Used()) }

// seatsQuery reads the quota, the member counts (kept by triggers) and the
// pending invitations: no count over the organization's members.
const seatsQuery = `SELECT o.seats,
	COALESCE((SELECT SUM(n) FROM member_counts WHERE org_id = o.id AND status = 'active'), 0),
	COALESCE((SELECT SUM(n) FROM member_counts WHERE org_id = o.id AND status = 'suspended'), 0),
	(SELECT COUNT(*) FROM invites WHERE org_id = o.id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?)
	FROM organizations o WHERE o.id = ?`

// SeatUsage counts an organization's seats. Inside a transaction a quota
// check sees the state the change is written against.
func (r reads) SeatUsage(ctx context.Context, orgID int64) (Seats, error) {
	var st Seats
	err := r.q.queryRow(ctx, seatsQuery, r.Now(), orgID).Scan(&st.Quota, &st.Active, &st.Suspended, &st.Pending)
	if errors.Is(err, sql.ErrNoRows) {
		return Seats{}, ErrNotFound
	}
	return st, err
}
