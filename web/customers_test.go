package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const fxPassword = "correct horse battery staple"

// fixture is organization "acme" (every product) with one member per kind of
// actor the customers and module routes must tell apart, plus a member of
// another organization, "globex" (CRM only).
type fixture struct {
	app     *testkit.App
	acme    domain.Org
	globex  domain.Org
	members map[string]domain.Membership // actor → membership (acme; "outsider" → globex)
	names   map[string]string            // actor → user name
	cust    map[string]int64             // customer name → id
	clients map[string]*testkit.Client
}

// Customers, by assignee. Names are distinct so a list can be checked for
// what it must not show.
var fxCustomers = []struct{ name, email, phone, company, notes, owner string }{
	{"Anna Aardvark", "anna@aardvark.test", "555-0101", "Aardvark Inc", "Met at the fair", "agentA"},
	{"Alan Apple", "alan@apple.test", "", "", "", "agentA"},
	{"Bruno Bear", "bruno@bear.test", "555-0202", "Bear & Co", "", "agentB"},
	{"Dora Deletable", "", "", "", "", "agentB"},
	{"Sally Seller", "sally@seller.test", "555 0303", "Seller GmbH", "line one\nline two", "sales"},
	{"=cmd|' /C calc'!A0", "", "+1 555 0404", "@evil", "-2+3", "sales"},
	{"Dexter Deletion", "", "", "", "", "deleter"},
	{"Una Unassigned", "", "", "", "", ""},
	{"Gina Globex", "gina@globex.test", "", "", "", "outsider"},
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	app := testkit.NewApp(t)
	ctx := context.Background()
	f := &fixture{app: app, members: map[string]domain.Membership{}, names: map[string]string{}, cust: map[string]int64{}, clients: map[string]*testkit.Client{}}
	users := map[string]domain.User{}
	mk := func(actor, name string) domain.User {
		u := app.CreateUser(actor+"@example.test", name, fxPassword)
		users[actor], f.names[actor] = u, name
		return u
	}
	f.acme = app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox", "finance", "medical"}, mk("owner", "Olivia Owner"))
	om, err := app.DB.MembershipOfUser(ctx, f.acme.ID, users["owner"].ID)
	if err != nil {
		t.Fatal(err)
	}
	f.members["owner"] = om
	for _, m := range []struct {
		actor, name string
		role        access.Role
	}{
		{"admin", "Adam Admin", access.RoleAdmin},
		{"manager", "Mona Manager", access.RoleManager},
		{"agentA", "Arthur Agent", access.RoleAgent},
		{"agentB", "Beatrice Agent", access.RoleAgent},
		{"seer", "Sean Seer", access.RoleAgent},            // individual permissions incl. customers.canAccessAll
		{"deleter", "Dan Deleter", access.RoleAgent},       // individual permissions: delete, no canAccessAll
		{"sales", "Sam Sales", access.Role("sales")},       // export, no canAccessAll
		{"fin", "Fiona Finance", access.Role("financial")}, // customers view only, canAccessAll
		{"grouped", "Gus Grouped", access.RoleAgent},       // in the Support Agents group
		{"suspended", "Sue Suspended", access.RoleAgent},
	} {
		f.members[m.actor] = app.AddMember(f.acme, mk(m.actor, m.name), m.role)
	}
	f.globex = app.CreateOrg("Globex Corp", "globex", []string{"crm"}, mk("outsider", "Xavier Outsider"))
	xm, err := app.DB.MembershipOfUser(ctx, f.globex.ID, users["outsider"].ID)
	if err != nil {
		t.Fatal(err)
	}
	f.members["outsider"] = xm

	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var seer, deleter access.Set
		for _, s := range []*access.Set{&seer, &deleter} {
			s.Grant(access.ModDashboard, access.View)
			s.Grant(access.ModCustomers, access.View)
		}
		for _, a := range []access.Action{access.Create, access.Edit, access.Export} {
			seer.Grant(access.ModCustomers, a)
		}
		seer.SetFlag(access.FlagCustomersCanAccessAll, true)
		deleter.Grant(access.ModCustomers, access.Edit)
		deleter.Grant(access.ModCustomers, access.Delete)
		if err := tx.SetCustom(ctx, f.acme.ID, f.members["seer"].ID, &seer); err != nil {
			return err
		}
		if err := tx.SetCustom(ctx, f.acme.ID, f.members["deleter"].ID, &deleter); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, f.acme.ID, f.members["suspended"].ID, domain.StatusSuspended); err != nil {
			return err
		}
		groups, err := tx.Groups(ctx, f.acme.ID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.Name == "Support Agents" {
				if err := tx.AddGroupMember(ctx, f.acme.ID, g.ID, f.members["grouped"].ID); err != nil {
					return err
				}
			}
		}
		for _, c := range fxCustomers {
			org := f.acme.ID
			if c.owner == "outsider" {
				org = f.globex.ID
			}
			id, err := tx.CreateCustomer(ctx, store.Customer{OrgID: org, Name: c.name, Email: c.email, Phone: c.phone,
				Company: c.company, Notes: c.notes, AssignedTo: f.members[c.owner].ID})
			if err != nil {
				return err
			}
			f.cust[c.name] = id
		}
		return nil
	})
	for actor := range f.members {
		f.clients[actor] = app.LoginAs(actor+"@example.test", fxPassword)
	}
	return f
}

// path builds /o/acme/customers/{id of name}/suffix.
func (f *fixture) cpath(name, suffix string) string {
	id, ok := f.cust[name]
	if !ok {
		panic("no customer " + name)
	}
	return "/o/acme/customers/" + strconv.FormatInt(id, 10) + suffix
}

// acmeCustomerNames are every acme customer name as HTML shows it (for
// lists that must show all).
func acmeCustomerNames() []string {
	var out []string
	for _, c := range fxCustomers {
		if c.owner != "outsider" {
			out = append(out, html.EscapeString(c.name))
		}
	}
	return out
}

// except returns names without the given ones.
func except(names []string, drop ...string) []string {
	var out []string
	for _, n := range names {
		keep := true
		for _, d := range drop {
			keep = keep && n != d
		}
		if keep {
			out = append(out, n)
		}
	}
	return out
}

var (
	hiddenFromAgent = []string{"/settings/members", "/o/acme/financial", "/o/acme/settings/billing", "/o/acme/customers/all"}
	suspendedBody   = []string{"suspended"}
)

func TestCustomersRoutes(t *testing.T) {
	f := newFixture(t)
	anna, bruno, gina := f.cpath("Anna Aardvark", ""), f.cpath("Bruno Bear", ""), f.cpath("Gina Globex", "")
	all := acmeCustomerNames()
	notA := []string{"Bruno Bear", "Dora Deletable", "Sally Seller", "Una Unassigned", "Gina Globex", "Dexter Deletion"}
	edit := url.Values{"name": {"Anna Aardvark"}, "email": {"anna@aardvark.test"}, "phone": {"555-0101"}, "company": {"Aardvark Inc"}, "notes": {"Met at the fair"}}
	scenarios := []testkit.Scenario{
		// The Customers entry point sends each member to the list they can see.
		{Actor: "owner", Path: "/o/acme/customers", Status: 303, Location: "/o/acme/customers/all"},
		{Actor: "seer", Path: "/o/acme/customers", Status: 303, Location: "/o/acme/customers/all"},
		{Actor: "agentA", Path: "/o/acme/customers", Status: 303, Location: "/o/acme/customers/mine"},
		{Actor: "sales", Path: "/o/acme/customers", Status: 303, Location: "/o/acme/customers/mine"},
		{Actor: "suspended", Path: "/o/acme/customers", Status: 403, Contains: suspendedBody},
		{Actor: "outsider", Path: "/o/acme/customers", Status: 404},
		{Path: "/o/acme/customers", Status: 303, Location: "/login"},

		// "Those I serve": only the member's own customers, whatever the flag.
		{Actor: "agentA", Path: "/o/acme/customers/mine", Status: 200,
			Contains:    []string{"Anna Aardvark", "Alan Apple", "Those I serve", "New customer", "1–2 of 2"},
			NotContains: append(append([]string{"Export CSV"}, notA...), hiddenFromAgent...)},
		{Actor: "agentB", Path: "/o/acme/customers/mine", Status: 200,
			Contains: []string{"Bruno Bear", "Dora Deletable"}, NotContains: []string{"Anna Aardvark", "Alan Apple", "Sally Seller"}},
		{Actor: "sales", Path: "/o/acme/customers/mine", Status: 200,
			Contains: []string{"Sally Seller", "Export CSV", "/o/acme/customers/export.csv?list=mine"}, NotContains: []string{"Anna Aardvark", "Bruno Bear"}},
		{Actor: "owner", Path: "/o/acme/customers/mine", Status: 200,
			Contains: []string{"No customers assigned to you yet", `href="/o/acme/customers/all"`}, NotContains: []string{"Anna Aardvark"}},
		{Actor: "fin", Path: "/o/acme/customers/mine", Status: 200, NotContains: []string{"New customer", "Anna Aardvark"}},
		{Actor: "suspended", Path: "/o/acme/customers/mine", Status: 403, Contains: suspendedBody, NotContains: []string{"Anna Aardvark"}},
		{Actor: "outsider", Path: "/o/acme/customers/mine", Status: 404, NotContains: []string{"Anna Aardvark", "Acme Ltd"}},
		{Path: "/o/acme/customers/mine", Status: 303, Location: "/login?next="},

		// "All" needs customers.canAccessAll on top of customers_view.
		{Actor: "owner", Path: "/o/acme/customers/all", Status: 200, Contains: append([]string{"Export CSV"}, all...), NotContains: []string{"Gina Globex"}},
		{Actor: "admin", Path: "/o/acme/customers/all", Status: 200, Contains: all, NotContains: []string{"Gina Globex"}},
		{Actor: "manager", Path: "/o/acme/customers/all", Status: 200, Contains: all},
		{Actor: "seer", Path: "/o/acme/customers/all", Status: 200, Contains: all, NotContains: []string{"Gina Globex", "/o/acme/chats"}},
		{Actor: "fin", Path: "/o/acme/customers/all", Status: 200, Contains: all, NotContains: []string{"Export CSV", "New customer"}},
		{Actor: "agentA", Path: "/o/acme/customers/all", Status: 403, NotContains: []string{"Bruno Bear", "Anna Aardvark"}},
		{Actor: "agentB", Path: "/o/acme/customers/all", Status: 403},
		{Actor: "sales", Path: "/o/acme/customers/all", Status: 403},
		{Actor: "deleter", Path: "/o/acme/customers/all", Status: 403},
		{Actor: "suspended", Path: "/o/acme/customers/all", Status: 403, Contains: suspendedBody},
		{Actor: "outsider", Path: "/o/acme/customers/all", Status: 404},
		{Path: "/o/acme/customers/all", Status: 303, Location: "/login"},

		// Search is scoped too.
		{Name: "agentA searches for B's customer", Actor: "agentA", Path: "/o/acme/customers/mine?q=bruno", Status: 200,
			Contains: []string{"No customers match"}, NotContains: []string{"Bruno Bear"}},
		{Name: "agentA searches own", Actor: "agentA", Path: "/o/acme/customers/mine?q=AARDVARK", Status: 200,
			Contains: []string{"Anna Aardvark", "1–1 of 1"}, NotContains: []string{"Alan Apple"}},
		{Name: "owner searches company", Actor: "owner", Path: "/o/acme/customers/all?q=bear+%26", Status: 200,
			Contains: []string{"Bruno Bear"}, NotContains: []string{"Anna Aardvark"}},
		{Name: "search by email", Actor: "owner", Path: "/o/acme/customers/all?q=sally@", Status: 200,
			Contains: []string{"Sally Seller"}, NotContains: []string{"Bruno Bear"}},
		{Name: "LIKE wildcards are literal", Actor: "owner", Path: "/o/acme/customers/all?q=%25", Status: 200,
			Contains: []string{"No customers match"}},

		// Detail: in scope or 404; another organization's customer is 404 for everyone.
		{Actor: "agentA", Path: anna, Status: 200, Contains: []string{"Anna Aardvark", "Aardvark Inc", "Met at the fair", anna + "/edit"},
			NotContains: append([]string{anna + "/delete"}, hiddenFromAgent...)},
		{Actor: "agentB", Path: anna, Status: 404, NotContains: []string{"Anna Aardvark"}},
		{Actor: "sales", Path: anna, Status: 404, NotContains: []string{"Anna Aardvark"}},
		{Actor: "deleter", Path: anna, Status: 404},
		{Actor: "owner", Path: anna, Status: 200, Contains: []string{"Arthur Agent", anna + "/edit", anna + "/delete", "data-confirm"}},
		{Actor: "seer", Path: bruno, Status: 200, Contains: []string{"Bruno Bear", bruno + "/edit"}, NotContains: []string{bruno + "/delete"}},
		{Actor: "fin", Path: bruno, Status: 200, NotContains: []string{bruno + "/edit", bruno + "/delete"}},
		{Actor: "owner", Path: gina, Status: 404, NotContains: []string{"Gina Globex"}},
		{Actor: "admin", Path: gina, Status: 404},
		{Actor: "seer", Path: gina + "/edit", Status: 404},
		{Actor: "outsider", Path: anna, Status: 404, NotContains: []string{"Anna Aardvark"}},
		{Name: "outsider asks acme's id in own org", Actor: "outsider", Path: strings.Replace(anna, "/o/acme/", "/o/globex/", 1), Status: 404},
		{Name: "outsider sees own customer", Actor: "outsider", Path: strings.Replace(gina, "/o/acme/", "/o/globex/", 1), Status: 200, Contains: []string{"Gina Globex"}},
		{Actor: "suspended", Path: anna, Status: 403, Contains: suspendedBody, NotContains: []string{"Anna Aardvark"}},
		{Path: anna, Status: 303, Location: "/login"},
		{Name: "id with letters", Actor: "owner", Path: "/o/acme/customers/abc", Status: 404},
		{Name: "id zero", Actor: "owner", Path: "/o/acme/customers/0", Status: 404},
		{Name: "id leading zero", Actor: "owner", Path: "/o/acme/customers/0" + strconv.FormatInt(f.cust["Anna Aardvark"], 10), Status: 404},
		{Name: "id plus sign", Actor: "owner", Path: "/o/acme/customers/%2B" + strconv.FormatInt(f.cust["Anna Aardvark"], 10), Status: 404},
		{Name: "id negative", Actor: "owner", Path: "/o/acme/customers/-1", Status: 404},
		{Name: "id overflow", Actor: "owner", Path: "/o/acme/customers/99999999999999999999999", Status: 404},
		{Name: "bad id on edit", Actor: "owner", Path: "/o/acme/customers/x1/edit", Status: 404},

		// Create form: the "Assigned to" select only with canAccessAll, active members only.
		{Actor: "agentA", Path: "/o/acme/customers/new", Status: 200, Contains: []string{`name="name"`, "_csrf"}, NotContains: []string{`name="assigned_to"`}},
		{Actor: "owner", Path: "/o/acme/customers/new", Status: 200, Contains: []string{`name="assigned_to"`, "Arthur Agent (agenta@example.test)"},
			NotContains: []string{"Sue Suspended", "Xavier Outsider"}},
		{Actor: "fin", Path: "/o/acme/customers/new", Status: 403},
		{Actor: "fin", Method: "POST", Path: "/o/acme/customers", Form: url.Values{"name": {"Nope"}}, Status: 403},
		{Actor: "outsider", Path: "/o/acme/customers/new", Status: 404},
		{Actor: "suspended", Path: "/o/acme/customers/new", Status: 403, Contains: suspendedBody},

		// Edit: customers_edit and scope.
		{Actor: "agentA", Path: anna + "/edit", Status: 200, Contains: []string{"Save changes", `value="Anna Aardvark"`}},
		{Actor: "agentB", Path: anna + "/edit", Status: 404, NotContains: []string{"Anna Aardvark"}},
		{Actor: "agentB", Method: "POST", Path: anna, Form: edit, Status: 404},
		{Actor: "fin", Path: bruno + "/edit", Status: 403},
		{Actor: "fin", Method: "POST", Path: bruno, Form: url.Values{"name": {"Renamed"}}, Status: 403},
		{Actor: "agentA", Method: "POST", Path: anna, Form: edit, Status: 303, Location: anna},
		{Actor: "outsider", Method: "POST", Path: anna, Form: edit, Status: 404},

		// Delete: customers_delete, and scope for members without canAccessAll.
		{Actor: "agentA", Method: "POST", Path: anna + "/delete", Status: 403},
		{Actor: "manager", Method: "POST", Path: bruno + "/delete", Status: 403},
		{Actor: "fin", Method: "POST", Path: bruno + "/delete", Status: 403},
		{Actor: "deleter", Method: "POST", Path: bruno + "/delete", Status: 404},
		{Actor: "outsider", Method: "POST", Path: bruno + "/delete", Status: 404},
		{Actor: "admin", Method: "POST", Path: gina + "/delete", Status: 404},
		{Actor: "suspended", Method: "POST", Path: bruno + "/delete", Status: 403, Contains: suspendedBody},
		{Method: "POST", Path: bruno + "/delete", Status: 303, Location: "/login"},
		{Actor: "deleter", Method: "POST", Path: f.cpath("Dexter Deletion", "/delete"), Status: 303, Location: "/o/acme/customers"},
		{Actor: "admin", Method: "POST", Path: f.cpath("Dora Deletable", "/delete"), Status: 303, Location: "/o/acme/customers"},
		{Name: "deleted is gone", Actor: "owner", Path: f.cpath("Dora Deletable", ""), Status: 404},

		// Export: customers_export.
		{Actor: "agentA", Path: "/o/acme/customers/export.csv", Status: 403},
		{Actor: "fin", Path: "/o/acme/customers/export.csv", Status: 403},
		{Actor: "outsider", Path: "/o/acme/customers/export.csv", Status: 404},
		{Actor: "suspended", Path: "/o/acme/customers/export.csv", Status: 403, Contains: suspendedBody},
		{Path: "/o/acme/customers/export.csv", Status: 303, Location: "/login"},
	}
	testkit.Run(t, f.app, f.clients, scenarios)

	// Bruno survived every denied attempt, untouched.
	cu, err := f.app.DB.Customer(context.Background(), store.CustomersIn(f.acme.ID, access.ScopeAll, 0), f.cust["Bruno Bear"])
	if err != nil || cu.Name != "Bruno Bear" || cu.AssignedTo != f.members["agentB"].ID {
		t.Fatalf("Bruno after denied writes: %+v, %v", cu, err)
	}
	if _, err := f.app.DB.Customer(context.Background(), store.CustomersIn(f.globex.ID, access.ScopeAll, 0), f.cust["Gina Globex"]); err != nil {
		t.Fatalf("Gina (other org) must survive: %v", err)
	}
}

// csvOf renders rows as the export's CSV (header first, CRLF-free, \n lines).
func csvOf(rows ...string) string { return strings.Join(rows, "\n") + "\n" }

func TestCustomersExportCSV(t *testing.T) {
	f := newFixture(t)
	id := func(name string) string { return strconv.FormatInt(f.cust[name], 10) }
	header := "id,name,email,phone,company,notes,assigned_to,team"

	// Scoped (sales, no canAccessAll): exactly their two customers, formulas defused.
	r := f.clients["sales"].Get("/o/acme/customers/export.csv")
	if r.Status != 200 {
		t.Fatalf("sales export: %d %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="customers-acme-`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	want := csvOf(header,
		id("=cmd|' /C calc'!A0")+`,'=cmd|' /C calc'!A0,,'+1 555 0404,'@evil,'-2+3,Sam Sales,`,
		id("Sally Seller")+`,Sally Seller,sally@seller.test,555 0303,Seller GmbH,"line one`+"\n"+`line two",Sam Sales,`,
	)
	if r.Body != want {
		t.Errorf("sales export:\n%s\nwant:\n%s", r.Body, want)
	}

	// Scoped search: the current q narrows further.
	r = f.clients["sales"].Get("/o/acme/customers/export.csv?q=sally")
	if want := csvOf(header, id("Sally Seller")+`,Sally Seller,sally@seller.test,555 0303,Seller GmbH,"line one`+"\n"+`line two",Sam Sales,`); r.Body != want {
		t.Errorf("sales export q=sally:\n%s\nwant:\n%s", r.Body, want)
	}
	// A scoped member cannot widen the scope through the query string.
	r = f.clients["sales"].Get("/o/acme/customers/export.csv?q=bruno&list=all")
	if r.Body != csvOf(header) {
		t.Errorf("sales export q=bruno must be empty, got:\n%s", r.Body)
	}

	// Unscoped (manager): the whole organization, never another one's.
	// The manager reads every field (ARCHITECTURE.md, Fields): the sensitive columns
	// follow notes, in declaration order (empty here).
	header = "id,name,email,phone,company,notes,tax_id,credit_limit,internal_notes,assigned_to,team"
	r = f.clients["manager"].Get("/o/acme/customers/export.csv")
	want = csvOfWide(header,
		id("=cmd|' /C calc'!A0")+`,'=cmd|' /C calc'!A0,,'+1 555 0404,'@evil,'-2+3,Sam Sales,`,
		id("Alan Apple")+`,Alan Apple,alan@apple.test,,,,Arthur Agent,`,
		id("Anna Aardvark")+`,Anna Aardvark,anna@aardvark.test,555-0101,Aardvark Inc,Met at the fair,Arthur Agent,`,
		id("Bruno Bear")+`,Bruno Bear,bruno@bear.test,555-0202,Bear & Co,,Beatrice Agent,`,
		id("Dexter Deletion")+`,Dexter Deletion,,,,,Dan Deleter,`,
		id("Dora Deletable")+`,Dora Deletable,,,,,Beatrice Agent,`,
		id("Sally Seller")+`,Sally Seller,sally@seller.test,555 0303,Seller GmbH,"line one`+"\n"+`line two",Sam Sales,`,
		id("Una Unassigned")+`,Una Unassigned,,,,,,`,
	)
	if r.Body != want {
		t.Errorf("manager export:\n%s\nwant:\n%s", r.Body, want)
	}
	// From "Those I serve" the export is the member's own customers only.
	r = f.clients["manager"].Get("/o/acme/customers/export.csv?list=mine")
	if r.Body != csvOf(header) {
		t.Errorf("manager list=mine export must be empty, got:\n%s", r.Body)
	}
	r = f.clients["manager"].Get("/o/acme/customers/export.csv?q=" + url.QueryEscape("bear & co"))
	if want := csvOfWide(header, id("Bruno Bear")+`,Bruno Bear,bruno@bear.test,555-0202,Bear & Co,,Beatrice Agent,`); r.Body != want {
		t.Errorf("manager export q:\n%s\nwant:\n%s", r.Body, want)
	}
}

// csvOfWide is csvOf for a member who reads every field: rows written as
// for the part-one columns get the three sensitive ones, empty, before
// the assignee and team.
func csvOfWide(header string, rows ...string) string {
	for i, r := range rows {
		last := strings.LastIndexByte(r, ',')
		at := strings.LastIndexByte(r[:last], ',')
		rows[i] = r[:at] + ",,," + r[at:]
	}
	return csvOf(append([]string{header}, rows...)...)
}

func TestCustomersLiveSearchAndPagination(t *testing.T) {
	f := newFixture(t)
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for i := 1; i <= 128; i++ { // + Anna and Alan = 130
			if _, err := tx.CreateCustomer(ctx, store.Customer{OrgID: f.acme.ID, Name: fmt.Sprintf("Customer %03d", i), AssignedTo: f.members["agentA"].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	c := f.clients["agentA"]
	page := func(path string) string {
		t.Helper()
		r := c.Get(path)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d", path, r.Status)
		}
		return r.Body
	}
	body := page("/o/acme/customers/mine")
	for _, want := range []string{"1–25 of 130", "Alan Apple", "Anna Aardvark", "Customer 023", `hx-trigger="input changed delay:300ms, search"`,
		`hx-get="/o/acme/customers/mine"`, `hx-push-url="true"`, `hx-target="#customers-results"`, `href="/o/acme/customers/mine?page=2"`, `href="/o/acme/customers/mine?page=6"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Contains(body, "Customer 024") || strings.Contains(body, "?page=7") {
		t.Error("page 1 shows row 26 or a page 7")
	}
	body = page("/o/acme/customers/mine?page=2")
	if !strings.Contains(body, "26–50 of 130") || !strings.Contains(body, "Customer 024") || !strings.Contains(body, "Customer 048") ||
		strings.Contains(body, "Customer 023") || strings.Contains(body, "Customer 049") {
		t.Error("page 2 has the wrong rows")
	}
	for _, p := range []string{"?page=6", "?page=99"} { // past the end shows the last page
		body = page("/o/acme/customers/mine" + p)
		if !strings.Contains(body, "126–130 of 130") || !strings.Contains(body, "Customer 128") || strings.Contains(body, "Customer 123") {
			t.Errorf("%s: wrong last page", p)
		}
	}
	for _, p := range []string{"?page=abc", "?page=-3", "?page=0"} {
		if body = page("/o/acme/customers/mine" + p); !strings.Contains(body, "1–25 of 130") {
			t.Errorf("%s must show page 1", p)
		}
	}
	// Search keeps the query in page links.
	body = page("/o/acme/customers/mine?q=customer+1")
	if !strings.Contains(body, "1–25 of 29") || !strings.Contains(body, `href="/o/acme/customers/mine?page=2&amp;q=customer+1"`) {
		t.Error("search pagination lacks the query or the count")
	}

	// htmx live search: only the results fragment, filtered and scoped.
	req, _ := http.NewRequest(http.MethodGet, f.app.URL+"/o/acme/customers/mine?q=aard", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "customers-results")
	r := c.Do(req)
	if r.Status != 200 || !strings.HasPrefix(strings.TrimSpace(r.Body), `<div id="customers-results">`) ||
		!strings.Contains(r.Body, "Anna Aardvark") || strings.Contains(r.Body, "Alan Apple") ||
		strings.Contains(r.Body, "<html") || strings.Contains(r.Body, "sidenav") || strings.Contains(r.Body, "Those I serve") {
		t.Errorf("live search fragment: %d %.500s", r.Status, r.Body)
	}
	if vary := strings.Join(r.Header.Values("Vary"), ","); !strings.Contains(vary, "HX-Request") || !strings.Contains(vary, "HX-Target") {
		t.Errorf("Vary = %q", vary)
	}
	// A history restore wants the whole page.
	req, _ = http.NewRequest(http.MethodGet, f.app.URL+"/o/acme/customers/mine?q=aard", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-History-Restore-Request", "true")
	if r = c.Do(req); !strings.Contains(r.Body, "<html") {
		t.Error("history restore must get the full page")
	}
	// agentB's live search never reaches agentA's customers.
	req, _ = http.NewRequest(http.MethodGet, f.app.URL+"/o/acme/customers/mine?q=customer", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "customers-results")
	if r = f.clients["agentB"].Do(req); r.Status != 200 || strings.Contains(r.Body, "Customer 001") || !strings.Contains(r.Body, "No customers match") {
		t.Errorf("agentB live search leaks: %.300s", r.Body)
	}
}

func TestCustomersCreateEditValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	all := store.CustomersIn(f.acme.ID, access.ScopeAll, 0)
	count := func() int {
		_, n, err := f.app.DB.Customers(ctx, all, store.CustomerQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	idOf := func(actor string) string { return strconv.FormatInt(f.members[actor].ID, 10) }
	long := func(n int) string { return strings.Repeat("x", n) }

	invalid := []struct {
		name    string
		actor   string
		form    url.Values
		message string
	}{
		{"name missing", "agentA", url.Values{"name": {"  "}}, "Enter the customer&#39;s name."},
		{"name too long", "agentA", url.Values{"name": {long(121)}}, "Use at most 120 characters"},
		{"email invalid", "agentA", url.Values{"name": {"Ok"}, "email": {"not-an-email"}}, "Enter a valid email address"},
		{"phone too long", "agentA", url.Values{"name": {"Ok"}, "phone": {long(41)}}, "Use at most 40 characters"},
		{"notes too long", "agentA", url.Values{"name": {"Ok"}, "notes": {long(2001)}}, "Use at most 2000 characters"},
		{"control character", "agentA", url.Values{"name": {"Ok\x00"}}, "control characters"},
		{"assignee of another org", "owner", url.Values{"name": {"Ok"}, "assigned_to": {idOf("outsider")}}, "Choose an active member of Acme Ltd."},
		{"suspended assignee", "owner", url.Values{"name": {"Ok"}, "assigned_to": {idOf("suspended")}}, "Choose an active member of Acme Ltd."},
		{"assignee not a number", "owner", url.Values{"name": {"Ok"}, "assigned_to": {"1 OR 1=1"}}, "Choose an active member of Acme Ltd."},
		{"assignee does not exist", "owner", url.Values{"name": {"Ok"}, "assigned_to": {"999999"}}, "Choose an active member of Acme Ltd."},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			r := f.clients[tc.actor].Post("/o/acme/customers", tc.form)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tc.message) || !strings.Contains(r.Body, "field-error") {
				t.Fatalf("status %d, want 422 with %q; body %.400s", r.Status, tc.message, r.Body)
			}
			if !strings.Contains(r.Body, "<html") {
				t.Error("a plain POST gets the whole page back")
			}
			h := f.clients[tc.actor].PostHTMX("/o/acme/customers", tc.form)
			if h.Status != http.StatusUnprocessableEntity || !strings.Contains(h.Body, tc.message) || strings.Contains(h.Body, "<html") ||
				!strings.HasPrefix(strings.TrimSpace(h.Body), "<form") {
				t.Fatalf("htmx: status %d, want the form fragment; body %.300s", h.Status, h.Body)
			}
			if n := count(); n != before {
				t.Fatalf("customers %d → %d: an invalid form wrote", before, n)
			}
		})
	}

	// A member without canAccessAll always creates their own customer, whatever they post.
	r := f.clients["agentA"].Post("/o/acme/customers", url.Values{"name": {"Nina New"}, "email": {"nina@new.test"}, "assigned_to": {idOf("agentB")}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/o/acme/customers/") {
		t.Fatalf("create: %d %s", r.Status, r.Location)
	}
	nina := strings.TrimPrefix(r.Location, "/o/acme/customers/")
	ninaID, _ := strconv.ParseInt(nina, 10, 64)
	cu, err := f.app.DB.Customer(ctx, all, ninaID)
	if err != nil || cu.AssignedTo != f.members["agentA"].ID || cu.Email != "nina@new.test" {
		t.Fatalf("Nina: %+v %v", cu, err)
	}
	if body := f.clients["agentA"].Follow(r).Body; !strings.Contains(body, "Nina New") || !strings.Contains(body, "created") {
		t.Error("detail page after create lacks the customer or the flash")
	}
	if r := f.clients["agentB"].Get(r.Location); r.Status != 404 {
		t.Errorf("agentB sees agentA's new customer: %d", r.Status)
	}
	// …and editing keeps it theirs.
	r = f.clients["agentA"].Post("/o/acme/customers/"+nina, url.Values{"name": {"Nina Newer"}, "assigned_to": {idOf("agentB")}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %.300s", r.Status, r.Body)
	}
	if cu, _ = f.app.DB.Customer(ctx, all, ninaID); cu.Name != "Nina Newer" || cu.AssignedTo != f.members["agentA"].ID || cu.Email != "" {
		t.Fatalf("after edit: %+v", cu)
	}
	// Invalid edit: 422, nothing written.
	r = f.clients["agentA"].Post("/o/acme/customers/"+nina, url.Values{"name": {""}, "email": {"x@y.test"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid edit: %d", r.Status)
	}
	if cu, _ = f.app.DB.Customer(ctx, all, ninaID); cu.Name != "Nina Newer" || cu.Email != "" {
		t.Fatalf("invalid edit wrote: %+v", cu)
	}

	// With canAccessAll the select decides: another active member, or nobody.
	r = f.clients["seer"].Post("/o/acme/customers", url.Values{"name": {"Otto Other"}, "assigned_to": {idOf("agentB")}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("seer create: %d %.300s", r.Status, r.Body)
	}
	ottoID, _ := strconv.ParseInt(strings.TrimPrefix(r.Location, "/o/acme/customers/"), 10, 64)
	if cu, _ = f.app.DB.Customer(ctx, all, ottoID); cu.AssignedTo != f.members["agentB"].ID {
		t.Fatalf("Otto assigned to %d, want agentB", cu.AssignedTo)
	}
	if r := f.clients["agentB"].Get(r.Location); r.Status != 200 {
		t.Errorf("agentB must see the customer assigned to them: %d", r.Status)
	}
	r = f.clients["owner"].Post(r.Location, url.Values{"name": {"Otto Other"}, "assigned_to": {""}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("unassign: %d", r.Status)
	}
	if cu, _ = f.app.DB.Customer(ctx, all, ottoID); cu.AssignedTo != 0 {
		t.Fatalf("Otto still assigned to %d", cu.AssignedTo)
	}
	// Keeping a now-suspended assignee is allowed; choosing one is not.
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, f.acme.ID, f.members["agentB"].ID, domain.StatusSuspended)
	})
	bruno := f.cpath("Bruno Bear", "")
	if body := f.clients["owner"].Get(bruno + "/edit").Body; !strings.Contains(body, "Beatrice Agent (not active)") {
		t.Error("edit form drops the suspended current assignee")
	}
	if r = f.clients["owner"].Post(bruno, url.Values{"name": {"Bruno Bear"}, "assigned_to": {idOf("agentB")}}); r.Status != http.StatusSeeOther {
		t.Errorf("keeping the suspended assignee: %d %.300s", r.Status, r.Body)
	}
	if r = f.clients["owner"].Post("/o/acme/customers/"+nina, url.Values{"name": {"Nina"}, "assigned_to": {idOf("agentB")}}); r.Status != 422 {
		t.Errorf("assigning to a suspended member: %d", r.Status)
	}
	if n := count(); n != before+2 {
		t.Errorf("customers: %d, want %d", n, before+2)
	}
}

// Lists write rows and page links from a cache keyed by everything they
// show: an edit, a rename of the assignee and a new customer show on the
// very next request, and a member without customers_edit never gets the
// edit link a cached row of an editor carries.
func TestCustomersListShowsChangesAtOnce(t *testing.T) {
	f := newFixture(t)
	owner, fin := f.clients["owner"], f.clients["fin"]
	list := func(c *testkit.Client, path string) string {
		t.Helper()
		r := c.Get(path)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, r.Status)
		}
		return r.Body
	}
	anna := f.cpath("Anna Aardvark", "")
	for range 2 {
		if body := list(owner, "/o/acme/customers/all"); !strings.Contains(body, anna+"/edit") || !strings.Contains(body, "555-0101") {
			t.Fatal("owner's list lacks Anna's row with its edit link")
		}
	}
	if body := list(fin, "/o/acme/customers/all"); !strings.Contains(body, "Anna Aardvark") || strings.Contains(body, anna+"/edit") {
		t.Error("a member without customers_edit sees the edit link")
	}
	total := strings.Count(list(owner, "/o/acme/customers/all"), `class="cell-primary"`)

	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.UpdateCustomer(ctx, store.CustomersIn(f.acme.ID, access.ScopeAll, 0), store.Customer{ID: f.cust["Anna Aardvark"],
			Name: "Anna Renamed", Email: "anna@aardvark.test", Phone: "555-9999", AssignedTo: f.members["agentA"].ID}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = 'Arthur Renamed' WHERE id = ?`, f.members["agentA"].UserID); err != nil {
			return err
		}
		_, err := tx.CreateCustomer(ctx, store.Customer{OrgID: f.acme.ID, Name: "Newton New"})
		return err
	})
	body := list(owner, "/o/acme/customers/all")
	for _, want := range []string{"Anna Renamed", "555-9999", "Arthur Renamed", "Newton New"} {
		if !strings.Contains(body, want) {
			t.Errorf("next list lacks %q", want)
		}
	}
	for _, gone := range []string{"Anna Aardvark", "555-0101", "Arthur Agent"} {
		if strings.Contains(body, gone) {
			t.Errorf("next list still shows %q", gone)
		}
	}
	if n := strings.Count(body, `class="cell-primary"`); n != total+1 {
		t.Errorf("%d rows after a create, want %d", n, total+1)
	}
}
