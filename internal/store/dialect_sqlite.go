package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// sqliteDialect is SQLite through modernc.org/sqlite: one file, WAL.
type sqliteDialect struct{}

func (sqliteDialect) connect(ctx context.Context, path string) (conns, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return conns{}, fmt.Errorf("create database directory: %w", err)
		}
	}
	// The database holds password hashes and session and reset token
	// hashes: only its owner may read it. Creating the file here, 0600,
	// means SQLite never creates it under the umask (SQLite gives the WAL
	// and SHM files the database file's mode); an existing file is
	// tightened.
	if err := ensurePrivate(path, true); err != nil {
		return conns{}, err
	}
	// synchronous=NORMAL in WAL mode survives process crashes (SIGKILL): a
	// committed transaction is in the WAL before COMMIT returns.
	// busy_timeout goes first: the pragmas after it may need a lock, and
	// must wait for one like any statement rather than fail at once.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	var c conns
	var err error
	// The writer begins IMMEDIATE: it takes the write lock at BEGIN, so a
	// transaction never fails half-way for a lock another process holds.
	if c.w, err = sql.Open("sqlite", base+"?"+pragmas+"&_txlock=immediate"+fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)", writerAutoCheckpoint)); err != nil {
		return conns{}, err
	}
	c.w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	c.w.SetMaxIdleConns(1)
	c.w.SetConnMaxLifetime(0)
	if err := c.w.PingContext(ctx); err != nil {
		c.close()
		return conns{}, fmt.Errorf("open database %s: %w", path, err)
	}
	// The ping opened the WAL and SHM files; tighten them too, in case an
	// older binary or another tool created them.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := ensurePrivate(path+suffix, false); err != nil {
			c.close()
			return conns{}, err
		}
	}
	for _, h := range []struct {
		db     **sql.DB
		params string
	}{{&c.r, "&mode=ro" + readerCacheSize}, {&c.watch, "&mode=ro"}, {&c.maint, ""}} {
		if *h.db, err = sql.Open("sqlite", base+"?"+pragmas+h.params); err != nil {
			c.close()
			return conns{}, err
		}
	}
	return c, nil
}

// readerCacheSize gives each reader connection a page cache of 512 KiB
// instead of SQLite's 2 MiB (ARCHITECTURE.md, The garbage collector): the
// caches live outside Go's memory limit, the file's pages stay in the
// operating system's cache. Peak RSS is set by the group save at 64
// connections; load A/B of that row alone: 71.9–74.9 → 63.6 MiB with this,
// 59.2–62.1 MiB with the 36 MiB Go limit too, server CPU per answer unchanged.
const readerCacheSize = "&_pragma=cache_size(-512)"

func (sqliteDialect) versionSQL() string { return "PRAGMA user_version" }

func (sqliteDialect) setVersionSQL(v int) string { return fmt.Sprintf("PRAGMA user_version = %d", v) }

func (sqliteDialect) integritySQL() string { return "PRAGMA integrity_check" }

// PRAGMA data_version, asked again on the same connection, differs
// whenever any other connection (of this process or another) committed.
func (sqliteDialect) dataVersionSQL() string { return "PRAGMA data_version" }

// PASSIVE never blocks the writer or the readers (checkpoint.go).
func (sqliteDialect) checkpointSQL() string { return "PRAGMA wal_checkpoint(PASSIVE)" }

// backup runs VACUUM INTO, which reads one snapshot, so writers may keep
// going. The copy is created empty and 0600 first (VACUUM INTO accepts an
// empty file), so it is never readable by others, not even while it is
// written.
func (sqliteDialect) backup(ctx context.Context, r *sql.DB, dst string) error {
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
	if _, err := r.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		os.Remove(dst)
		return err
	}
	return os.Chmod(dst, privateMode)
}

// SQLite words a failed unique index (or primary key) as "UNIQUE
// constraint failed: table.column[, table.column]".
func (sqliteDialect) uniqueViolation(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	_, clash, ok := strings.Cut(err.Error(), "UNIQUE constraint failed")
	return clash, ok
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
