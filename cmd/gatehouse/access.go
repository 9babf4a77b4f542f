package main

import (
	"context"
	"io"

	"gatehouse/internal/orgio"
)

// cmdAccess prints a member's effective permissions as JSON (ARCHITECTURE.md, Contracts).
func cmdAccess(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("access", stderr)
	org := fs.String("org", "", "organization slug")
	user := fs.String("user", "", "the member's email")
	dbPath := fs.String("db", defaultDB, "SQLite database file")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := required(fs, "org", "user"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := orgio.Access(ctx, db, *org, *user)
	if err != nil {
		return err
	}
	return orgio.WriteJSON(stdout, rep)
}
