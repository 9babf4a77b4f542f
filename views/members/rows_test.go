package members

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"gatehouse/views/components"
)

// The table's rows are the markup the list has always written
// (testdata/rows.html: rendered by the avatar and badge components before
// the row view computed their strings ahead), whether the rows were built
// by RowFor or not, for every kind of row.
func TestMemberRowsMarkup(t *testing.T) {
	want, err := os.ReadFile("testdata/rows.html")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	render := func(rows []Row) string {
		var b strings.Builder
		for _, r := range rows {
			if err := memberRow(ListProps{Slug: "acme & co", Now: now}, r).Render(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	plain := rowsFixture(now)
	built := make([]Row, len(plain))
	for i, r := range plain {
		built[i] = RowFor("acme & co", r)
	}
	for name, got := range map[string]string{"plain rows": render(plain), "rows from RowFor": render(built)} {
		if got != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	if !strings.Contains(string(want), "&lt;b&gt;") || strings.Contains(string(want), "<b>") {
		t.Fatal("a name was not escaped")
	}
}

// A row built for one organization and shown at another time writes its
// relative time afresh: only the slug's parts are computed ahead.
func TestRowForKeepsTheTimeLive(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	r := RowFor("acme", Row{Person: components.Person{ID: 1, Name: "Ada", Email: "ada@example.com", Role: "owner", Status: "active"}, LastActive: now.Add(-time.Hour)})
	for _, shown := range []time.Time{now, now.Add(3 * time.Hour)} {
		var b strings.Builder
		if err := memberRow(ListProps{Slug: "acme", Now: shown}, r).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), ">"+Ago(r.LastActive, shown)+"<") {
			t.Errorf("shown at %v: %s lacks %q", shown, b.String(), Ago(r.LastActive, shown))
		}
	}
}

// Results writes the rows kept rendered (RowsMarkup, what the list cache
// holds) byte for byte as it renders them itself.
func TestResultsFromRowsMarkup(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := ListProps{Slug: "acme & co", Now: now, Rows: rowsFixture(now), From: 1, To: 6, Total: 6}
	var fresh, kept strings.Builder
	if err := Results(p).Render(context.Background(), &fresh); err != nil {
		t.Fatal(err)
	}
	html, err := RowsMarkup(context.Background(), p.Slug, p.Rows, now)
	if err != nil {
		t.Fatal(err)
	}
	p.RowsHTML = html
	if err := Results(p).Render(context.Background(), &kept); err != nil {
		t.Fatal(err)
	}
	if kept.String() != fresh.String() {
		t.Errorf("from RowsMarkup:\n got %s\nwant %s", kept.String(), fresh.String())
	}
	want, err := os.ReadFile("testdata/rows.html")
	if err != nil {
		t.Fatal(err)
	}
	if html != string(want) {
		t.Errorf("RowsMarkup:\n got %s\nwant %s", html, want)
	}
}
