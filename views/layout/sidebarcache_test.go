package layout

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"gatehouse/internal/htmlcache"
	"gatehouse/internal/nav"
)

// The cached sidebar is exactly what the template renders, for every list
// it is given, including lists that differ only in the active item or a
// link, and it still is after the cache has been emptied for being full.
func TestCachedSidebarMatchesTemplate(t *testing.T) {
	base := func(active string) []nav.Item {
		return []nav.Item{
			{Key: "dashboard", Label: "Dashboard", Icon: "home", Href: "/o/acme", Active: active == "dashboard"},
			{Key: "customers", Label: "Customers", Icon: "users", Href: "/o/acme/customers/mine", Active: active == "mine" || active == "all",
				Children: []nav.Item{
					{Key: "customers.mine", Label: "Those I serve", Href: "/o/acme/customers/mine", Active: active == "mine"},
					{Key: "customers.all", Label: "All", Href: "/o/acme/customers/all", Active: active == "all"},
				}},
		}
	}
	other := base("")
	other[0].Href = "/o/globex"
	lists := [][]nav.Item{base(""), base("dashboard"), base("mine"), base("all"), other, nil}

	sc := htmlcache.New[string](3)
	seen := map[string]bool{}
	for round := range 3 {
		for i, items := range lists {
			var want strings.Builder
			if err := Sidebar(items).Render(context.Background(), &want); err != nil {
				t.Fatal(err)
			}
			var key strings.Builder
			writeSidebarKey(&key, items)
			got, err := sc.Markup(context.Background(), key.String(), func() templ.Component { return Sidebar(items) })
			if err != nil {
				t.Fatal(err)
			}
			if got != want.String() {
				t.Fatalf("round %d, list %d: cached sidebar differs from the template:\n got %s\nwant %s", round, i, got, want.String())
			}
			if round == 0 {
				if seen[got] {
					t.Errorf("list %d renders like an earlier, different list", i)
				}
				seen[got] = true
			}
		}
		if sc.Len() > 3 {
			t.Fatalf("cache holds %d entries, cap 3", sc.Len())
		}
	}
}

// Keys are unambiguous: moving text between fields gives another key.
func TestSidebarKeyUnambiguous(t *testing.T) {
	key := func(items []nav.Item) string {
		var b strings.Builder
		writeSidebarKey(&b, items)
		return b.String()
	}
	a := key([]nav.Item{{Key: "ab", Label: "c"}})
	b := key([]nav.Item{{Key: "a", Label: "bc"}})
	c := key([]nav.Item{{Key: "a", Children: []nav.Item{{Key: "b"}}}, {Key: "c"}})
	d := key([]nav.Item{{Key: "a", Children: []nav.Item{{Key: "b"}, {Key: "c"}}}})
	if a == b || c == d {
		t.Errorf("ambiguous keys: %q %q / %q %q", a, b, c, d)
	}
}
