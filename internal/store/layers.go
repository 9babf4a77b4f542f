package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A membership's layers (ARCHITECTURE.md, Layers) are assembled into the
// engine's input in one place: Assemble. Every caller that resolves,
// explains or judges a membership (the guard's permission cache, My
// Permissions, the member pages, the services, import/export) reads the
// layers through MemberInput or MemberLayers, which call it; a caller
// that needs a hypothetical input (a preview, a change being judged)
// starts from the assembled input and edits a copy. A new layer (teams,
// expiries, fields) is read and assembled here, once.

// Layers says which of a membership's layers an assembly reads.
type Layers uint8

const (
	// DecidingLayers reads what decides the membership's permissions (as
	// if it were active): its groups unless the owner role or individual
	// permissions decide. Resolving needs no more: the guard, the actor of
	// a change, whether an actor may touch a member.
	DecidingLayers Layers = iota
	// AllLayers reads every layer, also those another one overrides: an
	// explanation names them, and a change being judged may hand the
	// decision to them.
	AllLayers
)

// readsGroups reports whether l reads m's groups.
func (l Layers) readsGroups(m domain.Membership) bool {
	return l == AllLayers || (m.Role != access.RoleOwner && m.Custom == nil)
}

// Assemble is the one assembly of a membership's layers into the engine's
// input: its role, status and individual set, its groups (by name, as
// read: nil when the layers read leave them out) and the organization's
// products. It reads nothing; MemberInput and MemberLayers read for it.
func Assemble(m domain.Membership, products access.ProductSet, groups []access.GroupGrant) access.Input {
	return access.Input{Role: m.Role, Suspended: m.Suspended(), Custom: m.Custom, Groups: groups, Products: products}
}

// assemble reads the layers l of m with groups (called only when they are
// read) and assembles them.
func assemble(m domain.Membership, products access.ProductSet, l Layers, groups func() ([]access.GroupGrant, error)) (access.Input, error) {
	var gs []access.GroupGrant
	if l.readsGroups(m) {
		var err error
		if gs, err = groups(); err != nil {
			return access.Input{}, err
		}
	}
	return Assemble(m, products, gs), nil
}

// MemberInput reads m's layers l and assembles the engine's input. With
// AllLayers its groups are read even while the owner role or individual
// permissions decide, because a change being judged may hand the decision
// to them.
func (r reads) MemberInput(ctx context.Context, org domain.Org, m domain.Membership, l Layers) (access.Input, error) {
	return assemble(m, org.Products, l, func() ([]access.GroupGrant, error) { return r.groupGrants(ctx, org.ID, m.ID) })
}

// MemberLayers reads every layer of m (AllLayers) and returns the
// assembled input with the member's groups themselves, for a page that
// lists them.
func (r reads) MemberLayers(ctx context.Context, org domain.Org, m domain.Membership) (access.Input, []domain.Group, error) {
	groups, err := r.GroupsOfMember(ctx, org.ID, m.ID)
	if err != nil {
		return access.Input{}, nil, err
	}
	return Assemble(m, org.Products, Grants(groups)), groups, nil
}

// AlikeMembers is how many members share one assembled input.
type AlikeMembers struct {
	In      access.Input
	Members int
}

// GroupMemberInputs assembles the members of a group of org as inputs,
// one per set of members who resolve alike (as if active), for a preview
// of the group's change over thousands of members: the groups layer
// depends only on the groups, so members are counted per role and per
// combination of groups. Owners and members with individual permissions
// come with an empty individual set: the group decides nothing for them,
// before or after, whatever their set holds. It is GroupMembersShape and
// GroupGrants read now, assembled (GroupMembersShape.Inputs).
func (r reads) GroupMemberInputs(ctx context.Context, org domain.Org, groupID int64) ([]AlikeMembers, error) {
	gg, err := r.GroupGrants(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	sh, err := r.GroupMembersShape(ctx, org.ID, groupID)
	if err != nil {
		return nil, err
	}
	return sh.Inputs(org, groupID, gg), nil
}

// GroupMembersShape is who a group's members are, as their inputs need
// them: per role, individual set or not, and other groups (by id), how
// many members. It depends only on what bumps members_version (memberships,
// group memberships, groups deleted), so it may be kept per
// MembersVersion; group permission saves do not change it.
type GroupMembersShape struct {
	MembersVersion int64 // the organization's, read with the rows
	rows           []shapeRow
}

type shapeRow struct {
	role   access.Role
	custom bool
	others string // group_concat of the member's other group ids
	n      int
}

// Size is roughly the bytes it holds (for a cache's budget).
func (sh GroupMembersShape) Size() int {
	n := 64
	for _, r := range sh.rows {
		n += 48 + len(r.role) + len(r.others)
	}
	return n
}

// GroupMembersShape reads the shape of group groupID's members of orgID
// and the members_version it is the shape at, in one snapshot.
func (r reads) GroupMembersShape(ctx context.Context, orgID, groupID int64) (GroupMembersShape, error) {
	var sh GroupMembersShape
	err := r.q.snapshot(ctx, func(r reads) error {
		if err := r.q.queryRow(ctx, `SELECT members_version FROM organizations WHERE id = ?`, orgID).Scan(&sh.MembersVersion); err != nil {
			return err
		}
		// The other groups are read only for members whose groups decide; the
		// index (membership_id, group_id) lists them in id order. The unary +
		// keeps SQLite from starting at the organization's members (a covering
		// index on org_id tempts it): 72 ms → 3 ms for a group of 190 among 100,000.
		// Grants are judged at ?3 (liveGM, and the individual set's and the
		// temporary role's ends as domain.Membership.Settle judges them);
		// a cache of the shape keys on the organization's next end too.
		rows, err := r.q.query(ctx, `SELECT `+settledRole+`, `+settledCustom+` IS NOT NULL,
			CASE WHEN `+settledRole+` = 'owner' OR `+settledCustom+` IS NOT NULL THEN ''
			ELSE COALESCE((SELECT group_concat(o.group_id) FROM group_members o
				WHERE o.membership_id = gm.membership_id AND o.group_id != gm.group_id
				AND (o.expires_at IS NULL OR o.expires_at > ?3)), '') END AS others,
			COUNT(*)
			FROM group_members gm JOIN memberships m ON m.id = gm.membership_id
			WHERE gm.group_id = ?1 AND +m.org_id = ?2 AND (gm.expires_at IS NULL OR gm.expires_at > ?3)
			GROUP BY 1, 2, 3`, groupID, orgID, r.Now())
		sh.rows, err = collect(rows, err, func(sc scanner, v *shapeRow) error { return sc.Scan(&v.role, &v.custom, &v.others, &v.n) })
		return err
	})
	return sh, err
}

// Inputs assembles the shape's members with the groups of gg (the
// organization's) as GroupMemberInputs describes.
func (sh GroupMembersShape) Inputs(org domain.Org, groupID int64, gg GroupGrants) []AlikeMembers {
	out := make([]AlikeMembers, 0, len(sh.rows))
	for _, r := range sh.rows {
		m := domain.Membership{Role: r.role}
		if r.custom {
			m.Custom = &access.Set{}
		}
		grants := gg.byID.of([]access.GroupGrant{gg.byID[groupID]}, r.others)
		out = append(out, AlikeMembers{In: Assemble(m, org.Products, grants), Members: r.n})
	}
	return out
}

// GroupGrants are an organization's groups as the engine takes them, at
// the perm_version read with them (they change with it).
type GroupGrants struct {
	PermVersion int64
	byID        grantsByID
}

// Size is roughly the bytes it holds (for a cache's budget).
func (gg GroupGrants) Size() int {
	n := 64
	for _, g := range gg.byID {
		n += 96 + len(g.Name)
	}
	return n
}

// GroupGrants reads orgID's groups and its perm_version in one snapshot.
func (r reads) GroupGrants(ctx context.Context, orgID int64) (GroupGrants, error) {
	var gg GroupGrants
	err := r.q.snapshot(ctx, func(r reads) error {
		if err := r.q.queryRow(ctx, `SELECT perm_version FROM organizations WHERE id = ?`, orgID).Scan(&gg.PermVersion); err != nil {
			return err
		}
		var err error
		gg.byID, err = r.groupGrantsByID(ctx, orgID)
		return err
	})
	return gg, err
}

// settledRole and settledCustom are a membership m's role and individual
// set as domain.Membership.Settle leaves them at the time bound to ?3, for
// a statement that counts members in SQL.
const (
	settledRole   = `(CASE WHEN m.role_until <= ?3 THEN m.role_then ELSE m.role END)`
	settledCustom = `(CASE WHEN m.custom_expires_at <= ?3 THEN NULL ELSE m.custom_permissions END)`
)

// grantsByID are an organization's groups as the engine takes them, by id.
type grantsByID map[int64]access.GroupGrant

// groupGrantsByID reads an organization's groups (one statement), for
// assembling many members' inputs from their group ids.
func (r reads) groupGrantsByID(ctx context.Context, orgID int64) (grantsByID, error) {
	// Without member counts: Groups counts every group's members, which is
	// most of a permission save's cost at 500 groups of 100,000 members.
	// Only what a grant needs, the permissions as raw bytes (decoded once
	// per stored text, decodeGroupSetBytes): this runs for every group
	// preview and save.
	rows, err := r.q.query(ctx, `SELECT id, name, permissions FROM groups WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := grantsByID{}
	for rows.Next() {
		var (
			id    int64
			name  string
			perms sql.RawBytes
		)
		if err := rows.Scan(&id, &name, &perms); err != nil {
			return nil, err
		}
		byID[id] = access.GroupGrant{Name: name, Set: decodeGroupSetBytes(perms)}
	}
	return byID, rows.Err()
}

// of appends to grants the groups of ids, a group_concat of group ids.
func (b grantsByID) of(grants []access.GroupGrant, ids string) []access.GroupGrant {
	for _, id := range strings.Split(ids, ",") {
		if gid, err := strconv.ParseInt(id, 10, 64); err == nil {
			grants = append(grants, b[gid])
		}
	}
	return grants
}
