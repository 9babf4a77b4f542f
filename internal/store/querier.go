package store

import (
	"context"
	"database/sql"
)

// One querier (ARCHITECTURE.md, Storage, "One querier"): every read is
// written once, as a method of reads, against a querier. Store and Tx
// embed reads, so the same read runs as s.X on the readers' pool and as
// tx.X inside the write transaction; a read that needs one state of the
// database across statements asks its querier for a snapshot. Writes are
// methods of Tx, or the one TxFunc a Store method hands to Write.

// querier is where a read's statements run. Each statement is counted
// (QueryCount) and runs prepared where its connection keeps statements.
type querier interface {
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	// snapshot runs fn with reads that all see one state of the database.
	snapshot(ctx context.Context, fn func(reads) error) error
	// unix is the store's clock in Unix seconds.
	unix() int64
}

// reads holds the store's reads (Store and Tx embed it).
type reads struct{ q querier }

// Now is the store's clock in Unix seconds (tests move it with SetClock).
func (r reads) Now() int64 { return r.q.unix() }

// snapshot runs fn in one read-only transaction on the readers' pool.
func (s *Store) snapshot(ctx context.Context, fn func(reads) error) error {
	s.queries.Add(1)
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() // read-only: nothing to keep
	return fn(reads{snapshotTx{tx: tx, s: s}})
}

// snapshotTx is the querier of a read-only transaction on the readers'
// pool (exports and imports). Its statements run once each, unprepared,
// and keep their context: these are the long reads.
type snapshotTx struct {
	tx *sql.Tx
	s  *Store
}

func (c snapshotTx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	c.s.queries.Add(1)
	return c.tx.QueryRowContext(ctx, q, args...)
}

func (c snapshotTx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.s.queries.Add(1)
	return c.tx.QueryContext(ctx, q, args...)
}

func (c snapshotTx) snapshot(_ context.Context, fn func(reads) error) error { return fn(reads{c}) }

func (c snapshotTx) unix() int64 { return c.s.unix() }
