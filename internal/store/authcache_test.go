package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// authFixture is a store with one member of "acme" and a signed-in session.
func authFixture(t *testing.T) (*Store, string, domain.Membership) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "auth.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var m domain.Membership
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		_, m, err = orgWithAgent(ctx, tx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Seats: 10})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, Session{ID: "sess", UserID: m.UserID, IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	return s, path, m
}

// Repeated requests reuse the answer; a commit through the store's writer
// is seen by the very next request.
func TestAuthCacheSeesEveryCommit(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	first, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil || first.Membership == nil || first.Membership.Suspended() {
		t.Fatalf("first load: %+v %v", first.Membership, err)
	}
	before := s.QueryCount()
	again, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil || again.Membership.Role != access.RoleAgent {
		t.Fatalf("second load: %+v %v", again.Membership, err)
	}
	if n := s.QueryCount() - before; n != 1 {
		t.Errorf("a repeated load ran %d statements, want 1 (the data version)", n)
	}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.SetStatus(ctx, m.OrgID, m.ID, domain.StatusSuspended) }); err != nil {
		t.Fatal(err)
	}
	after, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil || !after.Membership.Suspended() {
		t.Fatalf("after the suspension: %+v %v", after.Membership, err)
	}
	if err := s.RevokeSessionByID(ctx, "sess"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadAuth(ctx, "sess", "acme", 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after the session was revoked: %v, want ErrNotFound", err)
	}
}

// Another process writing the same file (the CLI while the server runs)
// moves the data version too.
func TestAuthCacheSeesCommitsOfOtherConnections(t *testing.T) {
	s, path, m := authFixture(t)
	ctx := context.Background()
	for range 2 { // cached
		if a, err := s.LoadAuth(ctx, "sess", "acme", 0); err != nil || a.Membership.Role != access.RoleAgent {
			t.Fatalf("load: %+v %v", a.Membership, err)
		}
	}
	promoteFromAnotherStore(t, path, m)
	if a, err := s.LoadAuth(ctx, "sess", "acme", 0); err != nil || a.Membership.Role != access.RoleManager {
		t.Fatalf("after another connection's commit: %+v %v", a.Membership, err)
	}
}

// promoteFromAnotherStore makes m a manager through a second Store on the
// same file, as the CLI would while the server runs.
func promoteFromAnotherStore(t *testing.T, path string, m domain.Membership) {
	t.Helper()
	ctx := context.Background()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Write(ctx, func(tx *Tx) error { return tx.SetRole(ctx, m.OrgID, m.ID, access.RoleManager) }); err != nil {
		t.Fatal(err)
	}
}

// A cached session past the idle cutoff is gone, as the query says; and a
// caller's edits to an answer do not reach the cache.
func TestAuthCacheIdleCutoffAndCopies(t *testing.T) {
	s, _, _ := authFixture(t)
	ctx := context.Background()
	a, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil {
		t.Fatal(err)
	}
	a.Org.Name = "Changed by a caller"
	a.Membership.Role = access.RoleOwner
	a.Session.Data = append(a.Session.Data[:0], 'x')
	b, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil || b.Org.Name != "Acme" || b.Membership.Role != access.RoleAgent || len(b.Session.Data) != 0 {
		t.Fatalf("a caller's edit reached the cache: %q %q %q %v", b.Org.Name, b.Membership.Role, b.Session.Data, err)
	}
	if _, err := s.LoadAuth(ctx, "sess", "acme", b.Session.LastSeenAt); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a cached session at the idle cutoff: %v, want ErrNotFound", err)
	}
}

// A request that may write reads its auth on the writer: the same answer
// as a page read, and never older than a write that was running when it
// asked (it waits for that write and sees it).
func TestLoadAuthForWrite(t *testing.T) {
	s, path, m := authFixture(t)
	ctx := context.Background()
	page, err := s.LoadAuth(ctx, "sess", "acme", 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.DataVersion == 0 {
		t.Fatal("a page read names no data version")
	}
	page.DataVersion = 0 // the writer does not read it
	write, err := s.LoadAuthForWrite(ctx, "sess", "acme", 0)
	if err != nil || !reflect.DeepEqual(write, page) {
		t.Fatalf("on the writer: %+v %v\non a reader: %+v", write, err, page)
	}
	if a, err := s.LoadAuthForWrite(ctx, "sess", "", 0); err != nil || a.Org != nil || a.Membership != nil {
		t.Fatalf("no organization asked: %+v %+v %v", a.Org, a.Membership, err)
	}

	inWrite, release := make(chan struct{}), make(chan struct{})
	wrote := make(chan error, 1)
	go func() {
		wrote <- s.Write(ctx, func(tx *Tx) error {
			if err := tx.SetStatus(ctx, m.OrgID, m.ID, domain.StatusSuspended); err != nil {
				return err
			}
			close(inWrite)
			<-release
			return nil
		})
	}()
	<-inWrite
	loaded := make(chan AuthRow, 1)
	go func() {
		a, err := s.LoadAuthForWrite(ctx, "sess", "acme", 0)
		if err != nil {
			t.Error(err)
		}
		loaded <- a
	}()
	for deadline := time.Now().Add(5 * time.Second); s.wq.queued() == 0; time.Sleep(time.Millisecond) {
		select {
		case a := <-loaded:
			t.Fatalf("answered while a write held the writer: %+v", a.Membership)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the load never queued for the writer")
		}
	}
	close(release)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if a := <-loaded; a.Membership == nil || !a.Membership.Suspended() {
		t.Fatalf("after the suspension it waited for: %+v", a.Membership)
	}

	// Another process's commit (the CLI), the idle cutoff and a revoked
	// session, as for LoadAuth.
	promoteFromAnotherStore(t, path, m)
	a, err := s.LoadAuthForWrite(ctx, "sess", "acme", 0)
	if err != nil || a.Membership.Role != access.RoleManager {
		t.Fatalf("after another connection's commit: %+v %v", a.Membership, err)
	}
	if _, err := s.LoadAuthForWrite(ctx, "sess", "acme", a.Session.LastSeenAt); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a session at the idle cutoff: %v, want ErrNotFound", err)
	}
	if err := s.RevokeSessionByID(ctx, "sess"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadAuthForWrite(ctx, "sess", "acme", 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a revoked session: %v, want ErrNotFound", err)
	}
}
