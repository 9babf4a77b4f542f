// Package customers holds the Customers module's pages: the lists ("Those I
// serve" / "All") with live search and pagination, the detail page and the
// create/edit form.
package customers

import (
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"gatehouse/internal/cache"
)

// Row is one customer in a list.
type Row struct {
	Name     string
	Email    string
	Phone    string
	Company  string
	Assignee string // "" when unassigned
	Team     string // the owning team's name, "" for none
	Href     string // detail page
	EditHref string // "" when the member may not edit
}

// ListProps is a customers list page.
type ListProps struct {
	Title     string
	Subtitle  string
	Mine      bool   // "Those I serve"
	Team      bool   // "My teams" (neither: "All")
	MineHref  string // tabs
	TeamHref  string // "" without team scope or in an organization without teams
	AllHref   string // "" when the member lacks customers.canAccessAll
	NewHref   string // "" without customers_create
	ExportURL string // "" without customers_export; carries the current q
	Q         string
	Rows      []Row
	Pager     Pager
	// Memo, when set, keeps rendered rows and page links across pages
	// (the server's, see Memo); nil renders them here.
	Memo *Memo
}

// Memo holds rendered list rows and page links, each under its whole
// props value (the Row, the Pager: every value the markup shows), so an
// entry cannot go stale and a page writes 25 strings instead of running
// the row template 25 times. The server owns one and hands it to every
// list through ListProps.Memo.
type Memo struct {
	rows   *cache.HTML[Row]
	pagers *cache.HTML[Pager]
}

// NewMemo returns an empty memo: at most 4,096 rows in 2 MiB and 1,024
// pagers in 512 KiB.
func NewMemo() *Memo {
	return &Memo{rows: cache.NewHTML[Row](4096, 2<<20), pagers: cache.NewHTML[Pager](1024, 512<<10)}
}

func (p ListProps) row(r Row) templ.Component {
	if p.Memo == nil {
		return row(r)
	}
	return p.Memo.rows.Component(r, func() templ.Component { return row(r) })
}

func (p ListProps) pagination() templ.Component {
	if p.Memo == nil {
		return pagination(p.Pager)
	}
	return p.Memo.pagers.Component(p.Pager, func() templ.Component { return pagination(p.Pager) })
}

// ResultsID is the element live search and pagination swap.
const ResultsID = "customers-results"

// Pager is pagination over a list path with the current search.
type Pager struct {
	Path    string // list path without query
	Q       string
	Page    int // 1-based
	PerPage int
	Total   int
}

// Pages is the number of pages (at least 1).
func (p Pager) Pages() int {
	if p.Total <= 0 || p.PerPage <= 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// Range is "1–25 of 130" ("0 of 0" when empty).
func (p Pager) Range() string {
	if p.Total == 0 {
		return "0 of 0"
	}
	from := (p.Page-1)*p.PerPage + 1
	to := min(p.Page*p.PerPage, p.Total)
	return strconv.Itoa(from) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(p.Total)
}

// Href is the URL of page n with the current search.
func (p Pager) Href(n int) string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return p.Path
	}
	return p.Path + "?" + v.Encode()
}

// Numbers lists the page links to show: first, last and two around the
// current page; 0 marks a gap.
func (p Pager) Numbers() []int {
	n := p.Pages()
	var out []int
	last := 0
	for i := 1; i <= n; i++ {
		if i == 1 || i == n || (i >= p.Page-2 && i <= p.Page+2) {
			if last != 0 && i > last+1 {
				out = append(out, 0)
			}
			out = append(out, i)
			last = i
		}
	}
	return out
}

// Option is an entry of the "Assigned to" and "Team" selects.
type Option struct {
	Value string
	Label string
}

// FormValues are the form's fields as typed.
type FormValues struct {
	Name, Email, Phone, Company, Notes, AssignedTo, Team string
}

// FormErrors holds one message per invalid field ("" = fine).
type FormErrors struct {
	Name, Email, Phone, Company, Notes, AssignedTo, Team string
}

// Any reports whether some field is invalid.
func (e FormErrors) Any() bool {
	return e != FormErrors{}
}

// FormProps is the create/edit form.
type FormProps struct {
	Title      string
	Action     string
	CancelHref string
	CSRF       string
	Submit     string
	Values     FormValues
	Errors     FormErrors
	// Assignees, when non-nil, shows the "Assigned to" select (members with
	// customers.canAccessAll); otherwise the customer is the member's own.
	Assignees []Option
	// Teams, when non-nil, shows the "Team" select: the teams the member
	// may choose (and the customer's current one); otherwise the owning
	// team stays as it is.
	Teams []Option
}

// DetailProps is one customer's page.
type DetailProps struct {
	Name         string
	Email        string
	Phone        string
	Company      string
	Notes        string
	Assignee     string
	Team         string // "" for none
	Created      string
	BackHref     string
	BackLabel    string
	EditHref     string // "" without customers_edit
	DeleteAction string // "" without customers_delete
	CSRF         string
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
