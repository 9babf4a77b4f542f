package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdWriter starts a write that keeps the writer's goroutine busy until
// release is called, so that what is queued meanwhile forms one batch.
func holdWriter(t *testing.T, s *Store) (release func()) {
	t.Helper()
	holding, hold, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- s.Write(context.Background(), func(tx *Tx) error { close(holding); <-hold; return nil })
	}()
	<-holding
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// queueWrites submits fns one after another, each queued before the next
// (so their order is known), and returns what each Write returned or the
// panic it raised.
func queueWrites(t *testing.T, s *Store, fns ...func(tx *Tx) error) (wait func() []any) {
	t.Helper()
	out := make([]any, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		before := s.wq.queued()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					out[i] = p
				}
			}()
			out[i] = s.Write(context.Background(), fn)
		}()
		for deadline := time.Now().Add(5 * time.Second); s.wq.queued() == before; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("write %d never queued", i)
			}
		}
	}
	return func() []any { wg.Wait(); return out }
}

// mail inserts an outbox row whose subject names it; sent reports whether
// it is there.
func mail(subject string) func(tx *Tx) error {
	return func(tx *Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ('a@b.c', ?, '', 0)`, subject)
		return err
	}
}

func sent(t *testing.T, s *Store, subject string) bool {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = ?`, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// Writes queued together share one transaction, yet each lands whole or
// not at all: one that fails or panics leaves nothing, and the others in
// the batch land.
func TestWriterBatchKeepsEachWriteWhole(t *testing.T) {
	s := openTest(t)
	release := holdWriter(t, s)
	txsBefore := s.wq.txs.Load()
	refused := errors.New("refused")
	wait := queueWrites(t, s,
		mail("first"),
		func(tx *Tx) error {
			if err := mail("failed")(tx); err != nil {
				return err
			}
			return refused
		},
		func(tx *Tx) error {
			if err := mail("panicked")(tx); err != nil {
				return err
			}
			panic("boom")
		},
		func(tx *Tx) error { // a constraint error ends the statement, not the transaction
			_, err := tx.Exec(context.Background(), `INSERT INTO outbox (id, to_addr, subject, body, created_at) VALUES (1, 'x', 'dup', '', 0)`)
			return err
		},
		mail("last"),
	)
	release()
	out := wait()
	if out[0] != nil || out[4] != nil {
		t.Fatalf("the good writes: %v, %v; want nil", out[0], out[4])
	}
	if err, ok := out[1].(error); !ok || !errors.Is(err, refused) {
		t.Fatalf("the failed write returned %v, want its own error", out[1])
	}
	if p, ok := out[2].(*writePanic); !ok || p.value != "boom" || !strings.Contains(p.Error(), "writer_test.go") {
		t.Fatalf("the panicking write raised %#v, want its panic with the stack where it happened", out[2])
	}
	if err, ok := out[3].(error); !ok || !s.isUnique(err) {
		t.Fatalf("the duplicate insert returned %v, want the constraint error", out[3])
	}
	for subject, want := range map[string]bool{"first": true, "failed": false, "panicked": false, "last": true} {
		if got := sent(t, s, subject); got != want {
			t.Errorf("row %q saved: %v, want %v", subject, got, want)
		}
	}
	// Row 1 is "first": the duplicate must not have replaced or removed it.
	var subject string
	if err := s.r.QueryRow(`SELECT subject FROM outbox WHERE id = 1`).Scan(&subject); err != nil || subject != "first" {
		t.Errorf("row 1 is %q (%v), want first", subject, err)
	}
	if got := s.wq.txs.Load() - txsBefore; got != 1 {
		t.Errorf("the five queued writes took %d transactions, want 1", got)
	}
}

// When SQLite ends the shared transaction under a write (simulated here by
// a write that rolls it back itself), the writes that ran in it fail and
// leave nothing, and those not yet run go on in a new transaction.
func TestWriterBatchLostTransaction(t *testing.T) {
	s := openTest(t)
	release := holdWriter(t, s)
	wait := queueWrites(t, s,
		mail("before"),
		func(tx *Tx) error {
			if err := mail("rolled back")(tx); err != nil {
				return err
			}
			_, err := tx.Exec(context.Background(), "ROLLBACK")
			return err
		},
		mail("after"),
	)
	release()
	out := wait()
	if err, ok := out[0].(error); !ok || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("a write whose transaction was lost after it ran returned %v, want an error saying so", out[0])
	}
	if out[1] == nil {
		t.Fatal("the write that ended the transaction returned no error")
	}
	if out[2] != nil {
		t.Fatalf("the write queued after it returned %v, want nil (run again in a new transaction)", out[2])
	}
	for subject, want := range map[string]bool{"before": false, "rolled back": false, "after": true} {
		if got := sent(t, s, subject); got != want {
			t.Errorf("row %q saved: %v, want %v", subject, got, want)
		}
	}
	// The writer works on.
	if err := s.Write(context.Background(), mail("later")); err != nil || !sent(t, s, "later") {
		t.Fatalf("a write after the lost transaction: %v", err)
	}
}

// Close lets queued writes finish; a write after it is refused.
func TestWriterCloseFinishesQueuedWrites(t *testing.T) {
	s := openTest(t)
	release := holdWriter(t, s)
	wait := queueWrites(t, s, mail("queued"))
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		s.wq.mu.Lock()
		c := s.wq.closed
		s.wq.mu.Unlock()
		if c {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Close never began")
		}
	}
	if err := s.Write(context.Background(), mail("too late")); !errors.Is(err, ErrClosed) {
		t.Errorf("a write after Close: %v, want ErrClosed", err)
	}
	release()
	if out := wait(); out[0] != nil {
		t.Fatalf("the write queued before Close: %v", out[0])
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	s2, err := Open(context.Background(), s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !sent(t, s2, "queued") || sent(t, s2, "too late") {
		t.Error("after Close: want the queued write saved and the late one not")
	}
}
