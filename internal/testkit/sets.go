package testkit

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// Set builds a permission set from names: "customers_view" permissions
// and "+customers.canAccessAll" flags. An unknown name fails the test.
func Set(t testing.TB, names ...string) access.Set {
	t.Helper()
	var s access.Set
	for _, n := range names {
		if k, ok := strings.CutPrefix(n, "+"); ok {
			f, found := access.FlagByFullKey(k)
			if !found {
				t.Fatalf("unknown flag %q", k)
			}
			s.SetFlag(f.ID, true)
			continue
		}
		m, a, err := access.ParsePermission(n)
		if err != nil {
			t.Fatal(err)
		}
		s.Grant(m, a)
	}
	return s
}
