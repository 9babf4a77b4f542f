package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// teamByName finds a team of acme by name (false when there is none).
func teamByName(t *testing.T, app *testkit.App, orgID int64, name string) (domain.Team, bool) {
	t.Helper()
	ts, _, err := app.DB.Teams(context.Background(), orgID, store.TeamQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range ts {
		if tm.Name == name {
			return tm, true
		}
	}
	return domain.Team{}, false
}

// The service teams screens as an admin holding every service_teams
// action: list with counts and search, create (409 for a name in use, 422
// for none, next to the field), rename, members by email, lead, remove,
// delete moving the records, and another organization's ids as 404.
func TestServiceTeamsScreensGrants(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	org := app.Org(demo.OrgSlug)
	c := app.LoginAs(demo.AdminEmail, demo.Password)
	base := "/o/" + demo.OrgSlug + "/settings/service_teams"

	r := c.Get(base)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, ">EMEA</a>") || !strings.Contains(r.Body, ">Americas</a>") ||
		!strings.Contains(r.Body, `id="new-team"`) || !strings.Contains(r.Body, " members</td>") {
		t.Fatalf("list (%d) lacks the teams, their counts or the New team form", r.Status)
	}
	if r := c.Get(base + "?q=EME"); r.Status != http.StatusOK || !strings.Contains(r.Body, ">EMEA</a>") || strings.Contains(r.Body, ">Americas</a>") {
		t.Errorf("search EME (%d): want EMEA only", r.Status)
	}
	if r := c.Get(base + "?q=nothing-like-it"); r.Status != http.StatusOK || !strings.Contains(r.Body, "No teams match") {
		t.Errorf("search without result (%d): no empty state", r.Status)
	}

	// Create: refusals next to the name field, nothing written.
	if r := c.Post(base, url.Values{"name": {" emea "}}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "already exists") || !strings.Contains(r.Body, `aria-invalid="true"`) {
		t.Errorf("duplicate name: %d", r.Status)
	}
	if r := c.Post(base, url.Values{"name": {"  "}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter a name for the team.") {
		t.Errorf("empty name: %d", r.Status)
	}
	if _, ok := teamByName(t, app, org.ID, ""); ok {
		t.Fatal("an empty team was written")
	}
	r = c.Post(base, url.Values{"name": {"Nordics"}, "description": {"North of Europe."}})
	nordics, ok := teamByName(t, app, org.ID, "Nordics")
	if r.Status != http.StatusSeeOther || !ok || r.Location != base+"/"+strconv.FormatInt(nordics.ID, 10) {
		t.Fatalf("create: %d %q (created %v)", r.Status, r.Location, ok)
	}
	team := base + "/" + strconv.FormatInt(nordics.ID, 10)
	if r := c.Get(team); r.Status != http.StatusOK || !strings.Contains(r.Body, "No members yet") || !strings.Contains(r.Body, "Delete Nordics") {
		t.Errorf("new team's page (%d): no empty members state or delete form", r.Status)
	}

	// Rename: a taken name is 409, a new one saved.
	if r := c.Post(team, url.Values{"name": {"Americas"}}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "already exists") {
		t.Errorf("rename to a taken name: %d", r.Status)
	}
	if r := c.Post(team, url.Values{"name": {"Nordic countries"}, "description": {"Norden."}}); r.Status != http.StatusSeeOther {
		t.Errorf("rename: %d", r.Status)
	}
	if got, _ := app.DB.Team(ctx, org.ID, nordics.ID); got.Name != "Nordic countries" || got.Description != "Norden." {
		t.Errorf("after rename: %+v", got)
	}

	// Members by email, leads, removal.
	if r := c.Post(team+"/members", url.Values{"email": {"nobody@nowhere.test"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "is not a member of") {
		t.Errorf("add an unknown address: %d", r.Status)
	}
	if r := c.Post(team+"/members", url.Values{"email": {demo.GlobexOwnerEmail}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("add another organization's member: %d", r.Status)
	}
	if r := c.Post(team+"/members", url.Values{"email": {demo.AgentEmail}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add the agent: %d", r.Status)
	}
	ms, _, err := app.DB.TeamMembers(ctx, org.ID, nordics.ID, store.TeamMemberQuery{})
	if err != nil || len(ms) != 1 || ms[0].Email != demo.AgentEmail {
		t.Fatalf("members after add: %+v %v", ms, err)
	}
	mid := strconv.FormatInt(ms[0].MembershipID, 10)
	if r := c.Get(team + "/candidates?email=agent"); r.Status != http.StatusOK || !strings.Contains(r.Body, demo.AgentEmail) {
		t.Errorf("candidates (%d) lack the agent", r.Status)
	}
	if r := c.Post(team+"/members/"+mid+"/lead", url.Values{"lead": {"1"}}); r.Status != http.StatusSeeOther {
		t.Errorf("make lead: %d", r.Status)
	}
	if r := c.Get(team); !strings.Contains(r.Body, "Not lead") {
		t.Error("the lead is not marked")
	}
	other, _ := teamByName(t, app, org.ID, demo.TeamAmericas)
	notIn := app.DemoIDs().AgentMember // the agent is in EMEA, not Americas
	if r := c.Post(base+"/"+strconv.FormatInt(other.ID, 10)+"/members/"+strconv.FormatInt(notIn, 10)+"/lead", url.Values{"lead": {"1"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "A lead must be a member") {
		t.Errorf("lead who is not a member: %d", r.Status)
	}
	if r := c.Post(team+"/members/"+mid+"/remove", nil); r.Status != http.StatusSeeOther {
		t.Errorf("remove: %d", r.Status)
	}
	if ms, _, _ := app.DB.TeamMembers(ctx, org.ID, nordics.ID, store.TeamMemberQuery{}); len(ms) != 0 {
		t.Errorf("members after remove: %+v", ms)
	}

	// Another organization's (or no) team: 404 everywhere.
	for _, p := range []string{base + "/999999", base + "/abc"} {
		if r := c.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
		if r := c.Post(p, url.Values{"name": {"X"}}); r.Status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", p, r.Status)
		}
	}

	// Delete EMEA: its records move to the team picked, in one go; a heir
	// that is no team of the organization is a 404 and nothing moves.
	emea, _ := teamByName(t, app, org.ID, demo.TeamEMEA)
	owned, err := app.DB.TeamRecordCount(ctx, org.ID, emea.ID)
	if err != nil || owned == 0 {
		t.Fatalf("EMEA owns %d records (%v)", owned, err)
	}
	emeaPath := base + "/" + strconv.FormatInt(emea.ID, 10)
	if r := c.Get(emeaPath); !strings.Contains(r.Body, "takes over its "+strconv.Itoa(owned)+" records") {
		t.Error("the delete form does not ask who takes over the records")
	}
	if r := c.Post(emeaPath+"/delete", url.Values{"move_to": {"999999"}}); r.Status != http.StatusNotFound {
		t.Errorf("delete with a foreign heir: %d, want 404", r.Status)
	}
	if r := c.Post(emeaPath+"/delete", url.Values{"move_to": {strconv.FormatInt(other.ID, 10)}}); r.Status != http.StatusSeeOther || r.Location != base {
		t.Fatalf("delete: %d %q", r.Status, r.Location)
	}
	if _, ok := teamByName(t, app, org.ID, demo.TeamEMEA); ok {
		t.Error("EMEA still exists")
	}
	if n, _ := app.DB.TeamRecordCount(ctx, org.ID, other.ID); n < owned {
		t.Errorf("Americas owns %d records after taking over %d", n, owned)
	}
}

// Denials: the supervisor holds service_teams_view only: the pages show no
// edit controls and every change is a 403 that writes nothing; the agent
// has no service_teams at all.
func TestServiceTeamsScreensDenials(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	org := app.Org(demo.OrgSlug)
	base := "/o/" + demo.OrgSlug + "/settings/service_teams"
	emea, _ := teamByName(t, app, org.ID, demo.TeamEMEA)
	team := base + "/" + strconv.FormatInt(emea.ID, 10)
	before, _, _ := app.DB.TeamMembers(ctx, org.ID, emea.ID, store.TeamMemberQuery{})
	agent := strconv.FormatInt(app.DemoIDs().AgentMember, 10)

	c := app.LoginAs(demo.SupervisorEmail, demo.Password)
	if r := c.Get(base); r.Status != http.StatusOK || !strings.Contains(r.Body, ">EMEA</a>") || strings.Contains(r.Body, `id="new-team"`) {
		t.Errorf("list for a viewer (%d): want the teams, no New team form", r.Status)
	}
	r := c.Get(team)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, demo.AgentEmail) {
		t.Fatalf("team page for a viewer: %d", r.Status)
	}
	for _, ctl := range []string{"Add member", "Make lead", "Remove", "Delete EMEA", `action="` + team + `"`} {
		if strings.Contains(r.Body, ctl) {
			t.Errorf("viewer sees %q", ctl)
		}
	}
	for _, w := range []struct {
		path string
		form url.Values
	}{
		{base, url.Values{"name": {"Sneaky"}}},
		{team, url.Values{"name": {"Renamed"}}},
		{team + "/delete", nil},
		{team + "/members", url.Values{"email": {demo.OwnerEmail}}},
		{team + "/members/" + agent + "/remove", nil},
		{team + "/members/" + agent + "/lead", url.Values{"lead": {"1"}}},
	} {
		if r := c.Post(w.path, w.form); r.Status != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", w.path, r.Status)
		}
	}
	if r := c.Get(team + "/candidates?email=a"); r.Status != http.StatusForbidden {
		t.Errorf("viewer candidates: %d, want 403", r.Status)
	}
	after, _, _ := app.DB.TeamMembers(ctx, org.ID, emea.ID, store.TeamMemberQuery{})
	got, _ := app.DB.Team(ctx, org.ID, emea.ID)
	if _, sneaky := teamByName(t, app, org.ID, "Sneaky"); sneaky || got.Name != demo.TeamEMEA || len(after) != len(before) {
		t.Error("a refused change was written")
	}

	a := app.LoginAs(demo.AgentEmail, demo.Password)
	for _, p := range []string{base, team} {
		if r := a.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("agent GET %s: %d, want 403", p, r.Status)
		}
	}
}

// A member's page names their teams, leads marked; one in none says so.
func TestMemberPageShowsTeams(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	snap, err := app.DB.OrgSnapshot(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	c := app.LoginAs(demo.OwnerEmail, demo.Password)
	want := map[string]string{
		demo.SupervisorEmail:   "<dt>Teams</dt><dd>EMEA (lead)</dd>",
		demo.AgentEmail:        "<dt>Teams</dt><dd>EMEA</dd>",
		demo.AgentLimitedEmail: `<dt>Teams</dt><dd><span class="subtle">None</span></dd>`,
	}
	for _, m := range snap.Members {
		w, ok := want[m.Email]
		if !ok {
			continue
		}
		delete(want, m.Email)
		r := c.Get("/o/" + demo.OrgSlug + "/settings/members/" + strconv.FormatInt(m.ID, 10))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, w) {
			t.Errorf("%s's page (%d) lacks %s", m.Email, r.Status, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("demo members not found: %v", want)
	}
}
