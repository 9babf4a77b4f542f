package store

import (
	"context"
	"database/sql"
)

// dialect is everything the store asks of its database engine beyond the
// SQL its queries are written in (ARCHITECTURE.md, Storage, "Dialect").
// sqliteDialect (dialect_sqlite.go) is the only one; a second engine
// implements this interface and brings its own migrations.
type dialect interface {
	// connect opens the handles the store runs on (see conns), creating
	// the database when it does not exist yet.
	connect(ctx context.Context, path string) (conns, error)
	// versionSQL reads the schema version, one integer (0: an empty
	// database); setVersionSQL records v inside a migration's transaction.
	versionSQL() string
	setVersionSQL(v int) string
	// integritySQL checks the whole database: one text row, "ok" when sound.
	integritySQL() string
	// dataVersionSQL answers one integer that differs whenever another
	// connection has committed since this one last asked; the auth cache
	// asks it on conns.watch before reusing an answer.
	dataVersionSQL() string
	// checkpointSQL runs on conns.maint shortly after writes (checkpoint.go).
	checkpointSQL() string
	// backup writes a consistent copy of the live database, read through
	// the readers' pool r, to dst, a file that must not exist yet and is
	// never readable by others.
	backup(ctx context.Context, r *sql.DB, dst string) error
	// uniqueViolation reports whether err is a unique constraint failing,
	// with what the engine names as the clash (a column or an index: a
	// caller only looks for a column's name in it).
	uniqueViolation(err error) (clash string, ok bool)
}

// conns are the handles a store runs on.
type conns struct {
	w     *sql.DB // the writer: one connection, used by the writer's goroutine only
	r     *sql.DB // the readers' pool
	watch *sql.DB // the auth cache's own connection (dataVersionSQL)
	maint *sql.DB // the checkpointer's connection
}

// close closes every handle that is open.
func (c conns) close() {
	for _, db := range []*sql.DB{c.w, c.r, c.watch, c.maint} {
		if db != nil {
			db.Close()
		}
	}
}

// isUnique reports whether err is a unique constraint failing.
func (s *Store) isUnique(err error) bool {
	_, ok := s.d.uniqueViolation(err)
	return ok
}
