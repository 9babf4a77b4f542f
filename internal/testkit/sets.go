package testkit

import (
	"testing"

	"gatehouse/internal/access"
)

// Set builds a permission set from names: "customers_view" permissions
// and "+customers.canAccessAll" flags. An unknown name fails the test.
func Set(t testing.TB, names ...string) access.Set {
	t.Helper()
	s, err := access.ParsePermissions(names...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
