package store

import (
	"database/sql"
	"errors"
)

// scanner is what *sql.Row and *sql.Rows share; an alias, so the scanX
// functions declared with the literal interface fit one and collect.
type scanner = interface{ Scan(...any) error }

// one scans the single row of a lookup; no row is ErrNotFound (with the
// zero value), the answer every lookup by key gives.
func one[T any](row *sql.Row, scan func(scanner, *T) error) (T, error) {
	var v T
	err := scan(row, &v)
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, ErrNotFound
	}
	return v, err
}

// scanText scans a row of one text column (a list of names, addresses).
func scanText(sc scanner, s *string) error { return sc.Scan(s) }

// collect reads every row of a list query with scan; it takes the query's
// two results as they come, so a list read is one return statement.
func collect[T any](rows *sql.Rows, err error, scan func(scanner, *T) error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
