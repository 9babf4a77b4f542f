package membership

import (
	"errors"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// GrantableRoles lists the roles actor may give (ARCHITECTURE.md, Layers): an owner any,
// anyone else a role whose template (within the organization's products)
// they hold themselves, never owner. Forms offer exactly these.
func GrantableRoles(actor access.Effective) []access.Role {
	var out []access.Role
	for _, r := range access.Roles() {
		if access.CheckRoleGrant(actor, r) == nil {
			out = append(out, r)
		}
	}
	return out
}

// GroupGrant is what putting someone into the group grants in the
// organization: its set within the products, without inert grants.
func GroupGrant(g domain.Group, products access.ProductSet) access.Set {
	return g.Set.RestrictTo(products).Effective()
}

// CanGrantGroup reports whether actor may put members into g.
func CanGrantGroup(actor access.Effective, g domain.Group) bool {
	return access.CheckGrant(actor, GroupGrant(g, actor.Products)) == nil
}

// checkRole refuses giving role to a member whose current role is from
// ("" for a newcomer) unless the actor may.
func (sc *scope) checkRole(field string, from, role access.Role) error {
	if err := access.CheckRoleChange(sc.am.Role, from, role); err != nil {
		return escalation(field, "", err)
	}
	if err := access.CheckRoleGrant(sc.eff, role); err != nil {
		if role == access.RoleOwner {
			return forbidden(field, "Only an owner can make someone an owner.")
		}
		var g *access.GrantError
		if errors.As(err, &g) {
			return forbidden(field, "You can't give the role %s: you can only give a role whose permissions you hold yourself, and you do not hold %s.",
				role.Label(), heldList(g))
		}
		return escalation(field, "", err)
	}
	return nil
}

// checkGroups refuses putting someone into any group whose permissions
// the actor does not hold.
func (sc *scope) checkGroups(field string, groups []domain.Group) error {
	for _, g := range groups {
		if err := access.CheckGrant(sc.eff, GroupGrant(g, sc.org.Products)); err != nil {
			list := err.Error()
			var ge *access.GrantError
			if errors.As(err, &ge) {
				list = heldList(ge)
			}
			return forbidden(field, "You can't add members to the group “%s”: it grants permissions you do not hold (%s).", g.Name, list)
		}
	}
	return nil
}

// orgGroups loads the organization's groups, keyed by id.
func (sc *scope) orgGroups() ([]domain.Group, map[int64]domain.Group, error) {
	if sc.groups == nil { // loaded once per change
		all, err := sc.tx.OrgGroupSets(sc.ctx, sc.org.ID)
		if err != nil {
			return nil, nil, err
		}
		sc.groups = append([]domain.Group{}, all...)
	}
	all := sc.groups
	byID := make(map[int64]domain.Group, len(all))
	for _, g := range all {
		byID[g.ID] = g
	}
	return all, byID, nil
}

// pickGroups maps ids to the organization's groups; an id from elsewhere is refused.
func (sc *scope) pickGroups(field string, ids []int64) ([]domain.Group, error) {
	_, byID, err := sc.orgGroups()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []domain.Group
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		g, ok := byID[id]
		if !ok {
			return nil, invalid(field, "One of the chosen groups does not exist in %s. Reload the page and try again.", sc.org.Name)
		}
		out = append(out, g)
	}
	return out, nil
}

func groupIDs(gs []domain.Group) []int64 {
	out := make([]int64, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out
}
