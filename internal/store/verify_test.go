package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Confirmation links: single-use under concurrent clicks, expiring, and
// bound to the address they were sent to.
func TestEmailTokens(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	u, err := s.CreateUser(ctx, "ann@example.com", "Ann", "h")
	if err != nil {
		t.Fatal(err)
	}
	if u.Verified() {
		t.Fatal("a new account starts verified")
	}
	exp := now.Add(time.Hour).Unix()
	if err := s.CreateEmailToken(ctx, u.ID, u.Email, EmailVerify, "h1", exp); err != nil {
		t.Fatal(err)
	}
	// Two concurrent uses: exactly one confirms.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = s.UseEmailToken(ctx, "h1") }()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two uses: %v / %v, want exactly one", errs[0], errs[1])
	}
	if got, _ := s.UserByID(ctx, u.ID); !got.Verified() {
		t.Fatal("not verified after the link")
	}

	// Expired: refused, nothing changes.
	b, _ := s.CreateUser(ctx, "bob@example.com", "Bob", "h")
	if err := s.CreateEmailToken(ctx, b.ID, b.Email, EmailVerify, "h2", now.Add(time.Minute).Unix()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.UseEmailToken(ctx, "h2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired link: %v", err)
	}
	if got, _ := s.UserByID(ctx, b.ID); got.Verified() {
		t.Fatal("an expired link verified the account")
	}

	// Bound to the address: a verify link of an address the account no
	// longer has confirms nothing.
	if err := s.CreateEmailToken(ctx, b.ID, "bob@example.com", EmailVerify, "h3", now.Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEmailToken(ctx, b.ID, "bobby@example.com", EmailChange, "h4", now.Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.PendingEmail(ctx, b.ID); p != "bobby@example.com" {
		t.Fatalf("pending = %q", p)
	}
	use, err := s.UseEmailToken(ctx, "h4")
	if err != nil || use.OldEmail != "bob@example.com" || use.Email != "bobby@example.com" {
		t.Fatalf("change: %+v %v", use, err)
	}
	if _, err := s.UseEmailToken(ctx, "h3"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old address's link after the change: %v", err)
	}
	got, _ := s.UserByID(ctx, b.ID)
	if got.Email != "bobby@example.com" || !got.Verified() {
		t.Fatalf("after change: %+v", got)
	}
	if p, _ := s.PendingEmail(ctx, b.ID); p != "" {
		t.Fatalf("pending after change = %q", p)
	}

	// A change to an address taken meanwhile: ErrConflict, nothing changes.
	if err := s.CreateEmailToken(ctx, b.ID, "ann@example.com", EmailChange, "h5", now.Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseEmailToken(ctx, "h5"); !errors.Is(err, ErrConflict) {
		t.Fatalf("taken address: %v", err)
	}
	if got, _ := s.UserByID(ctx, b.ID); got.Email != "bobby@example.com" {
		t.Fatalf("email = %s", got.Email)
	}
}

// The setup link: stored only while there is no instance admin, used once.
func TestSetupTokens(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if ok, err := s.NewSetupToken(ctx, "s1"); !ok || err != nil {
		t.Fatalf("first: %v %v", ok, err)
	}
	if ok, _ := s.NewSetupToken(ctx, "s2"); !ok {
		t.Fatal("second link not made")
	}
	if live, _ := s.SetupTokenLive(ctx, "s1"); live {
		t.Fatal("the replaced link still works")
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateSetupAdmin(ctx, "s2", []string{"a@example.com", "b@example.com"}[i], "A", "h")
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two uses: %v / %v, want exactly one", errs[0], errs[1])
	}
	var admins, users int
	s.r.QueryRow(`SELECT COUNT(*) FROM users WHERE is_instance_admin = 1`).Scan(&admins)
	s.r.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users)
	if admins != 1 || users != 1 {
		t.Fatalf("%d admins, %d users; want 1 and 1", admins, users)
	}
	if ok, _ := s.NewSetupToken(ctx, "s3"); ok {
		t.Fatal("a setup link was made although an admin exists")
	}
	if _, err := s.GrantInstanceAdmin(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("grant unknown: %v", err)
	}
}

// Accounts that exist before the verified-address migration count as
// unverified until they confirm; nothing else about them changes.
func TestMigrationLeavesExistingAccountsUnverified(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(context.Background(), sqliteDialect{}, raw, ms, 7); err != nil { // before 0008
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO users (email, name, password_hash, is_instance_admin, created_at)
		VALUES ('old@example.com', 'Old', 'h', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.UserByEmail(context.Background(), "old@example.com")
	if err != nil || u.Verified() || !u.IsInstanceAdmin || u.PasswordHash != "h" {
		t.Fatalf("existing account after the migration: %+v %v", u, err)
	}
}
