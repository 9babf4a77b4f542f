package membership_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// base is what every fixture of this package stands on: the service over
// a real SQLite file.
type base struct {
	t   *testing.T
	ctx context.Context
	db  *store.Store
	svc *membership.Service
}

func newBase(t *testing.T) base {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return base{t: t, ctx: ctx, db: db, svc: membership.New(db)}
}

func (b base) user(email, name string) domain.User {
	b.t.Helper()
	u, err := b.db.CreateUser(b.ctx, email, name, "x")
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

func (b base) tx(fn func(tx *store.Tx) error) {
	b.t.Helper()
	if err := b.db.Write(b.ctx, fn); err != nil {
		b.t.Fatal(err)
	}
}

// world is an organization with one member per interesting role.
type world struct {
	base
	org domain.Org

	owner, admin, manager, agent domain.User
	mOwner, mAdmin, mManager     domain.Membership
	mAgent                       domain.Membership
	groups                       map[string]domain.Group
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{base: newBase(t)}
	ctx, db := w.ctx, w.db
	w.owner = w.user("owner@example.com", "Olive Owner")
	w.admin = w.user("admin@example.com", "Adam Admin")
	w.manager = w.user("manager@example.com", "Mona Manager")
	w.agent = w.user("agent@example.com", "Aggie Agent")
	products, _ := access.ParseProducts([]string{"crm", "inbox"})
	w.tx(func(tx *store.Tx) error {
		var err error
		w.org, err = tx.CreateOrg(ctx, store.NewOrg{Name: "Acme", NameKey: names.FoldOrgName("Acme"), Slug: "acme", Products: products, Seats: 10})
		if err != nil {
			return err
		}
		if w.mOwner, err = tx.AddMember(ctx, w.org.ID, w.owner.ID, access.RoleOwner, domain.StatusActive, nil); err != nil {
			return err
		}
		if w.mAdmin, err = tx.AddMember(ctx, w.org.ID, w.admin.ID, access.RoleAdmin, domain.StatusActive, nil); err != nil {
			return err
		}
		// The manager holds members_edit/members_create individually: the
		// escalation tests need someone who may edit members but not everything.
		custom := access.RoleTemplate(access.RoleManager)
		mem := access.MustModule("members")
		custom.Grant(mem, access.Create)
		custom.Grant(mem, access.Edit)
		custom.Grant(mem, access.Delete)
		if w.mManager, err = tx.AddMember(ctx, w.org.ID, w.manager.ID, access.RoleManager, domain.StatusActive, &custom); err != nil {
			return err
		}
		w.mAgent, err = tx.AddMember(ctx, w.org.ID, w.agent.ID, access.RoleAgent, domain.StatusActive, nil)
		return err
	})
	gs, err := db.Groups(ctx, w.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.groups = map[string]domain.Group{}
	for _, g := range gs {
		w.groups[g.Name] = g
	}
	return w
}

func (w *world) as(u domain.User) domain.Actor {
	return domain.Actor{Org: w.org, UserID: u.ID, Email: u.Email, IP: "192.0.2.7"}
}

// snapshot is every row a membership change could touch, as text: equal
// snapshots before and after a refusal prove nothing changed.
func (w *world) snapshot() string {
	w.t.Helper()
	return testkit.Rows(w.t, w.db,
		`SELECT id || ':' || role || ':' || status || ':' || COALESCE(custom_permissions, '-') FROM memberships ORDER BY id`,
		`SELECT group_id || ':' || membership_id FROM group_members ORDER BY 1`,
		`SELECT id || ':' || email || ':' || role || ':' || token_hash || ':' || COALESCE(accepted_at, '-') || ':' || COALESCE(revoked_at, '-') FROM invites ORDER BY id`,
		`SELECT id || ':' || must_reset_password FROM users ORDER BY id`,
		`SELECT id || ':' || COALESCE(revoked_at, '-') FROM sessions ORDER BY id`,
		`SELECT COUNT(*) FROM audit_log`,
		`SELECT seats || ':' || perm_version FROM organizations ORDER BY id`,
	)
}

// auditActions lists the audit log's actions, oldest first.
func (w *world) auditActions() []string {
	w.t.Helper()
	es, err := w.db.AuditLog(w.ctx, w.org.ID, store.AuditFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e.Action
	}
	return out
}

func (w *world) lastAudit() store.AuditEntry {
	w.t.Helper()
	es, err := w.db.AuditLog(w.ctx, w.org.ID, store.AuditFilter{Limit: 1})
	if err != nil || len(es) == 0 {
		w.t.Fatalf("no audit entry (%v)", err)
	}
	return es[0]
}

func (w *world) membership(id int64) domain.Membership {
	w.t.Helper()
	m, err := w.db.Membership(w.ctx, w.org.ID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func (w *world) setSeats(n int) {
	w.tx(func(tx *store.Tx) error {
		_, err := tx.Exec(w.ctx, `UPDATE organizations SET seats = ? WHERE id = ?`, n, w.org.ID)
		return err
	})
}

// wantErr asserts a user-facing refusal of the given code whose message
// contains want.
func wantErr(t *testing.T, err error, code domain.Code, want string) *domain.Error {
	t.Helper()
	e := domain.AsError(err)
	if e == nil {
		t.Fatalf("err = %v (%T), want a *domain.Error %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%q), want %s", e.Code, e.Message, code)
	}
	if !strings.Contains(e.Message, want) {
		t.Fatalf("message %q lacks %q", e.Message, want)
	}
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// limited are admins held back to the members screens: the Admin template
// (everything) sits behind what actually decides for them, so every
// fall-back would hand it back.
type limited struct {
	lim   domain.User       // role admin, individual permissions: members_* and dashboard_view
	mLim  domain.Membership //
	gil   domain.User       // role admin, only group "Members desk" (the same permissions)
	mGil  domain.Membership //
	tom   domain.User       // role admin, individual permissions: dashboard_view only
	mTom  domain.Membership //
	desk  domain.Group      // "Members desk"
	small domain.Group      // "Front door": dashboard_view only
}

func (w *world) limitedAdmins() limited {
	w.t.Helper()
	l := limited{lim: w.user("lim@example.com", "Lim Ited"), gil: w.user("gil@example.com", "Gil Group"), tom: w.user("tom@example.com", "Tom")}
	set := testkit.Set(w.t, "members_view", "members_create", "members_edit", "members_delete", "dashboard_view")
	dash := testkit.Set(w.t, "dashboard_view")
	w.tx(func(tx *store.Tx) error {
		var err error
		if l.mLim, err = tx.AddMember(w.ctx, w.org.ID, l.lim.ID, access.RoleAdmin, domain.StatusActive, &set); err != nil {
			return err
		}
		if l.mGil, err = tx.AddMember(w.ctx, w.org.ID, l.gil.ID, access.RoleAdmin, domain.StatusActive, nil); err != nil {
			return err
		}
		if l.mTom, err = tx.AddMember(w.ctx, w.org.ID, l.tom.ID, access.RoleAdmin, domain.StatusActive, &dash); err != nil {
			return err
		}
		if l.desk.ID, err = tx.CreateGroup(w.ctx, w.org.ID, "Members desk", "", set, ""); err != nil {
			return err
		}
		if l.small.ID, err = tx.CreateGroup(w.ctx, w.org.ID, "Front door", "", dash, ""); err != nil {
			return err
		}
		return tx.AddGroupMember(w.ctx, w.org.ID, l.desk.ID, l.mGil.ID)
	})
	return l
}
