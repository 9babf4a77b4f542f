package main

import (
	"context"
	"io"

	"gatehouse/internal/orgio"
)

// cmdExport prints an organization's access configuration (ARCHITECTURE.md, Contracts).
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	org := fs.String("org", "", "organization slug")
	dbPath := fs.String("db", defaultDB, "SQLite database file")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := required(fs, "org"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg, err := orgio.Export(ctx, db, *org)
	if err != nil {
		return err
	}
	return cfg.Encode(stdout)
}
