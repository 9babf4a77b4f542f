package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// orgWithAgent creates the organization o and Ada Agent
// (agent@example.test), an active agent in it.
func orgWithAgent(ctx context.Context, tx *Tx, o NewOrg) (domain.Org, domain.Membership, error) {
	org, err := tx.CreateOrg(ctx, o)
	if err != nil {
		return org, domain.Membership{}, err
	}
	u, err := tx.CreateUser(ctx, "agent@example.test", "Ada Agent", "")
	if err != nil {
		return org, domain.Membership{}, err
	}
	m, err := tx.AddMember(ctx, org.ID, u.ID, access.RoleAgent, domain.StatusActive, nil)
	return org, m, err
}

func TestOpenMigratesAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "g.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(context.Background())
	if err != nil || v != newestVersion(t) {
		t.Fatalf("schema version = %d, %v", v, err)
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := s.r.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("reader foreign_keys = %d, %v", fk, err)
	}
	// Readers keep a small page cache (readerCacheSize); the writer SQLite's default.
	var rc, wc int
	if err := s.r.QueryRow("PRAGMA cache_size").Scan(&rc); err != nil || rc != -512 {
		t.Fatalf("reader cache_size = %d, %v", rc, err)
	}
	if err := s.w.QueryRow("PRAGMA cache_size").Scan(&wc); err != nil || wc != -2000 {
		t.Fatalf("writer cache_size = %d, %v", wc, err)
	}
	s.Close()
	s, err = Open(context.Background(), path) // second open must not re-apply the schema
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestReaderIsReadOnly(t *testing.T) {
	s := openTest(t)
	if _, err := s.r.Exec(`INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ('a','b','c',1)`); err == nil {
		t.Fatal("reader pool accepted a write")
	}
}

// Being first grants nothing: the first instance admin comes from the
// setup link or "gatehouse admin" (setup_test.go), so no visitor can race for it.
func TestFirstUserIsNotInstanceAdmin(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.CreateUser(ctx, string(rune('a'+i))+"@example.com", "U", "h"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var admins int
	s.r.QueryRow(`SELECT COUNT(*) FROM users WHERE is_instance_admin = 1`).Scan(&admins)
	if admins != 0 {
		t.Fatalf("%d instance admins, want 0", admins)
	}
	if _, err := s.CreateUser(ctx, " A@Example.com ", "Dup", "h"); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate email (other case): %v, want ErrConflict", err)
	}
}

func TestPasswordResetSingleUse(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "r@example.com", "R", "old")
	if err := s.CreateSession(ctx, Session{ID: "s1", UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	exp := s.unix() + 3600
	if err := s.CreatePasswordReset(ctx, u.ID, "t1", exp); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePasswordReset(ctx, u.ID, "t2", exp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UsePasswordReset(ctx, "t1", "new"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("superseded token worked: %v", err)
	}
	if _, err := s.UsePasswordReset(ctx, "t2", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UsePasswordReset(ctx, "t2", "newer"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("token reused: %v", err)
	}
	if _, err := s.SessionByID(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatal("session survived a password reset")
	}
	got, _ := s.UserByID(ctx, u.ID)
	if got.PasswordHash != "new" {
		t.Fatalf("hash = %q", got.PasswordHash)
	}
}

func TestBackupIsConsistentCopy(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	s.CreateUser(ctx, "b@example.com", "B", "h")
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	c, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.UserByEmail(ctx, "B@example.com"); err != nil {
		t.Fatalf("copy lacks the user: %v", err)
	}
	if res, _ := c.IntegrityCheck(ctx); res != "ok" {
		t.Fatalf("integrity: %s", res)
	}
}

func TestCustomerCountsFollowInsertsAndDeletes(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org domain.Org
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		org, err = tx.CreateOrg(ctx, NewOrg{Name: "Count Co", NameKey: "countco", Slug: "count-co", Seats: 5})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	s.Write(ctx, func(tx *Tx) error {
		for i := range 7 {
			id, err := tx.CreateCustomer(ctx, Customer{OrgID: org.ID, Name: "C" + string(rune('a'+i))})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	s.Write(ctx, func(tx *Tx) error { return tx.DeleteCustomer(ctx, CustomersIn(org.ID, access.ScopeAll, 0), ids[0]) })
	got, err := s.orgCustomerCount(ctx, org.ID)
	var want int
	s.r.QueryRow(`SELECT COUNT(*) FROM customers WHERE org_id = ?`, org.ID).Scan(&want)
	if err != nil || got != want || want != 6 {
		t.Fatalf("kept count %d (%v), real count %d, want 6", got, err, want)
	}
	list, total, err := s.Customers(ctx, CustomersIn(org.ID, access.ScopeAll, 0), CustomerQuery{Limit: 2})
	if err != nil || total != 6 || len(list) != 2 {
		t.Fatalf("Customers total %d rows %d err %v", total, len(list), err)
	}
}

// Writers queue for SQLite's one writer in arrival order; one whose
// context ends while it waits gives up with that error and writes nothing.
func TestWriterQueue(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- s.Write(ctx, func(tx *Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	var order []int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Write(ctx, func(tx *Tx) error { mu.Lock(); order = append(order, i); mu.Unlock(); return nil })
		}()
		// Each writer is queued before the next one arrives.
		for deadline := time.Now().Add(5 * time.Second); s.wq.queued() < i+1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("writer %d never queued", i)
			}
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	wrote := false
	if err := s.Write(cctx, func(tx *Tx) error { wrote = true; return nil }); !errors.Is(err, context.DeadlineExceeded) || wrote {
		t.Errorf("a writer whose context ended while queued: %v, wrote %v; want the context's error and no write", err, wrote)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(order) != 5 {
		t.Fatalf("%d of 5 queued writers wrote", len(order))
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("queued writers wrote in order %v, want arrival order", order)
		}
	}
}

// TestDecodeSetMemo: a stored set decodes to the same value the first time
// and from the memo; unreadable text grants nothing, memo or not.
func TestDecodeSetMemo(t *testing.T) {
	var want access.Set
	want.Grant(access.ModCustomers, access.View)
	want.SetFlag(access.FlagCustomersCanAccessAll, true)
	raw, err := encodeSet(want)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if got := decodeSet(raw); got != want {
			t.Fatalf("decode %d of %s: %+v, want %+v", i, raw, got, want)
		}
		if got := decodeSet(`{"customers": ["view"`); got != (access.Set{}) {
			t.Fatalf("decode %d of a broken text granted %+v", i, got)
		}
	}
	var other access.Set
	other.Grant(access.ModCustomers, access.Edit)
	rawOther, _ := encodeSet(other)
	if again, _ := encodeSet(other); again != rawOther || JSON(other) != rawOther || rawOther == raw {
		t.Fatalf("encodings of one set differ, or two sets share one: %s, %s, %s", rawOther, again, raw)
	}
	if got := decodeSet(rawOther); got != other {
		t.Fatalf("a second text decoded to %+v, want %+v", got, other)
	}
}

// A statement first run inside a transaction is prepared on the writer
// before the next transaction and then reused; both runs write.
func TestWriterStatementsPreparedOnceSeen(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.exec(ctx, `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (x) VALUES (?)`
	prepared := func() bool { _, ok := s.wstmts.Load(insert); return ok }
	for i := range 3 {
		if err := s.Write(ctx, func(tx *Tx) error { _, err := tx.Exec(ctx, insert, i); return err }); err != nil {
			t.Fatal(err)
		}
		if i == 0 && prepared() {
			t.Fatal("prepared during the transaction that first ran it; the connection was busy")
		}
		if i > 0 && !prepared() {
			t.Fatalf("not prepared after %d transactions", i+1)
		}
	}
	var n, sum int
	if err := s.queryRow(ctx, `SELECT COUNT(*), SUM(x) FROM t`).Scan(&n, &sum); err != nil || n != 3 || sum != 3 {
		t.Fatalf("rows: %d, sum %d, %v; want 3 rows summing to 3", n, sum, err)
	}
}
