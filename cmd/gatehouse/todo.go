package main

import (
	"context"
	"errors"
	"io"
	"os"

	"gatehouse/internal/store"
)

var osStat = os.Stat

func cmdAccess(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("access: not built yet")
}
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("export: not built yet")
}
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("import: not built yet")
}
func seedDemo(ctx context.Context, db *store.Store, baseURL string, stdout io.Writer) error {
	return errors.New("demo: not built yet")
}
