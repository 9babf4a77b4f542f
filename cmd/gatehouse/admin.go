package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gatehouse/internal/store"
	"gatehouse/web"
)

// cmdAdmin grants instance admin to an existing account: the operator's
// way to name an admin without the setup link (or a second one).
func cmdAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("admin", stderr)
	email := fs.String("email", "", "address of the account to make instance admin")
	dbPath := fs.String("db", defaultDB, "SQLite database file")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := required(fs, "email"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.GrantInstanceAdmin(ctx, *email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no account has the address %q: sign up first, then run this again", store.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s (%s) is an instance admin.\n", u.Email, u.Name)
	return nil
}

// printSetupLink prints the one-time link that creates the first instance
// admin, when the database has none (serve calls it on start).
func printSetupLink(ctx context.Context, db *store.Store, baseURL string, stdout io.Writer) error {
	link, err := web.NewSetupLink(ctx, db, baseURL)
	if err != nil || link == "" {
		return err
	}
	fmt.Fprintf(stdout, "No instance admin yet. Open this one-time link to create the administrator account:\n  %s\n"+
		"(or grant it to an account later: gatehouse admin --email ADDRESS)\n", link)
	return nil
}
