package web_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// A page whose request is due to record activity does not wait for a busy
// writer: the bookkeeping is given up after a short wait (the next request
// does it) and the page is served.
func TestPageDoesNotWaitForABusyWriterToRecordActivity(t *testing.T) {
	app := testkit.NewApp(t)
	_, c := app.OwnedOrg("Touch Co", "touch", []string{"crm"}, "owner@touch.test", "Owner", "touch test password 1")
	// Seen two minutes ago: the session's "last seen" is due for an update.
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = last_seen_at - 120`)
		return err
	})
	before := time.Now().Unix()

	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- app.DB.Write(context.Background(), func(*store.Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	// Without the bound the page would wait for the writer: free it after
	// a while so such a failure is slow, not a hang.
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	timer := time.AfterFunc(4*time.Second, free)
	defer timer.Stop()
	start := time.Now()
	r := c.Get("/o/touch")
	took := time.Since(start)
	free()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r.Status != 200 || took > 3*time.Second {
		t.Errorf("dashboard with the writer busy: status %d after %v; want 200 well before the 10 s busy timeout", r.Status, took)
	}
	var seen int64
	lastSeen := func() int64 {
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT MAX(last_seen_at) FROM sessions`).Scan(&seen)
		})
		return seen
	}
	if lastSeen() >= before-60 {
		t.Fatalf("last seen %d was recorded though the writer was busy", seen)
	}
	// With the writer free again, the next request records the activity.
	c.Get("/o/touch")
	if lastSeen() < before {
		t.Errorf("last seen %d after the writer was free, want ≥ %d", seen, before)
	}
}
