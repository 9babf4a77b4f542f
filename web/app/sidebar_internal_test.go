package app

import (
	"context"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/nav"
	"gatehouse/views/layout"
)

// The cached sidebar is exactly what building and rendering it afresh
// gives, for every role and product set and for pages that share or do
// not share their highlighted entries (a hit for /customers/17 after
// /customers/18 must still be right).
func TestSidebarCacheMatchesFreshRender(t *testing.T) {
	sc := newSidebarCache()
	paths := []string{"/o/acme", "/o/acme/customers/mine", "/o/acme/customers/all", "/o/acme/customers/17",
		"/o/acme/customers/18", "/o/acme/settings/members", "/o/acme/settings/members/5/permissions", "/o/acme/me/permissions"}
	for _, prod := range []access.ProductSet{0, access.AllProducts()} {
		for _, role := range access.Roles() {
			eff := access.Resolve(access.Input{Role: role, Products: prod})
			for round := range 2 {
				for _, path := range paths {
					got, err := sc.get(context.Background(), "acme", eff.Set, prod, false, path)
					if err != nil {
						t.Fatal(err)
					}
					var want strings.Builder
					if err := layout.Sidebar(nav.Build("acme", eff.Set, prod, false, path)).Render(context.Background(), &want); err != nil {
						t.Fatal(err)
					}
					if got.html != want.String() {
						t.Fatalf("round %d, %s %v %s: cached sidebar differs from a fresh one", round, role, prod.Keys(), path)
					}
				}
			}
		}
	}
	if sc.entries.Bytes() > maxSidebarBytes || sc.entries.Len() > maxSidebars {
		t.Errorf("cache holds %d entries, %d bytes", sc.entries.Len(), sc.entries.Bytes())
	}
}
