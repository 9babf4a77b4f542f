package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
)

// cmdImport creates or updates an organization from an access configuration
// file, in one transaction; --dry-run prints the changes and writes nothing.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	file := fs.String("file", "", "access configuration JSON to import (as written by export)")
	dryRun := fs.Bool("dry-run", false, "print the changes without writing anything")
	dbPath := fs.String("db", defaultDB, "SQLite database file (created if missing, except with --dry-run)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := required(fs, "file"); err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("read --file: %w", err)
	}
	var db *store.Store
	_, statErr := os.Stat(*dbPath)
	if statErr != nil && !*dryRun {
		// A new database: check the file against an empty one first, so that
		// a bad file leaves no database behind.
		if _, err := orgio.Import(ctx, nil, data, orgio.Options{DryRun: true}); err != nil {
			return importFailed(*file, err, stderr)
		}
	}
	if statErr == nil || !*dryRun { // a dry run never creates the database
		if db, err = store.Open(ctx, *dbPath); err != nil {
			return err
		}
		defer db.Close()
	}
	res, err := orgio.Import(ctx, db, data, orgio.Options{DryRun: *dryRun})
	if err != nil {
		return importFailed(*file, err, stderr)
	}
	// A bulk load leaves the members search's indexes in many segments.
	if !res.DryRun && len(res.Changes) > 0 {
		if err := db.OptimizeSearch(ctx); err != nil {
			return fmt.Errorf("import %s: merge the search indexes: %w", *file, err)
		}
	}
	for _, c := range res.Changes {
		fmt.Fprintln(stdout, c)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	n := len(res.Changes)
	switch {
	case res.DryRun:
		fmt.Fprintf(stdout, "dry run: %s for %s; nothing was written\n", changes(n), res.Slug)
	case n == 0:
		fmt.Fprintf(stdout, "%s already matches %s: no changes\n", res.Slug, *file)
	default:
		fmt.Fprintf(stdout, "imported %s: %s\n", res.Slug, changes(n))
	}
	return nil
}

// importFailed prints every problem of an invalid file on stderr, one a line.
func importFailed(file string, err error, stderr io.Writer) error {
	if problems := orgio.Problems(err); problems != nil {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		return fmt.Errorf("import %s: %w", file, err)
	}
	return err
}

// changes counts the import's changes: "1 change", "3 changes".
func changes(n int) string {
	if n == 1 {
		return "1 change"
	}
	return fmt.Sprint(n) + " changes"
}
