// Package store is Gatehouse's SQLite storage. Every query lives next to the
// method that runs it; multi-row changes run in one transaction on the single
// writer connection, reads go through a pool of read-only connections.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/internal/cache"
)

// ErrNotFound is returned when a row does not exist (or is outside the caller's scope).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique value (email, slug, name) is taken.
var ErrConflict = errors.New("already taken")

// Store is the database handle: one writer, many readers. Its reads
// (reads, querier.go) run on the readers' pool; writes go through Write.
type Store struct {
	reads
	d         dialect
	w         *sql.DB
	r         *sql.DB
	path      string
	queries   atomic.Int64                           // statements run; tests assert per-request budgets
	authStmt  *sql.Stmt                              // the auth query on the reader pool
	wAuthStmt *sql.Stmt                              // and on the writer (LoadAuthForWrite)
	auth      *authCache                             // auth answers, valid while nothing is committed
	polls     *cache.Cache[pollKey, int64]           // live-thread answers by data version (ConversationLastMessageAt)
	assignees *cache.Cache[assigneesKey, []Assignee] // assignee pickers by organization version (Assignees)
	stmts     sync.Map                               // query text → *sql.Stmt on the reader pool
	nstmts    atomic.Int64
	// Writer statements, by text, prepared on the writer's one connection.
	// That connection is busy during a transaction, so a text first seen
	// inside one is only noted in wpending and prepared by the next Write
	// before it begins.
	wstmts   sync.Map // query text → *sql.Stmt on the writer
	wpending sync.Map // query text → struct{}
	nwstmts  atomic.Int64
	now      func() time.Time
	// wq queues the writer's users in arrival order for the one goroutine
	// that runs them (writer.go): database/sql hands a freed connection to
	// a random waiter, which under a burst of saves left some waiting ten
	// times longer than the rest.
	wq   *writeQueue
	ckpt *checkpointer // nil until Open has migrated
}

// Open opens (creating if needed) the database at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	var d dialect = sqliteDialect{}
	c, err := d.connect(ctx, path)
	if err != nil {
		return nil, err
	}
	s := &Store{d: d, w: c.w, r: c.r, path: path, now: time.Now, wq: newWriteQueue(),
		polls:     cache.New[pollKey, int64](pollEntries, pollEntries*pollEntrySize, 0),
		assignees: cache.New[assigneesKey, []Assignee](64, 2<<20, 0)}
	s.reads = reads{querier{s: s}}
	fail := func(err error) (*Store, error) {
		c.close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		return fail(err)
	}
	n := max(4, runtime.NumCPU()*2)
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	if !openOlderSchema {
		if s.wAuthStmt, err = s.w.PrepareContext(ctx, authQuery); err != nil {
			return fail(fmt.Errorf("prepare auth query: %w", err))
		}
		if s.authStmt, err = s.r.PrepareContext(ctx, authQuery); err != nil {
			return fail(fmt.Errorf("prepare auth query: %w", err))
		}
	}
	if s.auth, err = newAuthCache(ctx, c.watch, d.dataVersionSQL()); err != nil {
		return fail(fmt.Errorf("open the auth cache's connection: %w", err))
	}
	c.maint.SetMaxOpenConns(1)
	s.ckpt = startCheckpointer(c.maint, d.checkpointSQL(), s.mergeSearchStep)
	s.wq.start(s.runWriter)
	return s, nil
}

// openOlderSchema is set by migration tests that open a database at an
// older schema (with the migrations cut short) to fill it: the auth query
// names today's tables, so it is not prepared; such a store serves no
// requests.
var openOlderSchema bool

// Close closes both pools; the WAL is checkpointed by SQLite on the last close.
func (s *Store) Close() error {
	s.wq.close()
	var ckErr error
	if s.ckpt != nil {
		ckErr = s.ckpt.close()
	}
	if s.authStmt != nil {
		s.authStmt.Close()
	}
	if s.wAuthStmt != nil {
		s.wAuthStmt.Close()
	}
	var authErr error
	if s.auth != nil {
		authErr = s.auth.close()
	}
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	s.wstmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	return errors.Join(ckErr, authErr, s.r.Close(), s.w.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Ping checks that the database answers (used by /healthz).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// QueryCount is the number of statements run so far.
func (s *Store) QueryCount() int64 { return s.queries.Load() }

// SetClock replaces the clock (tests of expiry).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func (s *Store) unix() int64 { return s.now().Unix() }

// uncancelled is the context a statement runs with: ctx's values without
// its cancellation. Handing SQL a cancellable context (every request's
// is one) costs two goroutines per statement, modernc's interrupt watcher
// and database/sql's Rows watcher, plus a progress callback every 1,000
// VM steps. What it buys is small here. Reads are point lookups or pages of at most a few hundred rows,
// done in milliseconds. Writes are short transactions, and a save the
// browser stopped waiting for should still finish whole rather than be
// rolled back half-way. Waiting in the writer's queue (onWriter) still ends
// with the context. Long reads (exports, backups) keep their context.
func uncancelled(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// queryRow and query run a read on the readers' pool (the querier of the
// store's reads). They count every statement and reuse prepared
// statements: compiling SQL is a sizeable share of a short query's cost.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s.queries.Add(1)
	ctx = uncancelled(ctx)
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, q, args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.queries.Add(1)
	ctx = uncancelled(ctx)
	if st := s.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, q, args...)
}

// maxPrepared bounds the statement cache: list queries are assembled from
// filters, so the set of distinct texts is finite but not tiny.
const maxPrepared = 512

// prepared returns a cached statement for q on the reader pool, or nil when
// the cache is full or preparing fails (the caller then runs q directly and
// sees any error there).
func (s *Store) prepared(ctx context.Context, q string) *sql.Stmt {
	if v, ok := s.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if s.nstmts.Load() >= maxPrepared {
		return nil
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if v, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	s.nstmts.Add(1)
	return st
}

// exec runs one statement on the writer, in the writer's queue.
func (s *Store) exec(ctx context.Context, q string, args ...any) (res sql.Result, err error) {
	s.queries.Add(1)
	err = s.onWriter(ctx, &writeJob{write: func(tx *Tx) error {
		res, err = tx.exec(ctx, q, args...)
		return err
	}})
	return res, err
}

// writerStmt is the writer's prepared statement for q, or nil when it is
// not prepared yet (q is then noted for the next prepareWriterStmts).
func (s *Store) writerStmt(q string) *sql.Stmt {
	if v, ok := s.wstmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if s.nwstmts.Load() < maxPrepared {
		s.wpending.Store(q, struct{}{})
	}
	return nil
}

// prepareWriterStmts prepares the noted writer statements. The caller
// is the writer's goroutine, between transactions: the connection is free.
// A text that fails to prepare is dropped and keeps running unprepared.
func (s *Store) prepareWriterStmts(ctx context.Context) {
	s.wpending.Range(func(k, _ any) bool {
		s.wpending.Delete(k)
		q := k.(string)
		if _, ok := s.wstmts.Load(q); ok || s.nwstmts.Load() >= maxPrepared {
			return true
		}
		if st, err := s.w.PrepareContext(ctx, q); err == nil {
			s.wstmts.Store(q, st)
			s.nwstmts.Add(1)
		}
		return true
	})
}

// Tx is the write transaction a TxFunc runs in: the writes are its
// methods, and it has every read (reads) too, run inside the transaction.
// Its helpers count statements like the store's.
type Tx struct {
	reads
	tx *sql.Tx
	s  *Store
}

func newTx(s *Store, sqlTx *sql.Tx) *Tx {
	t := &Tx{tx: sqlTx, s: s}
	t.reads = reads{querier{s: s, tx: t}}
	return t
}

// Statements in a transaction run prepared once their text has been seen
// (see Store.wstmts): parsing SQL was an eighth of a permission save.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.s.queries.Add(1)
	return t.exec(ctx, q, args...)
}

// exec is Exec without counting the statement (the queue's savepoints).
func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = uncancelled(ctx)
	if st := t.s.writerStmt(q); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	t.s.queries.Add(1)
	ctx = uncancelled(ctx)
	if st := t.s.writerStmt(q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.s.queries.Add(1)
	ctx = uncancelled(ctx)
	if st := t.s.writerStmt(q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

// TxFunc is a write: it runs in the writer's transaction, and what it
// wrote lands only when it returns nil and the transaction commits. The
// writer runs it on its one goroutine, in a transaction it may share with
// the other writes queued with it, each in a savepoint of its own
// (writer.go). So a TxFunc
//   - is short and never waits: not for another request, a lock, a
//     channel or the network;
//   - touches nothing outside tx (no mail, no caches, no files, no shared
//     state): even after it returned nil it may be rolled back, when the
//     shared transaction fails to commit; Write then returns that error;
//   - leaves results in the caller's variables only for the caller to use
//     once Write returned nil.
//
// It runs at most once.
type TxFunc func(tx *Tx) error

// Write runs fn (see TxFunc) in an IMMEDIATE transaction: all of it
// lands or none of it.
func (s *Store) Write(ctx context.Context, fn TxFunc) error {
	s.queries.Add(1)
	return s.onWriter(ctx, &writeJob{write: fn})
}

// writeValue is Write for a write that produces a value (a Store method
// that is a Tx method run on its own).
func writeValue[T any](ctx context.Context, s *Store, fn func(*Tx) (T, error)) (T, error) {
	var v T
	err := s.Write(ctx, func(tx *Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Backup writes a consistent copy of the live database to dst, a new
// file readable by its owner only; writers may keep going meanwhile.
func (s *Store) Backup(ctx context.Context, dst string) error { return s.d.backup(ctx, s.r, dst) }

// IntegrityCheck checks the whole database and returns its verdict ("ok").
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.w.QueryRowContext(ctx, s.d.integritySQL()).Scan(&res)
	return res, err
}
