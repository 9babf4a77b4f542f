// Package customers holds the Customers module's pages: the lists ("Those I
// serve" / "All") with live search and pagination, the detail page and the
// create/edit form.
package customers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/access"
	"gatehouse/internal/cache"
)

// Row is one customer in a list. Fields is the member's projection: a
// field it cannot read has no column and its value is left empty by the
// handler; being part of the row, it is part of the memo's key, so members
// with different levels never share a rendered row.
type Row struct {
	Name        string
	Email       string
	Phone       string
	Company     string
	TaxID       string
	CreditLimit string // "5000.00"; "" when none
	Assignee    string // "" when unassigned
	Team        string // the owning team's name, "" for none
	Href        string // detail page
	EditHref    string // "" when the member may not edit
	Fields      access.Projection
}

// ListProps is a customers list page.
type ListProps struct {
	Title    string
	Subtitle string
	Mine     bool   // "Those I serve"
	Team     bool   // "My teams" (neither: "All")
	MineHref string // tabs
	TeamHref string // "" without team scope or in an organization without teams
	AllHref  string // "" when the member lacks customers.canAccessAll
	NewHref  string // "" without customers_create
	// NewBlocked is why "New customer" is disabled though the member holds
	// customers_create (a required field hidden for them); NewHref is "" then.
	NewBlocked string
	ExportURL  string // "" without customers_export; carries the current q
	Q          string
	Rows       []Row
	Pager      Pager
	Fields     access.Projection // the columns, the search's words and the sort links
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
	return p.Memo.rows.Of(r, row)
}

func (p ListProps) pagination() templ.Component {
	if p.Memo == nil {
		return pagination(p.Pager)
	}
	return p.Memo.pagers.Of(p.Pager, pagination)
}

// ResultsID is the element live search and pagination swap.
const ResultsID = "customers-results"

// Pager is pagination over a list path with the current search and sort.
type Pager struct {
	Path    string // list path without query
	Q       string
	Sort    string // the sort in effect as ?sort= says it ("company", "-credit_limit"); "" by name
	Page    int    // 1-based
	PerPage int
	Total   int
}

// SortHref is the list sorted by field key: ascending, or descending when
// it is already sorted ascending by it; back to page 1, search kept. (A
// list page writes one per sortable column: it is built by hand, not
// through url.Values.)
func (p Pager) SortHref(key string) string {
	sort := key
	if p.Sort == key {
		sort = "-" + key
	}
	if sort == "name" {
		sort = ""
	}
	href, sep := p.Path, "?"
	if p.Q != "" {
		href, sep = href+sep+"q="+url.QueryEscape(p.Q), "&"
	}
	if sort != "" {
		href += sep + "sort=" + sort
	}
	return href
}

// SortState is the column's aria-sort: "ascending", "descending" or "".
func (p Pager) SortState(key string) string {
	switch {
	case p.Sort == key || p.Sort == "" && key == "name":
		return "ascending"
	case p.Sort == "-"+key:
		return "descending"
	}
	return ""
}

// searchCols are the fields a search matches on (store.customerSearchCols),
// in words.
var searchCols = [...]struct{ key, word string }{
	{"name", "name"}, {"email", "email"}, {"phone", "phone"}, {"company", "company"}, {"tax_id", "tax ID"},
}

// searchPlaceholder is the search box's hint.
func (p ListProps) searchPlaceholder() string {
	if w := p.SearchWords(); w != "" {
		return "Search by " + w
	}
	return "Search customers"
}

// SearchWords names the fields the member's search matches on: "name,
// email, phone, company or tax ID" ("" when none is readable).
func (p ListProps) SearchWords() string {
	var w []string
	for _, c := range searchCols {
		if p.Fields.Readable(c.key) {
			w = append(w, c.word)
		}
	}
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " or " + w[len(w)-1]
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
	if p.Sort != "" {
		v.Set("sort", p.Sort)
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

// FieldTexts is one string per field of the form: the values as typed
// (FormValues) or their messages (FormErrors).
type FieldTexts struct {
	Name, Email, Phone, Company, Notes, TaxID, CreditLimit, InternalNotes, AssignedTo, Team string
}

// FormValues are the form's fields as typed (the credit limit too).
type FormValues = FieldTexts

// Field is the text of an input by its name: a declared customers field
// (so a handler walks them in declaration order), "assigned_to" or "team";
// nil for another name.
func (v *FieldTexts) Field(key string) *string {
	switch key {
	case "name":
		return &v.Name
	case "email":
		return &v.Email
	case "phone":
		return &v.Phone
	case "company":
		return &v.Company
	case "notes":
		return &v.Notes
	case "tax_id":
		return &v.TaxID
	case "credit_limit":
		return &v.CreditLimit
	case "internal_notes":
		return &v.InternalNotes
	case "assigned_to":
		return &v.AssignedTo
	case "team":
		return &v.Team
	}
	return nil
}

// FormErrors holds one message per invalid field ("" = fine); Form is a
// message over the form, for a field the form does not show (one the
// member may not write: the message names it).
type FormErrors struct {
	FieldTexts
	Form string
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
	// Fields is the member's projection and Creating whether the form makes
	// a customer: it has an input for each field the member may fill on
	// create (read or edit) or change on edit (edit); ReadOnly lists the
	// others they can read, with their stored values, as text. A hidden
	// field is nowhere in the form.
	Fields   access.Projection
	Creating bool
	ReadOnly []Shown
}

// Shown is a field shown as text: its label, its value and its message.
type Shown struct {
	Key, Label, Value, Error string
}

// Input reports whether the form has an input for field key.
func (p FormProps) Input(key string) bool {
	if p.Creating {
		return p.Fields.Fillable(key)
	}
	return p.Fields.Editable(key)
}

// DetailProps is one customer's page.
type DetailProps struct {
	Name         string
	Email        string
	Phone        string
	Company      string
	Notes        string
	TaxID        string
	CreditLimit  string // "5000.00"; "" when none
	Internal     string // internal notes
	Fields       access.Projection
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
