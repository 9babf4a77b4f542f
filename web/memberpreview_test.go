package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"gatehouse/internal/testkit"
)

// The member page's previews (ARCHITECTURE.md, Previews): the groups and
// role forms post their unsaved values and get back what saving would
// change, with the layer rule where it bites; the save says the same.
func TestMemberPagePreviewStatesTheLayerRule(t *testing.T) {
	fx := newGroupsFx(t)
	member := func(key string) string {
		return "/o/acme/settings/members/" + strconv.FormatInt(fx.members[key].ID, 10)
	}
	night := strconv.FormatInt(fx.mustGroup("Night shift").ID, 10)
	intoNight := url.Values{"groups_sent": {"1"}, "groups": {night}}
	noGroups := url.Values{"groups_sent": {"1"}}
	globexMember := "/o/acme/settings/members/" + strconv.FormatInt(fx.globexOwnerMembership(t), 10)
	before := fx.snapshot()
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the page has idle panels", Actor: "admin", Path: member("dave"), Status: 200,
			Contains: []string{`id="member-role-preview"`, `id="member-groups-preview"`, "Tick or untick a group to see what it changes for Dave Loner.",
				`hx-post="` + member("dave") + `/preview"`}},
		{Name: "a group replaces the role", Actor: "admin", Method: "POST", Path: member("dave") + "/preview", Form: intoNight, HTMX: true, Status: 200,
			Contains:    []string{"Dave Loner will be in a group, so their role (Agent) is no longer used: they will lose Customers and Pipelines.", "Conversations: Reply"},
			NotContains: []string{"<html"}},
		{Name: "leaving the last group brings the role back", Actor: "admin", Method: "POST", Path: member("agent") + "/preview", Form: noGroups, HTMX: true,
			Status: 200, Contains: []string{"Aggie Agent will be in no group, so their role template (Agent) decides again: they will gain Customers"}},
		{Name: "a role under groups changes nothing", Actor: "admin", Method: "POST", Path: member("agent") + "/preview",
			Form: url.Values{"role": {"sales"}}, HTMX: true, Status: 200,
			Contains: []string{"Aggie Agent is in a group, so their role is not used: the role changes nothing while they are in a group.",
				"Nothing changes for Aggie Agent."}},
		{Name: "a role under individual permissions changes nothing", Actor: "owner", Method: "POST", Path: member("boss") + "/preview",
			Form: url.Values{"role": {"agent"}}, HTMX: true, Status: 200,
			Contains: []string{"Bert Boss has individual permissions, so their groups and role are not used"}},
		{Name: "a role with the role layer deciding", Actor: "admin", Method: "POST", Path: member("dave") + "/preview",
			Form: url.Values{"role": {"manager"}}, HTMX: true, Status: 200, Contains: []string{"Gains", "Members"}},
		{Name: "an unknown role is named", Actor: "admin", Method: "POST", Path: member("dave") + "/preview",
			Form: url.Values{"role": {"emperor"}}, HTMX: true, Status: 422, Contains: []string{"Choose one of the roles."}},
		{Name: "another organization's group is refused", Actor: "admin", Method: "POST", Path: member("dave") + "/preview",
			Form: url.Values{"groups_sent": {"1"}, "groups": {"999999"}}, HTMX: true, Status: 422, Contains: []string{"not valid"}},
		{Name: "without members_edit", Actor: "agent", Method: "POST", Path: member("dave") + "/preview", Form: intoNight, HTMX: true, Status: 403,
			NotContains: []string{"Dave Loner will"}},
		{Name: "view-only members", Actor: "boss", Method: "POST", Path: member("dave") + "/preview", Form: intoNight, HTMX: true, Status: 403},
		{Name: "another organization's member", Actor: "admin", Method: "POST", Path: globexMember + "/preview", Form: intoNight, HTMX: true, Status: 404,
			NotContains: []string{"Otto"}},
		{Name: "the outsider", Actor: "outsider", Method: "POST", Path: member("dave") + "/preview", Form: intoNight, HTMX: true, Status: 404},
	})
	if after := fx.snapshot(); after != before {
		t.Fatalf("previews changed the database:\nbefore %s\nafter  %s", before, after)
	}
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the save states the same summary", Actor: "admin", Method: "POST", Path: member("dave") + "/groups", Form: intoNight, HTMX: true,
			Status: 200, Contains: []string{"Groups saved. Dave Loner loses Customers, Pipelines, "}},
	})
}
