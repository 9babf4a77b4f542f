// Package membership is the one place that changes who belongs to an
// organization and how: roles, groups, suspension, removal, forced password
// resets, sessions and invitations. Every web path (and any other caller)
// goes through it, so each change runs in one transaction, is checked
// against the anti-escalation and owner rules of DESIGN §3 and the seat
// quota, and writes its audit entry in that same transaction.
package membership

import (
	"context"
	"errors"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
)

// InviteTTL is how long an invitation link lives.
const InviteTTL = 7 * 24 * time.Hour

// Service changes memberships.
type Service struct {
	db *store.Store
}

// New returns the service over db.
func New(db *store.Store) *Service { return &Service{db: db} }

// Actor is who asks for a change in which organization. Their membership
// and permissions are re-read inside the change's transaction, so a
// decision never rests on a stale view of the actor.
type Actor struct {
	UserID int64
	Email  string
	OrgID  int64
	IP     string
}

// scope is one change in progress: the transaction and the actor's state in it.
type scope struct {
	ctx   context.Context
	tx    *store.Tx
	actor Actor
	org   store.Org
	am    store.Membership
	eff   access.Effective

	groups []store.Group // the organization's groups, once loaded
}

// write runs fn in one transaction after checking that the actor is an
// active member holding members_<need>.
func (s *Service) write(ctx context.Context, a Actor, need access.Action, fn func(sc *scope) error) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		sc := &scope{ctx: ctx, tx: tx, actor: a}
		var err error
		if sc.org, err = tx.OrgByIDTx(ctx, a.OrgID); errors.Is(err, store.ErrNotFound) {
			return notFound("This organization does not exist.")
		} else if err != nil {
			return err
		}
		if sc.am, err = tx.MembershipByUserTx(ctx, a.OrgID, a.UserID); errors.Is(err, store.ErrNotFound) {
			return notFound("You are not a member of %s.", sc.org.Name)
		} else if err != nil {
			return err
		}
		if sc.am.Suspended() {
			return forbidden("", "Your access to %s is suspended.", sc.org.Name)
		}
		if sc.eff, err = sc.resolve(sc.am); err != nil {
			return err
		}
		if !sc.eff.Can(access.MustModule("members"), need) {
			return forbidden("", "You don't have the permission %s.", access.PermissionName(access.MustModule("members"), need))
		}
		return fn(sc)
	})
}

// resolve computes a membership's effective permissions as if it were
// active (a suspended member's standing still decides who may touch them).
func (sc *scope) resolve(m store.Membership) (access.Effective, error) {
	in := access.Input{Role: m.Role, Custom: m.Custom, Products: sc.org.Products}
	if m.Role != access.RoleOwner && m.Custom == nil {
		groups, err := sc.tx.GroupsOfMember(sc.ctx, sc.org.ID, m.ID)
		if err != nil {
			return access.Effective{}, err
		}
		in.Groups = store.Grants(groups)
	}
	return access.Resolve(in), nil
}

// member loads a target membership of the organization.
func (sc *scope) member(id int64) (store.MemberInfo, error) {
	t, err := sc.tx.MemberInfo(sc.ctx, sc.org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return t, notFound("This member does not exist in %s.", sc.org.Name)
	}
	return t, err
}

// mayTouch enforces owner safety and rank: only an owner changes an
// owner's membership, and nobody changes the membership of someone who
// holds permissions they lack themselves (a manager cannot suspend an admin).
func (sc *scope) mayTouch(t store.MemberInfo) error {
	if sc.eff.IsOwner() {
		return nil
	}
	if t.Role == access.RoleOwner {
		return forbidden("", "Only an owner can change an owner's membership.")
	}
	teff, err := sc.resolve(t.Membership)
	if err != nil {
		return err
	}
	if missing := teff.Set.Minus(sc.eff.Set); !missing.IsEmpty() {
		ge := &access.GrantError{Missing: missing}
		return forbidden("", "%s holds permissions you don't have (%s), so only someone who holds them can change this membership.",
			displayName(t), heldList(ge))
	}
	return nil
}

// heldList is the GrantError's list of names without its lead-in.
func heldList(ge *access.GrantError) string {
	const lead = "you can only grant permissions you hold yourself; you do not hold "
	msg := ge.Error()
	if len(msg) > len(lead) && msg[:len(lead)] == lead {
		return msg[len(lead):]
	}
	return msg
}

// lastOwner reports whether t is the organization's last active owner.
func (sc *scope) lastOwner(t store.MemberInfo) (bool, error) {
	if t.Role != access.RoleOwner || t.Suspended() {
		return false, nil
	}
	n, err := sc.tx.CountActiveOwners(sc.ctx, sc.org.ID)
	return n <= 1, err
}

// needSeats refuses when n more seats would exceed the quota.
func (sc *scope) needSeats(field string, n int) error {
	st, err := sc.tx.SeatUsage(sc.ctx, sc.org.ID)
	if err != nil {
		return err
	}
	if st.Used()+n > st.Quota {
		return invalid(field, "%s", seatMessage(st, n))
	}
	return nil
}

func seatMessage(st store.Seats, n int) string {
	free := st.Free()
	what := "a seat"
	if n > 1 {
		what = itoa(n) + " seats"
	}
	return "Not enough seats: " + itoa(st.Used()) + " of " + itoa(st.Quota) + " seats are in use, " +
		plural(free, "seat is", "seats are") + " free and this needs " + what +
		". Suspend or remove a member, revoke a pending invitation, or move to a larger package."
}

// audit records the change in the same transaction.
func (sc *scope) audit(action, target string, before, after any) error {
	return sc.tx.Audit(sc.ctx, store.AuditEntry{OrgID: sc.org.ID, ActorID: sc.actor.UserID, ActorEmail: sc.actor.Email,
		Action: action, Target: target, Before: store.JSON(before), After: store.JSON(after), IP: sc.actor.IP})
}

func displayName(t store.MemberInfo) string {
	if t.Name != "" {
		return t.Name
	}
	return t.Email
}
