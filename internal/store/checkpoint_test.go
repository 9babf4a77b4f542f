package store

import (
	"context"
	"os"
	"testing"
	"time"
)

// Writes far below the writer's backstop still reach the database file:
// the checkpointer copies them there in the background, and the writer's
// own COMMITs never do (its threshold is writerAutoCheckpoint pages).
func TestCheckpointerCopiesTheWALBack(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var autoPages int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&autoPages); err != nil || autoPages != writerAutoCheckpoint {
		t.Fatalf("writer wal_autocheckpoint = %d, %v; want %d", autoPages, err, writerAutoCheckpoint)
	}
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, "CREATE TABLE ckpt_probe (b BLOB)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	dbSize := func() int64 {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	waitIdle := func() {
		// Let a run started by the table's creation finish.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if len(s.ckpt.kick) == 0 && s.ckpt.runs.Load() > 0 {
				time.Sleep(2 * checkpointEvery)
				return
			}
		}
		t.Fatal("the checkpointer never ran after a write")
	}
	waitIdle()
	before, runs := dbSize(), s.ckpt.runs.Load()
	// About 400 pages: 100 commits of 4 rows of 3 KiB.
	for i := range 100 {
		if err := s.Write(ctx, func(tx *Tx) error {
			for range 4 {
				if _, err := tx.Exec(ctx, "INSERT INTO ckpt_probe (b) VALUES (randomblob(3000))"); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for dbSize() < before+300*4096 {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes before, %d after 400 pages of writes: not checkpointed (runs %d → %d)",
				before, dbSize(), runs, s.ckpt.runs.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s.ckpt.runs.Load() == runs {
		t.Fatal("the file grew without a checkpointer run")
	}
}

// Close stops the checkpointer and still leaves a database that reopens.
func TestCloseStopsTheCheckpointer(t *testing.T) {
	path := t.TempDir() + "/c.db"
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if err := s.Write(context.Background(), func(tx *Tx) error { return tx.Audit(context.Background(), AuditEntry{Action: "probe"}) }); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on the checkpointer")
	}
	s2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if res, err := s2.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity after reopen: %q, %v", res, err)
	}
}

// Closing twice is harmless, as it is for database/sql.
func TestCloseTwice(t *testing.T) {
	s, err := Open(context.Background(), t.TempDir()+"/twice.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
