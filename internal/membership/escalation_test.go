package membership_test

import (
	"errors"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
)

// A manager who may edit members tries every way up; each is refused with
// a message and leaves the database exactly as it was.
func TestManagerEscalationsRefusedAndNothingChanges(t *testing.T) {
	w := newWorld(t)
	mgr := w.as(w.manager)
	admin := w.groups["Admin"]
	w.user("exists@example.com", "Existing")
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"adds themselves to Admin", func() error {
			return w.svc.SetGroups(w.ctx, mgr, w.mManager.ID, []int64{admin.ID})
		}, "“Admin”"},
		{"adds an agent to Admin", func() error {
			return w.svc.SetGroups(w.ctx, mgr, w.mAgent.ID, []int64{admin.ID})
		}, "groups_create"},
		{"makes someone owner", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mAgent.ID, "owner") }, "Only an owner"},
		{"makes themselves owner", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mManager.ID, "owner") }, "Only an owner"},
		{"gives a role above them", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mAgent.ID, "admin") }, "role Admin"},
		{"promotes themselves to admin", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mManager.ID, "admin") }, "role Admin"},
		{"changes the owner's role", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mOwner.ID, "agent") }, "owner's membership"},
		{"changes the owner's groups", func() error { return w.svc.SetGroups(w.ctx, mgr, w.mOwner.ID, nil) }, "owner's membership"},
		{"suspends the owner", func() error { return w.svc.Suspend(w.ctx, mgr, w.mOwner.ID) }, "owner's membership"},
		{"removes the owner", func() error { return w.svc.Remove(w.ctx, mgr, w.mOwner.ID) }, "owner's membership"},
		{"forces the owner's password reset", func() error { return w.svc.ForceReset(w.ctx, mgr, w.mOwner.ID) }, "owner's membership"},
		{"ends the owner's sessions", func() error {
			_, err := w.svc.RevokeSessions(w.ctx, mgr, w.mOwner.ID, "")
			return err
		}, "owner's membership"},
		{"suspends an admin (holds more)", func() error { return w.svc.Suspend(w.ctx, mgr, w.mAdmin.ID) }, "holds permissions you don't have"},
		{"demotes an admin", func() error { return w.svc.ChangeRole(w.ctx, mgr, w.mAdmin.ID, "agent") }, "holds permissions you don't have"},
		{"invites an admin", func() error {
			_, err := w.svc.Invite(w.ctx, mgr, membership.InviteInput{Email: "new@example.com", Role: "admin"})
			return err
		}, "role Admin"},
		{"invites an owner", func() error {
			_, err := w.svc.Invite(w.ctx, mgr, membership.InviteInput{Email: "new@example.com", Role: "owner"})
			return err
		}, "Only an owner"},
		{"invites into Admin", func() error {
			_, err := w.svc.Invite(w.ctx, mgr, membership.InviteInput{Email: "new@example.com", Role: "agent", GroupIDs: []int64{admin.ID}})
			return err
		}, "“Admin”"},
		{"invites an existing account into Admin", func() error {
			_, err := w.svc.Invite(w.ctx, mgr, membership.InviteInput{Email: "exists@example.com", Role: "agent", GroupIDs: []int64{admin.ID}})
			return err
		}, "“Admin”"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			err := tc.do()
			e := wantErr(t, err, domain.CodeForbidden, tc.want)
			if !errors.Is(err, access.ErrEscalation) {
				t.Errorf("errors.Is(err, ErrEscalation) = false for %q", e.Message)
			}
			if after := w.snapshot(); after != before {
				t.Fatalf("a refused change wrote something:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// The same manager may do what they hold: give an agent a role and groups
// within their own permissions.
func TestManagerMayGrantWhatTheyHold(t *testing.T) {
	w := newWorld(t)
	mgr := w.as(w.manager)
	must(t, w.svc.ChangeRole(w.ctx, mgr, w.mAgent.ID, "sales"))
	if got := w.membership(w.mAgent.ID).Role; got != access.RoleSales {
		t.Fatalf("role = %s, want sales", got)
	}
	must(t, w.svc.SetGroups(w.ctx, mgr, w.mAgent.ID, []int64{w.groups["User"].ID, w.groups["Guest"].ID}))
	gs, _ := w.db.GroupsOfMember(w.ctx, w.mAgent.OrgID, w.mAgent.ID)
	if len(gs) != 2 {
		t.Fatalf("groups = %v, want User and Guest", store.GroupNames(gs))
	}
	// Removing a group grants nothing and is allowed.
	must(t, w.svc.SetGroups(w.ctx, mgr, w.mAgent.ID, []int64{w.groups["Guest"].ID}))
	e := w.lastAudit()
	if e.Action != "member.groups" || e.Target != "agent@example.com" || e.ActorEmail != "manager@example.com" ||
		e.Before != `{"groups":["Guest","User"]}` || e.After != `{"groups":["Guest"]}` || e.IP != "192.0.2.7" {
		t.Fatalf("audit = %+v", e)
	}
}

// Without members_edit nobody edits members, whatever the route let through.
func TestAgentCannotEditMembers(t *testing.T) {
	w := newWorld(t)
	before := w.snapshot()
	err := w.svc.ChangeRole(w.ctx, w.as(w.agent), w.mAgent.ID, "agent_limited")
	wantErr(t, err, domain.CodeForbidden, "members_edit")
	_, err = w.svc.Invite(w.ctx, w.as(w.agent), membership.InviteInput{Email: "x@example.com", Role: "agent"})
	wantErr(t, err, domain.CodeForbidden, "members_create")
	if w.snapshot() != before {
		t.Fatal("refused change wrote something")
	}
}

func TestOwnerRules(t *testing.T) {
	w := newWorld(t)
	own := w.as(w.owner)
	adm := w.as(w.admin)
	before := w.snapshot()
	// The last active owner can be neither demoted, suspended nor removed.
	wantErr(t, w.svc.ChangeRole(w.ctx, own, w.mOwner.ID, "admin"), domain.CodeInvalid, "last active owner")
	wantErr(t, w.svc.Suspend(w.ctx, own, w.mOwner.ID), domain.CodeInvalid, "last active owner")
	wantErr(t, w.svc.Remove(w.ctx, own, w.mOwner.ID), domain.CodeInvalid, "last active owner")
	wantErr(t, w.svc.Suspend(w.ctx, adm, w.mAdmin.ID), domain.CodeInvalid, "suspend yourself")
	wantErr(t, w.svc.Remove(w.ctx, adm, w.mAdmin.ID), domain.CodeInvalid, "remove yourself")
	// An admin cannot touch an owner at all, not even to demote the last one.
	wantErr(t, w.svc.ChangeRole(w.ctx, adm, w.mOwner.ID, "admin"), domain.CodeForbidden, "owner's membership")
	wantErr(t, w.svc.ChangeRole(w.ctx, adm, w.mAgent.ID, "owner"), domain.CodeForbidden, "Only an owner")
	if w.snapshot() != before {
		t.Fatal("refused change wrote something")
	}
	// Only an owner makes an owner; then the first owner may step down.
	must(t, w.svc.ChangeRole(w.ctx, own, w.mAdmin.ID, "owner"))
	must(t, w.svc.ChangeRole(w.ctx, own, w.mOwner.ID, "admin"))
	// The new owner is now the last one: an owner cannot suspend or remove them.
	w2 := w.as(w.admin) // now owner
	wantErr(t, w.svc.ChangeRole(w.ctx, w2, w.mAdmin.ID, "agent"), domain.CodeInvalid, "last active owner")
	must(t, w.svc.ChangeRole(w.ctx, w2, w.mManager.ID, "owner"))
	// Two owners: one may suspend and then remove the other.
	must(t, w.svc.Suspend(w.ctx, w2, w.mManager.ID))
	// A suspended owner is not an active owner: the remaining one is last.
	wantErr(t, w.svc.Remove(w.ctx, w.as(w.owner), w.mAdmin.ID), domain.CodeForbidden, "owner's membership")
	must(t, w.svc.Remove(w.ctx, w2, w.mManager.ID))
	if _, err := w.db.UserByID(w.ctx, w.manager.ID); err != nil {
		t.Fatalf("removing a member deleted the account: %v", err)
	}
	want := []string{"member.role", "member.role", "member.role", "member.suspend", "member.remove"}
	if got := w.auditActions(); !equal(got, want) {
		t.Fatalf("audit actions = %v, want %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A limited admin tries every fall-back the member pages offer to get the
// Admin template back, for themselves or for a colleague: each is refused
// with what they lack, and nothing changes.
func TestLimitedAdminCannotFallBackToTheAdminTemplate(t *testing.T) {
	w := newWorld(t)
	l := w.limitedAdmins()
	lim, gil := w.as(l.lim), w.as(l.gil)
	// A suspended admin who holds the whole template.
	w.tx(func(tx *store.Tx) error { return tx.SetStatus(w.ctx, w.org.ID, w.mAdmin.ID, domain.StatusSuspended) })
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"turns off their own individual permissions", func() error { return w.svc.ClearCustom(w.ctx, lim, l.mLim.ID) },
			"Nothing changed: without individual permissions, Lim Ited would fall back to the Admin role's permissions, which include permissions you do not hold (reports_view"},
		{"empties their own groups", func() error { return w.svc.SetGroups(w.ctx, gil, l.mGil.ID, nil) },
			"Nothing changed: without groups, Gil Group would fall back to the Admin role's permissions, which include permissions you do not hold ("},
		{"clears a colleague's individual permissions", func() error { return w.svc.ClearCustom(w.ctx, lim, l.mTom.ID) },
			"without individual permissions, Tom would fall back to the Admin role's permissions"},
		{"gives a colleague a role whose template exceeds theirs", func() error { return w.svc.ChangeRole(w.ctx, lim, l.mTom.ID, "agent_limited") },
			"role Agent (limited)"},
		{"re-enables an admin who holds more", func() error { return w.svc.Reenable(w.ctx, lim, w.mAdmin.ID) },
			"holds permissions you don't have"},
		{"swaps their own group for nothing they hold", func() error { return w.svc.SetGroups(w.ctx, gil, l.mGil.ID, []int64{l.small.ID}) },
			""}, // allowed below: only takes away
	}
	for _, tc := range cases {
		if tc.want == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			err := tc.do()
			wantErr(t, err, domain.CodeForbidden, tc.want)
			if !errors.Is(err, access.ErrEscalation) {
				t.Error("not an escalation refusal")
			}
			if after := w.snapshot(); after != before {
				t.Fatalf("a refused change wrote something:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	// What only takes away, or gives only what they hold, stays allowed.
	must(t, w.svc.SetGroups(w.ctx, gil, l.mGil.ID, []int64{l.desk.ID, l.small.ID}))
	must(t, w.svc.SetGroups(w.ctx, lim, l.mTom.ID, []int64{l.small.ID}))
	must(t, w.svc.ClearCustom(w.ctx, lim, l.mTom.ID)) // Tom now falls back to Front door: dashboard_view
	if m := w.membership(l.mTom.ID); m.Custom != nil {
		t.Fatal("Tom's individual permissions are still set")
	}
	// A re-enable counts as gaining everything the member then holds:
	// within the actor's set it is allowed.
	must(t, w.svc.Suspend(w.ctx, lim, l.mTom.ID))
	must(t, w.svc.Reenable(w.ctx, lim, l.mTom.ID))
	// An owner may make every one of these changes.
	own := w.as(w.owner)
	must(t, w.svc.ClearCustom(w.ctx, own, l.mLim.ID))
	must(t, w.svc.SetGroups(w.ctx, own, l.mGil.ID, nil))
	must(t, w.svc.Reenable(w.ctx, own, w.mAdmin.ID))
}

// The judge reads both sides inside the transaction: a re-enable that
// would give back more than the actor holds is refused even when the
// member's rank check alone would not see it (the member's groups grew
// while they were suspended).
func TestReenableJudgesWhatTheMemberThenHolds(t *testing.T) {
	w := newWorld(t)
	l := w.limitedAdmins()
	lim := w.as(l.lim)
	must(t, w.svc.SetGroups(w.ctx, lim, l.mTom.ID, []int64{l.small.ID}))
	must(t, w.svc.Suspend(w.ctx, lim, l.mTom.ID))
	// Tom's individual permissions go (by an owner); he would now hold
	// Front door only: still within Lim's set.
	must(t, w.svc.ClearCustom(w.ctx, w.as(w.owner), l.mTom.ID))
	must(t, w.svc.Reenable(w.ctx, lim, l.mTom.ID))
	// Suspended again, and an owner takes him out of every group: the
	// re-enable would give the whole Admin template.
	must(t, w.svc.Suspend(w.ctx, lim, l.mTom.ID))
	must(t, w.svc.SetGroups(w.ctx, w.as(w.owner), l.mTom.ID, nil))
	before := w.snapshot()
	wantErr(t, w.svc.Reenable(w.ctx, lim, l.mTom.ID), domain.CodeForbidden, "Tom")
	if w.snapshot() != before {
		t.Fatal("a refused re-enable wrote something")
	}
}
