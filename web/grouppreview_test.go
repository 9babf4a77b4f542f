package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"gatehouse/internal/testkit"
)

// The group page's preview (ARCHITECTURE.md, Previews): what saving the
// edited grid would change for the group's members, counted, with the
// layer rule for those it does not reach; the save says the same. It
// writes nothing, and only groups_edit in the group's organization opens it.
func TestGroupPreviewCountsMembersAndWritesNothing(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	globexGroup := func() string {
		gs, err := fx.app.DB.Groups(t.Context(), fx.globex.ID)
		if err != nil || len(gs) == 0 {
			t.Fatal(err)
		}
		return "/o/acme/settings/groups/" + strconv.FormatInt(gs[0].ID, 10)
	}()
	edited := gridForm("Night shift", "", "dashboard_view", "chats_view", "customers_view", "customers_export")
	before := fx.snapshot()
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the page shows the idle panel", Actor: "owner", Path: night, Status: 200,
			Contains: []string{`id="group-preview"`, `hx-post="` + night + `/preview"`, "data-unsaved",
				"No changes yet: tick or untick a box to see what saving would change for the members of Night shift."}},
		{Name: "a read-only group page has no preview", Actor: "manager", Path: night, Status: 200,
			NotContains: []string{`id="group-preview"`, "data-unsaved"}},
		{Name: "gains and losses, counted", Actor: "owner", Method: "POST", Path: night + "/preview", Form: edited, HTMX: true, Status: 200,
			Contains: []string{"Affects 2 of the 3 members of Night shift.", "2 gain Customers", "2 lose Conversations: Create",
				"1 member is an owner, so this group changes nothing for them."},
			NotContains: []string{"<html", "Dashboard"}},
		{Name: "an unchanged grid changes nothing", Actor: "owner", Method: "POST", Path: night + "/preview", HTMX: true, Status: 200,
			Form:     gridForm("Night shift", "", "dashboard_view", "chats_view", "chats_create"),
			Contains: []string{"Nothing changes for 3 members of Night shift."}, NotContains: []string{"gain", "lose"}},
		{Name: "what the actor cannot grant is said before saving", Actor: "boss", Method: "POST", Path: night + "/preview", HTMX: true,
			Form: gridForm("Night shift", "", "dashboard_view", "billing_view"), Status: 200,
			Contains: []string{"This cannot be saved: you can only grant permissions you hold yourself", "Billing: View", "2 gain Billing"}},
		{Name: "an unreadable grid is named", Actor: "owner", Method: "POST", Path: night + "/preview", HTMX: true,
			Form: url.Values{"perm": {"nonsense_view"}}, Status: 422, NotContains: []string{"gain"}},
		{Name: "view-only is refused", Actor: "manager", Method: "POST", Path: night + "/preview", Form: edited, HTMX: true, Status: 403,
			NotContains: []string{"Affects", "Aggie"}},
		{Name: "no groups permission is refused", Actor: "agent", Method: "POST", Path: night + "/preview", Form: edited, HTMX: true, Status: 403,
			NotContains: []string{"Affects"}},
		{Name: "another organization's member is not found", Actor: "outsider", Method: "POST", Path: night + "/preview", Form: edited,
			HTMX: true, Status: 404, NotContains: []string{"Affects", "Night shift"}},
		{Name: "another organization's group is not found", Actor: "owner", Method: "POST", Path: globexGroup + "/preview", Form: edited,
			HTMX: true, Status: 404, NotContains: []string{"Affects"}},
		{Actor: "anonymous", Method: "POST", Path: night + "/preview", Form: edited, Status: 303, Location: "/login"},
	})
	if after := fx.snapshot(); after != before {
		t.Fatalf("previews changed the database:\nbefore %s\nafter  %s", before, after)
	}
	// The save says what the preview said; then a scope change is counted.
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the save states the same summary", Actor: "owner", Method: "POST", Path: night, Form: edited, HTMX: true, Status: 200,
			Contains: []string{"Saved. Members of Night shift get these permissions on their next page load.",
				"Affects 2 of the 3 members of Night shift: 2 gain Customers, 2 lose Conversations: Create."}},
		{Name: "own to team", Actor: "owner", Method: "POST", Path: night + "/preview", HTMX: true, Status: 200,
			Form:     gridForm("Night shift", "", "dashboard_view", "chats_view", "customers_view", "customers_export", "+customers.canAccessTeam"),
			Contains: []string{"2 go from own to team on Customers"}, NotContains: []string{"See my teams"}},
	})
}

// Adding from the group page says before the click what the member gets,
// with the layer rule, and the answer after it says the same.
func TestGroupPageAddStatesTheEffect(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	rule := "Dave Loner will be in a group, so their role (Agent) is no longer used: they will lose Customers and Pipelines."
	dave := strconv.FormatInt(fx.members["dave"].ID, 10)
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the candidate carries the effect", Actor: "owner", Path: night + "/candidates?q=dave", HTMX: true, Status: 200,
			Contains: []string{"Dave Loner", rule}},
		{Name: "the add says it", Actor: "owner", Method: "POST", Path: night + "/members", Form: url.Values{"membership_id": {dave}}, HTMX: true,
			Status: 200, Contains: []string{"Added Dave Loner to Night shift.", rule}},
		{Name: "the remove says the way back", Actor: "owner", Method: "POST", Path: night + "/members/" + dave + "/remove", HTMX: true,
			Status: 200, Contains: []string{"Removed Dave Loner from Night shift.",
				"Dave Loner will be in no group, so their role template (Agent) decides again: they will gain Customers and Pipelines."}},
	})
}

// Removing from the group page asks first: the confirm step shows the
// panel (the layer rule for Carol) with the button that removes her, and
// writes nothing; an owner's row offers no button to an admin; the step is
// guarded like the removal (403 without groups_edit, 404 for another
// organization's member); the confirmed click then removes.
func TestGroupPageRemoveConfirmStep(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	carol := strconv.FormatInt(fx.members["carol"].ID, 10)
	owner := strconv.FormatInt(fx.members["owner"].ID, 10)
	rule := "Carol Sales will be in no group, so their role template (Sales) decides again"
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the row's button asks for the confirm step", Actor: "admin", Path: night, Status: 200,
			Contains:    []string{`id="group-remove-confirm"`, `hx-post="` + night + `/members/` + carol + `/preview"`, `action="` + night + `/members/` + carol + `/remove"`},
			NotContains: []string{`data-confirm="Remove Carol Sales`}},
		{Name: "the confirm step shows the panel and the button", Actor: "admin", Method: "POST", Path: night + "/members/" + carol + "/preview", HTMX: true, Status: 200,
			Contains: []string{"Remove Carol Sales from Night shift?", rule, `id="group-remove-preview"`,
				`hx-post="` + night + `/members/` + carol + `/remove"`, ">Remove Carol Sales</button>", `data-dismiss=".group-remove-confirm"`}},
		{Name: "an owner's removal is refused in the step", Actor: "admin", Method: "POST", Path: night + "/members/" + owner + "/preview", HTMX: true, Status: 200,
			Contains: []string{"Only an owner can change an owner&#39;s groups."}, NotContains: []string{">Remove Olivia Owner</button>"}},
		{Name: "without groups_edit", Actor: "manager", Method: "POST", Path: night + "/members/" + carol + "/preview", HTMX: true, Status: 403,
			NotContains: []string{rule}},
		{Name: "another organization's member", Actor: "admin", Method: "POST", Path: night + "/members/" + strconv.FormatInt(fx.members["outsider"].ID, 10) + "/preview", HTMX: true, Status: 404},
		{Name: "a malformed id", Actor: "admin", Method: "POST", Path: night + "/members/abc/preview", HTMX: true, Status: 404},
		{Name: "the step wrote nothing", Actor: "admin", Path: night, Status: 200, Contains: []string{"carol@"}},
		{Name: "the confirmed click removes", Actor: "admin", Method: "POST", Path: night + "/members/" + carol + "/remove", HTMX: true, Status: 200,
			Contains: []string{"Removed Carol Sales from Night shift.", rule}},
	})
}

// The impact a preview or a save states is read through the groups
// handlers' caches (a group's members per members version, the groups per
// permission version): a member added, or the group saved, is counted at
// once, in the preview and in the save's message alike.
func TestGroupSummaryFollowsMembersAndSaves(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	edited := gridForm("Night shift", "", "dashboard_view", "chats_view", "customers_view", "customers_export")
	original := gridForm("Night shift", "", "dashboard_view", "chats_view", "chats_create")
	dave := strconv.FormatInt(fx.members["dave"].ID, 10)
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "before", Actor: "owner", Method: "POST", Path: night + "/preview", Form: edited, HTMX: true, Status: 200,
			Contains: []string{"Affects 2 of the 3 members of Night shift."}},
		{Name: "add Dave", Actor: "owner", Method: "POST", Path: night + "/members", Form: url.Values{"membership_id": {dave}}, HTMX: true,
			Status: 200, Contains: []string{"Added Dave Loner to Night shift."}},
		{Name: "Dave is counted", Actor: "owner", Method: "POST", Path: night + "/preview", Form: edited, HTMX: true, Status: 200,
			Contains: []string{"Affects 3 of the 4 members of Night shift.", "3 gain Customers"}},
		{Name: "the save says so too", Actor: "owner", Method: "POST", Path: night, Form: edited, HTMX: true, Status: 200,
			Contains: []string{"Affects 3 of the 4 members of Night shift: 3 gain Customers, 3 lose Conversations: Create."}},
		{Name: "after the save, going back is the reverse", Actor: "owner", Method: "POST", Path: night + "/preview", Form: original, HTMX: true, Status: 200,
			Contains: []string{"Affects 3 of the 4 members of Night shift.", "3 lose Customers", "3 gain Conversations: Create"}},
		{Name: "and its save says the same", Actor: "owner", Method: "POST", Path: night, Form: original, HTMX: true, Status: 200,
			Contains: []string{"Affects 3 of the 4 members of Night shift: 3 gain Conversations: Create, 3 lose Customers."}},
	})
}
