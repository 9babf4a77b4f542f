// Package membership is the one place that changes who belongs to an
// organization and how: roles, groups (a member's, and the groups
// themselves: groups.go), suspension, removal, forced password resets,
// sessions and invitations. Every web path (and any other caller)
// goes through it, so each change runs in one transaction, is checked
// against the anti-escalation and owner rules of ARCHITECTURE.md (Anti-escalation) and the seat
// quota, and writes its audit entry in that same transaction.
package membership

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// InviteTTL is how long an invitation link lives.
const InviteTTL = 7 * 24 * time.Hour

// InviteLifetime words InviteTTL for the invite form, flash and mail ("7 days").
func InviteLifetime() string {
	if d := int(InviteTTL / (24 * time.Hour)); d != 1 {
		return strconv.Itoa(d) + " days"
	}
	return "1 day"
}

// Service changes memberships.
type Service struct {
	db *store.Store
}

// New returns the service over db.
func New(db *store.Store) *Service { return &Service{db: db} }

// scope is one change in progress: the transaction and the actor's state in it.
type scope struct {
	ctx   context.Context
	tx    *store.Tx
	actor domain.Actor
	org   domain.Org
	am    domain.Membership
	eff   access.Effective

	groups []domain.Group // the organization's groups, once loaded
}

// write runs fn in one transaction after checking that the actor is an
// active member holding members_<need>.
func (s *Service) write(ctx context.Context, a domain.Actor, need access.Action, fn func(sc *scope) error) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		sc := &scope{ctx: ctx, tx: tx, actor: a}
		act, err := tx.ActingFor(ctx, a.Org.ID, a.UserID, access.ModMembers, need)
		if err != nil { // a refused actor is a *domain.Error already (not_found or forbidden)
			return err
		}
		sc.org, sc.am, sc.eff = act.Org, act.Membership, act.Eff
		return fn(sc)
	})
}

// resolve computes a membership's effective permissions as if it were
// active (a suspended member's standing still decides who may touch them).
func (sc *scope) resolve(m domain.Membership) (access.Effective, error) {
	in, err := sc.tx.MemberInput(sc.ctx, sc.org, m, store.DecidingLayers)
	if err != nil {
		return access.Effective{}, err
	}
	in.Suspended = false
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

// touchable loads a target membership the actor may change (mayTouch).
func (sc *scope) touchable(id int64) (store.MemberInfo, error) {
	t, err := sc.member(id)
	if err != nil {
		return t, err
	}
	return t, sc.mayTouch(t)
}

// Touch is MayTouch's answer: whether an actor may change a member's
// membership, and if not, why.
type Touch struct {
	OwnersOnly bool       // the member is an owner and the actor is not
	Missing    access.Set // what the member holds (as if active) that the actor does not
}

// OK reports that the actor may change the membership.
func (t Touch) OK() bool { return !t.OwnersOnly && t.Missing.IsEmpty() }

// MayTouch is the one answer to "may this actor touch that member":
// change their role, groups, status or individual permissions, their
// sessions, or remove them. Only an owner changes an owner's membership,
// and nobody changes the membership of someone who holds permissions they
// lack themselves (a manager cannot suspend an admin). target is the
// member's input as the store assembles it (store.MemberInput, at least
// DecidingLayers); a suspended member is judged by what they would hold
// if active. The services apply it inside their transactions, to the
// actor as read there; the member page calls it to enable its controls.
func MayTouch(actor access.Effective, target access.Input) Touch {
	if actor.IsOwner() {
		return Touch{}
	}
	if OwnersOnly(actor, target.Role) {
		return Touch{OwnersOnly: true}
	}
	target.Suspended = false
	// What the actor holds as anti-escalation counts it: all scope holds team.
	return Touch{Missing: access.Ungrantable(actor, access.Resolve(target).Set)}
}

// OwnersOnly is MayTouch's owner rule alone, which needs only the
// member's role (a list of members can ask it row by row): only an owner
// changes an owner's membership.
func OwnersOnly(actor access.Effective, targetRole access.Role) bool {
	return targetRole == access.RoleOwner && !actor.IsOwner()
}

// The self rules' refusals, in the services' words; the member page shows
// them next to the control it disables for the actor's own membership.
const (
	SelfSuspend = "You can't suspend yourself. Ask another administrator."
	SelfRemove  = "You can't remove yourself here. Ask another administrator."
	SelfReset   = "To change your own password, use My Profile."
)

// Refusal words a refused touch of the member named who (nil when t is OK):
// the services' refusal and the member page's note.
func (t Touch) Refusal(who string) *domain.Error {
	switch {
	case t.OwnersOnly:
		return forbidden("", "Only an owner can change an owner's membership.")
	case !t.Missing.IsEmpty():
		return forbidden("", "%s holds permissions you don't have (%s), so only someone who holds them can change this membership.",
			who, heldList(&access.GrantError{Missing: t.Missing}))
	}
	return nil
}

// mayTouch applies MayTouch to t, read in this transaction.
func (sc *scope) mayTouch(t store.MemberInfo) error {
	if sc.eff.IsOwner() {
		return nil // nothing to read: an owner may touch anyone
	}
	in, err := sc.tx.MemberInput(sc.ctx, sc.org, t.Membership, store.DecidingLayers)
	if err != nil {
		return err
	}
	if e := MayTouch(sc.eff, in).Refusal(displayName(t)); e != nil {
		return e
	}
	return nil
}

// judge is the anti-escalation judgement of a change to t's membership
// (store.JudgeChange: what t holds after it against before, read in this
// transaction): the actor must hold every gain. edit makes t's Input what
// the change makes of it; why starts the refusal ("without individual
// permissions"), and what t would then hold ends it.
func (sc *scope) judge(field string, t store.MemberInfo, why string, edit func(*access.Input)) error {
	missing, ch, err := sc.tx.JudgeChange(sc.ctx, sc.org, sc.eff, t.Membership, edit)
	if err != nil {
		return err
	}
	if missing.IsEmpty() {
		if fe := access.UnheldFieldGain(sc.eff, ch.Before, ch.After); fe != nil {
			return forbidden(field, "Nothing changed: %s, %s would %s, which opens field levels above your own (%s).",
				why, displayName(t), holding(ch), strings.Join(fe.Fields, ", "))
		}
		return nil
	}
	return forbidden(field, "Nothing changed: %s, %s would %s, which include permissions you do not hold (%s).",
		why, displayName(t), holding(ch), heldList(&access.GrantError{Missing: missing}))
}

// holding words what decides a member's permissions after a change.
func holding(ch store.Change) string {
	after := ch.After
	switch access.Resolve(after).Layer {
	case access.LayerOwner:
		return "become an owner, with every permission"
	case access.LayerCustom:
		return "hold these individual permissions"
	case access.LayerGroups:
		names := make([]string, len(after.Groups))
		for i, g := range after.Groups {
			names[i] = "“" + g.Name + "”"
		}
		if len(names) == 1 {
			return "hold the permissions of the group " + names[0]
		}
		return "hold the permissions of the groups " + strings.Join(names, ", ")
	}
	if ch.Before.Role != after.Role || ch.Before.Suspended {
		return "hold the " + after.Role.Label() + " role's permissions"
	}
	return "fall back to the " + after.Role.Label() + " role's permissions"
}

// checkNewcomer judges what a newcomer would hold from nothing: the role's
// template when they join without groups, else the union of the groups.
// Invitations (single and bulk) are membership changes too; the role's own
// template must also lie within the actor's set (checkRole), whether or not
// groups decide.
func (sc *scope) checkNewcomer(field, who string, role access.Role, groups []domain.Group) error {
	after := store.Assemble(domain.Membership{Role: role, Status: domain.StatusActive}, sc.org.Products, store.Grants(groups))
	ch := store.Change{Before: access.Nobody(sc.org.Products), After: after}
	missing := access.UnheldGain(sc.eff, ch.Before, after)
	if missing.IsEmpty() {
		// A role template's field levels come from resolving it (a manager edits
		// every field), so the set check above cannot see them.
		if fe := access.UnheldFieldGain(sc.eff, ch.Before, after); fe != nil {
			return forbidden(field, "Nothing changed: %s would %s, which opens field levels above your own (%s).",
				who, holding(ch), strings.Join(fe.Fields, ", "))
		}
		return nil
	}
	return forbidden(field, "Nothing changed: %s would %s, which include permissions you do not hold (%s).",
		who, holding(ch), heldList(&access.GrantError{Missing: missing}))
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
		what = strconv.Itoa(n) + " seats"
	}
	return "Not enough seats: " + strconv.Itoa(st.Used()) + " of " + strconv.Itoa(st.Quota) + " seats are in use, " +
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
