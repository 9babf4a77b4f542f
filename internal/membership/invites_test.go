package membership_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

func TestInviteNewAddressThenAccept(t *testing.T) {
	w := newWorld(t)
	res, err := w.svc.Invite(w.ctx, w.as(w.admin), membership.InviteInput{Email: " New.Person@Example.com ", Name: "New Person",
		Role: "sales", GroupIDs: []int64{w.groups["Sales Team"].ID}})
	must(t, err)
	if res.Existing || res.Token == "" || res.Invite.Email != "new.person@example.com" || res.Invite.Name != "New Person" {
		t.Fatalf("result = %+v", res)
	}
	// The token is not stored; only its hash.
	w.tx(func(tx *store.Tx) error {
		var n int
		tx.QueryRow(w.ctx, `SELECT COUNT(*) FROM invites WHERE token_hash = ?`, res.Token).Scan(&n)
		if n != 0 {
			t.Fatal("the raw token is stored")
		}
		return nil
	})
	if exp := res.Invite.ExpiresAt - res.Invite.CreatedAt; exp != 7*24*3600 {
		t.Fatalf("invite lives %ds, want 7 days", exp)
	}
	if e := w.lastAudit(); e.Action != "invite.create" || e.Target != "new.person@example.com" || !strings.Contains(e.After, `"role":"sales"`) {
		t.Fatalf("audit = %+v", e)
	}

	// Someone else's account cannot use the link.
	other := w.user("other@example.com", "Other")
	before := w.snapshot()
	_, err = w.svc.AcceptInvite(w.ctx, other, res.Token, "")
	wantErr(t, err, domain.CodeForbidden, "This invitation is for new.person@example.com")
	if w.snapshot() != before {
		t.Fatal("a refused accept wrote something")
	}

	invitee := w.user("new.person@example.com", "New Person")
	acc, err := w.svc.AcceptInvite(w.ctx, invitee, res.Token, "198.51.100.1")
	must(t, err)
	if acc.Org.ID != w.org.ID || acc.AlreadyMember {
		t.Fatalf("accept = %+v", acc)
	}
	m, err := w.db.MembershipOfUser(w.ctx, w.org.ID, invitee.ID)
	must(t, err)
	gs, _ := w.db.GroupsOfMember(w.ctx, m.OrgID, m.ID)
	if m.Role != access.RoleSales || m.Status != domain.StatusActive || len(gs) != 1 || gs[0].Name != "Sales Team" {
		t.Fatalf("membership = %+v groups %v", m, store.GroupNames(gs))
	}
	if e := w.lastAudit(); e.Action != "invite.accept" || e.ActorEmail != "new.person@example.com" || e.IP != "198.51.100.1" {
		t.Fatalf("audit = %+v", e)
	}
	// Used: the same link fails the second time.
	_, err = w.svc.AcceptInvite(w.ctx, invitee, res.Token, "")
	wantErr(t, err, domain.CodeConflict, "already been used")
}

// An address with an account is not added at once: it gets a pending
// invitation, and joins only when its account (with a confirmed address)
// accepts it.
func TestInviteExistingAccountNeedsConsent(t *testing.T) {
	w := newWorld(t)
	u := w.user("known@example.com", "Known")
	res, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "KNOWN@example.com", Role: "agent",
		GroupIDs: []int64{w.groups["User"].ID}})
	must(t, err)
	if !res.Existing || res.Token == "" || res.User.ID != u.ID || res.Invite.ID == 0 {
		t.Fatalf("result = %+v", res)
	}
	if _, err := w.db.MembershipOfUser(w.ctx, w.org.ID, u.ID); err == nil {
		t.Fatal("the account was added without its consent")
	}
	if e := w.lastAudit(); e.Action != "invite.create" || e.Target != "known@example.com" {
		t.Fatalf("audit = %+v", e)
	}
	st, _ := w.db.SeatUsage(w.ctx, w.org.ID)
	if st.Pending != 1 {
		t.Fatalf("seats = %+v, want the invitation pending", st)
	}

	// Unconfirmed address: refused, nothing changes.
	before := w.snapshot()
	_, err = w.svc.AcceptInvitation(w.ctx, u.ID, res.Invite.ID, "")
	if e := wantErr(t, err, domain.CodeForbidden, "confirm your address first"); e.Field != "verify" {
		t.Fatalf("field = %q", e.Field)
	}
	if w.snapshot() != before {
		t.Fatal("a refused accept wrote something")
	}
	// Another account (confirmed) cannot take it: not found, as for no invitation.
	other := w.user("other@example.com", "Other")
	must(t, w.db.MarkVerified(w.ctx, other.ID, other.Email))
	before = w.snapshot()
	_, err = w.svc.AcceptInvitation(w.ctx, other.ID, res.Invite.ID, "")
	wantErr(t, err, domain.CodeNotFound, "does not exist")
	_, err = w.svc.DeclineInvitation(w.ctx, other.ID, res.Invite.ID, "")
	wantErr(t, err, domain.CodeNotFound, "does not exist")
	if w.snapshot() != before {
		t.Fatal("someone else's accept or decline wrote something")
	}

	// Confirmed: two concurrent accepts yield one membership.
	must(t, w.db.MarkVerified(w.ctx, u.ID, u.Email))
	errs := testkit.AtOnce(2, func(int) error {
		_, err := w.svc.AcceptInvitation(w.ctx, u.ID, res.Invite.ID, "198.51.100.4")
		return err
	})
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two accepts: %v / %v, want exactly one to succeed", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantErr(t, err, domain.CodeConflict, "already been used")
		}
	}
	m, err := w.db.MembershipOfUser(w.ctx, w.org.ID, u.ID)
	must(t, err)
	gs, _ := w.db.GroupsOfMember(w.ctx, m.OrgID, m.ID)
	if m.Role != access.RoleAgent || m.Suspended() || len(gs) != 1 || gs[0].Name != "User" {
		t.Fatalf("membership = %+v groups %v", m, store.GroupNames(gs))
	}
	if e := w.lastAudit(); e.Action != "invite.accept" || e.ActorEmail != "known@example.com" || !strings.Contains(e.After, `"via":"orgs"`) {
		t.Fatalf("audit = %+v", e)
	}
	// Inviting a member again is refused next to the email field.
	_, err = w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "known@example.com", Role: "agent"})
	e := wantErr(t, err, domain.CodeInvalid, "already a member")
	if e.Field != "email" {
		t.Fatalf("field = %q", e.Field)
	}
}

// Declining marks the invitation declined (audited), frees its seat and
// kills its link; it needs no confirmed address.
func TestDeclineInvitation(t *testing.T) {
	w := newWorld(t)
	u := w.user("known@example.com", "Known")
	res, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "known@example.com", Role: "agent"})
	must(t, err)
	org, err := w.svc.DeclineInvitation(w.ctx, u.ID, res.Invite.ID, "192.0.2.9")
	must(t, err)
	if org.ID != w.org.ID {
		t.Fatalf("org = %+v", org)
	}
	if st, _ := w.db.SeatUsage(w.ctx, w.org.ID); st.Pending != 0 {
		t.Fatalf("seats = %+v: a declined invitation still holds a seat", st)
	}
	if e := w.lastAudit(); e.Action != "invite.decline" || e.ActorEmail != "known@example.com" || e.IP != "192.0.2.9" {
		t.Fatalf("audit = %+v", e)
	}
	must(t, w.db.MarkVerified(w.ctx, u.ID, u.Email))
	before := w.snapshot()
	_, err = w.svc.AcceptInvitation(w.ctx, u.ID, res.Invite.ID, "")
	wantErr(t, err, domain.CodeConflict, "declined")
	_, err = w.svc.AcceptInvite(w.ctx, u, res.Token, "")
	wantErr(t, err, domain.CodeConflict, "declined")
	if _, err := w.db.MembershipOfUser(w.ctx, w.org.ID, u.ID); err == nil || w.snapshot() != before {
		t.Fatal("a declined invitation was accepted")
	}
	// The admin may invite again; the new invitation is pending.
	_, err = w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "known@example.com", Role: "agent"})
	must(t, err)
}

// Using an invitation link proves the address: an unconfirmed account
// that accepts through the link is confirmed by it.
func TestInviteLinkVerifiesAddress(t *testing.T) {
	w := newWorld(t)
	res, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "new@example.com", Role: "agent"})
	must(t, err)
	u := w.user("new@example.com", "New")
	if u.Verified() {
		t.Fatal("a new account starts verified")
	}
	_, err = w.svc.AcceptInvite(w.ctx, u, res.Token, "")
	must(t, err)
	if got, _ := w.db.UserByID(w.ctx, u.ID); !got.Verified() {
		t.Fatal("accepting through the mailed link did not confirm the address")
	}
}

func TestInviteFieldErrors(t *testing.T) {
	w := newWorld(t)
	before := w.snapshot()
	_, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "not-an-email", Role: "agnet"})
	e := wantErr(t, err, domain.CodeInvalid, "")
	if e.For("email") == "" || !strings.Contains(e.For("role"), "Choose a role") {
		t.Fatalf("fields = %v", e.Fields)
	}
	_, err = w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "a@example.com", Role: "agent", GroupIDs: []int64{99999}})
	if wantErr(t, err, domain.CodeInvalid, "does not exist").Field != "groups" {
		t.Fatal("unknown group not reported on the groups field")
	}
	if _, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "p@example.com", Role: "agent"}); err != nil {
		t.Fatal(err)
	}
	before = w.snapshot()
	_, err = w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "p@example.com", Role: "agent"})
	wantErr(t, err, domain.CodeInvalid, "already has a pending invitation")
	if w.snapshot() != before {
		t.Fatal("refused invite wrote something")
	}
}

// Two accepts of one link at the same moment make exactly one membership.
func TestConcurrentAcceptsMakeOneMembership(t *testing.T) {
	w := newWorld(t)
	res, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "race@example.com", Role: "agent"})
	must(t, err)
	u := w.user("race@example.com", "Racer")
	errs := testkit.AtOnce(8, func(int) error {
		_, err := w.svc.AcceptInvite(w.ctx, u, res.Token, "")
		return err
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if e := domain.AsError(err); e == nil || e.Code != domain.CodeConflict {
			t.Fatalf("a losing accept failed with %v, want domain.CodeConflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d accepts succeeded, want exactly 1", ok)
	}
	var members, accepts int
	w.tx(func(tx *store.Tx) error {
		tx.QueryRow(w.ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ?`, u.ID).Scan(&members)
		tx.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'invite.accept'`).Scan(&accepts)
		return nil
	})
	if members != 1 || accepts != 1 {
		t.Fatalf("memberships = %d, accept audits = %d; want 1 and 1", members, accepts)
	}
}

func TestDeadLinksFail(t *testing.T) {
	w := newWorld(t)
	own := w.as(w.owner)
	invite := func(email string) membership.InviteResult {
		res, err := w.svc.Invite(w.ctx, own, membership.InviteInput{Email: email, Role: "agent"})
		must(t, err)
		return res
	}

	t.Run("revoked", func(t *testing.T) {
		res := invite("revoked@example.com")
		must(t, w.svc.RevokeInvite(w.ctx, own, res.Invite.ID))
		if e := w.lastAudit(); e.Action != "invite.revoke" {
			t.Fatalf("audit = %+v", e)
		}
		_, err := w.svc.AcceptInvite(w.ctx, w.user("revoked@example.com", "R"), res.Token, "")
		wantErr(t, err, domain.CodeConflict, "revoked")
		wantErr(t, w.svc.RevokeInvite(w.ctx, own, res.Invite.ID), domain.CodeInvalid, "was revoked")
	})

	t.Run("resent over", func(t *testing.T) {
		res := invite("resent@example.com")
		again, err := w.svc.ResendInvite(w.ctx, own, res.Invite.ID)
		must(t, err)
		if again.Token == res.Token || again.Invite.ID != res.Invite.ID {
			t.Fatalf("resend = %+v", again)
		}
		u := w.user("resent@example.com", "R")
		_, err = w.svc.AcceptInvite(w.ctx, u, res.Token, "")
		wantErr(t, err, domain.CodeNotFound, "not valid")
		_, err = w.svc.AcceptInvite(w.ctx, u, again.Token, "")
		must(t, err)
	})

	t.Run("expired", func(t *testing.T) {
		res := invite("expired@example.com")
		u := w.user("expired@example.com", "E")
		w.db.SetClock(func() time.Time { return time.Now().Add(7*24*time.Hour + time.Minute) })
		defer w.db.SetClock(time.Now)
		before := w.snapshot()
		_, err := w.svc.AcceptInvite(w.ctx, u, res.Token, "")
		wantErr(t, err, domain.CodeConflict, "expired")
		if w.snapshot() != before {
			t.Fatal("an expired accept wrote something")
		}
		// Resending revives it with a new link and seven more days.
		again, err := w.svc.ResendInvite(w.ctx, own, res.Invite.ID)
		must(t, err)
		_, err = w.svc.AcceptInvite(w.ctx, u, again.Token, "")
		must(t, err)
	})

	t.Run("unknown", func(t *testing.T) {
		_, err := w.svc.AcceptInvite(w.ctx, w.owner, "no-such-token", "")
		wantErr(t, err, domain.CodeNotFound, "not valid")
		_, err = w.svc.AcceptInvite(w.ctx, w.owner, "", "")
		wantErr(t, err, domain.CodeNotFound, "not valid")
	})
}

func TestSeatQuota(t *testing.T) {
	w := newWorld(t) // 4 active members
	own := w.as(w.owner)
	w.setSeats(5)
	res, err := w.svc.Invite(w.ctx, own, membership.InviteInput{Email: "fifth@example.com", Role: "agent"})
	must(t, err)

	// Invite: 4 active + 1 pending = 5 of 5.
	before := w.snapshot()
	_, err = w.svc.Invite(w.ctx, own, membership.InviteInput{Email: "sixth@example.com", Role: "agent"})
	wantErr(t, err, domain.CodeInvalid, "5 of 5 seats are in use, 0 seats are free")
	w.user("existing6@example.com", "Six")
	before = w.snapshot()
	_, err = w.svc.Invite(w.ctx, own, membership.InviteInput{Email: "existing6@example.com", Role: "agent"})
	wantErr(t, err, domain.CodeInvalid, "Not enough seats")
	if w.snapshot() != before {
		t.Fatal("refused invite wrote something")
	}

	// Suspended members and revoked invitations free their seats.
	must(t, w.svc.Suspend(w.ctx, own, w.mAgent.ID))
	st, _ := w.db.SeatUsage(w.ctx, w.org.ID)
	if st.Used() != 4 || st.Suspended != 1 || st.Pending != 1 {
		t.Fatalf("seats = %+v", st)
	}
	must(t, w.svc.RevokeInvite(w.ctx, own, res.Invite.ID))
	st, _ = w.db.SeatUsage(w.ctx, w.org.ID)
	if st.Used() != 3 {
		t.Fatalf("seats after revoke = %+v", st)
	}

	// Re-enable needs a free seat.
	res2, err := w.svc.Invite(w.ctx, own, membership.InviteInput{Email: "a@example.com", Role: "agent"})
	must(t, err)
	_, err = w.svc.Invite(w.ctx, own, membership.InviteInput{Email: "b@example.com", Role: "agent"})
	must(t, err) // 3 active + 2 pending = 5
	before = w.snapshot()
	wantErr(t, w.svc.Reenable(w.ctx, own, w.mAgent.ID), domain.CodeInvalid, "Not enough seats")
	if w.snapshot() != before {
		t.Fatal("refused re-enable wrote something")
	}
	// Expired invitations do not count.
	w.db.SetClock(func() time.Time { return time.Now().Add(8 * 24 * time.Hour) })
	must(t, w.svc.Reenable(w.ctx, own, w.mAgent.ID))
	if m := w.membership(w.mAgent.ID); m.Suspended() || m.Role != access.RoleAgent {
		t.Fatalf("re-enabled membership = %+v", m)
	}
	w.db.SetClock(time.Now)

	// Accept: the quota was lowered below the active members plus this one.
	w.setSeats(4)
	u := w.user("a@example.com", "A")
	before = w.snapshot()
	_, err = w.svc.AcceptInvite(w.ctx, u, res2.Token, "")
	wantErr(t, err, domain.CodeInvalid, "no free seat")
	if w.snapshot() != before {
		t.Fatal("refused accept wrote something")
	}
	w.setSeats(5)
	_, err = w.svc.AcceptInvite(w.ctx, u, res2.Token, "")
	must(t, err)
}

func TestSuspendReenableKeepsEverything(t *testing.T) {
	w := newWorld(t)
	own := w.as(w.owner)
	must(t, w.svc.SetGroups(w.ctx, own, w.mAgent.ID, []int64{w.groups["User"].ID}))
	custom := access.RoleTemplate(access.RoleAgentLimited)
	w.tx(func(tx *store.Tx) error { return tx.SetCustom(w.ctx, w.org.ID, w.mAgent.ID, &custom) })
	must(t, w.svc.Suspend(w.ctx, own, w.mAgent.ID))
	if !w.membership(w.mAgent.ID).Suspended() {
		t.Fatal("not suspended")
	}
	wantErr(t, w.svc.Suspend(w.ctx, own, w.mAgent.ID), domain.CodeInvalid, "already suspended")
	must(t, w.svc.Reenable(w.ctx, own, w.mAgent.ID))
	m := w.membership(w.mAgent.ID)
	gs, _ := w.db.GroupsOfMember(w.ctx, m.OrgID, m.ID)
	if m.Suspended() || m.Role != access.RoleAgent || m.Custom == nil || *m.Custom != custom || len(gs) != 1 {
		t.Fatalf("re-enabled = %+v groups %v", m, store.GroupNames(gs))
	}
	var invites int
	w.tx(func(tx *store.Tx) error { return tx.QueryRow(w.ctx, `SELECT COUNT(*) FROM invites`).Scan(&invites) })
	if invites != 0 {
		t.Fatal("re-enable sent an invitation")
	}
	e := w.lastAudit()
	if e.Action != "member.reenable" || e.Before != `{"status":"suspended"}` || e.After != `{"status":"active"}` {
		t.Fatalf("audit = %+v", e)
	}
}

func TestForceResetEndsSessions(t *testing.T) {
	w := newWorld(t)
	for _, id := range []string{"s1", "s2"} {
		must(t, w.db.CreateSession(w.ctx, store.Session{ID: id, UserID: w.agent.ID}))
	}
	must(t, w.db.CreateSession(w.ctx, store.Session{ID: "mine", UserID: w.admin.ID}))
	must(t, w.svc.ForceReset(w.ctx, w.as(w.admin), w.mAgent.ID))
	u, _ := w.db.UserByID(w.ctx, w.agent.ID)
	live, _ := w.db.UserSessions(w.ctx, w.agent.ID)
	if !u.MustResetPassword || len(live) != 0 {
		t.Fatalf("must_reset = %v, live sessions = %d", u.MustResetPassword, len(live))
	}
	if mine, _ := w.db.UserSessions(w.ctx, w.admin.ID); len(mine) != 1 {
		t.Fatal("someone else's session ended")
	}
	if e := w.lastAudit(); e.Action != "member.force_reset" || !strings.Contains(e.After, `"sessions_ended":2`) {
		t.Fatalf("audit = %+v", e)
	}
	wantErr(t, w.svc.ForceReset(w.ctx, w.as(w.admin), w.mAdmin.ID), domain.CodeInvalid, "My Profile")
}

func TestRevokeSessions(t *testing.T) {
	w := newWorld(t)
	for _, id := range []string{"a1", "a2", "a3"} {
		must(t, w.db.CreateSession(w.ctx, store.Session{ID: id, UserID: w.agent.ID}))
	}
	must(t, w.db.CreateSession(w.ctx, store.Session{ID: "o1", UserID: w.owner.ID}))
	n, err := w.svc.RevokeSessions(w.ctx, w.as(w.admin), w.mAgent.ID, "a2")
	must(t, err)
	if n != 1 {
		t.Fatalf("ended %d", n)
	}
	// Another user's session id through this member ends nothing.
	_, err = w.svc.RevokeSessions(w.ctx, w.as(w.admin), w.mAgent.ID, "o1")
	wantErr(t, err, domain.CodeInvalid, "already ended")
	n, err = w.svc.RevokeSessions(w.ctx, w.as(w.admin), w.mAgent.ID, "")
	must(t, err)
	if n != 2 {
		t.Fatalf("revoke all ended %d, want 2", n)
	}
	if live, _ := w.db.UserSessions(w.ctx, w.owner.ID); len(live) != 1 {
		t.Fatal("the owner's session ended")
	}
}

func TestOtherOrganizationIsNotFound(t *testing.T) {
	w := newWorld(t)
	var otherMember int64
	w.tx(func(tx *store.Tx) error {
		o, err := tx.CreateOrg(w.ctx, store.NewOrg{Name: "Other", NameKey: "other", Slug: "other", Seats: 5})
		if err != nil {
			return err
		}
		m, err := tx.AddMember(w.ctx, o.ID, w.agent.ID, access.RoleAgent, domain.StatusActive, nil)
		otherMember = m.ID
		return err
	})
	wantErr(t, w.svc.Suspend(w.ctx, w.as(w.owner), otherMember), domain.CodeNotFound, "does not exist")
	wantErr(t, w.svc.ChangeRole(w.ctx, w.as(w.owner), otherMember, "admin"), domain.CodeNotFound, "does not exist")
}
