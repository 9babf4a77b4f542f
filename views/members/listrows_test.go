package members

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// The rows the page writes are exactly what the memberRow template renders,
// for every kind of row.
func TestMemberRowsMatchTemplate(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := ListProps{Slug: "acme & co", Now: now, Rows: []Row{
		{ID: 1, Name: "Ada Lovelace", Email: "ada@example.com", Role: "owner", Status: "active", LastActive: now.Add(-time.Hour)},
		{ID: 2, Email: "noname@example.com", Role: "agent_limited", Status: "suspended"},
		{ID: 3, Name: `<b>"Bob" & 'Co'</b>`, Email: "b&o@example.com", PhotoURL: "/me/photo/3?v=2&x=<y>", Role: "admin", Status: "active",
			Groups: []string{"A & B", "<C>"}, LastActive: now.Add(-90 * 24 * time.Hour)},
		{ID: 4, Name: "Chloé Dubois", Email: "chloe@example.com", Role: "weird_role", Status: "other",
			Groups: []string{"One", "Two", "Three", "Four", "Five"}, LastActive: now.Add(-30 * time.Second)},
	}}
	rows := func() string { // the page's writer; the first call fills the badge and avatar caches
		var b strings.Builder
		if err := memberRows(p).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	cold := rows()
	var want strings.Builder
	for _, r := range p.Rows {
		if err := memberRow(p, r).Render(context.Background(), &want); err != nil {
			t.Fatal(err)
		}
	}
	if warm := rows(); cold != want.String() || warm != want.String() {
		t.Fatalf("rows:\n got %s\n     %s\nwant %s", cold, warm, want.String())
	}
	if !strings.Contains(want.String(), "&lt;b&gt;") || strings.Contains(want.String(), "<b>") {
		t.Fatal("a name was not escaped")
	}
}

// Rows given as cached RowMarkup write the same page as rows rendered on
// the spot, for any time the page is shown.
func TestCachedRowMarkupWritesTheSameRows(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := ListProps{Slug: "acme", Now: now, Rows: []Row{
		{ID: 1, Name: "Ada <Lovelace>", Email: "ada@example.com", Role: "owner", Status: "active", LastActive: now.Add(-time.Hour)},
		{ID: 2, Email: "noname@example.com", Role: "agent", Status: "suspended", Groups: []string{"A", "B"}},
	}}
	for _, r := range p.Rows {
		m, err := RenderRowMarkup(context.Background(), p.Slug, r)
		if err != nil {
			t.Fatal(err)
		}
		p.RowMarkup = append(p.RowMarkup, m)
	}
	for _, shown := range []time.Time{now, now.Add(3 * time.Hour)} {
		p.Now = shown
		var fresh, cached strings.Builder
		q := p
		q.RowMarkup = nil
		if err := memberRows(q).Render(context.Background(), &fresh); err != nil {
			t.Fatal(err)
		}
		if err := memberRows(p).Render(context.Background(), &cached); err != nil {
			t.Fatal(err)
		}
		if fresh.String() != cached.String() || !strings.Contains(cached.String(), Ago(p.Rows[0].LastActive, shown)) {
			t.Fatalf("shown at %v:\ncached %s\n fresh %s", shown, cached.String(), fresh.String())
		}
	}
}

// The cached table head is the template's, and each filter and organization
// gets its own.
func TestTableHeadCachedPerFilter(t *testing.T) {
	render := func(c interface {
		Render(context.Context, io.Writer) error
	}) string {
		var b strings.Builder
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	props := []ListProps{
		{Slug: "acme"},
		{Slug: "acme", Filter: Filter{Sort: "role"}},
		{Slug: "acme", Filter: Filter{Sort: "role", Desc: true}},
		{Slug: "acme", Filter: Filter{Q: "a&b", GroupID: 7}},
		{Slug: "globex"},
	}
	seen := map[string]int{}
	for round := range 2 {
		for i, p := range props {
			got, want := render(tableHead(p)), render(tableHeadComponent(p))
			if got != want {
				t.Fatalf("round %d, props %d: cached head differs from the template's", round, i)
			}
			if j, ok := seen[got]; ok && j != i {
				t.Fatalf("props %d and %d share a head", i, j)
			}
			seen[got] = i
		}
	}
}
