package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A read is one method run by two queriers: as tx.X it reads the write
// transaction, its own uncommitted writes included, and counts like any
// statement; as s.X it reads what is committed.
func TestReadsRunWhereTheirQuerierIs(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	errRollback := errors.New("roll back")
	for _, keep := range []bool{false, true} {
		err := s.Write(ctx, func(tx *Tx) error {
			if err := tx.SetRole(ctx, m.OrgID, m.ID, access.RoleManager); err != nil {
				return err
			}
			before := s.QueryCount()
			in, err := tx.MemberInfo(ctx, m.OrgID, m.ID)
			if err != nil || in.Role != access.RoleManager {
				return fmt.Errorf("tx.MemberInfo after its own change: %+v, %v", in, err)
			}
			if n := s.QueryCount() - before; n != 1 {
				return fmt.Errorf("tx.MemberInfo counted %d statements, want 1", n)
			}
			if out, err := s.MemberInfo(ctx, m.OrgID, m.ID); err != nil || out.Role != access.RoleAgent {
				return fmt.Errorf("s.MemberInfo before the commit: %+v, %v", out, err)
			}
			if !keep {
				return errRollback
			}
			return nil
		})
		if keep && err != nil || !keep && !errors.Is(err, errRollback) {
			t.Fatalf("keep=%v: %v", keep, err)
		}
		want := map[bool]access.Role{false: access.RoleAgent, true: access.RoleManager}[keep]
		if got, err := s.MemberInfo(ctx, m.OrgID, m.ID); err != nil || got.Role != want {
			t.Fatalf("keep=%v: s.MemberInfo after: %+v, %v; want role %s", keep, got, err, want)
		}
	}
}

// A snapshot read (OrgSnapshot) in a transaction reads the transaction
// itself; on the store it reads one committed state.
func TestOrgSnapshotInATransactionSeesItsWrites(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.CreateOrg(ctx, NewOrg{Name: "Snap", NameKey: "snap", Slug: "snap", Seats: 3}); err != nil {
			return err
		}
		snap, err := tx.OrgSnapshot(ctx, "snap")
		if err != nil || snap.Org.Slug != "snap" || len(snap.Groups) == 0 {
			return fmt.Errorf("in the transaction: %+v, %v", snap, err)
		}
		if _, err := s.OrgSnapshot(ctx, "snap"); !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("on the store before the commit: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if snap, err := s.OrgSnapshot(ctx, "snap"); err != nil || snap.Org.Slug != "snap" {
		t.Fatalf("after the commit: %+v, %v", snap, err)
	}
}

// UsersByEmail finds every account of a long list, in any case, in
// batches, on the store and in a transaction; its lists are padded so that
// the writer prepares few statement texts, whatever the lengths asked.
func TestUsersByEmailBatchesAndPreparesFewTexts(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var emails []string
	if err := s.Write(ctx, func(tx *Tx) error {
		for i := range 600 {
			u, err := tx.CreateUser(ctx, fmt.Sprintf("u%03d@example.test", i), "U", "")
			if err != nil {
				return err
			}
			emails = append(emails, strings.ToUpper(u.Email))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ask := append(emails, "nobody@example.test")
	got, err := s.UsersByEmail(ctx, ask)
	if err != nil || len(got) != 600 || got["u599@example.test"].Email != "u599@example.test" {
		t.Fatalf("store: %d found, %v", len(got), err)
	}
	for n := 1; n <= 40; n++ {
		if err := s.Write(ctx, func(tx *Tx) error {
			got, err := tx.UsersByEmail(ctx, ask[len(ask)-n:])
			if err != nil || len(got) != n-1 {
				return fmt.Errorf("%d asked (one unknown): %d found, %v", n, len(got), err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	texts := 0
	for _, m := range []interface {
		Range(func(k, v any) bool)
	}{&s.wstmts, &s.wpending} {
		m.Range(func(k, _ any) bool {
			if strings.Contains(k.(string), "WHERE u.email IN") {
				texts++
			}
			return true
		})
	}
	if texts == 0 || texts > 4 { // 8, 16, 32, 64 placeholders
		t.Errorf("%d texts of the users-by-email query on the writer, want 1 to 4", texts)
	}
}

// Adding a member to a group they are in already changes nothing (the
// conflict is ignored, no version moves); another organization's group is
// not found.
func TestAddGroupMemberTwice(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	var gid int64
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		gid, err = tx.CreateGroup(ctx, m.OrgID, "Night", "", access.Set{}, "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		o, err := s.OrgByID(ctx, m.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		return o.PermVersion
	}
	add := func() error {
		return s.Write(ctx, func(tx *Tx) error { return tx.AddGroupMember(ctx, m.OrgID, gid, m.ID) })
	}
	if err := add(); err != nil {
		t.Fatal(err)
	}
	v := version()
	if err := add(); err != nil {
		t.Fatalf("again: %v", err)
	}
	if after := version(); after != v {
		t.Errorf("adding again moved perm_version %d -> %d", v, after)
	}
	if n, err := s.GroupMemberCount(ctx, gid); err != nil || n != 1 {
		t.Errorf("members: %d, %v", n, err)
	}
	err := s.Write(ctx, func(tx *Tx) error { return tx.AddGroupMember(ctx, m.OrgID+1, gid, m.ID) })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("another organization: %v, want ErrNotFound", err)
	}
}

// The SQLite dialect tells a unique constraint's failure, and which
// column clashed, from other errors.
func TestSQLiteUniqueViolation(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (email, name, created_at) VALUES ('agent@example.test', 'Again', 1)`)
		return err
	})
	if clash, ok := s.d.uniqueViolation(err); !ok || !strings.Contains(clash, "users.email") {
		t.Fatalf("duplicate email: %q %v (%v)", clash, ok, err)
	}
	fk := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO memberships (org_id, user_id, role, status, created_at) VALUES (?, 999, 'agent', 'active', 1)`, m.OrgID)
		return err
	})
	if _, ok := s.d.uniqueViolation(fk); fk == nil || ok {
		t.Fatalf("a foreign key failure (%v) is not a unique one", fk)
	}
	if _, ok := s.d.uniqueViolation(nil); ok {
		t.Fatal("nil is no failure")
	}
	for _, c := range []struct{ name, slug, field string }{{"Acme", "other", "name"}, {"Other", "acme", "slug"}} {
		err := s.Write(ctx, func(tx *Tx) error {
			_, err := tx.CreateOrg(ctx, NewOrg{Name: c.name, NameKey: strings.ToLower(c.name), Slug: c.slug, Seats: 1})
			return err
		})
		if ce := domain.AsError(err); ce == nil || ce.Code != domain.CodeConflict || ce.Field != c.field || !errors.Is(err, ErrConflict) {
			t.Errorf("%s/%s: %v, want a conflict on %s", c.name, c.slug, err, c.field)
		}
	}
}
