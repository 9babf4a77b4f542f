package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite copies the WAL back into the database file ("checkpoints") from
// the connection whose commit took the WAL past 1000 pages, before that
// COMMIT returns. The writer is the only connection that commits, so every
// few hundred saves one of them carried a checkpoint and its fsync: under
// `make bench` about one commit in a hundred took 6 ms instead of 0.1, and
// everything queued for the writer waited behind it.
//
// So the writer's own checkpoint is only a backstop (writerAutoCheckpoint
// pages), and the checkpointer below runs a PASSIVE checkpoint on a
// connection of its own shortly after writes. PASSIVE never blocks the
// writer or the readers: the writer goes on appending to the WAL while the
// pages are copied, and it rewinds the WAL once a checkpoint has copied all
// of it. A crash loses nothing either way: a commit is in the WAL first.

const (
	// checkpointEvery bounds how often the checkpointer runs while writes
	// keep coming: each run copies each changed page once, however often
	// it was written since, and ends with an fsync.
	checkpointEvery = 50 * time.Millisecond
	// writerAutoCheckpoint (pages of 4 KiB) is the writer's backstop, for
	// a WAL the checkpointer cannot keep up with (it would otherwise grow
	// without bound).
	writerAutoCheckpoint = 8000
	// mergeIdle is how long writes must pause before the checkpointer
	// asks for a step of merging the search indexes (Store.mergeSearchStep).
	mergeIdle = time.Second
)

// checkpointer runs PASSIVE checkpoints on its own connection after writes.
type checkpointer struct {
	db   *sql.DB
	stmt string // the dialect's checkpointSQL
	// idle runs when writes pause (mergeIdle) after some; it reports
	// whether it has more to do, and runs again after the next pause if so.
	idle  func() (more bool)
	kick  chan struct{} // a write committed (buffered: one pending is enough)
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once    // Store.Close may be called again
	runs  atomic.Int64 // checkpoints run, for tests
	idles atomic.Int64 // idle runs, for tests
}

func startCheckpointer(db *sql.DB, stmt string, idle func() bool) *checkpointer {
	c := &checkpointer{db: db, stmt: stmt, idle: idle, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	c.wg.Add(1)
	go c.loop()
	return c
}

// written tells the checkpointer that the WAL grew; it never blocks.
func (c *checkpointer) written() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer c.wg.Done()
	pending := false // writes since the last idle run that had nothing left
	for {
		var pause <-chan time.Time
		if pending && c.idle != nil {
			pause = time.After(mergeIdle)
		}
		select {
		case <-c.stop:
			return
		case <-c.kick:
			pending = true
		case <-pause:
			pending = c.idle()
			c.idles.Add(1)
			// The idle work's own commit kicked: it is checkpointed now,
			// and does not count as a write to do more for.
			select {
			case <-c.kick:
			default:
			}
		}
		// Errors are not fatal: the writer's backstop checkpoints, and the
		// next write tries again. SQLITE_BUSY cannot happen in PASSIVE mode
		// except when another checkpoint (the backstop) is running.
		_, _ = c.db.ExecContext(context.Background(), c.stmt)
		c.runs.Add(1)
		select { // at most one run per checkpointEvery
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// close stops the loop and closes its connection; a run under way finishes.
func (c *checkpointer) close() error {
	c.once.Do(func() { close(c.stop) })
	c.wg.Wait()
	return c.db.Close()
}
