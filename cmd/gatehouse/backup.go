package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"gatehouse/internal/store"
)

// cmdBackup writes a consistent copy of the database, safe while serve runs.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	dbPath := fs.String("db", defaultDB, "SQLite database file")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := required(fs, "out"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *out)
	return nil
}

// openExisting opens a database that must already exist (tools never create one by typo).
func openExisting(ctx context.Context, path string) (*store.Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return store.Open(ctx, path)
}
