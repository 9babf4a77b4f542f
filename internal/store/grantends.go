package store

import (
	"context"
	"time"

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

// EndedGrant is one grant of a member that ends: the sweep removes it once
// ended, and mails its notice before.
type EndedGrant struct {
	OrgID        int64
	OrgName      string
	OrgSlug      string
	MembershipID int64
	Email        string // the member's
	Key          string // "custom", "role" or "group:<id>" (grant_notices.grant_key)
	Label        string // "individual permissions", "role Manager (then Agent)", "group Supervisors"
	At           int64
	then         access.Role
	groupID      int64
}

// GrantNotice is a notice to send: a grant ending soon, and the owners of
// its organization, who are told.
type GrantNotice struct {
	EndedGrant
	Owners []string
}

// grantsEndingSQL lists the grants whose end is at or before ?1 (and, for
// notices, after ?2), with what a notice and the audit need.
const grantsEndingSQL = `SELECT m.org_id, o.name, o.slug, m.id, m.user_email, 'custom', '', 0, m.custom_expires_at
	FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.custom_expires_at <= ?1 AND m.custom_expires_at > ?2
	UNION ALL SELECT m.org_id, o.name, o.slug, m.id, m.user_email, 'role', COALESCE(m.role_then, ''), 0, m.role_until
	FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.role_until <= ?1 AND m.role_until > ?2
	UNION ALL SELECT m.org_id, o.name, o.slug, m.id, m.user_email, 'group:' || g.id, g.name, g.id, gm.expires_at
	FROM group_members gm JOIN memberships m ON m.id = gm.membership_id JOIN groups g ON g.id = gm.group_id
	JOIN organizations o ON o.id = m.org_id WHERE gm.expires_at <= ?1 AND gm.expires_at > ?2`

func (tx *Tx) grantsEnding(ctx context.Context, by, after int64) ([]EndedGrant, error) {
	rows, err := tx.Query(ctx, grantsEndingSQL, by, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EndedGrant
	for rows.Next() {
		var g EndedGrant
		var name string
		if err := rows.Scan(&g.OrgID, &g.OrgName, &g.OrgSlug, &g.MembershipID, &g.Email, &g.Key, &name, &g.groupID, &g.At); err != nil {
			return nil, err
		}
		switch {
		case g.Key == "custom":
			g.Label = "individual permissions"
		case g.Key == "role":
			g.then = access.Role(name)
			g.Label = "temporary role (then " + g.then.Label() + ")"
		default:
			g.Label = "group " + name
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SweepGrants cleans up the grants that have ended, in one transaction:
// ended group memberships are deleted, ended individual sets cleared and
// ended temporary roles returned to their role_then, one audit entry
// "grant.expired" each (access already ignored them: this only tidies).
// It also records and returns the notices due: every grant ending within
// notice whose owners were not told yet (at most one notice per grant and
// end); the caller mails them after the commit.
func (s *Store) SweepGrants(ctx context.Context, notice int64) (ended []EndedGrant, notices []GrantNotice, err error) {
	err = s.Write(ctx, func(tx *Tx) error {
		ended, notices = nil, nil
		now := tx.Now()
		gone, err := tx.grantsEnding(ctx, now, 0)
		if err != nil {
			return err
		}
		for _, g := range gone {
			switch g.Key {
			case "custom":
				err = tx.SetCustom(ctx, g.OrgID, g.MembershipID, nil)
			case "role":
				err = tx.SetRole(ctx, g.OrgID, g.MembershipID, g.then)
			default:
				err = tx.RemoveGroupMember(ctx, g.OrgID, g.groupID, g.MembershipID)
			}
			if err != nil {
				return err
			}
			after := map[string]any{"grant": g.Label, "expires_at": EndUTC(g.At)}
			if g.Key == "role" {
				after["role"] = g.then
			}
			if err := tx.Audit(ctx, AuditEntry{OrgID: g.OrgID, Action: "grant.expired", Target: g.Email,
				Before: JSON(map[string]any{"grant": g.Label}), After: JSON(after)}); err != nil {
				return err
			}
		}
		soon, err := tx.grantsEnding(ctx, now+notice, now)
		if err != nil {
			return err
		}
		for _, g := range soon {
			res, err := tx.Exec(ctx, `INSERT INTO grant_notices (membership_id, grant_key, expires_at) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, g.MembershipID, g.Key, g.At)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // told already
			}
			owners, err := tx.ownerEmails(ctx, g.OrgID)
			if err != nil {
				return err
			}
			notices = append(notices, GrantNotice{EndedGrant: g, Owners: owners})
		}
		ended = gone
		return nil
	})
	return ended, notices, err
}

func (tx *Tx) ownerEmails(ctx context.Context, orgID int64) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT user_email FROM memberships WHERE org_id = ? AND role = 'owner' AND status = 'active' ORDER BY user_email`, orgID)
	return collect(rows, err, func(sc scanner, e *string) error { return sc.Scan(e) })
}

// EndUTC writes Unix seconds as the JSON formats do (UTC, to the second, Z).
func EndUTC(at int64) string { return time.Unix(at, 0).UTC().Format(time.RFC3339) }
