package benchseed

import (
	"context"
	"database/sql"
	"strings"

	"gatehouse/internal/store"
)

// batchRows is how many rows one INSERT carries. Each statement is a
// savepoint, and the members search index (FTS5) flushes at every one:
// hundreds of rows per statement instead of one make seeding many times faster.
const batchRows = 250

// batch inserts rows into one table with multi-row INSERTs: a prepared
// statement for full batches, a one-off one for the remainder.
type batch struct {
	tx    *store.Tx
	table string
	cols  []string
	full  *sql.Stmt
	args  []any
	rows  int
	total int
}

func newBatch(ctx context.Context, tx *store.Tx, table string, cols ...string) (*batch, error) {
	b := &batch{tx: tx, table: table, cols: cols}
	var err error
	b.full, err = tx.Prepare(ctx, b.sql(batchRows))
	return b, err
}

func (b *batch) sql(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(b.cols)), ",") + ")"
	return "INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// add queues one row (values in column order) and writes a full batch.
func (b *batch) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	b.total++
	if b.rows == batchRows {
		if _, err := b.full.ExecContext(ctx, b.args...); err != nil {
			return err
		}
		b.args, b.rows = b.args[:0], 0
	}
	return nil
}

// close writes the remainder and releases the statement.
func (b *batch) close(ctx context.Context) error {
	defer b.full.Close()
	if b.rows == 0 {
		return nil
	}
	_, err := b.tx.Exec(ctx, b.sql(b.rows), b.args...)
	b.args, b.rows = b.args[:0], 0
	return err
}

// hasColumn reports whether table has the column (the schema is still
// growing; the seeder fills optional copies when they exist).
func hasColumn(ctx context.Context, tx *store.Tx, table, col string) (bool, error) {
	rows, err := tx.Query(ctx, `SELECT name FROM pragma_table_xinfo(?)`, table)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return false, err
		}
		if name == col {
			return true, nil
		}
	}
	return false, rows.Err()
}

// nextID is the first free rowid of a table: the seeder assigns ids itself
// so multi-row inserts still know every row's id.
func nextID(ctx context.Context, tx *store.Tx, table string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&id)
	return id, err
}
