package layout

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"gatehouse/internal/nav"
)

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Each cached piece of chrome is exactly what its template renders, for
// inputs that differ in one field at a time, read twice (miss, then hit);
// and different inputs never come out the same.
func TestCachedChromeMatchesTemplates(t *testing.T) {
	items := func(active string) []nav.Item {
		return []nav.Item{
			{Key: "dashboard", Label: "Dashboard", Icon: "home", Href: "/o/acme", Active: active == "dashboard"},
			{Key: "customers", Label: "Customers", Icon: "users", Href: "/o/acme/customers/mine", Active: active == "mine" || active == "all",
				Children: []nav.Item{
					{Key: "customers.mine", Label: "Those I serve", Href: "/o/acme/customers/mine", Active: active == "mine"},
					{Key: "customers.all", Label: "All", Href: "/o/acme/customers/all", Active: active == "all"},
				}},
		}
	}
	other := items("")
	other[0].Href = "/o/globex"
	for i, list := range [][]nav.Item{items(""), items("dashboard"), items("mine"), items("all"), other, nil} {
		want := renderString(t, Sidebar(list))
		for range 2 {
			if got := renderString(t, cachedSidebar(list)); got != want {
				t.Fatalf("sidebar %d: cached markup differs:\n got %s\nwant %s", i, got, want)
			}
		}
	}

	acme := OrgRef{Name: "Acme Ltd", Slug: "acme", Role: "owner"}
	globex := OrgRef{Name: "Globex", Slug: "globex", Role: "agent"}
	user := func(name, email, photo string, admin bool) *User {
		return &User{Name: name, Email: email, PhotoURL: photo, IsInstanceAdmin: admin}
	}
	pages := []Page{
		{User: user("Ada", "ada@example.com", "", false), Org: &acme, Orgs: []OrgRef{acme}},
		{User: user("Ada", "ada@example.com", "", false), Org: &acme, Orgs: []OrgRef{acme, globex}},
		{User: user("Ada", "ada@example.com", "", false), Org: &globex, Orgs: []OrgRef{acme, globex}},
		{User: user("Ada", "ada@example.com", "", false), Orgs: []OrgRef{acme, globex}},
		{User: user("Ada", "ada@example.com", "", false), Org: &acme, Orgs: []OrgRef{acme, {Name: "Globex", Slug: "globex", Role: "agent", Suspended: true}}},
		{User: user("Ada", "ada@example.com", "", false), Org: &acme, Orgs: []OrgRef{{Name: "Acme Ltd.", Slug: "acme", Role: "owner"}}},
		{User: user("Ada L", "ada@example.com", "", false), Org: &acme, Orgs: []OrgRef{acme}},
		{User: user("Ada", "ada@example.org", "", false), Org: &acme, Orgs: []OrgRef{acme}},
		{User: user("Ada", "ada@example.com", "/me/photo/1?v=2", false), Org: &acme, Orgs: []OrgRef{acme}},
		{User: user("Ada", "ada@example.com", "", true), Org: &acme, Orgs: []OrgRef{acme}},
		{User: user("", "ada@example.com", "", true)},
	}
	seen := map[string]int{}
	for i, p := range pages {
		want := renderString(t, orgSwitcher(p)) + renderString(t, profileSummary(p)) + renderString(t, profileLinks(p))
		for range 2 {
			got := renderString(t, cachedSwitcher(p)) + renderString(t, cachedProfileSummary(p)) + renderString(t, cachedProfileLinks(p))
			if got != want {
				t.Fatalf("page %d: cached chrome differs:\n got %s\nwant %s", i, got, want)
			}
		}
		if j, dup := seen[want]; dup {
			t.Errorf("pages %d and %d render the same chrome; the inputs were meant to differ", j, i)
		}
		seen[want] = i
	}
}

// Keys are unambiguous: moving text between fields gives another key.
func TestChromeKeysUnambiguous(t *testing.T) {
	key := func(items []nav.Item) string {
		var k keyWriter
		k.items(items)
		return k.String()
	}
	a := key([]nav.Item{{Key: "ab", Label: "c"}})
	b := key([]nav.Item{{Key: "a", Label: "bc"}})
	c := key([]nav.Item{{Key: "a", Children: []nav.Item{{Key: "b"}}}, {Key: "c"}})
	d := key([]nav.Item{{Key: "a", Children: []nav.Item{{Key: "b"}, {Key: "c"}}}})
	if a == b || c == d {
		t.Errorf("ambiguous keys: %q %q / %q %q", a, b, c, d)
	}
}
