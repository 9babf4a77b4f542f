package customers

import (
	"context"
	"strings"
	"testing"
)

func renderResults(t *testing.T, p ListProps) string {
	t.Helper()
	var b strings.Builder
	if err := Results(p).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The memo keys a row by the whole Row and the page links by the whole
// Pager: a list with a memo is what it is without one, for a row changing
// any one field, a pager changing any one field, read twice (miss, hit),
// and each change shows.
func TestMemoKeysAreWholeProps(t *testing.T) {
	base := Row{Name: "Anna", Email: "anna@example.com", Phone: "+1 555", Company: "Acme", Assignee: "Arthur",
		Href: "/o/acme/customers/1", EditHref: "/o/acme/customers/1/edit"}
	pager := Pager{Path: "/o/acme/customers/all", Q: "an", Page: 2, PerPage: 25, Total: 130}
	rows := []Row{base}
	for _, change := range []func(r *Row){
		func(r *Row) { r.Name = "Anna <B>" }, func(r *Row) { r.Email = "" }, func(r *Row) { r.Phone = "+1 556" },
		func(r *Row) { r.Company = "Acme & Co" }, func(r *Row) { r.Assignee = "" },
		func(r *Row) { r.Href = "/o/other/customers/1" }, func(r *Row) { r.EditHref = "" },
	} {
		r := base
		change(&r)
		rows = append(rows, r)
	}
	pagers := []Pager{pager}
	for _, change := range []func(p *Pager){
		func(p *Pager) { p.Path = "/o/acme/customers/mine" }, func(p *Pager) { p.Q = "ann" }, func(p *Pager) { p.Page = 3 },
		func(p *Pager) { p.PerPage = 10 }, func(p *Pager) { p.Total = 131 },
	} {
		pg := pager
		change(&pg)
		pagers = append(pagers, pg)
	}
	memo := NewMemo()
	seen := map[string]int{}
	check := func(name string, p ListProps) {
		t.Helper()
		want := renderResults(t, p)
		p.Memo = memo
		for range 2 {
			if got := renderResults(t, p); got != want {
				t.Fatalf("%s: with the memo:\n got %s\nwant %s", name, got, want)
			}
		}
		if prev, dup := seen[want]; dup {
			t.Errorf("%s renders the same as case %d: a change did not show", name, prev)
		}
		seen[want] = len(seen)
	}
	for i, r := range rows {
		check("row "+string(rune('0'+i)), ListProps{Title: "All", Rows: []Row{r}, Pager: pager})
	}
	for i, pg := range pagers[1:] {
		check("pager "+string(rune('1'+i)), ListProps{Title: "All", Rows: []Row{base}, Pager: pg})
	}
	if memo.rows.Len() != len(rows) || memo.pagers.Len() != len(pagers) {
		t.Errorf("memo holds %d rows and %d pagers, want %d and %d", memo.rows.Len(), memo.pagers.Len(), len(rows), len(pagers))
	}
}
