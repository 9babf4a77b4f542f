package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
)

// SQLite has one writer. Everything that uses its connection (a write
// transaction, a statement on its own, the auth read of a request that may
// write) is a job in one queue, run in arrival order by one goroutine that
// owns the connection. The jobs that queued while a batch ran form the next
// batch: its reads first, then all its writes in one transaction, each
// write in a savepoint of its own, and one COMMIT.
//
// Why: under 64 connections of permission saves the writer was the
// bottleneck. Handed from goroutine to goroutine, it was held about twice
// as long as the work took (the next holder waited for a core while the
// writer sat idle), and every save paid for its own BEGIN and COMMIT, whose
// WAL frames repeat the same pages (the audit log's last page, the
// organization's row).
//
// Each write still lands whole or not at all: one that fails or panics is
// rolled back to its savepoint and the others in the batch go on. If SQLite
// ends the whole transaction (it does on a full disk or an I/O error), the
// writes that had run in it fail with that error and those not yet run go
// back to the head of the queue.

// maxBatch bounds a batch: the first write of a batch answers only when the
// last one has run and the batch has committed.
const maxBatch = 16

// ErrClosed is returned for work submitted after Close.
var ErrClosed = errors.New("the database is closed")

// writeJob is one use of the writer: write runs in the batch's transaction,
// read on the connection outside any transaction.
type writeJob struct {
	write TxFunc
	read  func() error
	err   error
	panic *writePanic
	taken bool // a batch has it, so it can no longer be withdrawn (queue's mu)
	done  chan struct{}
}

// writePanic carries a panic in a job back to the goroutine that queued
// it, with the stack where it happened.
type writePanic struct {
	value any
	stack []byte
}

func (p *writePanic) Error() string { return fmt.Sprintf("%v\n\n%s", p.value, p.stack) }

// writeQueue is the writer's queue; runWriter serves it.
type writeQueue struct {
	mu      sync.Mutex
	jobs    []*writeJob
	closed  bool
	wake    chan struct{} // a job was queued (one pending is enough)
	stopped chan struct{} // closed when the runner has returned; nil before start
	txs     atomic.Int64  // transactions begun (tests)
}

func newWriteQueue() *writeQueue { return &writeQueue{wake: make(chan struct{}, 1)} }

// start runs run, the queue's one runner, on a goroutine of its own.
func (q *writeQueue) start(run func()) {
	q.stopped = make(chan struct{})
	go func() {
		defer close(q.stopped)
		run()
	}()
}

// onWriter queues j and waits for it. A caller whose context ends while j
// is still queued withdraws it and gets the context's error; once a batch
// has taken j, it runs to the end (a save the browser stopped waiting for
// still lands whole).
func (s *Store) onWriter(ctx context.Context, j *writeJob) error {
	q := s.wq
	j.done = make(chan struct{})
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	q.jobs = append(q.jobs, j)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	select {
	case <-j.done:
	case <-ctx.Done():
		if q.withdraw(j) {
			return ctx.Err()
		}
		<-j.done
	}
	if j.panic != nil {
		panic(j.panic)
	}
	return j.err
}

// withdraw takes j out of the queue unless a batch has it already.
func (q *writeQueue) withdraw(j *writeJob) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if j.taken {
		return false
	}
	if i := slices.Index(q.jobs, j); i >= 0 {
		q.jobs = slices.Delete(q.jobs, i, i+1)
	}
	return true
}

// next waits for the next batch; false once the queue is closed and empty.
func (q *writeQueue) next() ([]*writeJob, bool) {
	for {
		q.mu.Lock()
		if n := min(len(q.jobs), maxBatch); n > 0 {
			batch := slices.Clone(q.jobs[:n])
			q.jobs = slices.Delete(q.jobs, 0, n)
			for _, j := range batch {
				j.taken = true
			}
			q.mu.Unlock()
			return batch, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return nil, false
		}
		<-q.wake
	}
}

// putBack returns jobs that did not run to the head of the queue.
func (q *writeQueue) putBack(jobs []*writeJob) {
	q.mu.Lock()
	for _, j := range jobs {
		j.taken = false
	}
	q.jobs = slices.Insert(q.jobs, 0, jobs...)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// close lets the runner, if started, finish what is queued, then stop.
func (q *writeQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	if q.stopped != nil {
		<-q.stopped
	}
}

// queued is how many jobs wait for a batch now (tests).
func (q *writeQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// runWriter serves the writer's queue until it is closed.
func (s *Store) runWriter() {
	for {
		batch, ok := s.wq.next()
		if !ok {
			return
		}
		var writes []*writeJob
		for _, j := range batch {
			if j.read == nil {
				writes = append(writes, j)
				continue
			}
			j.err = j.run(j.read)
			close(j.done)
		}
		if len(writes) == 0 {
			continue
		}
		notRun := s.commitWrites(writes)
		for _, j := range writes[:len(writes)-len(notRun)] {
			close(j.done)
		}
		if len(notRun) > 0 {
			s.wq.putBack(notRun)
		}
	}
}

// commitWrites runs writes in one transaction and commits it. It returns
// the tail of writes that never ran (the transaction ended under them);
// every other job has its outcome in err.
func (s *Store) commitWrites(writes []*writeJob) (notRun []*writeJob) {
	ctx := context.Background()
	s.prepareWriterStmts(ctx)
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, j := range writes {
			j.err = err
		}
		return nil
	}
	s.wq.txs.Add(1)
	tx := newTx(s, sqlTx)
	if len(writes) == 1 { // no savepoint needed: the transaction is the write's own
		j := writes[0]
		if j.err = j.run(func() error { return j.write(tx) }); j.err != nil {
			_ = sqlTx.Rollback()
			return nil
		}
		j.err = s.commit(sqlTx)
		return nil
	}
	// The savepoint statements are standard SQL (SQLite, PostgreSQL and
	// others take them as written), so they are not the dialect's.
	var landed []*writeJob
	for i, j := range writes {
		err := tx.control(ctx, "SAVEPOINT batch_write")
		if err == nil {
			if j.err = j.run(func() error { return j.write(tx) }); j.err == nil {
				if j.err = tx.control(ctx, "RELEASE SAVEPOINT batch_write"); j.err == nil {
					landed = append(landed, j)
					continue
				}
			}
			if err = tx.control(ctx, "ROLLBACK TO SAVEPOINT batch_write"); err == nil {
				err = tx.control(ctx, "RELEASE SAVEPOINT batch_write")
			}
			if err == nil {
				continue
			}
		}
		// SQLite ended the transaction: what ran in it is lost.
		_ = sqlTx.Rollback()
		lost := fmt.Errorf("not saved: the transaction it shared with other writes was rolled back: %w", err)
		for _, l := range landed {
			l.err = lost
		}
		if j.err == nil {
			j.err = lost
		}
		return writes[i+1:]
	}
	if err := s.commit(sqlTx); err != nil {
		for _, j := range landed {
			j.err = err
		}
	}
	return nil
}

// commit commits sqlTx and tells the checkpointer the WAL grew.
func (s *Store) commit(sqlTx *sql.Tx) error {
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	if s.ckpt != nil {
		s.ckpt.written()
	}
	return nil
}

// run calls f, turning a panic into the job's writePanic (re-raised in
// the goroutine that queued the job).
func (j *writeJob) run(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			j.panic = &writePanic{value: p, stack: debug.Stack()}
			err = j.panic
		}
	}()
	return f()
}

// control runs a savepoint statement, uncounted.
func (t *Tx) control(ctx context.Context, q string) error {
	_, err := t.exec(ctx, q)
	return err
}
