package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// demoTeamRecords counts the demo customers team owns that are not
// assigned to email: what team scope gains or loses with the team.
func demoTeamRecords(team, email string) int {
	n := 0
	for _, c := range demo.Customers() {
		if c.Org == demo.OrgSlug && c.Team == team && c.Assignee != email {
			n++
		}
	}
	return n
}

// teamMemberID is the membership id of email in team (fatal when absent).
func teamMemberID(t *testing.T, app *testkit.App, orgID, team int64, email string) string {
	t.Helper()
	ms, _, err := app.DB.TeamMembers(context.Background(), orgID, team, store.TeamMemberQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Email == email {
			return strconv.FormatInt(m.MembershipID, 10)
		}
	}
	t.Fatalf("%s is not in team %d", email, team)
	return ""
}

// Team changes previewed before they are confirmed: the supervisor (team
// scope on customers) gains the Americas' customers and would lose EMEA's;
// the agent (own scope) is unaffected and the panel says so; a lead change
// grants nothing. The previews write nothing; bad input is refused in the
// panel; another organization's or a non-member's id is a 404.
func TestTeamChangePreviews(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	org := app.Org(demo.OrgSlug)
	c := app.LoginAs(demo.AdminEmail, demo.Password)
	base := "/o/" + demo.OrgSlug + "/settings/service_teams/"
	emea, _ := teamByName(t, app, org.ID, demo.TeamEMEA)
	americas, _ := teamByName(t, app, org.ID, demo.TeamAmericas)
	emeaURL, amURL := base+strconv.FormatInt(emea.ID, 10), base+strconv.FormatInt(americas.ID, 10)
	before, _, _ := app.DB.TeamMembers(ctx, org.ID, americas.ID, store.TeamMemberQuery{})

	// The page carries the add form's panel and the rows' confirm step.
	r := c.Get(emeaURL)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="team-preview"`) || !strings.Contains(r.Body, `hx-post="`+emeaURL+`/members/preview"`) ||
		!strings.Contains(r.Body, `hx-target="#team-confirm"`) {
		t.Fatalf("team page (%d) lacks the preview panel or the confirm step", r.Status)
	}

	// Adding: team scope gains the team's customers it does not serve.
	gain := demoTeamRecords(demo.TeamAmericas, demo.SupervisorEmail)
	if gain == 0 {
		t.Fatal("the demo's Americas owns no customer: the test proves nothing")
	}
	r = c.PostHTMX(amURL+"/members/preview", url.Values{"email": {demo.SupervisorEmail}})
	if want := "will see " + strconv.Itoa(gain) + " more customers (team scope on Customers)."; r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
		t.Errorf("add preview for the supervisor (%d): want %q in %s", r.Status, want, r.Body)
	}
	// Own scope: unaffected, and said.
	r = c.PostHTMX(amURL+"/members/preview", url.Values{"email": {demo.AgentEmail}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "scope on Customers is own: this team changes nothing they see.") || strings.Contains(r.Body, "more customers") {
		t.Errorf("add preview for the agent (own scope) (%d): %s", r.Status, r.Body)
	}
	// Already in the team.
	if r := c.PostHTMX(emeaURL+"/members/preview", url.Values{"email": {demo.SupervisorEmail}}); r.Status != http.StatusOK || !strings.Contains(r.Body, "is already in EMEA") {
		t.Errorf("add preview for a member already in (%d): %s", r.Status, r.Body)
	}
	// Bad input: the refusal in the panel, nothing written.
	if r := c.PostHTMX(amURL+"/members/preview", url.Values{"email": {"nobody@nowhere.test"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "is not a member of") {
		t.Errorf("add preview for an unknown address: %d", r.Status)
	}
	if r := c.PostHTMX(amURL+"/members/preview", url.Values{"email": {demo.GlobexOwnerEmail}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("add preview for another organization's member: %d", r.Status)
	}
	if r := c.PostHTMX(amURL+"/members/preview", nil); r.Status != http.StatusOK || !strings.Contains(r.Body, "see what adding them to Americas changes") {
		t.Errorf("add preview without an address: %d", r.Status)
	}

	// Removing: team scope loses the team's customers, with the button that does it.
	sup := teamMemberID(t, app, org.ID, emea.ID, demo.SupervisorEmail)
	loss := demoTeamRecords(demo.TeamEMEA, demo.SupervisorEmail)
	r = c.PostHTMX(emeaURL+"/members/"+sup+"/preview", url.Values{"change": {"remove"}})
	if want := "will lose " + strconv.Itoa(loss) + " customers of team EMEA (team scope on Customers)."; r.Status != http.StatusOK || !strings.Contains(r.Body, want) ||
		!strings.Contains(r.Body, `id="team-change-preview"`) || !strings.Contains(r.Body, `action="`+emeaURL+`/members/`+sup+`/remove"`) || !strings.Contains(r.Body, `data-dismiss=".team-confirm"`) {
		t.Errorf("remove preview for the supervisor (%d): want %q and the confirm form in %s", r.Status, want, r.Body)
	}
	agent := teamMemberID(t, app, org.ID, emea.ID, demo.AgentEmail)
	if r := c.PostHTMX(emeaURL+"/members/"+agent+"/preview", url.Values{"change": {"remove"}}); r.Status != http.StatusOK || !strings.Contains(r.Body, "scope on Customers is own: this team changes nothing they see.") {
		t.Errorf("remove preview for the agent: %d", r.Status)
	}
	// Lead: grants nothing.
	if r := c.PostHTMX(emeaURL+"/members/"+agent+"/preview", url.Values{"change": {"lead"}}); r.Status != http.StatusOK || !strings.Contains(r.Body, "Being a lead grants nothing") ||
		!strings.Contains(r.Body, `name="lead" value="1"`) {
		t.Errorf("lead preview: %d", r.Status)
	}
	if r := c.PostHTMX(emeaURL+"/members/"+agent+"/preview", url.Values{"change": {"promote"}}); r.Status != http.StatusBadRequest {
		t.Errorf("unknown change: %d, want 400", r.Status)
	}
	// Not in this team, another organization's member, another organization's team: 404.
	if r := c.PostHTMX(amURL+"/members/"+sup+"/preview", url.Values{"change": {"remove"}}); r.Status != http.StatusNotFound {
		t.Errorf("preview for a member not in the team: %d, want 404", r.Status)
	}
	if r := c.PostHTMX(emeaURL+"/members/"+strconv.FormatInt(app.DemoIDs().GlobexMember, 10)+"/preview", url.Values{"change": {"remove"}}); r.Status != http.StatusNotFound {
		t.Errorf("preview for another organization's member: %d, want 404", r.Status)
	}

	after, _, _ := app.DB.TeamMembers(ctx, org.ID, americas.ID, store.TeamMemberQuery{})
	if len(after) != len(before) || teamMemberID(t, app, org.ID, emea.ID, demo.SupervisorEmail) != sup {
		t.Error("a preview wrote a team change")
	}

	// The save repeats the panel's sentence.
	r = c.Post(amURL+"/members", url.Values{"email": {demo.SupervisorEmail}})
	if want := "will see " + strconv.Itoa(gain) + " more customers"; r.Status != http.StatusSeeOther || !strings.Contains(c.Follow(r).Body, want) {
		t.Errorf("add (%d): the flash lacks %q", r.Status, want)
	}
	supAm := teamMemberID(t, app, org.ID, americas.ID, demo.SupervisorEmail)
	r = c.Post(amURL+"/members/"+supAm+"/remove", nil)
	if want := "will lose " + strconv.Itoa(gain) + " customers of team Americas"; r.Status != http.StatusSeeOther || !strings.Contains(c.Follow(r).Body, want) {
		t.Errorf("remove (%d): the flash lacks %q", r.Status, want)
	}
}

// The previews are guarded like the changes: the supervisor holds
// service_teams_view only, so both are 403 and write nothing.
func TestTeamChangePreviewsDenied(t *testing.T) {
	app := testkit.NewDemoApp(t)
	org := app.Org(demo.OrgSlug)
	emea, _ := teamByName(t, app, org.ID, demo.TeamEMEA)
	team := "/o/" + demo.OrgSlug + "/settings/service_teams/" + strconv.FormatInt(emea.ID, 10)
	agent := strconv.FormatInt(app.DemoIDs().AgentMember, 10)
	c := app.LoginAs(demo.SupervisorEmail, demo.Password)
	if r := c.PostHTMX(team+"/members/preview", url.Values{"email": {demo.OwnerEmail}}); r.Status != http.StatusForbidden || strings.Contains(r.Body, "team-preview") {
		t.Errorf("viewer's add preview: %d, want 403", r.Status)
	}
	if r := c.PostHTMX(team+"/members/"+agent+"/preview", url.Values{"change": {"remove"}}); r.Status != http.StatusForbidden || strings.Contains(r.Body, "team-confirm") {
		t.Errorf("viewer's remove preview: %d, want 403", r.Status)
	}
}
