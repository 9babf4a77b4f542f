package membership_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// rows is every row a group change could touch, as text: equal before and
// after a refusal proves nothing changed.
func (f *fixture) rows() string {
	f.t.Helper()
	return testkit.Rows(f.t, f.db,
		`SELECT id || ':' || name || ':' || permissions FROM groups ORDER BY id`,
		`SELECT group_id || ':' || membership_id FROM group_members ORDER BY 1`,
		`SELECT id || ':' || role || ':' || status || ':' || COALESCE(custom_permissions, '-') FROM memberships ORDER BY id`,
		`SELECT COUNT(*) FROM audit_log`,
	)
}

// An admin whose only group is Night shift: leaving it (or the group going)
// would give them the whole Admin template.
func (f *fixture) nightAdmin() domain.Membership {
	f.t.Helper()
	u, err := f.db.CreateUser(f.ctx, "nadia@acme.test", "Nadia Night", "x")
	if err != nil {
		f.t.Fatal(err)
	}
	var m domain.Membership
	f.tx(func(tx *store.Tx) error {
		if m, err = tx.AddMember(f.ctx, f.org.ID, u.ID, access.RoleAdmin, domain.StatusActive, nil); err != nil {
			return err
		}
		return tx.AddGroupMember(f.ctx, f.org.ID, f.night, m.ID)
	})
	return m
}

// The desk (every groups_ action, little else) takes an admin out of their
// only group: refused, naming what the Admin template would give, nothing written.
func TestRemovingTheLastGroupCannotHandBackTheRoleTemplate(t *testing.T) {
	f := newFixture(t)
	nadia := f.nightAdmin()
	before := f.rows()
	_, err := f.svc.RemoveFromGroup(f.ctx, f.actor(f.desk), f.night, nadia.ID)
	r := refusal(t, err, domain.CodeForbidden)
	if !strings.Contains(r.Message, "without Night shift, Nadia Night would fall back to the Admin role's permissions") ||
		!r.Missing.Has(access.MustModule("settings"), access.Edit) {
		t.Fatalf("refusal %q, missing %v", r.Message, r.Missing)
	}
	if f.rows() != before {
		t.Fatal("a refused removal changed the database")
	}
	// The owner holds everything the template gives.
	if _, err := f.svc.RemoveFromGroup(f.ctx, f.actor(f.owner), f.night, nadia.ID); err != nil {
		t.Fatalf("owner's removal: %v", err)
	}
}

// Deleting a group that is someone's only group is judged the same way.
func TestDeletingSomeonesOnlyGroupCannotHandBackTheRoleTemplate(t *testing.T) {
	f := newFixture(t)
	f.nightAdmin()
	before := f.rows()
	_, err := f.svc.DeleteGroup(f.ctx, f.actor(f.desk), f.night)
	r := refusal(t, err, domain.CodeForbidden)
	if !strings.Contains(r.Message, "would fall back to the Admin role's permissions") || !r.Missing.Has(access.MustModule("billing"), access.View) {
		t.Fatalf("refusal %q, missing %v", r.Message, r.Missing)
	}
	if f.rows() != before {
		t.Fatal("a refused delete changed the database")
	}
	if _, err := f.svc.DeleteGroup(f.ctx, f.actor(f.owner), f.night); err != nil {
		t.Fatalf("owner's delete: %v", err)
	}
}

// The service reads the actor in its own transaction: an actor built for
// a request and suspended before the write commits nothing.
func TestSuspendedActorsInFlightChangesCommitNothing(t *testing.T) {
	f := newFixture(t)
	desk := f.actor(f.desk) // as the request loaded it, while the desk was active
	f.tx(func(tx *store.Tx) error { return tx.SetStatus(f.ctx, f.org.ID, f.desk.ID, domain.StatusSuspended) })
	before := f.rows()
	_, err := f.svc.CreateGroup(f.ctx, desk, "Late shift", "", testkit.Set(t, "dashboard_view"))
	if r := refusal(t, err, domain.CodeForbidden); !strings.Contains(r.Message, "suspended") {
		t.Fatalf("create refusal %q", r.Message)
	}
	_, err = f.svc.UpdateGroup(f.ctx, desk, f.night, "Night shift", "", testkit.Set(t, "dashboard_view"))
	refusal(t, err, domain.CodeForbidden)
	_, err = f.svc.DeleteGroup(f.ctx, desk, f.night)
	refusal(t, err, domain.CodeForbidden)
	_, _, err = f.svc.AddToGroup(f.ctx, desk, f.night, f.agent.ID)
	refusal(t, err, domain.CodeForbidden)
	if f.rows() != before {
		t.Fatal("a suspended actor's change was written")
	}
	var n int
	f.tx(func(tx *store.Tx) error {
		return tx.QueryRow(f.ctx, `SELECT COUNT(*) FROM groups WHERE name = 'Late shift'`).Scan(&n)
	})
	if n != 0 {
		t.Fatal("the group was created")
	}
	// A permission taken away in between wins too: the manager never had
	// groups_create, whatever a caller claims.
	_, err = f.svc.CreateGroup(f.ctx, f.actor(f.manager), "Late shift", "", access.Set{})
	if r := refusal(t, err, domain.CodeForbidden); !strings.Contains(r.Message, "groups_create") {
		t.Fatalf("manager's create refusal %q", r.Message)
	}
	// A removed member is no actor at all.
	f.tx(func(tx *store.Tx) error { return tx.RemoveMember(f.ctx, f.org.ID, f.desk.ID) })
	_, err = f.svc.CreateGroup(f.ctx, desk, "Late shift", "", access.Set{})
	refusal(t, err, domain.CodeForbidden)
}
