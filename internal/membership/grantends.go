package membership

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Time-bound grants (ARCHITECTURE.md, Time-bound grants): a member's group
// membership, individual permissions or role may be given an end. Saving
// one is judged like any change that removes a restriction: what the member
// holds at that instant (every grant ended by then gone) against now.

// Grant keys name a member's grant that can end: GrantCustom, GrantRole, or
// "group:<id>" (GroupGrantKey).
const (
	GrantCustom = "custom"
	GrantRole   = "role"
)

// GroupGrantKey is the grant key of the membership of group id.
func GroupGrantKey(id int64) string { return "group:" + strconv.FormatInt(id, 10) }

// FieldExpiresAt is the form field (and error field) of a grant's end.
const FieldExpiresAt = "expires_at"

// SetGrantEnd gives a member's grant an end (until, Unix seconds; 0: none,
// the grant stays). A temporary role returns to then at its end; the owner
// role can be neither temporary nor returned to. The end must be in the
// future, and the actor must hold everything the member would gain at it.
func (s *Service) SetGrantEnd(ctx context.Context, a domain.Actor, memberID int64, grant string, until int64, then string) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error { return sc.setGrantEnd(memberID, grant, until, then) })
}

func (sc *scope) setGrantEnd(memberID int64, grant string, until int64, thenKey string) error {
	if until != 0 && until <= sc.tx.Now() {
		return invalid(FieldExpiresAt, "Choose a time in the future.")
	}
	t, err := sc.touchable(memberID)
	if err != nil {
		return err
	}
	groups, err := sc.tx.GroupsOfMember(sc.ctx, sc.org.ID, t.ID)
	if err != nil {
		return err
	}
	at, groups, prev, err := WithEnd(t.Membership, groups, grant, until, thenKey, displayName(t))
	if err != nil {
		return err
	}
	if grant == GrantRole && until != 0 {
		if err := sc.checkRole("role_then", t.Role, at.RoleThen); err != nil {
			return err
		}
	}
	if prev == until && (grant != GrantRole || until == 0 || at.RoleThen == t.RoleThen) {
		return nil // nothing changes
	}
	if until != 0 {
		why := "from its end (" + domain.UntilText(until) + ")"
		if err := sc.judge(FieldExpiresAt, t, why, AtInstant(at, groups, until)); err != nil {
			return err
		}
	}
	switch grant {
	case GrantCustom:
		err = sc.tx.SetCustomUntil(sc.ctx, sc.org.ID, t.ID, until)
	case GrantRole:
		err = sc.tx.SetRoleUntil(sc.ctx, sc.org.ID, t.ID, until, at.RoleThen)
	default:
		g := groups[groupIndex(groups, grant)]
		err = sc.tx.SetGroupMemberUntil(sc.ctx, sc.org.ID, g.ID, t.ID, until)
		grant = "group:" + g.Name
	}
	if err != nil {
		return err
	}
	after := map[string]any{"grant": grant, "expires_at": EndJSON(until)}
	if grant == GrantRole && until != 0 {
		after["then"] = at.RoleThen
	}
	return sc.audit("member.grant_end", t.Email, map[string]any{"grant": grant, "expires_at": EndJSON(prev)}, after)
}

// WithEnd is m and its groups with the end of grant set to until (then:
// the role a temporary role returns to), and the grant's end before; a
// grant that cannot take that end is refused by its field (name: the
// member's, for the message). The preview and the save share it.
func WithEnd(m domain.Membership, groups []domain.Group, grant string, until int64, thenKey, name string) (domain.Membership, []domain.Group, int64, error) {
	groups = slices.Clone(groups)
	var prev int64
	switch {
	case grant == GrantCustom:
		if m.Custom == nil {
			return m, groups, 0, invalid(FieldExpiresAt, "%s has no individual permissions to end.", name)
		}
		prev, m.CustomUntil = m.CustomUntil, until
	case grant == GrantRole:
		then, ok := access.ParseRole(thenKey)
		if until != 0 && !ok {
			return m, groups, 0, invalid("role_then", "Choose the role %s returns to.", name)
		}
		if m.Role == access.RoleOwner || (until != 0 && then == access.RoleOwner) {
			return m, groups, 0, invalid(FieldExpiresAt, "The owner role cannot be temporary.")
		}
		prev, m.RoleUntil, m.RoleThen = m.RoleUntil, until, then
	case strings.HasPrefix(grant, "group:"):
		i := groupIndex(groups, grant)
		if i < 0 {
			return m, groups, 0, invalid(FieldExpiresAt, "%s is not in that group.", name)
		}
		prev, groups[i].Until = groups[i].Until, until
	default:
		return m, groups, 0, invalid(FieldExpiresAt, "Choose a grant to end.")
	}
	return m, groups, prev, nil
}

// groupIndex is the place in groups of the group of grant key ("group:<id>"), -1: none.
func groupIndex(groups []domain.Group, grant string) int {
	for i, g := range groups {
		if GroupGrantKey(g.ID) == grant {
			return i
		}
	}
	return -1
}

// AtInstant edits a member's assembled input into what it is at instant
// at: m (with its ends) settled then, and only the groups (with their
// Until) still live. The preview states it; a save judges it.
func AtInstant(m domain.Membership, groups []domain.Group, at int64) func(*access.Input) {
	return func(in *access.Input) {
		s := m.Settle(at)
		in.Role, in.Custom = s.Role, s.Custom
		var live []domain.Group
		for _, g := range groups {
			if g.Until == 0 || g.Until > at {
				live = append(live, g)
			}
		}
		in.Groups = store.Grants(live)
	}
}

// EndJSON is an end as the JSON formats write it: UTC to the second with
// Z, or nil for none.
func EndJSON(at int64) any {
	if at == 0 {
		return nil
	}
	return store.EndUTC(at)
}
