package membership_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
)

// The agent also owns Globex: Acme's admin may not reach the account as a
// whole (global password reset, its sessions) until they manage Globex's
// members too; signing them out of Acme is always theirs.
func TestGlobalActionsNeedTheSameRightInEveryOtherOrganization(t *testing.T) {
	w := newWorld(t)
	var globex domain.Org
	var adminThere domain.Membership
	w.tx(func(tx *store.Tx) error {
		var err error
		if globex, err = tx.CreateOrg(w.ctx, store.NewOrg{Name: "Globex", NameKey: names.FoldOrgName("Globex"), Slug: "globex", Seats: 5}); err != nil {
			return err
		}
		if _, err = tx.AddMember(w.ctx, globex.ID, w.agent.ID, access.RoleOwner, domain.StatusActive, nil); err != nil {
			return err
		}
		adminThere, err = tx.AddMember(w.ctx, globex.ID, w.admin.ID, access.RoleAgent, domain.StatusActive, nil)
		return err
	})
	must(t, w.db.CreateSession(w.ctx, store.Session{ID: "agent-laptop", UserID: w.agent.ID}))
	adm := w.as(w.admin)
	before := w.snapshot()
	e := wantErr(t, w.svc.ForceReset(w.ctx, adm, w.mAgent.ID), domain.CodeForbidden,
		"Nothing changed: you can't force a password reset for Aggie Agent, whose account also belongs to another organization where you don't manage members. You can sign them out of Acme instead.")
	_, err := w.svc.RevokeSessions(w.ctx, adm, w.mAgent.ID, "")
	wantErr(t, err, domain.CodeForbidden, "you can't end the sessions of Aggie Agent")
	_, err = w.svc.RevokeSessions(w.ctx, adm, w.mAgent.ID, "agent-laptop")
	wantErr(t, err, domain.CodeForbidden, "another organization")
	if strings.Contains(e.Message, "Globex") {
		t.Fatal("the refusal names the account's other organization")
	}
	if w.snapshot() != before {
		t.Fatal("a refused global action wrote something")
	}
	mi, err := w.db.MemberInfo(w.ctx, w.org.ID, w.mAgent.ID)
	must(t, err)
	if ok, err := w.svc.Reach(w.ctx, adm, mi); err != nil || ok {
		t.Fatalf("Reach = %v %v", ok, err)
	}
	// Sign-out of Acme: audited, the account untouched.
	n, err := w.svc.SignOut(w.ctx, adm, w.mAgent.ID)
	if err != nil || n != 1 {
		t.Fatalf("sign out: %d %v", n, err)
	}
	if e := w.lastAudit(); e.Action != "member.signout" || e.Target != "agent@example.com" || e.After != `{"sessions_signed_out":1}` {
		t.Fatalf("audit = %+v", e)
	}
	// A suspended membership elsewhere does not count; an active one where
	// the admin holds members_edit does not stop them either.
	w.tx(func(tx *store.Tx) error { return tx.SetRole(w.ctx, globex.ID, adminThere.ID, access.RoleAdmin) })
	if ok, err := w.svc.Reach(w.ctx, adm, mi); err != nil || !ok {
		t.Fatalf("Reach once the admin manages Globex's members = %v %v", ok, err)
	}
	must(t, w.svc.ForceReset(w.ctx, adm, w.mAgent.ID))
	// The owner rules stay: nobody signs themselves out here, a manager
	// cannot sign out an admin.
	_, err = w.svc.SignOut(w.ctx, adm, w.mAdmin.ID)
	wantErr(t, err, domain.CodeInvalid, "Log out")
	_, err = w.svc.SignOut(w.ctx, w.as(w.manager), w.mAdmin.ID)
	wantErr(t, err, domain.CodeForbidden, "holds permissions you don't have")
	_, err = w.svc.SignOut(w.ctx, w.as(w.agent), w.mManager.ID)
	wantErr(t, err, domain.CodeForbidden, "members_edit")
}
