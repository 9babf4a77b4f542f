package store

import (
	"context"
	"fmt"

	"gatehouse"
)

// migrations run in order after the base schema; entry i moves the database
// from version i+1 to i+2. Never edit an entry once released: append one.
var migrations = []string{
	// 2: directory_version, bumped whenever anyone's list of organizations
	// (the switcher: names, slugs, roles, suspensions) could read
	// differently, so that list can be cached per user and version.
	`CREATE TABLE directory_version (
		id      INTEGER PRIMARY KEY CHECK (id = 1),
		version INTEGER NOT NULL
	);
	INSERT INTO directory_version (id, version) VALUES (1, 1);
	CREATE TRIGGER directory_membership_ins AFTER INSERT ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_membership_del AFTER DELETE ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_membership_upd AFTER UPDATE OF role, status, org_id, user_id ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_org_upd AFTER UPDATE OF name, slug ON organizations BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_org_del AFTER DELETE ON organizations BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;`,
}

// migrate applies schema.sql to an empty database, then every pending
// migration, each in its own transaction with PRAGMA user_version bumped inside it.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	steps := append([]string{gatehouse.Schema}, migrations...)
	if version > len(steps) {
		return fmt.Errorf("database schema version %d is newer than this binary (%d)", version, len(steps))
	}
	for v := version; v < len(steps); v++ {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}

// SchemaVersion reports PRAGMA user_version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.queryRow(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
