package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
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
