package layout

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
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

// Keys are unambiguous: moving text between fields, or an organization
// between the current one and the list, gives another key.
func TestChromeKeysUnambiguous(t *testing.T) {
	key := func(orgs ...OrgRef) string {
		var k keyWriter
		for _, o := range orgs {
			k.org(o)
		}
		return k.String()
	}
	a := key(OrgRef{Name: "ab", Slug: "c"})
	b := key(OrgRef{Name: "a", Slug: "bc"})
	c := key(OrgRef{Name: "a"}, OrgRef{Name: "b"})
	d := key(OrgRef{Name: "ab"})
	if a == b || c == d {
		t.Errorf("ambiguous keys: %q %q / %q %q", a, b, c, d)
	}
}
