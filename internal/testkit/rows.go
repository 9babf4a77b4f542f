package testkit

import (
	"context"
	"strings"
	"testing"

	"gatehouse/internal/store"
)

// Rows runs each query (one text column per row) on the writer and returns
// every row as a line: equal before and after a refused change, it proves
// that nothing changed.
func Rows(t testing.TB, db *store.Store, queries ...string) string {
	t.Helper()
	var b strings.Builder
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, q := range queries {
			rows, err := tx.Query(ctx, q)
			if err != nil {
				return err
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return err
				}
				b.WriteString(s + "\n")
			}
			if err := rows.Close(); err != nil {
				return err
			}
			b.WriteString("--\n")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("testkit.Rows: %v", err)
	}
	return b.String()
}
