package store

import (
	"context"
	"database/sql"
)

// Prepare compiles a statement inside the transaction, for bulk loads that
// run one statement many times (the benchmark seeder): compiling once saves
// most of the cost of each row. The statement closes with the transaction.
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	t.s.queries.Add(1)
	return t.tx.PrepareContext(ctx, q)
}
