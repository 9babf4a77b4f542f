package store

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
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

// Everyday writes leave the search indexes in several segments; once writes
// pause the checkpointer merges them, a bounded step at a time, into one.
func TestCheckpointerMergesSearchIndexesWhenIdle(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	segments := func() map[string]int {
		out := map[string]int{}
		for _, ix := range searchIndexes {
			var n int
			if err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM `+ix+`_idx`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[ix] = n
		}
		return out
	}
	var orgID int64
	if err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Daily", NameKey: "daily", Slug: "daily", Seats: 1000})
		orgID = o.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// One member per transaction, as the members screens add them.
	for i := range 150 {
		if err := s.Write(ctx, func(tx *Tx) error {
			u, err := tx.CreateUser(ctx, fmt.Sprintf("daily%d@example.com", i), fmt.Sprintf("Daily Person %d", i), "")
			if err != nil {
				return err
			}
			_, err = tx.AddMember(ctx, orgID, u.ID, access.RoleAgent, domain.StatusActive, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if segs := segments(); segs["member_emails"] < 2 {
		t.Fatalf("after 150 single inserts the emails index is in %d segment(s); the test needs several", segs["member_emails"])
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		segs := segments()
		if segs["users_search"] == 1 && segs["member_names_search"] == 1 && segs["member_emails"] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("segments %v after %d idle runs; want one each", segs, s.ckpt.idles.Load())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Merged, the next pause has nothing to do: no more idle runs. The run
	// that merged counts itself once it ends, which may come just after the
	// segments show merged: wait for it.
	for s.ckpt.idles.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the segments merged, but no idle run finished")
		}
		time.Sleep(10 * time.Millisecond)
	}
	idles := s.ckpt.idles.Load()
	time.Sleep(mergeIdle + 500*time.Millisecond)
	if n := s.ckpt.idles.Load(); n != idles {
		t.Errorf("idle runs went on without writes: %d, then %d", idles, n)
	}
	p, err := s.ListMembers(ctx, orgID, MemberQuery{Search: "daily14"})
	if err != nil || p.Total != 11 { // daily14 and daily140–149
		t.Fatalf("search daily14 after the merge: total %d, %v", p.Total, err)
	}
}
