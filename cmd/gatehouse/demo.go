package main

import (
	"context"
	"io"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
)

// seedDemo adds the demo organizations on an empty database (serve --demo).
func seedDemo(ctx context.Context, db *store.Store, baseURL string, stdout io.Writer) error {
	return demo.Seed(ctx, db, baseURL, stdout)
}
