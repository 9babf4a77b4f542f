// Package store is Gatehouse's SQLite storage. Every query lives next to the
// method that runs it; multi-row changes run in one transaction on the single
// writer connection, reads go through a pool of read-only connections.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// ErrNotFound is returned when a row does not exist (or is outside the caller's scope).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique value (email, slug, name) is taken.
var ErrConflict = errors.New("already taken")

// Store is the database handle: one writer, many readers.
type Store struct {
	w         *sql.DB
	r         *sql.DB
	path      string
	queries   atomic.Int64 // statements run; tests assert per-request budgets
	authStmt  *sql.Stmt    // the auth query on the reader pool
	wAuthStmt *sql.Stmt    // and on the writer (LoadAuthForWrite)
	auth      *authCache   // auth answers, valid while nothing is committed
	stmts     sync.Map     // query text → *sql.Stmt on the reader pool
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
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// The database holds password hashes and session and reset token
	// hashes: only its owner may read it. Creating the file here, 0600,
	// means SQLite never creates it under the umask (SQLite gives the WAL
	// and SHM files the database file's mode); an existing file is
	// tightened.
	if err := ensurePrivate(path, true); err != nil {
		return nil, err
	}
	// synchronous=NORMAL in WAL mode survives process crashes (SIGKILL): a
	// committed transaction is in the WAL before COMMIT returns.
	// busy_timeout goes first: the pragmas after it may need a lock, and
	// must wait for one like any statement rather than fail at once.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	w, err := sql.Open("sqlite", base+"?"+pragmas+"&_txlock=immediate"+fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)", writerAutoCheckpoint))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// The ping opened the WAL and SHM files; tighten them too, in case an
	// older binary or another tool created them.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := ensurePrivate(path+suffix, false); err != nil {
			w.Close()
			return nil, err
		}
	}
	s := &Store{w: w, path: path, now: time.Now, wq: newWriteQueue()}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if s.wAuthStmt, err = w.PrepareContext(ctx, authQuery); err != nil {
		w.Close()
		return nil, fmt.Errorf("prepare auth query: %w", err)
	}
	r, err := sql.Open("sqlite", base+"?"+pragmas+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	if s.authStmt, err = r.PrepareContext(ctx, authQuery); err != nil {
		s.Close()
		return nil, fmt.Errorf("prepare auth query: %w", err)
	}
	av, err := sql.Open("sqlite", base+"?"+pragmas+"&mode=ro")
	if err != nil {
		s.Close()
		return nil, err
	}
	if s.auth, err = newAuthCache(ctx, av); err != nil {
		av.Close()
		s.Close()
		return nil, fmt.Errorf("open the auth cache's connection: %w", err)
	}
	ck, err := sql.Open("sqlite", base+"?"+pragmas)
	if err != nil {
		s.Close()
		return nil, err
	}
	ck.SetMaxOpenConns(1)
	s.ckpt = startCheckpointer(ck)
	s.wq.start(s.runWriter)
	return s, nil
}

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

// Reading helpers count every statement and reuse prepared statements:
// compiling SQL is a sizeable share of a short query's cost.
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

// Tx is a write transaction; its helpers count statements like the store's.
type Tx struct {
	tx *sql.Tx
	s  *Store
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

// Now is the store's clock in Unix seconds.
func (t *Tx) Now() int64 { return t.s.unix() }

// Write runs fn in an IMMEDIATE transaction: all of it lands or none of
// it. fn may share the transaction with other writes queued at the same
// time, each in a savepoint of its own (writer.go), and it runs on the
// writer's goroutine: it must not wait for another request.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	s.queries.Add(1)
	return s.onWriter(ctx, &writeJob{write: fn})
}

// Backup writes a consistent copy of the live database to dst (VACUUM INTO
// reads one snapshot, so writers may keep going).
// The copy is created empty and 0600 first (VACUUM INTO accepts an empty
// file), so it is never readable by others, not even while it is written.
func (s *Store) Backup(ctx context.Context, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; choose a new file", dst)
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := s.r.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		os.Remove(dst)
		return err
	}
	return os.Chmod(dst, privateMode)
}

// privateMode is the mode of the database, its WAL and SHM files and backups.
const privateMode = 0o600

// ensurePrivate makes path owner-only: chmod when it exists, and when
// create is set, creates it empty with that mode when it does not.
func ensurePrivate(path string, create bool) error {
	st, err := os.Stat(path)
	switch {
	case err == nil:
		if st.Mode().Perm() != privateMode {
			if err := os.Chmod(path, privateMode); err != nil {
				return fmt.Errorf("make %s readable by its owner only: %w", path, err)
			}
		}
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return err
	case !create:
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, os.ErrExist) {
		return ensurePrivate(path, false) // created meanwhile
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return f.Close()
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok").
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.w.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

func isUniqueErr(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
