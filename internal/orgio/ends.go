package orgio

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
)

// Time-bound grants in the access configuration (ARCHITECTURE.md,
// Time-bound grants): "group_expires", "custom_expires" and "role_until"
// of a member. The import states them like the rest: a grant the file
// gives no end has none after it. Each end must lie after the import.

// grantEnds are a member's ends as the file states them (Unix seconds, 0:
// none); groups by their planned group.
type grantEnds struct {
	groups  map[*gstate]int64
	custom  int64
	role    int64
	then    access.Role
	checked bool // stated validly (nothing is applied otherwise: the import stops)
}

// memberEnds reads and checks member m's ends (path: its JSON path).
func (p *planner) memberEnds(path string, m Member, custom *access.Set, want []*gstate) grantEnds {
	e := grantEnds{groups: map[*gstate]int64{}, checked: true}
	at := func(path, v string) int64 {
		t, err := time.Parse(endLayout, v)
		if err != nil {
			e.checked = false
			return 0 // the parser named it
		}
		if t.Unix() <= p.st.now {
			p.problem(path, "%s is not in the future: an end must lie after the import", v)
			e.checked = false
		}
		return t.Unix()
	}
	for name, v := range m.GroupExpires {
		g := p.group(name)
		listed := false
		for _, w := range want {
			listed = listed || w == g
		}
		if g == nil || !listed {
			p.problem(join(join(path, "group_expires"), name), "%q is not one of the member's \"groups\"", name)
			e.checked = false
			continue
		}
		e.groups[g] = at(join(join(path, "group_expires"), name), v)
	}
	if m.CustomExpires != nil {
		if custom == nil {
			p.problem(join(path, "custom_expires"), "the member has no individual permissions (\"custom\" is null) to end")
			e.checked = false
		}
		e.custom = at(join(path, "custom_expires"), *m.CustomExpires)
	}
	if ru := m.RoleUntil; ru != nil {
		rp := join(path, "role_until")
		switch {
		case m.Role == access.RoleOwner:
			p.problem(rp, "the owner role cannot be temporary")
			e.checked = false
		case ru.Then == access.RoleOwner:
			p.problem(join(rp, "then"), "a temporary role cannot return to owner")
			e.checked = false
		}
		if ru.At != "" {
			e.role, e.then = at(join(rp, "at"), ru.At), ru.Then
		}
	}
	return e
}

// apply writes the ends of membership id (its groups already set).
func (e grantEnds) apply(ctx context.Context, tx *store.Tx, orgID, id int64) error {
	if !e.checked {
		return nil
	}
	for g, at := range e.groups {
		if err := tx.SetGroupMemberUntil(ctx, orgID, g.id, id, at); err != nil {
			return err
		}
	}
	if e.custom != 0 {
		if err := tx.SetCustomUntil(ctx, orgID, id, e.custom); err != nil {
			return err
		}
	}
	if e.role != 0 {
		return tx.SetRoleUntil(ctx, orgID, id, e.role, e.then)
	}
	return nil
}

// updateEnds plans the changes of an existing member's ends (after its
// role, groups and individual permissions are planned: a role or an
// individual set written anew loses its end, so ends are written last,
// all of them, whenever one differs).
func (p *planner) updateEnds(email string, cur *store.OrgMember, e grantEnds) {
	if !e.checked {
		return
	}
	same := e.custom == cur.CustomUntil && e.role == cur.RoleUntil && (e.role == 0 || e.then == cur.RoleThen)
	for g, at := range e.groups {
		same = same && g.exists && cur.GroupEnds[g.id] == at
	}
	for gid, at := range cur.GroupEnds {
		found := false
		for g := range e.groups {
			found = found || (g.exists && g.id == gid)
		}
		same = same && (found || at == 0)
	}
	if same {
		return
	}
	id := cur.ID
	after := map[string]any{"custom_expires": endOrNil(e.custom), "role_until": endOrNil(e.role)}
	p.ops = append(p.ops, op{text: "update member " + email + ": ends of grants " + e.describe(),
		audit: store.AuditEntry{Action: "member.grant_end", Target: email, After: store.JSON(after)},
		apply: func(ctx context.Context, tx *store.Tx, env *env) error {
			// Ends the file does not state go: groups kept keep none.
			for gid := range cur.GroupEnds {
				if err := tx.SetGroupMemberUntil(ctx, env.orgID, gid, id, 0); err != nil && err != store.ErrNotFound {
					return err
				}
			}
			if err := tx.SetCustomUntil(ctx, env.orgID, id, 0); err != nil {
				return err
			}
			if err := tx.SetRoleUntil(ctx, env.orgID, id, 0, ""); err != nil {
				return err
			}
			return e.apply(ctx, tx, env.orgID, id)
		}})
}

func endOrNil(at int64) any {
	if at == 0 {
		return nil
	}
	return store.EndUTC(at)
}

// describe words the ends for the import's summary.
func (e grantEnds) describe() string {
	var gs []string
	for g, at := range e.groups {
		gs = append(gs, fmt.Sprintf("group %s until %s; ", g.name, store.EndUTC(at)))
	}
	slices.Sort(gs)
	s := strings.Join(gs, "")
	if e.custom != 0 {
		s += "individual permissions until " + store.EndUTC(e.custom) + "; "
	}
	if e.role != 0 {
		s += fmt.Sprintf("role until %s, then %s; ", store.EndUTC(e.role), e.then)
	}
	if s == "" {
		return "none"
	}
	return s[:len(s)-2]
}
