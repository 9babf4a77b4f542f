package membership

import (
	"context"
	"errors"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Individual permissions ("Individual permission" tab, ARCHITECTURE.md, Layers, rule 3):
// a custom set on a membership decides alone while it is set. Each change
// is one transaction with its "member.custom" audit entry, whose before and
// after are {"custom": null} (inherited) or {"custom": {...}} (the set).

// EnableCustom turns individual permissions on, starting from an exact copy
// of what the member has now (their effective set, computed in the same
// transaction). It returns the set stored; already on, nothing changes and
// the current set is returned.
func (s *Service) EnableCustom(ctx context.Context, a domain.Actor, memberID int64) (access.Set, error) {
	var out access.Set
	err := s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.customTarget(memberID)
		if err != nil {
			return err
		}
		if t.Custom != nil {
			out = *t.Custom
			return nil
		}
		teff, err := sc.resolve(t.Membership)
		if err != nil {
			return err
		}
		out = teff.Stated() // field levels too: exactly what they had
		return sc.storeCustom(t, &out)
	})
	return out, err
}

// SetCustom replaces a member's individual permissions with exactly set
// (view is added wherever another action is; an empty set grants nothing).
// A non-owner may only grant what they hold themselves. What the current
// set holds for products the organization lacks (actions, flags, field
// levels) is kept: it is inert and the grid does not show it.
func (s *Service) SetCustom(ctx context.Context, a domain.Actor, memberID int64, set access.Set) error {
	set, _ = set.WithImpliedView()
	return s.write(ctx, a, access.Edit, func(sc *scope) error {
		if set != set.RestrictTo(sc.org.Products) {
			return invalid("perm", "Some of these permissions belong to products %s does not have. Reload the page and try again.", sc.org.Name)
		}
		t, err := sc.customTarget(memberID)
		if err != nil {
			return err
		}
		if err := access.CheckGrant(sc.eff, set); err != nil {
			var ge *access.GrantError
			if errors.As(err, &ge) {
				return forbidden("perm", "Nothing was saved: you can only grant permissions you hold yourself, and you do not hold %s.", heldList(ge))
			}
			return escalation("perm", "", err)
		}
		if t.Custom != nil {
			set = set.KeepOutside(*t.Custom, sc.org.Products)
		}
		if t.Custom != nil && *t.Custom == set {
			return nil // nothing changes
		}
		if err := sc.judge("perm", t, "with these individual permissions", func(in *access.Input) { in.Custom = &set }); err != nil {
			return err
		}
		return sc.storeCustom(t, &set)
	})
}

// ClearCustom returns a member to inherited permissions (groups, else the
// role template). Already inherited, nothing changes.
func (s *Service) ClearCustom(ctx context.Context, a domain.Actor, memberID int64) error {
	return s.write(ctx, a, access.Edit, func(sc *scope) error {
		t, err := sc.customTarget(memberID)
		if err != nil {
			return err
		}
		if t.Custom == nil {
			return nil
		}
		if err := sc.judge("", t, "without individual permissions", func(in *access.Input) { in.Custom = nil }); err != nil {
			return err
		}
		return sc.storeCustom(t, nil)
	})
}

// customTarget loads the member whose individual permissions change and
// applies the owner rules: only an owner touches an owner's membership, and
// even then not here, since individual permissions never restrict an owner
// (ARCHITECTURE.md, Catalog, the golden rule). Anyone else must outrank the member
// (mayTouch: a manager cannot rewrite an admin's permissions).
func (sc *scope) customTarget(memberID int64) (store.MemberInfo, error) {
	t, err := sc.member(memberID)
	if err != nil {
		return t, err
	}
	if t.Role == access.RoleOwner {
		if !sc.eff.IsOwner() {
			return t, forbidden("", "Only an owner can change an owner's membership.")
		}
		return t, invalid("", "Owners always have every permission; individual permissions and groups never restrict an owner. Change %s's role first.", displayName(t))
	}
	return t, sc.mayTouch(t)
}

// storeCustom writes the new state (nil = inherited) and its audit entry.
func (sc *scope) storeCustom(t store.MemberInfo, set *access.Set) error {
	if err := sc.tx.SetCustom(sc.ctx, sc.org.ID, t.ID, set); err != nil {
		return err
	}
	return sc.audit("member.custom", t.Email, map[string]any{"custom": t.Custom}, map[string]any{"custom": set})
}
