package membership

import (
	"context"
	"fmt"
	"slices"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// ChangeRole gives a member another role. Refused: a non-owner touching an
// owner or making one, a role above the actor, demoting the last active owner.
func (s *Service) ChangeRole(ctx context.Context, a domain.Actor, memberID int64, roleKey string) error {
	role, ok := access.ParseRole(roleKey)
	if !ok {
		return invalid("role", "Choose a role from the list.")
	}
	return s.write(ctx, a, access.Edit, func(sc *scope) error { return sc.changeRole(memberID, role) })
}

func (sc *scope) changeRole(memberID int64, role access.Role) error {
	t, err := sc.member(memberID)
	if err != nil {
		return err
	}
	if t.Role == role {
		return nil
	}
	if err := sc.mayTouch(t); err != nil {
		return err
	}
	if err := sc.checkRole("role", t.Role, role); err != nil {
		return err
	}
	if last, err := sc.lastOwner(t); err != nil {
		return err
	} else if last {
		return invalid("role", "%s is the last active owner of %s. Make another member owner first.", displayName(t), sc.org.Name)
	}
	if err := sc.judge("role", t, "as "+role.Label(), func(in *access.Input) { in.Role = role }); err != nil {
		return err
	}
	if err := sc.tx.SetRole(sc.ctx, sc.org.ID, t.ID, role); err != nil {
		return err
	}
	return sc.audit("member.role", t.Email, map[string]any{"role": t.Role}, map[string]any{"role": role})
}

// SetGroups replaces a member's groups. Every group added must grant only
// what the actor holds (a manager cannot put anyone, themselves included,
// into Admin).
func (s *Service) SetGroups(ctx context.Context, a domain.Actor, memberID int64, ids []int64) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.touchable(memberID)
		if err != nil {
			return err
		}
		want, err := sc.pickGroups("groups", ids)
		if err != nil {
			return err
		}
		cur, err := sc.tx.GroupsOfMember(sc.ctx, sc.org.ID, t.ID)
		if err != nil {
			return err
		}
		var added []domain.Group
		for _, g := range want {
			if !slices.ContainsFunc(cur, func(c domain.Group) bool { return c.ID == g.ID }) {
				added = append(added, g)
			}
		}
		if len(added) == 0 && len(want) == len(cur) {
			return nil // nothing changes
		}
		if err := sc.checkGroups("groups", added); err != nil {
			return err
		}
		why := "with these groups"
		if len(want) == 0 {
			why = "without groups"
		}
		if err := sc.judge("groups", t, why, func(in *access.Input) { in.Groups = store.Grants(want) }); err != nil {
			return err
		}
		if err := sc.tx.SetMemberGroups(sc.ctx, sc.org.ID, t.ID, groupIDs(want)); err != nil {
			return err
		}
		slices.SortFunc(want, func(x, y domain.Group) int { return compareFold(x.Name, y.Name) })
		return sc.audit("member.groups", t.Email, map[string]any{"groups": store.GroupNames(cur)},
			map[string]any{"groups": store.GroupNames(want)})
	})
}

// Suspend ends the member's access to this organization on their next
// request (their other organizations are untouched); role, groups and
// individual permissions are kept for Reenable.
func (s *Service) Suspend(ctx context.Context, a domain.Actor, memberID int64) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error { return sc.suspend(memberID) })
}

func (sc *scope) suspend(memberID int64) error {
	t, err := sc.touchable(memberID)
	if err != nil {
		return err
	}
	if t.Suspended() {
		return invalid("", "%s is already suspended.", displayName(t))
	}
	if last, err := sc.lastOwner(t); err != nil {
		return err
	} else if last {
		return invalid("", "%s is the last active owner of %s and can't be suspended. Make another member owner first.", displayName(t), sc.org.Name)
	}
	if t.UserID == sc.actor.UserID {
		return invalid("", SelfSuspend)
	}
	if err := sc.tx.SetStatus(sc.ctx, sc.org.ID, t.ID, domain.StatusSuspended); err != nil {
		return err
	}
	return sc.audit("member.suspend", t.Email, map[string]any{"status": t.Status}, map[string]any{"status": domain.StatusSuspended})
}

// Reenable restores a suspended member as they were (no new invitation),
// if a seat is free.
func (s *Service) Reenable(ctx context.Context, a domain.Actor, memberID int64) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error { return sc.reenable(memberID) })
}

func (sc *scope) reenable(memberID int64) error {
	t, err := sc.touchable(memberID)
	if err != nil {
		return err
	}
	if !t.Suspended() {
		return invalid("", "%s is not suspended.", displayName(t))
	}
	if err := sc.needSeats("", 1); err != nil {
		return err
	}
	// A re-enable gives back everything the member then holds.
	if err := sc.judge("", t, "re-enabled", func(in *access.Input) { in.Suspended = false }); err != nil {
		return err
	}
	if err := sc.tx.SetStatus(sc.ctx, sc.org.ID, t.ID, domain.StatusActive); err != nil {
		return err
	}
	return sc.audit("member.reenable", t.Email, map[string]any{"status": t.Status}, map[string]any{"status": domain.StatusActive})
}

// Remove takes the member out of the organization; their global account
// and their other organizations stay.
func (s *Service) Remove(ctx context.Context, a domain.Actor, memberID int64) error {
	return s.write(ctx, a, access.Delete, func(sc *scope) error { return sc.remove(memberID) })
}

func (sc *scope) remove(memberID int64) error {
	t, err := sc.touchable(memberID)
	if err != nil {
		return err
	}
	if last, err := sc.lastOwner(t); err != nil {
		return err
	} else if last {
		return invalid("", "%s is the last active owner of %s and can't be removed. Make another member owner first.", displayName(t), sc.org.Name)
	}
	if t.UserID == sc.actor.UserID {
		return invalid("", SelfRemove)
	}
	groups, err := sc.tx.GroupsOfMember(sc.ctx, sc.org.ID, t.ID)
	if err != nil {
		return err
	}
	if err := sc.tx.RemoveMember(sc.ctx, sc.org.ID, t.ID); err != nil {
		return err
	}
	return sc.audit("member.remove", t.Email,
		map[string]any{"role": t.Role, "status": t.Status, "groups": store.GroupNames(groups), "custom": t.Custom != nil}, nil)
}

// ForceReset makes the member set a new password at their next login and
// ends every session they have (the account is global, so all of them).
// Only for an account this organization manages (mayReachAccount).
func (s *Service) ForceReset(ctx context.Context, a domain.Actor, memberID int64) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.member(memberID)
		if err != nil {
			return err
		}
		if t.UserID == a.UserID {
			return invalid("", SelfReset)
		}
		if err := sc.mayTouch(t); err != nil {
			return err
		}
		if err := sc.mayReachAccount(t, "force a password reset for"); err != nil {
			return err
		}
		n, err := sc.tx.ForcePasswordReset(sc.ctx, t.UserID)
		if err != nil {
			return err
		}
		return sc.audit("member.force_reset", t.Email, nil, map[string]any{"must_reset_password": true, "sessions_ended": n})
	})
}

// RevokeSessions ends one session of the member (sessionID) or all of them
// (""); returns how many ended. Sessions are the account's, in every
// organization: only for an account this organization manages.
func (s *Service) RevokeSessions(ctx context.Context, a domain.Actor, memberID int64, sessionID string) (int64, error) {
	var n int64
	err := s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.touchable(memberID)
		if err != nil {
			return err
		}
		if err := sc.mayReachAccount(t, "end the sessions of"); err != nil {
			return err
		}
		if n, err = sc.tx.EndSessions(sc.ctx, t.UserID, sessionID); err != nil {
			return err
		}
		if sessionID != "" && n == 0 {
			return invalid("", "That session has already ended.")
		}
		after := map[string]any{"sessions_ended": n}
		if sessionID != "" {
			after["session"] = shortID(sessionID)
		}
		return sc.audit("member.sessions_revoke", t.Email, nil, after)
	})
	return n, err
}

// shortID is enough of a session id to tell sessions apart in the log.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// SignOut signs the member out of this organization only: every session
// of theirs must sign in again before this organization accepts it, from
// their next request; their other organizations, /orgs and their profile
// keep working. It is what an admin may do to an account that other
// organizations share. Returns how many sessions it signed out.
func (s *Service) SignOut(ctx context.Context, a domain.Actor, memberID int64) (int64, error) {
	var n int64
	err := s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.member(memberID)
		if err != nil {
			return err
		}
		if t.UserID == a.UserID {
			return invalid("", "To sign yourself out, use Log out.")
		}
		if err := sc.mayTouch(t); err != nil {
			return err
		}
		if n, err = sc.tx.SignOutOfOrg(sc.ctx, sc.org.ID, t.UserID); err != nil {
			return err
		}
		return sc.audit("member.signout", t.Email, nil, map[string]any{"sessions_signed_out": n})
	})
	return n, err
}

// mayReachAccount refuses reaching t's account as a whole (its sessions
// everywhere, a global password reset) unless this organization manages
// it: the account belongs to no other active organization, or the actor
// holds members_edit in every other one (ARCHITECTURE.md, Security: managed accounts).
// Your own account is always yours.
func (sc *scope) mayReachAccount(t store.MemberInfo, what string) error {
	if t.UserID == sc.actor.UserID {
		return nil
	}
	reach, err := sc.tx.ReachOver(sc.ctx, sc.actor.UserID, t.UserID, sc.org.ID)
	if err != nil {
		return err
	}
	// The other organizations are not named: which organizations an
	// account belongs to is theirs to tell, not this one's.
	if len(store.Unreached(reach)) > 0 {
		return &domain.Error{Code: domain.CodeForbidden, Field: "access", Message: fmt.Sprintf("Nothing changed: you can't %s %s, whose account also belongs to another organization "+
			"where you don't manage members. You can sign them out of %s instead.", what, displayName(t), sc.org.Name)}
	}
	return nil
}

// Reach says whether the actor may reach the member's account as a whole
// (sessions, force reset): it belongs to no other active organization, or
// the actor manages members in every one. Read outside a transaction, for
// showing a page; every change checks again inside its own.
func (s *Service) Reach(ctx context.Context, a domain.Actor, target store.MemberInfo) (bool, error) {
	if target.UserID == a.UserID {
		return true, nil
	}
	reach, err := s.db.ReachOver(ctx, a.UserID, target.UserID, a.Org.ID)
	if err != nil {
		return false, err
	}
	return len(store.Unreached(reach)) == 0, nil
}
