package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// teamFixture is the customers fixture with teams: acme's North (the
// supervisor "super") and South (agentA), globex's Foreign; Bruno (agentB's,
// who is in no team) is owned by North.
type teamFixture struct {
	*fixture
	north, south, foreign int64
}

func newTeamFixture(t *testing.T) *teamFixture {
	t.Helper()
	f := &teamFixture{fixture: newFixture(t)}
	f.members["super"] = f.app.AddMember(f.acme, f.app.CreateUser("super@example.test", "Stella Supervisor", fxPassword), access.RoleSupervisor)
	f.app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		if f.north, err = tx.CreateTeam(ctx, f.acme.ID, "North", ""); err != nil {
			return err
		}
		if f.south, err = tx.CreateTeam(ctx, f.acme.ID, "South", ""); err != nil {
			return err
		}
		if f.foreign, err = tx.CreateTeam(ctx, f.globex.ID, "Foreign", ""); err != nil {
			return err
		}
		for team, actor := range map[int64]string{f.north: "super", f.south: "agentA"} {
			if _, err := tx.AddTeamMember(ctx, f.acme.ID, team, f.members[actor].ID); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE customers SET team_id = ? WHERE id = ?`, f.north, f.cust["Bruno Bear"])
		return err
	})
	f.clients["super"] = f.app.LoginAs("super@example.test", fxPassword)
	return f
}

// customer reads a customer of acme whatever its scope.
func (f *teamFixture) customer(t *testing.T, id int64) store.Customer {
	t.Helper()
	cu, err := f.app.DB.Customer(context.Background(), store.CustomersIn(f.acme.ID, access.ScopeAll, 0), id)
	if err != nil {
		t.Fatalf("customer %d: %v", id, err)
	}
	return cu
}

func (f *teamFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.app.DB.Customers(context.Background(), store.CustomersIn(f.acme.ID, access.ScopeAll, 0), store.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// The form's "Team" select offers what the member may choose (all scope:
// every team of the organization; own and team scope: their own teams; the
// current team stays listed); a foreign or missing team is a 404, a team
// the member may not choose or a malformed id a 422 next to the field, and
// neither writes anything. A form without the field keeps the team.
func TestCustomerTeamField(t *testing.T) {
	f := newTeamFixture(t)
	north, south, foreign := itoa(f.north), itoa(f.south), itoa(f.foreign)
	bruno, anna := f.cpath("Bruno Bear", ""), f.cpath("Anna Aardvark", "")

	// The select, per scope.
	for _, tc := range []struct {
		actor, path string
		want, not   []string
	}{
		{"owner", "/o/acme/customers/new", []string{`name="team"`, `<option value="` + north + `">North</option>`, `<option value="` + south + `">South</option>`, ">None</option>"}, []string{"Foreign"}},
		{"super", "/o/acme/customers/new", []string{`name="team"`, `>North</option>`}, []string{">South<", "Foreign"}},
		{"agentA", "/o/acme/customers/new", []string{`name="team"`, `>South</option>`}, []string{">North<", "Foreign"}},
		{"agentB", "/o/acme/customers/new", nil, []string{`name="team"`}}, // in no team: nothing to choose
		{"owner", bruno + "/edit", []string{`<option value="` + north + `" selected>North</option>`}, nil},
		{"agentB", bruno + "/edit", []string{`name="team"`, `<option value="` + north + `" selected>North (not one of your teams)</option>`}, []string{">South<"}},
	} {
		r := f.clients[tc.actor].Get(tc.path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s GET %s: %d", tc.actor, tc.path, r.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s GET %s lacks %s", tc.actor, tc.path, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.Body, n) {
				t.Errorf("%s GET %s shows %s", tc.actor, tc.path, n)
			}
		}
	}

	// Refusals: nothing written, the customer's team as it was.
	before := f.count(t)
	const notChoosable, malformed = "Choose one of your own teams, or none.", "Choose one of the teams listed, or none."
	for _, tc := range []struct {
		name, actor, path string
		team              string
		status            int
		message           string
	}{
		{"another organization's team", "owner", "/o/acme/customers", foreign, 404, ""},
		{"no such team", "owner", "/o/acme/customers", "999999", 404, ""},
		{"edit to another organization's team", "owner", bruno, foreign, 404, ""},
		{"not a number", "owner", "/o/acme/customers", "North", 422, malformed},
		{"leading zero", "owner", "/o/acme/customers", "0" + north, 422, malformed},
		{"team scope, another team", "super", "/o/acme/customers", south, 422, notChoosable},
		{"own scope, another team", "agentA", "/o/acme/customers", north, 422, notChoosable},
		{"own scope, edit to another team", "agentA", anna, north, 422, notChoosable},
		{"in no team", "agentB", "/o/acme/customers", north, 422, notChoosable},
		{"in no team, edit to another team", "agentB", bruno, south, 422, notChoosable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"name": {"Refused Customer"}, "team": {tc.team}}
			if tc.path != "/o/acme/customers" {
				form.Set("name", map[string]string{bruno: "Bruno Bear", anna: "Anna Aardvark"}[tc.path])
			}
			for _, r := range []struct {
				htmx bool
				resp func() (int, string)
			}{
				{false, func() (int, string) { r := f.clients[tc.actor].Post(tc.path, form); return r.Status, r.Body }},
				{true, func() (int, string) { r := f.clients[tc.actor].PostHTMX(tc.path, form); return r.Status, r.Body }},
			} {
				status, body := r.resp()
				if status != tc.status {
					t.Fatalf("htmx %v: %d, want %d; %.300s", r.htmx, status, tc.status, body)
				}
				if tc.message != "" && (!strings.Contains(body, tc.message) || !strings.Contains(body, `id="f-team-error"`) ||
					!strings.Contains(body, `aria-describedby="f-team-error"`)) {
					t.Errorf("htmx %v: the message is not next to the team field: %.600s", r.htmx, body)
				}
				if r.htmx && status == 422 && !strings.HasPrefix(strings.TrimSpace(body), "<form") {
					t.Errorf("htmx: want the form alone")
				}
				if strings.Contains(body, "Refused Customer") && tc.status == 404 {
					t.Error("a 404 shows the form")
				}
			}
			if n := f.count(t); n != before {
				t.Fatalf("customers %d → %d", before, n)
			}
			if b, a := f.customer(t, f.cust["Bruno Bear"]), f.customer(t, f.cust["Anna Aardvark"]); b.TeamID != f.north || a.TeamID != 0 {
				t.Fatalf("teams changed: Bruno %d, Anna %d", b.TeamID, a.TeamID)
			}
		})
	}

	// Grants. All scope: any team of the organization.
	r := f.clients["owner"].Post("/o/acme/customers", url.Values{"name": {"Nora North"}, "team": {north}, "assigned_to": {""}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("owner create: %d %.300s", r.Status, r.Body)
	}
	noraPath := r.Location
	nora, _ := strconv.ParseInt(strings.TrimPrefix(noraPath, "/o/acme/customers/"), 10, 64)
	if cu := f.customer(t, nora); cu.TeamID != f.north || cu.AssignedTo != 0 {
		t.Fatalf("Nora: team %d, assignee %d", cu.TeamID, cu.AssignedTo)
	}
	if body := f.clients["owner"].Follow(r).Body; !strings.Contains(body, "<dt>Team</dt>") || !strings.Contains(body, "North") {
		t.Error("Nora's page does not name her team")
	}
	if body := f.clients["owner"].Get(f.cpath("Una Unassigned", "")).Body; !strings.Contains(body, "<dt>Team</dt>") ||
		!strings.Contains(body, `<span class="muted">None</span>`) {
		t.Error("a customer without team: the page does not say None")
	}
	list := f.clients["owner"].Get("/o/acme/customers/all?q=nora").Body
	if !strings.Contains(list, `<th scope="col">Team</th>`) || !strings.Contains(list, `<td data-label="Team">North</td>`) {
		t.Errorf("the list lacks the Team column: %.2000s", list)
	}

	// Team scope: their own team; own scope likewise; the assignee is kept.
	r = f.clients["super"].Post("/o/acme/customers", url.Values{"name": {"Sven Super"}, "team": {north}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("super create: %d %.300s", r.Status, r.Body)
	}
	sven, _ := strconv.ParseInt(strings.TrimPrefix(r.Location, "/o/acme/customers/"), 10, 64)
	if cu := f.customer(t, sven); cu.TeamID != f.north || cu.AssignedTo != f.members["super"].ID {
		t.Fatalf("Sven: team %d, assignee %d", cu.TeamID, cu.AssignedTo)
	}
	if r := f.clients["agentA"].Post(anna, url.Values{"name": {"Anna Aardvark"}, "team": {south}}); r.Status != http.StatusSeeOther || r.Location != anna {
		t.Fatalf("agentA sets Anna's team: %d %s", r.Status, r.Location)
	}
	if cu := f.customer(t, f.cust["Anna Aardvark"]); cu.TeamID != f.south || cu.AssignedTo != f.members["agentA"].ID {
		t.Fatalf("Anna: team %d, assignee %d", cu.TeamID, cu.AssignedTo)
	}
	// A form without the field keeps the team; the current team may be
	// kept by one who is not in it; none is always a choice.
	if r := f.clients["agentB"].Post(bruno, url.Values{"name": {"Bruno Bear"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("agentB edit without team: %d", r.Status)
	}
	if cu := f.customer(t, f.cust["Bruno Bear"]); cu.TeamID != f.north {
		t.Fatalf("Bruno's team %d after an edit without the field, want North", cu.TeamID)
	}
	if r := f.clients["agentB"].Post(bruno, url.Values{"name": {"Bruno Bear"}, "team": {north}}); r.Status != http.StatusSeeOther {
		t.Fatalf("agentB keeps North: %d %.300s", r.Status, r.Body)
	}
	if r := f.clients["agentB"].Post(bruno, url.Values{"name": {"Bruno Bear"}, "team": {""}}); r.Status != http.StatusSeeOther || r.Location != bruno {
		t.Fatalf("agentB sets no team: %d %s", r.Status, r.Location)
	}
	if cu := f.customer(t, f.cust["Bruno Bear"]); cu.TeamID != 0 || cu.AssignedTo != f.members["agentB"].ID {
		t.Fatalf("Bruno: team %d, assignee %d", cu.TeamID, cu.AssignedTo)
	}
	// A supervisor handing a team's customer to no team loses it from
	// their scope: back to the list, not to a 404; the assignee is kept.
	if r := f.clients["super"].Get(noraPath); r.Status != http.StatusOK {
		t.Fatalf("super reads North's Nora: %d", r.Status)
	}
	if r := f.clients["super"].Post(noraPath, url.Values{"name": {"Nora North"}, "team": {""}, "assigned_to": {itoa(f.members["super"].ID)}}); r.Status != http.StatusSeeOther || r.Location != "/o/acme/customers" {
		t.Fatalf("super sets Nora's team to none: %d %q", r.Status, r.Location)
	}
	if cu := f.customer(t, nora); cu.TeamID != 0 || cu.AssignedTo != 0 {
		t.Fatalf("Nora: team %d, assignee %d", cu.TeamID, cu.AssignedTo)
	}
	if r := f.clients["super"].Get(noraPath); r.Status != http.StatusNotFound {
		t.Errorf("Nora out of the supervisor's scope: %d, want 404", r.Status)
	}
}

// The walk, as a new owner would take it over HTTP: two teams, a
// supervisor made member and lead of Alpha, customers given to both teams;
// the supervisor's "My teams" holds Alpha's customers (and the one assigned
// to them) and never Beta's: on the page, in search, in the CSV and in the
// dashboard's figures; Beta's customer's page, form and save are 404.
func TestTeamsWalk(t *testing.T) {
	app := testkit.NewApp(t)
	acme := app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, app.CreateUser("owner@walk.test", "Olivia Owner", fxPassword))
	sup := app.Join(acme, "super@walk.test", "Stella Supervisor", fxPassword, access.RoleSupervisor)
	owner, super := app.LoginAs("owner@walk.test", fxPassword), app.LoginAs("super@walk.test", fxPassword)
	const teams = "/o/acme/settings/service_teams"

	team := map[string]string{} // name → id
	for _, name := range []string{"Alpha", "Beta"} {
		r := owner.Post(teams, url.Values{"name": {name}})
		id, ok := strings.CutPrefix(r.Location, teams+"/")
		if r.Status != http.StatusSeeOther || !ok {
			t.Fatalf("create team %s: %d %q", name, r.Status, r.Location)
		}
		team[name] = id
	}
	alpha := teams + "/" + team["Alpha"]
	if r := owner.Post(alpha+"/members", url.Values{"email": {"super@walk.test"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add the supervisor to Alpha: %d", r.Status)
	}
	if r := owner.Post(alpha+"/members/"+itoa(sup.ID)+"/lead", url.Values{"lead": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("make the supervisor Alpha's lead: %d", r.Status)
	}

	ids := map[string]string{} // customer name → id
	for _, c := range []struct{ name, team, assignee string }{
		{"Ada Alpha", "Alpha", ""},
		{"Alma Alpha", "Alpha", ""},
		{"Bert Beta", "Beta", ""},
		{"Bea Beta", "Beta", ""},
		{"Nils Nobody", "", ""},
		{"Sam Served", "Beta", itoa(sup.ID)}, // Beta's, but assigned to the supervisor
	} {
		r := owner.Post("/o/acme/customers", url.Values{"name": {c.name}, "team": {team[c.team]}, "assigned_to": {c.assignee}})
		id, ok := strings.CutPrefix(r.Location, "/o/acme/customers/")
		if r.Status != http.StatusSeeOther || !ok {
			t.Fatalf("create %s: %d %.300s", c.name, r.Status, r.Body)
		}
		ids[c.name] = id
	}
	mine := []string{"Ada Alpha", "Alma Alpha", "Sam Served"}
	others := []string{"Bert Beta", "Bea Beta", "Nils Nobody"}
	shows := func(what, body string, want, not []string) {
		t.Helper()
		for _, n := range want {
			if !strings.Contains(body, n) {
				t.Errorf("%s lacks %s", what, n)
			}
		}
		for _, n := range not {
			if strings.Contains(body, n) {
				t.Errorf("%s shows %s", what, n)
			}
		}
	}

	// The page and its search.
	r := super.Get("/o/acme/customers/team")
	if r.Status != http.StatusOK {
		t.Fatalf("My teams: %d", r.Status)
	}
	shows("My teams", r.Body, append([]string{"1–3 of 3", `<td data-label="Team">Alpha</td>`, `aria-current="page">My teams</a>`}, mine...), others)
	shows("My teams ?q=beta", super.Get("/o/acme/customers/team?q=beta").Body, []string{"No customers match"}, append(others, mine...))
	shows("My teams ?q=al", super.Get("/o/acme/customers/team?q=al").Body, []string{"Ada Alpha", "Alma Alpha", "1–2 of 2"}, append(others, "Sam Served"))
	shows("Those I serve", super.Get("/o/acme/customers/mine").Body, []string{"Sam Served"}, append(others, "Ada Alpha", "Alma Alpha"))
	if r := super.Get("/o/acme/customers/all"); r.Status != http.StatusForbidden {
		t.Errorf("the supervisor's /customers/all: %d, want 403", r.Status)
	}

	// The CSV, from the list and as the scope.
	want := csvOf("id,name,email,phone,company,notes,assigned_to,team",
		ids["Ada Alpha"]+",Ada Alpha,,,,,,Alpha",
		ids["Alma Alpha"]+",Alma Alpha,,,,,,Alpha",
		ids["Sam Served"]+",Sam Served,,,,,Stella Supervisor,Beta")
	for _, p := range []string{"/o/acme/customers/export.csv?list=team", "/o/acme/customers/export.csv", "/o/acme/customers/export.csv?list=all"} {
		if r := super.Get(p); r.Status != http.StatusOK || r.Body != want {
			t.Errorf("GET %s: %d\n%s\nwant:\n%s", p, r.Status, r.Body, want)
		}
	}
	if r := super.Get("/o/acme/customers/export.csv?list=team&q=bert"); r.Body != csvOf("id,name,email,phone,company,notes,assigned_to,team") {
		t.Errorf("export q=bert: %s", r.Body)
	}

	// The dashboard: 3 customers of their teams, 1 they serve; the owner
	// (all scope, in no team) sees 6, their teams' 0 and 0 served.
	figures := func(c *testkit.Client) map[string]string {
		t.Helper()
		r := c.Get("/o/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("dashboard: %d", r.Status)
		}
		out := map[string]string{}
		for _, m := range statFigure.FindAllStringSubmatch(r.Body, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	if got := figures(super); len(got) != 2 || got["Customers of your teams"] != "3" || got["Customers you serve"] != "1" {
		t.Errorf("supervisor's figures %v", got)
	}
	if got := figures(owner); len(got) != 3 || got["Customers you can see"] != "6" || got["Customers of your teams"] != "0" || got["Customers you serve"] != "0" {
		t.Errorf("owner's figures %v", got)
	}

	// Beta's customer is out of reach; nothing of it changes.
	bert := "/o/acme/customers/" + ids["Bert Beta"]
	for _, r := range []*testkit.Response{super.Get(bert), super.Get(bert + "/edit"), super.Post(bert, url.Values{"name": {"Hijacked"}, "team": {team["Alpha"]}})} {
		if r.Status != http.StatusNotFound || strings.Contains(r.Body, "Bert Beta") {
			t.Errorf("Beta's customer: %d, want 404 without its name", r.Status)
		}
	}
	if r := owner.Get(bert); !strings.Contains(r.Body, "Bert Beta") || !strings.Contains(r.Body, "Beta") || strings.Contains(r.Body, "Hijacked") {
		t.Error("Bert Beta changed")
	}
	// Alpha's customer is in reach: page and form.
	ada := "/o/acme/customers/" + ids["Ada Alpha"]
	if r := super.Get(ada + "/edit"); r.Status != http.StatusOK || !strings.Contains(r.Body, `<option value="`+team["Alpha"]+`" selected>Alpha</option>`) {
		t.Errorf("Ada's form for the supervisor: %d", r.Status)
	}
}

// statFigure is a dashboard figure: its label and value.
var statFigure = regexp.MustCompile(`<div class="stat-label">([^<]+)</div>\s*<div class="stat-value">(\d+)</div>`)

// "Customers" in the sidebar and /o/{slug}/customers, for own, team and all
// scope in an organization with a team, and team and all scope in one
// without: "My teams" only with team scope or more and a team in the
// organization, else /customers/team is 403; a parent with one visible
// child is a plain link to it, so own scope lands on "Those I serve".
func TestCustomersMenuAndLanding(t *testing.T) {
	app := testkit.NewApp(t)
	acme := app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, app.CreateUser("owner@menu.test", "Acme Owner", fxPassword))
	initech := app.CreateOrg("Initech", "initech", []string{"crm"}, app.CreateUser("owner@initech.test", "Initech Owner", fxPassword))
	sup := app.Join(acme, "super@menu.test", "Acme Supervisor", fxPassword, access.RoleSupervisor)
	app.Join(acme, "agent@menu.test", "Acme Agent", fxPassword, access.RoleAgent)
	app.Join(initech, "super@initech.test", "Initech Supervisor", fxPassword, access.RoleSupervisor)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		id, err := tx.CreateTeam(ctx, acme.ID, "North", "")
		if err == nil {
			_, err = tx.AddTeamMember(ctx, acme.ID, id, sup.ID)
		}
		return err
	})
	for _, tc := range []struct {
		name, email, slug string
		home              string   // where /customers sends them
		link              string   // "Customers" as a plain link ("" for a group)
		children          []string // the group's entries
		team              int      // GET /customers/team
	}{
		{"own scope", "agent@menu.test", "acme", "mine", "mine", nil, http.StatusForbidden},
		{"team scope", "super@menu.test", "acme", "mine", "", []string{"Those I serve", "My teams"}, http.StatusOK},
		{"all scope", "owner@menu.test", "acme", "all", "", []string{"Those I serve", "My teams", "All"}, http.StatusOK},
		{"team scope, no teams", "super@initech.test", "initech", "mine", "mine", nil, http.StatusForbidden},
		{"all scope, no teams", "owner@initech.test", "initech", "all", "", []string{"Those I serve", "All"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := app.LoginAs(tc.email, fxPassword)
			base := "/o/" + tc.slug + "/customers"
			if r := c.Get(base); r.Status != http.StatusSeeOther || r.Location != base+"/"+tc.home {
				t.Errorf("GET /customers: %d → %q, want %s", r.Status, r.Location, base+"/"+tc.home)
			}
			r := c.Get(base + "/mine")
			if r.Status != http.StatusOK {
				t.Fatalf("GET /customers/mine: %d", r.Status)
			}
			link, children := customersMenu(t, r.Body)
			want := ""
			if tc.link != "" {
				want = base + "/" + tc.link
			}
			if link != want || strings.Join(children, ", ") != strings.Join(tc.children, ", ") {
				t.Errorf("Customers menu: link %q, children %q; want link %q, children %q", link, children, want, tc.children)
			}
			if got := c.Get(base + "/team"); got.Status != tc.team {
				t.Errorf("GET /customers/team: %d, want %d", got.Status, tc.team)
			}
			if tabs := strings.Contains(r.Body, `href="`+base+`/team"`); tabs != (tc.team == http.StatusOK) {
				t.Errorf("the page links My teams: %v", tabs)
			}
		})
	}
}

// customersMenu reads the sidebar's "Customers": the href of a plain link,
// or the labels of a group's entries.
func customersMenu(t *testing.T, body string) (link string, children []string) {
	t.Helper()
	start, end := strings.Index(body, `<nav class="sidenav"`), -1
	if start >= 0 {
		end = strings.Index(body[start:], "</nav>")
	}
	if end < 0 {
		t.Fatal("no sidebar")
	}
	nav := body[start : start+end]
	at := strings.Index(nav, `<span class="sidenav-label">Customers</span>`)
	if at < 0 {
		t.Fatal("no Customers in the sidebar")
	}
	a, group := strings.LastIndex(nav[:at], "<a "), strings.LastIndex(nav[:at], "<summary")
	if a > group {
		m := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(nav[a:at])
		if m == nil {
			t.Fatal("Customers link without href")
		}
		return m[1], nil
	}
	sub := nav[at:]
	sub = sub[:strings.Index(sub, "</details>")]
	for _, m := range regexp.MustCompile(`<span class="sidenav-label">([^<]+)</span>`).FindAllStringSubmatch(sub, -1)[1:] {
		children = append(children, m[1])
	}
	return "", children
}
