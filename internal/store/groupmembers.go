package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// GroupMember is an organization member as the group screens list them.
type GroupMember struct {
	MembershipID int64
	UserID       int64
	Name         string
	Email        string
	Role         access.Role
	Status       string
	Until        int64 // the end of the membership of the group listed (0: none)
}

// groupMemberCols are a GroupMember but its Until, which follows them (0
// where no group membership is read).
const groupMemberCols = `m.id, u.id, u.name, u.email, m.role, m.status`

func collectGroupMembers(rows *sql.Rows, err error) ([]GroupMember, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GroupMember
	for rows.Next() {
		var gm GroupMember
		if err := rows.Scan(&gm.MembershipID, &gm.UserID, &gm.Name, &gm.Email, &gm.Role, &gm.Status, &gm.Until); err != nil {
			return nil, err
		}
		out = append(out, gm)
	}
	return out, rows.Err()
}

// GroupMembers lists the members of a group of orgID, by name, at most
// limit of them (0: all).
func (r reads) GroupMembers(ctx context.Context, orgID, groupID int64, limit int) ([]GroupMember, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	// +m.org_id: walk the group's members, not the organization's (layers.go, GroupMemberInputs).
	return collectGroupMembers(r.q.query(ctx, `SELECT `+groupMemberCols+`, COALESCE(gm.expires_at, 0)
		FROM group_members gm JOIN memberships m ON m.id = gm.membership_id JOIN users u ON u.id = m.user_id
		WHERE gm.group_id = ? AND +m.org_id = ? AND `+liveGM+` ORDER BY u.name COLLATE NOCASE, u.email LIMIT ?`, groupID, orgID, r.Now(), limit))
}

// GroupCandidates finds members of orgID not in the group whose name or
// email contains q (case-insensitively), by name, at most limit of them.
func (r reads) GroupCandidates(ctx context.Context, orgID, groupID int64, q string, limit int) ([]GroupMember, error) {
	like := "%" + likeEscape(strings.TrimSpace(q)) + "%"
	// +m.org_id: walk the group's members, not the organization's (layers.go, GroupMemberInputs).
	return collectGroupMembers(r.q.query(ctx, `SELECT `+groupMemberCols+`, 0
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ?
		AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.membership_id = m.id)
		AND (u.name LIKE ? ESCAPE '\' OR u.email LIKE ? ESCAPE '\')
		ORDER BY u.name COLLATE NOCASE, u.email LIMIT ?`, orgID, groupID, like, like, limit))
}

// GroupNameTaken reports whether another group of orgID (not exceptID) has
// this name, compared case-insensitively beyond ASCII (the unique index's
// NOCASE only folds ASCII).
func (r reads) GroupNameTaken(ctx context.Context, orgID int64, name string, exceptID int64) (bool, error) {
	rows, err := r.q.query(ctx, `SELECT name FROM groups WHERE org_id = ? AND id != ?`, orgID, exceptID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
		if strings.EqualFold(n, name) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// MemberForGroup loads a membership of orgID with its user, for adding it
// to or removing it from a group (another org's id is ErrNotFound).
func (r reads) MemberForGroup(ctx context.Context, orgID, membershipID int64) (GroupMember, error) {
	var gm GroupMember
	err := r.q.queryRow(ctx, `SELECT `+groupMemberCols+` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.id = ? AND m.org_id = ?`, membershipID, orgID).
		Scan(&gm.MembershipID, &gm.UserID, &gm.Name, &gm.Email, &gm.Role, &gm.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return GroupMember{}, ErrNotFound
	}
	return gm, err
}

// GroupsOfMember lists the groups of a membership of orgID by name: the
// layers a member page lists, a change is checked against and the audit's
// before/after.
func (r reads) GroupsOfMember(ctx context.Context, orgID, membershipID int64) ([]domain.Group, error) {
	rows, err := r.q.query(ctx, `SELECT `+groupCols+`, COALESCE(gm.expires_at, 0) FROM group_members gm JOIN groups g ON g.id = gm.group_id
		WHERE gm.membership_id = ? AND g.org_id = ? AND `+liveGM+` ORDER BY g.name COLLATE NOCASE`, membershipID, orgID, r.Now())
	return collect(rows, err, func(sc scanner, g *domain.Group) error { return scanGroup(sc, g, &g.Until) })
}

// SoleGroupRoles returns the distinct roles of the group's members for whom
// it is the only group and who have no individual permissions and are not
// owners: deleting the group sends exactly them back to their role template.
func (r reads) SoleGroupRoles(ctx context.Context, orgID, groupID int64) ([]access.Role, error) {
	// +m.org_id: walk the group's members, not the organization's (layers.go, GroupMemberInputs).
	rows, err := r.q.query(ctx, `SELECT DISTINCT m.role FROM group_members gm JOIN memberships m ON m.id = gm.membership_id
		WHERE gm.group_id = ? AND +m.org_id = ? AND m.custom_permissions IS NULL AND m.role != 'owner' AND `+liveGM+`
		AND NOT EXISTS (SELECT 1 FROM group_members o WHERE o.membership_id = m.id AND o.group_id != gm.group_id
			AND (o.expires_at IS NULL OR o.expires_at > ?3))
		ORDER BY m.role`, groupID, orgID, r.Now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Role
	for rows.Next() {
		var r access.Role
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GroupNames lists the groups' names (audit before/after of a membership).
func GroupNames(gs []domain.Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}
