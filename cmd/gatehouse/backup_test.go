package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gatehouse/internal/store"
)

// `gatehouse backup --out FILE` writes a copy readable by its owner only,
// even under a permissive umask, and tightens a database left 0644 by an
// older binary when it opens it.
func TestBackupCommandWritesOwnerOnlyFiles(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	dir := t.TempDir()
	path := filepath.Join(dir, "gatehouse.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(context.Background(), "a@example.com", "A", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil { // as an older binary left it
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	r := runTool(t, nil, "backup", "--db", path, "--out", out)
	if r.err != nil || !strings.Contains(r.out, "backup written to "+out) {
		t.Fatalf("backup: %v %q %q", r.err, r.out, r.errOut)
	}
	for _, p := range []string{out, path} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
	if r := runTool(t, nil, "backup", "--db", path, "--out", out); r.err == nil || !strings.Contains(r.err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", r.err)
	}
}
