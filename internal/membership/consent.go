package membership

import (
	"context"
	"errors"
	"fmt"

	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Invitations of an address that already has an account wait for that
// account's consent: it accepts or declines them from /orgs, by id. An
// invitation belongs to whoever holds its address; any other id, an
// invitation of another address included, is "not found". Only an account
// that confirmed its address may accept (an unconfirmed one might have been
// registered by someone who does not own the mailbox).

// msgUnverified refuses an accept by an account whose address is not
// confirmed (Code Forbidden, Field "verify": the page offers a new link).
const msgUnverified = "Please confirm your address first: follow the link we emailed to %s, then accept the invitation. Didn't get it? Send a new link."

// AcceptInvitation grants user the invitation id of their address: the
// invited role and groups at once, under the seat rules, exactly once
// under concurrent accepts. The account is re-read inside the transaction.
func (s *Service) AcceptInvitation(ctx context.Context, userID, id int64, ip string) (AcceptResult, error) {
	var res AcceptResult
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		user, inv, err := invitationOf(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		if user.VerifiedAt == 0 {
			return &domain.Error{Code: domain.CodeForbidden, Field: "verify", Message: fmt.Sprintf(msgUnverified, user.Email)}
		}
		if msg := deadInvite(inv, tx.Now()); msg != "" {
			return &domain.Error{Code: domain.CodeConflict, Message: msg}
		}
		res, err = join(ctx, tx, user, inv, ip, "orgs")
		return err
	})
	return res, err
}

// DeclineInvitation ends the invitation id of user's address: it is marked
// declined (audited in its organization) and its seat frees. Declining
// needs no confirmed address: saying no grants nothing.
func (s *Service) DeclineInvitation(ctx context.Context, userID, id int64, ip string) (domain.Org, error) {
	var org domain.Org
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		user, inv, err := invitationOf(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		if msg := deadInvite(inv, tx.Now()); msg != "" {
			return &domain.Error{Code: domain.CodeConflict, Message: msg}
		}
		if org, err = tx.OrgByID(ctx, inv.OrgID); err != nil {
			return err
		}
		if err := tx.DeclineInvite(ctx, inv.ID); errors.Is(err, store.ErrNotFound) {
			return &domain.Error{Code: domain.CodeConflict, Message: "This invitation is no longer open."}
		} else if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: org.ID, ActorID: user.ID, ActorEmail: user.Email, Action: "invite.decline",
			Target: inv.Email, Before: store.JSON(map[string]any{"role": inv.Role}), After: store.JSON(map[string]any{"declined": true}), IP: ip})
	})
	return org, err
}

// invitationOf loads the account and the invitation id of its address.
func invitationOf(ctx context.Context, tx *store.Tx, userID, id int64) (domain.User, store.Invite, error) {
	user, err := tx.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return user, store.Invite{}, notFound("This invitation does not exist.")
	}
	if err != nil {
		return user, store.Invite{}, err
	}
	inv, err := tx.InviteOfAddress(ctx, id, user.Email)
	if errors.Is(err, store.ErrNotFound) {
		return user, inv, notFound("This invitation does not exist.")
	}
	return user, inv, err
}
