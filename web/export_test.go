package web

import (
	"slices"
	"testing"

	"gatehouse/internal/access"
)

// DeclarePages makes servers built for the rest of the test register these
// pages instead of the catalog's (the web tests do not run in parallel).
func DeclarePages(t *testing.T, ps []access.Page) {
	t.Helper()
	old := declaredPages
	declaredPages = func() []access.Page { return slices.Clone(ps) }
	t.Cleanup(func() { declaredPages = old })
}
