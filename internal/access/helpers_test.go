package access

import "testing"

// set builds a Set from "customers_view" permissions and "+customers.canAccessAll"
// flags, failing the test on any unknown name.
func set(t testing.TB, items ...string) Set {
	t.Helper()
	s, err := ParsePermissions(items...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func prods(t testing.TB, keys ...string) ProductSet {
	t.Helper()
	p, err := ParseProducts(keys)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
