package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

// The schema is the migrations in migrations/, applied in order
// (ARCHITECTURE.md, Storage, "Migrations"). NNNN_name.sql moves the database to
// PRAGMA user_version NNNN; 0001 is the base, applied to an empty
// database. Every database, new or old, is built by the same files, so
// schema.sql at the repository root only shows the result (a test keeps
// the two equal). A released file is never edited: add the next number.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationFS is what Open reads the migrations from (tests swap it).
var migrationFS fs.FS = mustSub(migrationFiles, "migrations")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// migration is one file, its directives expanded.
type migration struct {
	version int // the user_version it moves the database to
	file    string
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

// loadMigrations reads every file of fsys and refuses a name that is not
// NNNN_name.sql, a gap and a duplicate in the numbering: a database at
// version n must mean the same schema for every binary.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".") // sorted by name, so by number
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			return nil, fmt.Errorf("migrations: %s is not named NNNN_name.sql (NNNN: the version it moves the database to)", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		switch next := len(ms) + 1; {
		case v == 0:
			return nil, fmt.Errorf("migrations: %s: versions start at 0001 (the base)", e.Name())
		case v < next:
			return nil, fmt.Errorf("migrations: %s and %s both move the database to version %d", ms[v-1].file, e.Name(), v)
		case v > next:
			return nil, fmt.Errorf("migrations: no file moves the database to version %d (the next is %s)", next, e.Name())
		}
		text, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		q, err := expandDirectives(string(text))
		if err != nil {
			return nil, fmt.Errorf("migrations: %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, file: e.Name(), sql: q})
	}
	if len(ms) == 0 {
		return nil, errors.New("migrations: none found")
	}
	return ms, nil
}

// expandDirectives replaces each "-- gatehouse:bump-triggers NAME…" line
// with the CREATE TRIGGER statements bumps.go declares for those names.
// An unknown directive or name is an error, not a comment.
func expandDirectives(text string) (string, error) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), "-- gatehouse:")
		if !ok {
			continue
		}
		names, ok := strings.CutPrefix(rest, "bump-triggers ")
		if !ok || len(strings.Fields(names)) == 0 {
			return "", fmt.Errorf("line %d: unknown directive %q (known: -- gatehouse:bump-triggers NAME…)", i+1, strings.TrimSpace(l))
		}
		var stmts []string
		for _, name := range strings.Fields(names) {
			q, ok := bumpTrigger(name)
			if !ok {
				return "", fmt.Errorf("line %d: bumps.go declares no trigger %s", i+1, name)
			}
			stmts = append(stmts, q+";")
		}
		lines[i] = strings.Join(stmts, "\n")
	}
	return strings.Join(lines, "\n"), nil
}

// migrate brings the database to the newest version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return err
	}
	return migrateTo(ctx, s.d, s.w, ms, len(ms))
}

// migrateTo applies the migrations after db's version up to target, each
// in its own transaction with the schema version bumped inside it, so a
// failed file leaves the database at the version before it.
func migrateTo(ctx context.Context, d dialect, db *sql.DB, ms []migration, target int) error {
	var version int
	if err := db.QueryRowContext(ctx, d.versionSQL()).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this binary (%d)", version, len(ms))
	}
	if version >= target {
		return nil
	}
	for _, m := range ms[version:target] {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d (%s): %w", m.version, m.file, err)
		}
		if _, err := tx.ExecContext(ctx, d.setVersionSQL(m.version)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d (%s): %w", m.version, m.file, err)
		}
	}
	return nil
}

// SchemaVersion reports the database's schema version (the number of the
// last migration applied).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.queryRow(ctx, s.d.versionSQL()).Scan(&v)
	return v, err
}
