package membership

import (
	"context"
	"errors"
	"strings"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
)

// InviteInput is the invite form.
type InviteInput struct {
	Email    string
	Name     string // optional; pre-fills the invitee's sign-up
	Role     string
	GroupIDs []int64
}

// InviteResult says what an invitation did: every address, with an
// account or not, gets a pending invitation whose link carries Token, which
// exists only here (the store keeps its hash). Existing (with User) tells
// the mail which words to use; nothing shown to the inviting admin may
// depend on it.
type InviteResult struct {
	Org      domain.Org
	Email    string
	Role     access.Role
	Existing bool
	User     domain.User
	Invite   store.Invite
	Token    string
}

// Invite invites one address with a role and groups.
func (s *Service) Invite(ctx context.Context, a domain.Actor, in InviteInput) (InviteResult, error) {
	in.Email = store.NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if msg := checkEmail(in.Email); msg != "" {
		fields["email"] = msg
	}
	if msg := checkName(in.Name); msg != "" {
		fields["name"] = msg
	}
	role, ok := access.ParseRole(in.Role)
	if !ok {
		fields["role"] = "Choose a role from the list."
	}
	if len(fields) > 0 {
		return InviteResult{}, &domain.Error{Code: domain.CodeInvalid, Field: firstField(fields, "email", "name", "role"),
			Message: "Check the highlighted fields.", Fields: fields}
	}
	var res InviteResult
	err := s.write(ctx, a, access.Create, func(sc *scope) error {
		groups, err := sc.pickGroups("groups", in.GroupIDs)
		if err != nil {
			return err
		}
		if err := sc.checkRole("role", "", role); err != nil {
			return err
		}
		if err := sc.checkGroups("groups", groups); err != nil {
			return err
		}
		res, err = sc.invite(in.Email, in.Name, role, groups)
		return err
	})
	return res, err
}

// invite is one checked invitation inside a transaction (bulk invites run
// it once per row). An address that has an account is not added at once:
// it gets a pending invitation like a new address, and joins when its
// account accepts it (on /orgs or through the link).
func (sc *scope) invite(email, name string, role access.Role, groups []domain.Group) (InviteResult, error) {
	res := InviteResult{Org: sc.org, Email: email, Role: role}
	// The one judge of membership changes: a newcomer gains all they will hold.
	if err := sc.checkNewcomer("groups", email, role, groups); err != nil {
		return res, err
	}
	u, err := sc.tx.UserByEmail(sc.ctx, email)
	existing := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return res, err
	}
	if existing {
		if m, err := sc.tx.MembershipOfUser(sc.ctx, sc.org.ID, u.ID); err == nil {
			if m.Suspended() {
				return res, invalid("email", "%s is already a member of %s (suspended). Re-enable them from the members list instead.", email, sc.org.Name)
			}
			return res, invalid("email", "%s is already a member of %s.", email, sc.org.Name)
		} else if !errors.Is(err, store.ErrNotFound) {
			return res, err
		}
		res.Existing, res.User = true, u
	}
	open, err := sc.tx.OpenInviteFor(sc.ctx, sc.org.ID, email)
	switch {
	case err == nil && open.State(sc.tx.Now()) == store.InvitePending:
		return res, invalid("email", "%s already has a pending invitation. Resend it from the list of pending invitations instead.", email)
	case err == nil: // an expired one: the new invitation replaces it
		if err := sc.tx.RevokeInvite(sc.ctx, sc.org.ID, open.ID); err != nil {
			return res, err
		}
	case !errors.Is(err, store.ErrNotFound):
		return res, err
	}
	if err := sc.needSeats("", 1); err != nil {
		return res, err
	}
	names := store.GroupNames(groups)
	res.Token = session.NewToken()
	res.Invite, err = sc.tx.CreateInvite(sc.ctx, store.Invite{OrgID: sc.org.ID, Email: email, Name: name, Role: role,
		GroupIDs: groupIDs(groups), InvitedBy: sc.actor.UserID, ExpiresAt: sc.tx.Now() + int64(InviteTTL/time.Second)},
		session.HashToken(res.Token))
	if err != nil {
		return res, err
	}
	return res, sc.audit("invite.create", email, nil, map[string]any{"role": role, "groups": names, "expires_at": res.Invite.ExpiresAt})
}

// ResendInvite gives an open invitation a new link and seven more days;
// the old link stops working. An expired one needs a free seat again.
func (s *Service) ResendInvite(ctx context.Context, a domain.Actor, inviteID int64) (InviteResult, error) {
	var res InviteResult
	err := s.write(ctx, a, access.Create, func(sc *scope) error {
		inv, err := sc.openInvite(inviteID)
		if err != nil {
			return err
		}
		res, err = sc.resend(inv)
		return err
	})
	return res, err
}

// resend is one checked resend inside a transaction (bulk resends run it
// once per invitation).
func (sc *scope) resend(inv store.Invite) (InviteResult, error) {
	groups, err := sc.inviteGroups(inv)
	if err != nil {
		return InviteResult{}, err
	}
	// Resending grants again: the same rules as inviting.
	if err := sc.checkRole("", "", inv.Role); err != nil {
		return InviteResult{}, err
	}
	if err := sc.checkGroups("", groups); err != nil {
		return InviteResult{}, err
	}
	if err := sc.checkNewcomer("", inv.Email, inv.Role, groups); err != nil {
		return InviteResult{}, err
	}
	if inv.State(sc.tx.Now()) == store.InviteExpired {
		if err := sc.needSeats("", 1); err != nil {
			return InviteResult{}, err
		}
	}
	res := InviteResult{Org: sc.org, Email: inv.Email, Role: inv.Role, Token: session.NewToken()}
	if u, err := sc.tx.UserByEmail(sc.ctx, inv.Email); err == nil {
		res.Existing, res.User = true, u
	} else if !errors.Is(err, store.ErrNotFound) {
		return res, err
	}
	exp := sc.tx.Now() + int64(InviteTTL/time.Second)
	if err := sc.tx.ReissueInvite(sc.ctx, sc.org.ID, inv.ID, session.HashToken(res.Token), exp); err != nil {
		return res, err
	}
	if res.Invite, err = sc.tx.Invite(sc.ctx, sc.org.ID, inv.ID); err != nil {
		return res, err
	}
	return res, sc.audit("invite.resend", inv.Email, map[string]any{"expires_at": inv.ExpiresAt}, map[string]any{"expires_at": exp})
}

// MaxBulkResend bounds one bulk resend (the members page lists at most
// this many open invitations).
const MaxBulkResend = 500

// ResendResult says what a bulk resend did (or, for its preview, would do).
type ResendResult struct {
	Sent    []InviteResult // to mail, once committed
	Renewed int            // of Sent, invitations that had expired and take a seat again
	Refused []BulkRefusal
	Expires int64 // when the new links expire
	Seats   store.Seats
}

// ResendInvites resends many invitations at once, each by ResendInvite's
// rules: one refused (already accepted, a role or group the actor may not
// grant, no seat for an expired one) is listed and skipped. An id that is
// not an invitation of the organization refuses the whole request (not
// found) and nothing changes; all of it is one transaction. With dry set
// it is the preview: the same checks, rolled back.
func (s *Service) ResendInvites(ctx context.Context, a domain.Actor, ids []int64, dry bool) (ResendResult, error) {
	if len(ids) == 0 {
		return ResendResult{}, invalid("ids", "Select at least one invitation.")
	}
	if len(ids) > MaxBulkResend {
		return ResendResult{}, invalid("ids", "At most %d invitations at once.", MaxBulkResend)
	}
	var res ResendResult
	err := s.write(ctx, a, access.Create, func(sc *scope) error {
		res = ResendResult{}
		seen := map[int64]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			inv, err := sc.openInvite(id)
			if e := domain.AsError(err); e != nil && e.Code == domain.CodeNotFound {
				return err
			}
			var one InviteResult
			if err == nil {
				expired := inv.State(sc.tx.Now()) == store.InviteExpired
				if one, err = sc.resend(inv); err == nil && expired {
					res.Renewed++
				}
			}
			if e := domain.AsError(err); e != nil {
				res.Refused = append(res.Refused, BulkRefusal{ID: id, Who: inv.Email, Reason: e.Message})
				continue
			} else if err != nil {
				return err
			}
			res.Sent = append(res.Sent, one)
		}
		res.Expires = sc.tx.Now() + int64(InviteTTL/time.Second)
		seats, err := sc.tx.SeatUsage(sc.ctx, sc.org.ID)
		if err != nil {
			return err
		}
		if res.Seats = seats; dry {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// RevokeInvite ends an open invitation; its link stops working.
func (s *Service) RevokeInvite(ctx context.Context, a domain.Actor, inviteID int64) error {
	return s.write(ctx, a, access.Create, func(sc *scope) error {
		inv, err := sc.openInvite(inviteID)
		if err != nil {
			return err
		}
		if inv.Role == access.RoleOwner && !sc.eff.IsOwner() {
			return forbidden("", "Only an owner can revoke an invitation to become owner.")
		}
		if err := sc.tx.RevokeInvite(sc.ctx, sc.org.ID, inv.ID); err != nil {
			return err
		}
		return sc.audit("invite.revoke", inv.Email, map[string]any{"role": inv.Role}, map[string]any{"revoked": true})
	})
}

// openInvite loads an invitation that is neither accepted nor revoked.
func (sc *scope) openInvite(id int64) (store.Invite, error) {
	inv, err := sc.tx.Invite(sc.ctx, sc.org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return inv, notFound("This invitation does not exist in %s.", sc.org.Name)
	}
	if err != nil {
		return inv, err
	}
	switch inv.State(sc.tx.Now()) {
	case store.InviteAccepted:
		return inv, invalid("", "The invitation for %s was already accepted.", inv.Email)
	case store.InviteRevoked:
		return inv, invalid("", "The invitation for %s was revoked.", inv.Email)
	case store.InviteDeclined:
		return inv, invalid("", "The invitation for %s was declined.", inv.Email)
	}
	return inv, nil
}

// inviteGroups maps an invitation's group ids to groups that still exist.
func (sc *scope) inviteGroups(inv store.Invite) ([]domain.Group, error) {
	_, byID, err := sc.orgGroups()
	if err != nil {
		return nil, err
	}
	var out []domain.Group
	for _, id := range inv.GroupIDs {
		if g, ok := byID[id]; ok {
			out = append(out, g)
		}
	}
	return out, nil
}

// AcceptResult is where an accepted invitation leads.
type AcceptResult struct {
	Org           domain.Org
	Role          access.Role
	AlreadyMember bool
}

// AcceptInvite turns the invitation behind token into a membership for
// user. The invitation is bound to its email; accepting is one conditional
// UPDATE, so of two concurrent accepts exactly one succeeds. The link was
// mailed to the address, so using it proves the account reads that
// address: it counts as verified from then on.
func (s *Service) AcceptInvite(ctx context.Context, user domain.User, token, ip string) (AcceptResult, error) {
	var res AcceptResult
	hash := session.HashToken(token)
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		link, err := tx.InviteByToken(ctx, hash)
		if errors.Is(err, store.ErrNotFound) || token == "" {
			return notFound("This invitation link is not valid. It may have been replaced by a newer one: use the link in the most recent invitation mail.")
		}
		if err != nil {
			return err
		}
		inv := link.Invite
		if msg := deadInvite(inv, tx.Now()); msg != "" {
			return &domain.Error{Code: domain.CodeConflict, Message: msg}
		}
		if !strings.EqualFold(inv.Email, user.Email) {
			return forbidden("", "This invitation is for %s. You are signed in as %s: log out, then sign in or sign up as %s.",
				inv.Email, user.Email, inv.Email)
		}
		if res, err = join(ctx, tx, user, inv, ip, "link"); err != nil {
			return err
		}
		return tx.MarkVerified(ctx, user.ID, inv.Email)
	})
	return res, err
}

// join grants a live invitation of user's address: the seat check, the
// conditional accept, the membership with the invited role and groups and
// the audit entry, all in tx. via says how it was accepted ("link", "orgs").
func join(ctx context.Context, tx *store.Tx, user domain.User, inv store.Invite, ip, via string) (AcceptResult, error) {
	var res AcceptResult
	org, err := tx.OrgByID(ctx, inv.OrgID)
	if err != nil {
		return res, err
	}
	res.Org, res.Role = org, inv.Role
	if _, err := tx.MembershipOfUser(ctx, org.ID, user.ID); err == nil {
		res.AlreadyMember = true
	} else if !errors.Is(err, store.ErrNotFound) {
		return res, err
	}
	if !res.AlreadyMember {
		// The invitation held a seat while pending; the member takes it
		// only if the quota (possibly lowered since) still has room.
		st, err := tx.SeatUsage(ctx, org.ID)
		if err != nil {
			return res, err
		}
		if st.Active+1 > st.Quota {
			return res, invalid("", "%s has no free seat right now (%d of %d in use). Ask an administrator of %s to free a seat, then try again.",
				org.Name, st.Active, st.Quota, org.Name)
		}
	}
	if _, err := tx.AcceptInviteByID(ctx, inv.ID); errors.Is(err, store.ErrNotFound) {
		return res, &domain.Error{Code: domain.CodeConflict, Message: "This invitation has already been used."}
	} else if err != nil {
		return res, err
	}
	var names []string
	if !res.AlreadyMember {
		m, err := tx.AddMember(ctx, org.ID, user.ID, inv.Role, domain.StatusActive, nil)
		if err != nil {
			return res, err
		}
		for _, gid := range inv.GroupIDs {
			// A group deleted since the invitation is skipped.
			if err := tx.AddGroupMember(ctx, org.ID, gid, m.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return res, err
			}
		}
		gs, err := tx.GroupsOfMember(ctx, org.ID, m.ID)
		if err != nil {
			return res, err
		}
		names = store.GroupNames(gs)
	}
	return res, tx.Audit(ctx, store.AuditEntry{OrgID: org.ID, ActorID: user.ID, ActorEmail: user.Email, Action: "invite.accept",
		Target: inv.Email, After: store.JSON(map[string]any{"role": inv.Role, "groups": names, "already_member": res.AlreadyMember, "via": via}), IP: ip})
}

// deadInvite says why an invitation can no longer be used ("" if it can).
func deadInvite(inv store.Invite, now int64) string {
	switch inv.State(now) {
	case store.InviteAccepted:
		return "This invitation has already been used."
	case store.InviteDeclined:
		return "This invitation was declined."
	case store.InviteRevoked:
		return "This invitation was revoked by an administrator."
	case store.InviteExpired:
		return "This invitation has expired. Ask an administrator to send you a new one."
	}
	return ""
}

// DeadInviteMessage is deadInvite for the landing page.
func DeadInviteMessage(inv store.Invite, now int64) string { return deadInvite(inv, now) }

func firstField(fields map[string]string, order ...string) string {
	for _, f := range order {
		if _, ok := fields[f]; ok {
			return f
		}
	}
	return ""
}
