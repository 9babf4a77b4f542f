package access

import (
	"strings"
	"testing"
)

// set builds a Set from "customers_view" permissions and "+customers.canAccessAll"
// flags, failing the test on any unknown name.
func set(t testing.TB, items ...string) Set {
	t.Helper()
	var s Set
	for _, it := range items {
		if k, ok := strings.CutPrefix(it, "+"); ok {
			f, found := FlagByFullKey(k)
			if !found {
				t.Fatalf("unknown flag %q", k)
			}
			s.SetFlag(f.ID, true)
			continue
		}
		m, a, err := ParsePermission(it)
		if err != nil {
			t.Fatal(err)
		}
		s.Grant(m, a)
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
