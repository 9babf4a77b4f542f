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

// querier is where a read's statements run: the write transaction (tx), a
// read-only snapshot on the readers' pool (snap), or else the readers'
// pool. Each statement is counted (QueryCount) and, on the pool and in
// the write transaction, runs prepared. It is a struct rather than an
// interface because through an interface's method every statement's
// arguments escape to the heap.
type querier struct {
	s    *Store
	tx   *Tx
	snap *sql.Tx
}

func (q querier) queryRow(ctx context.Context, text string, args ...any) *sql.Row {
	switch {
	case q.tx != nil:
		return q.tx.QueryRow(ctx, text, args...)
	case q.snap != nil:
		q.s.queries.Add(1)
		return q.snap.QueryRowContext(ctx, text, args...)
	}
	return q.s.queryRow(ctx, text, args...)
}

func (q querier) query(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	switch {
	case q.tx != nil:
		return q.tx.Query(ctx, text, args...)
	case q.snap != nil:
		q.s.queries.Add(1)
		return q.snap.QueryContext(ctx, text, args...)
	}
	return q.s.query(ctx, text, args...)
}

// snapshot runs fn with reads that all see one state of the database: the
// write transaction or the snapshot itself, or else a read-only
// transaction on the readers' pool. A snapshot's statements run once each,
// unprepared, and keep their context: these are the long reads of export
// and import.
func (q querier) snapshot(ctx context.Context, fn func(reads) error) error {
	if q.tx != nil || q.snap != nil {
		return fn(reads{q})
	}
	q.s.queries.Add(1)
	tx, err := q.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() // read-only: nothing to keep
	return fn(reads{querier{s: q.s, snap: tx}})
}

// padList is vals as arguments, the last repeated up to a power of two (at
// least 8): a query over a list then has few distinct texts, so few
// prepared statements.
func padList[T any](vals []T) []any {
	n := 8
	for n < len(vals) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = vals[min(i, len(vals)-1)]
	}
	return args
}

// reads holds the store's reads (Store and Tx embed it).
type reads struct{ q querier }

// Now is the store's clock in Unix seconds (tests move it with SetClock).
func (r reads) Now() int64 { return r.q.s.unix() }
