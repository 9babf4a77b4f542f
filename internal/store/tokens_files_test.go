package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// A new database, its WAL and SHM files and a backup are 0600 even under
// a permissive umask; a database left 0644 (with 0644 WAL and SHM files)
// by an older binary is tightened when opened.
func TestDatabaseFilesAndBackupsAreOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "g.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "a@example.com", "A", ""); err != nil { // something in the WAL
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := modeOf(t, p); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if m := modeOf(t, backup); m != 0o600 {
		t.Errorf("backup: mode %o, want 600", m)
	}
	if err := s.Backup(ctx, backup); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if m := modeOf(t, backup); m != 0o600 {
		t.Errorf("refused backup changed the mode: %o", m)
	}
	// The backup is a real database.
	b, err := Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := b.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("backup users = %d, %v", n, err)
	}
	b.Close()
	s.Close()

	// An existing database made world-readable (as before this change).
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.WriteFile(p, nil, 0o644); err != nil && !os.IsExist(err) {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			if err := os.Chmod(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := modeOf(t, p); m != 0o600 {
			t.Errorf("reopened %s: mode %o, want 600", filepath.Base(p), m)
		}
	}
}

// Every change of password, email or a forced reset ends the open reset
// links, whichever statement makes it.
func TestResetLinksEndWithTheirReason(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		change string
	}{
		{"password", `UPDATE users SET password_hash = 'new' WHERE id = ?`},
		{"email", `UPDATE users SET email = 'moved@example.com' WHERE id = ?`},
		{"forced reset", `UPDATE users SET must_reset_password = 1 WHERE id = ?`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTest(t)
			u, err := s.CreateUser(ctx, "r@example.com", "R", "old")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.CreatePasswordReset(ctx, u.ID, "h1", time.Now().Add(time.Hour).Unix()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ResetUser(ctx, "h1"); err != nil {
				t.Fatal("fresh link not live")
			}
			if _, err := s.exec(ctx, c.change, u.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ResetUser(ctx, "h1"); err != ErrNotFound {
				t.Fatalf("link after %s change: %v, want ErrNotFound", c.name, err)
			}
			if _, err := s.UsePasswordReset(ctx, "h1", "attacker"); err != ErrNotFound {
				t.Fatalf("use after %s change: %v", c.name, err)
			}
		})
	}
	// Saving a name (or an unchanged email) leaves the link alone.
	s := openTest(t)
	u, _ := s.CreateUser(ctx, "k@example.com", "K", "pw")
	if err := s.CreatePasswordReset(ctx, u.ID, "h2", time.Now().Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.exec(ctx, `UPDATE users SET name = 'Kay', email = email WHERE id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetUser(ctx, "h2"); err != nil {
		t.Fatalf("an unrelated change ended the link: %v", err)
	}
}

func TestOutboxMasksSecretsUntilLive(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	u, _ := s.CreateUser(ctx, "o@example.com", "O", "pw")
	tok := "Zq3v0W8sJk1mN2bV5cX7zL9aQ4wE6rT8yU0iO1pA2sD"
	if err := s.CreatePasswordReset(ctx, u.ID, hashSecret(tok), time.Now().Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	body := "Open http://x/reset?token=" + tok + " (or paste " + tok + ")."
	id, err := s.AddOutbox(ctx, "o@example.com", "Reset", body, []string{tok})
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := s.r.QueryRow(`SELECT body FROM outbox WHERE id = ?`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, tok) || strings.Count(stored, OutboxMask) != 2 {
		t.Fatalf("stored body is not masked: %q", stored)
	}
	mails, err := s.Outbox(ctx, 10)
	if err != nil || len(mails) != 1 || mails[0].Body != body {
		t.Fatalf("live link not shown: %v %+v", err, mails)
	}
	// A mail without secrets and one whose token is unknown.
	if _, err := s.AddOutbox(ctx, "q@example.com", "Quote", "plain [hidden] text", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UsePasswordReset(ctx, hashSecret(tok), "new"); err != nil {
		t.Fatal(err)
	}
	mails, _ = s.Outbox(ctx, 10)
	if len(mails) != 2 || mails[0].Body != "plain [hidden] text" || strings.Contains(mails[1].Body, tok) {
		t.Fatalf("after use: %+v", mails)
	}
	var n int
	s.r.QueryRow(`SELECT COUNT(*) FROM outbox_secrets`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d secrets kept after use", n)
	}
	// A token of no known table is readable for a day, then masked.
	id, _ = s.AddOutbox(ctx, "c@example.com", "Confirm", "http://x/confirm/"+tok+"x", []string{tok + "x"})
	if mails, _ = s.Outbox(ctx, 1); mails[0].ID != id || !strings.Contains(mails[0].Body, tok+"x") {
		t.Fatalf("unknown token not shown: %+v", mails)
	}
	s.SetClock(func() time.Time { return time.Now().Add(25 * time.Hour) })
	if mails, _ = s.Outbox(ctx, 1); strings.Contains(mails[0].Body, tok) {
		t.Fatalf("expired unknown token shown: %+v", mails)
	}
	if err := s.ForgetOutboxSecrets(ctx, id); err != nil {
		t.Fatal(err)
	}
}
