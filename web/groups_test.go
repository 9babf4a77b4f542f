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

const gfxPassword = "group fixture password 42"

// groupsFx is organization "acme" (CRM + Inbox) with one member per kind of
// actor the group screens must tell apart, a custom group "Night shift"
// with three members, and organization "globex" whose owner is the outsider.
//
// "boss" is a manager given individual permissions that include groups
// view/create/edit/delete but not CRM pipelines, billing or anything admin:
// the escalation attempts come from them.
type groupsFx struct{ orgFx }

var bossSet = []string{
	"dashboard_view", "customers_view", "customers_create", "customers_edit", "+customers.canAccessAll",
	"chats_view", "chats_create", "members_view",
	"groups_view", "groups_create", "groups_edit", "groups_delete",
}

func newGroupsFx(t *testing.T) *groupsFx {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &groupsFx{newOrgFx(app, gfxPassword,
		testkit.Member{Key: "carol", Name: "Carol Sales", Role: access.RoleSales},
		testkit.Member{Key: "dave", Name: "Dave Loner", Role: access.RoleAgent},
		testkit.Member{Key: "erin", Name: "Erin Twogroups", Role: access.RoleAgent},
		testkit.Member{Key: "suspended", Name: "Sue Suspended", Role: access.RoleAdmin},
	)}
	boss := testkit.Set(t, bossSet...)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetCustom(ctx, fx.acme.ID, fx.members["boss"].ID, &boss); err != nil {
			return err
		}
		if err := tx.SetStatus(ctx, fx.acme.ID, fx.members["suspended"].ID, domain.StatusSuspended); err != nil {
			return err
		}
		night, err := tx.CreateGroup(ctx, fx.acme.ID, "Night shift", "Covers the night.", testkit.Set(t, "dashboard_view", "chats_view", "chats_create"), "")
		if err != nil {
			return err
		}
		day, err := tx.CreateGroup(ctx, fx.acme.ID, "Day shift", "", testkit.Set(t, "dashboard_view", "chats_view"), "")
		if err != nil {
			return err
		}
		for _, a := range []string{"agent", "carol", "owner"} {
			if err := tx.AddGroupMember(ctx, fx.acme.ID, night, fx.members[a].ID); err != nil {
				return err
			}
		}
		if err := tx.AddGroupMember(ctx, fx.acme.ID, day, fx.members["erin"].ID); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, fx.acme.ID, fx.gidTx(ctx, tx, "Guest"), fx.members["erin"].ID)
	})
	for _, a := range []string{"owner", "admin", "manager", "boss", "agent", "suspended", "outsider"} {
		fx.clients[a] = app.LoginAs(fx.users[a].Email, gfxPassword)
	}
	return fx
}

func (fx *groupsFx) gidTx(ctx context.Context, tx *store.Tx, name string) int64 {
	gs, err := tx.Groups(ctx, fx.acme.ID)
	if err != nil {
		fx.app.T.Fatal(err)
	}
	for _, g := range gs {
		if g.Name == name {
			return g.ID
		}
	}
	fx.app.T.Fatalf("no group %q", name)
	return 0
}

// group finds a group of acme by name; ok is false when there is none.
func (fx *groupsFx) group(name string) (domain.Group, bool) {
	gs, err := fx.app.DB.Groups(context.Background(), fx.acme.ID)
	if err != nil {
		fx.app.T.Fatal(err)
	}
	for _, g := range gs {
		if g.Name == name {
			return g, true
		}
	}
	return domain.Group{}, false
}

func (fx *groupsFx) mustGroup(name string) domain.Group {
	g, ok := fx.group(name)
	if !ok {
		fx.app.T.Fatalf("no group %q", name)
	}
	return g
}

// path is a group's URL plus suffix.
func (fx *groupsFx) path(name, suffix string) string {
	return "/o/acme/settings/groups/" + strconv.FormatInt(fx.mustGroup(name).ID, 10) + suffix
}

func (fx *groupsFx) memberEmails(name string) []string {
	ms, err := fx.app.DB.GroupMembers(context.Background(), fx.acme.ID, fx.mustGroup(name).ID, 0)
	if err != nil {
		fx.app.T.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Email)
	}
	return out
}

// snapshot is every group of acme with its set and members, the audit
// log's length and the permission version: what "nothing changed" means.
func (fx *groupsFx) snapshot() string {
	ctx := context.Background()
	var b strings.Builder
	gs, err := fx.app.DB.Groups(ctx, fx.acme.ID)
	if err != nil {
		fx.app.T.Fatal(err)
	}
	for _, g := range gs {
		fmt.Fprintf(&b, "%d %q %q [%v] %v\n", g.ID, g.Name, g.Description, g.Set, fx.memberEmails(g.Name))
	}
	log, err := fx.app.DB.AuditLog(ctx, fx.acme.ID, store.AuditFilter{})
	if err != nil {
		fx.app.T.Fatal(err)
	}
	org, err := fx.app.DB.OrgBySlug(ctx, "acme")
	if err != nil {
		fx.app.T.Fatal(err)
	}
	fmt.Fprintf(&b, "audit %d, perm_version %d", len(log), org.PermVersion)
	return b.String()
}

func (fx *groupsFx) audit(action string) []store.AuditEntry {
	log, err := fx.app.DB.AuditLog(context.Background(), fx.acme.ID, store.AuditFilter{Action: action})
	if err != nil {
		fx.app.T.Fatal(err)
	}
	return log
}

// gridForm is a submitted group form.
func gridForm(name, desc string, items ...string) url.Values {
	f := url.Values{"name": {name}, "description": {desc}}
	for _, it := range items {
		if k, ok := strings.CutPrefix(it, "+"); ok {
			f.Add("flag", k)
		} else {
			f.Add("perm", it)
		}
	}
	return f
}

func TestGroupsRoutesByActor(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	globexGroup := "/o/acme/settings/groups/" + strconv.FormatInt(func() int64 {
		gs, _ := fx.app.DB.Groups(context.Background(), fx.globex.ID)
		return gs[0].ID
	}(), 10)
	before := fx.snapshot()
	suspendedPage := "Your access to Acme Ltd is suspended"
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		// The list.
		{Actor: "owner", Path: "/o/acme/settings/groups", Status: 200,
			Contains: []string{"Permission groups", "Night shift", "Covers the night.", "Predefined", "Sales Team", "Support Agents",
				"3 members", `href="/o/acme/settings/groups/new"`},
			NotContains: []string{"Finance Team", "Medical Staff"}},
		{Actor: "admin", Path: "/o/acme/settings/groups", Status: 200, Contains: []string{"Night shift", "Dashboard and Conversations"}},
		{Actor: "manager", Path: "/o/acme/settings/groups", Status: 200, Contains: []string{"Night shift"},
			NotContains: []string{`href="/o/acme/settings/groups/new"`}},
		{Actor: "boss", Path: "/o/acme/settings/groups", Status: 200, Contains: []string{`href="/o/acme/settings/groups/new"`}},
		// The agent's own groups name the deciding layer on the 403; the
		// groups list and other groups stay out.
		{Actor: "agent", Path: "/o/acme/settings/groups", Status: 403, Contains: []string{"Permission groups: View"},
			NotContains: []string{"Covers the night.", "Sales Team", "Predefined"}},
		{Actor: "suspended", Path: "/o/acme/settings/groups", Status: 403, Contains: []string{suspendedPage}, NotContains: []string{"Night shift"}},
		{Actor: "outsider", Path: "/o/acme/settings/groups", Status: 404, NotContains: []string{"Night shift", "Acme"}},
		{Actor: "anonymous", Path: "/o/acme/settings/groups", Status: 303, Location: "/login"},
		{Name: "htmx list is a fragment", Actor: "admin", Path: "/o/acme/settings/groups", HTMX: true, Status: 200,
			Contains: []string{"Night shift"}, NotContains: []string{"<html", "sidebar"}},

		// The create form.
		{Actor: "owner", Path: "/o/acme/settings/groups/new", Status: 200,
			Contains: []string{"New group", `name="perm" value="customers_edit"`, `name="flag" value="customers.canAccessAll"`,
				"See all customers", "Assign conversations to others", "View is added automatically when you tick another action"},
			NotContains: []string{"medical_view", "financial_view"}},
		{Name: "boss sees what they cannot grant disabled", Actor: "boss", Path: "/o/acme/settings/groups/new", Status: 200,
			Contains: []string{`value="billing_view" disabled`, `value="customers_edit" data-perm-module`, `value="crm.canAccessAll" disabled`}},
		{Actor: "manager", Path: "/o/acme/settings/groups/new", Status: 403},
		{Actor: "agent", Path: "/o/acme/settings/groups/new", Status: 403},
		{Actor: "suspended", Path: "/o/acme/settings/groups/new", Status: 403, Contains: []string{suspendedPage}},
		{Actor: "outsider", Path: "/o/acme/settings/groups/new", Status: 404},
		{Actor: "anonymous", Path: "/o/acme/settings/groups/new", Status: 303, Location: "/login"},

		// A group's page.
		{Actor: "owner", Path: night, Status: 200,
			Contains: []string{"Night shift", `value="chats_create" checked`, `value="dashboard_view" checked`, "Aggie Agent", "Carol Sales",
				"Olivia Owner", "Save group", "Delete Night shift? 3 members lose the permissions it grants.", "Remove"},
			NotContains: []string{`value="customers_view" checked`, "Reset to default"}},
		{Name: "manager sees the group read-only", Actor: "manager", Path: night, Status: 200,
			Contains:    []string{`data-perm="chats_create"`, "Aggie Agent"},
			NotContains: []string{`name="perm"`, "Save group", "Delete group", "Remove", "Add a member"}},
		{Actor: "agent", Path: night, Status: 403, NotContains: []string{"Carol Sales", "Covers the night."}},
		{Actor: "suspended", Path: night, Status: 403, Contains: []string{suspendedPage}},
		{Actor: "outsider", Path: night, Status: 404, NotContains: []string{"Night shift"}},
		{Actor: "anonymous", Path: night, Status: 303, Location: "/login"},
		{Name: "another organization's group is not found", Actor: "owner", Path: globexGroup, Status: 404},
		{Name: "a non-numeric id is not found", Actor: "owner", Path: "/o/acme/settings/groups/abc", Status: 404},
		{Name: "a missing id is not found", Actor: "owner", Path: "/o/acme/settings/groups/999999", Status: 404},
		{Name: "the outsider's own org does not open acme's group", Actor: "outsider",
			Path: strings.Replace(night, "/o/acme/", "/o/globex/", 1), Status: 404, NotContains: []string{"Night shift"}},
		{Name: "predefined group offers reset, not delete", Actor: "admin", Path: fx.path("Admin", ""), Status: 200,
			Contains: []string{"Reset to default", "Predefined"}, NotContains: []string{"Delete group"}},

		// Candidate search: groups_edit.
		{Actor: "owner", Path: night + "/candidates?q=e", HTMX: true, Status: 200,
			Contains: []string{"Dave Loner", "Erin Twogroups", "Adam Admin"}, NotContains: []string{"Aggie Agent", "Carol Sales", "Otto Outsider", "<html"}},
		{Actor: "owner", Path: night + "/candidates?q=DAVE%40", HTMX: true, Status: 200, Contains: []string{"Dave Loner"}, NotContains: []string{"Erin"}},
		{Actor: "owner", Path: night + "/candidates?q=zzz", HTMX: true, Status: 200, Contains: []string{"No member outside this group matches"}},
		{Name: "candidates without htmx go to the page", Actor: "owner", Path: night + "/candidates?q=dave", Status: 303, Location: night + "?q=dave"},
		{Name: "the page shows candidates for q", Actor: "owner", Path: night + "?q=dave", Status: 200, Contains: []string{"Dave Loner", `name="membership_id"`}},
		{Actor: "manager", Path: night + "/candidates?q=e", HTMX: true, Status: 403, NotContains: []string{"Dave Loner"}},
		{Actor: "agent", Path: night + "/candidates?q=e", HTMX: true, Status: 403},
		{Actor: "outsider", Path: night + "/candidates?q=e", HTMX: true, Status: 404},

		// Changes refused by the guards.
		{Actor: "manager", Method: "POST", Path: night, Form: gridForm("Night shift", "", "dashboard_view"), Status: 403},
		{Actor: "manager", Method: "POST", Path: "/o/acme/settings/groups", Form: gridForm("New one", ""), Status: 403},
		{Actor: "manager", Method: "POST", Path: night + "/delete", Status: 403},
		{Actor: "manager", Method: "POST", Path: fx.path("Admin", "/reset"), Status: 403},
		{Actor: "manager", Method: "POST", Path: night + "/members", Form: url.Values{"membership_id": {strconv.FormatInt(fx.members["manager"].ID, 10)}}, Status: 403},
		{Actor: "manager", Method: "POST", Path: night + "/members/" + strconv.FormatInt(fx.members["agent"].ID, 10) + "/remove", Status: 403},
		{Actor: "agent", Method: "POST", Path: night, Form: gridForm("Night shift", "", "dashboard_view"), Status: 403},
		{Actor: "agent", Method: "POST", Path: night + "/members", Form: url.Values{"membership_id": {strconv.FormatInt(fx.members["agent"].ID, 10)}}, Status: 403},
		{Actor: "suspended", Method: "POST", Path: night, Form: gridForm("Night shift", "", "dashboard_view"), Status: 403, Contains: []string{suspendedPage}},
		{Actor: "suspended", Method: "POST", Path: night + "/delete", Status: 403},
		{Actor: "outsider", Method: "POST", Path: night, Form: gridForm("Night shift", "", "dashboard_view"), Status: 404},
		{Actor: "outsider", Method: "POST", Path: night + "/delete", Status: 404},
		{Actor: "outsider", Method: "POST", Path: "/o/acme/settings/groups", Form: gridForm("Sneaky", ""), Status: 404},
		{Actor: "anonymous", Method: "POST", Path: night, Form: gridForm("Night shift", "", "dashboard_view"), Status: 303, Location: "/login"},
		{Actor: "anonymous", Method: "POST", Path: night + "/delete", Status: 303, Location: "/login"},
		{Name: "cross-org update is not found", Actor: "owner", Method: "POST", Path: globexGroup, Form: gridForm("Mine now", ""), Status: 404},
		{Name: "cross-org update with an invalid form is not found, not a field error", Actor: "owner", Method: "POST",
			Path: globexGroup, Form: gridForm("", ""), Status: 404, NotContains: []string{"Enter a name for the group."}},
		{Name: "unknown group update is not found", Actor: "owner", Method: "POST", Path: "/o/acme/settings/groups/999999",
			Form: gridForm("Night shift", "", "dashboard_view"), HTMX: true, Status: 404},
		{Name: "malformed group id is not found", Actor: "owner", Method: "POST", Path: "/o/acme/settings/groups/x1",
			Form: gridForm("Night shift", "", "dashboard_view"), Status: 404},
		{Name: "malformed member id on remove is not found", Actor: "owner", Method: "POST", Path: night + "/members/abc/remove", Status: 404},
		{Name: "cross-org delete is not found", Actor: "owner", Method: "POST", Path: globexGroup + "/delete", Status: 404},
		{Name: "cross-org member add is not found", Actor: "owner", Method: "POST", Path: night + "/members",
			Form: url.Values{"membership_id": {strconv.FormatInt(fx.globexOwnerMembership(t), 10)}}, Status: 404},
		{Name: "removing someone not in the group is not found", Actor: "owner", Method: "POST",
			Path: night + "/members/" + strconv.FormatInt(fx.members["dave"].ID, 10) + "/remove", Status: 404},
	})
	if after := fx.snapshot(); after != before {
		t.Errorf("refused requests changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

func (fx *groupsFx) globexOwnerMembership(t *testing.T) int64 {
	m, err := fx.app.DB.MembershipOfUser(context.Background(), fx.globex.ID, fx.users["outsider"].ID)
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// The escalation attempts of ARCHITECTURE.md, Anti-escalation, from a non-owner who holds
// groups_create/edit/delete: each refused with a message, nothing written.
func TestGroupsEscalationRefused(t *testing.T) {
	fx := newGroupsFx(t)
	boss := fx.clients["boss"]
	night := fx.path("Night shift", "")
	before := fx.snapshot()
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "granting a permission they lack", Actor: "boss", Method: "POST", Path: night,
			Form:     gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "billing_view"),
			Status:   403,
			Contains: []string{"Nothing was saved", "Billing: View", "perm-missing", `value="billing_view" checked`}},
		{Name: "granting a flag they lack, by htmx", Actor: "boss", Method: "POST", Path: night, HTMX: true,
			Form:        gridForm("Night shift", "", "chats_view", "+chats.canAccessAll"),
			Status:      403,
			Contains:    []string{"Nothing was saved", "See all conversations", "perm-missing", `id="group-form"`},
			NotContains: []string{"<html"}},
		{Name: "creating a group with more than they hold", Actor: "boss", Method: "POST", Path: "/o/acme/settings/groups",
			Form: gridForm("Crm lovers", "", "crm_view"), Status: 403, Contains: []string{"Pipelines: View", "Nothing was saved"}},
		{Name: "adding themselves to Admin", Actor: "boss", Method: "POST", Path: fx.path("Admin", "/members"),
			Form: url.Values{"membership_id": {strconv.FormatInt(fx.members["boss"].ID, 10)}}, Status: 403,
			Contains: []string{"Not added: Admin grants permissions you do not hold yourself"}},
		{Name: "adding the agent to Sales Team", Actor: "boss", Method: "POST", Path: fx.path("Sales Team", "/members"), HTMX: true,
			Form: url.Values{"membership_id": {strconv.FormatInt(fx.members["agent"].ID, 10)}}, Status: 403,
			Contains: []string{"Not added", "Pipelines: View", `id="group-members"`}},
		{Name: "adding the owner to a group", Actor: "boss", Method: "POST", Path: fx.path("Day shift", "/members"),
			Form: url.Values{"membership_id": {strconv.FormatInt(fx.members["owner"].ID, 10)}}, Status: 403,
			Contains: []string{"Only an owner can change an owner&#39;s groups."}},
		{Name: "removing the owner from a group", Actor: "boss", Method: "POST", Path: night + "/members/" + strconv.FormatInt(fx.members["owner"].ID, 10) + "/remove",
			Status: 403, Contains: []string{"Only an owner can change an owner&#39;s groups."}},
		{Name: "removing a member from their only group, so their role template applies", Actor: "boss", Method: "POST",
			Path: night + "/members/" + strconv.FormatInt(fx.members["agent"].ID, 10) + "/remove", Status: 403,
			Contains: []string{"Not removed", "fall back to the Agent role", "Pipelines: View"}},
		{Name: "deleting a group whose members fall back to richer roles", Actor: "boss", Method: "POST", Path: night + "/delete",
			Status: 403, Contains: []string{"Not deleted", "fall back to the", "Pipelines: View"}},
		{Name: "resetting a predefined group to a default they do not hold", Actor: "boss", Method: "POST", Path: fx.path("Sales Team", "/reset"),
			Status: 403, Contains: []string{"Not reset", "Pipelines: View"}},
		{Name: "forged unknown permission", Actor: "boss", Method: "POST", Path: night,
			Form: gridForm("Night shift", "", "chats_view", "root_everything"), Status: 422, Contains: []string{"could not be read", "root_everything"}},
		{Name: "a module of a product the organization lacks", Actor: "owner", Method: "POST", Path: night,
			Form: gridForm("Night shift", "", "medical_view"), Status: 422, Contains: []string{"Medical records is not part of this organization"}},
		{Name: "deleting a predefined group", Actor: "owner", Method: "POST", Path: fx.path("Admin", "/delete"), Status: 409,
			Contains: []string{"Admin is a predefined group: it cannot be deleted"}},
		{Name: "resetting a custom group", Actor: "owner", Method: "POST", Path: night + "/reset", Status: 409,
			Contains: []string{"only predefined groups have a default"}},
	})
	if after := fx.snapshot(); after != before {
		t.Errorf("refused requests changed the database:\nbefore %s\nafter  %s", before, after)
	}
	if got := fx.memberEmails("Admin"); len(got) != 0 {
		t.Errorf("Admin members = %v", got)
	}
	// The boss still works within their own permissions.
	if r := boss.Post(night, gridForm("Night shift", "Covers the night.", "chats_create", "+customers.canAccessAll", "customers_view")); r.Status != 303 {
		t.Fatalf("boss save within own permissions: %d %.400s", r.Status, r.Body)
	}
	if got, want := fx.mustGroup("Night shift").Set, testkit.Set(t, "chats_view", "chats_create", "customers_view", "+customers.canAccessAll"); got != want {
		t.Errorf("Night shift = %v, want %v", got, want)
	}
	if r := boss.Post(fx.path("Night shift", "/members"), url.Values{"membership_id": {strconv.FormatInt(fx.members["dave"].ID, 10)}}); r.Status != 303 {
		t.Fatalf("boss adds dave: %d %.400s", r.Status, r.Body)
	}
	// Erin keeps Guest, so leaving Day shift only takes away.
	if r := boss.Post(fx.path("Day shift", "/members/"+strconv.FormatInt(fx.members["erin"].ID, 10)+"/remove"), nil); r.Status != 303 {
		t.Fatalf("boss removes erin from Day shift: %d %.400s", r.Status, r.Body)
	}
	if got := fx.memberEmails("Day shift"); len(got) != 0 {
		t.Errorf("Day shift members = %v", got)
	}
	// A group whose members all have other groups (or none) can go.
	if r := boss.Post(fx.path("Day shift", "/delete"), nil); r.Status != 303 {
		t.Fatalf("boss deletes Day shift: %d %.400s", r.Status, r.Body)
	}
	if _, ok := fx.group("Day shift"); ok {
		t.Error("Day shift still exists")
	}
}

func TestGroupCreateValidation(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	count := func() int {
		gs, _ := fx.app.DB.Groups(context.Background(), fx.acme.ID)
		return len(gs)
	}
	n := count()
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.CreateGroup(ctx, fx.acme.ID, "Équipe", "", access.Set{}, "")
		return err
	})
	for _, tc := range []struct {
		name    string
		form    url.Values
		field   string
		message string
	}{
		{"empty name", gridForm("  ", "", "dashboard_view"), "name", "Enter a name for the group."},
		{"61 characters", gridForm(strings.Repeat("n", 61), "", "dashboard_view"), "name", "Use at most 60 characters (this has 61)."},
		{"control character", gridForm("Night\x07", "", "dashboard_view"), "name", "Use letters, digits, spaces and punctuation only."},
		{"taken, other case", gridForm("night SHIFT", "", "dashboard_view"), "name", `A group named "night SHIFT" already exists`},
		{"taken, predefined", gridForm("admin", "", "dashboard_view"), "name", `A group named "admin" already exists`},
		{"taken, beyond ASCII case", gridForm("équipe", "", "dashboard_view"), "name", `A group named "équipe" already exists`},
		{"description too long", gridForm("Fine", strings.Repeat("d", 301), "dashboard_view"), "description", "Use at most 300 characters (this has 301)."},
		{"bad grid", gridForm("Fine", "", "customers_fly"), "perm", `unknown action "fly"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := http.StatusUnprocessableEntity
			if strings.HasPrefix(tc.name, "taken") {
				want = http.StatusConflict // a name taken is a conflict, not bad input
			}
			r := owner.PostHTMX("/o/acme/settings/groups", tc.form)
			if r.Status != want {
				t.Fatalf("status %d, want %d; %.400s", r.Status, want, r.Body)
			}
			body := html.UnescapeString(r.Body)
			if !strings.Contains(body, tc.message) {
				t.Errorf("no %q in %.2000s", tc.message, body)
			}
			if strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="group-form"`) {
				t.Error("htmx validation must answer with the form fragment")
			}
			// What was typed stays in the form.
			if tc.field != "name" && !strings.Contains(body, `value="`+tc.form.Get("name")+`"`) {
				t.Errorf("the typed name is lost")
			}
		})
	}
	// The same without htmx: the whole page, status 422, the grid as ticked.
	r := owner.Post("/o/acme/settings/groups", gridForm("", "", "customers_edit", "+customers.canAccessAll"))
	if r.Status != 422 || !strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `value="customers_edit" checked`) ||
		!strings.Contains(r.Body, `value="customers.canAccessAll" checked`) {
		t.Fatalf("full-page validation: %d %.400s", r.Status, r.Body)
	}
	if count() != n+1 { // only the setup's Équipe
		t.Errorf("invalid forms created groups: %d, want %d", count(), n+1)
	}

	// A valid one: view implied and said, audited, redirect to its page.
	r = owner.Post("/o/acme/settings/groups", gridForm("  Night owls ", "Late support.", "customers_edit", "+customers.canAccessAll", "members_export"))
	if r.Status != 303 {
		t.Fatalf("create: %d %.400s", r.Status, r.Body)
	}
	g := fx.mustGroup("Night owls")
	if want := testkit.Set(t, "customers_view", "customers_edit", "+customers.canAccessAll", "members_view", "members_export"); g.Set != want {
		t.Errorf("created set = %v, want %v", g.Set, want)
	}
	if g.Description != "Late support." || g.Predefined() {
		t.Errorf("created %+v", g)
	}
	if r.Location != fx.path("Night owls", "") {
		t.Errorf("Location = %q", r.Location)
	}
	page := owner.Follow(r)
	if !strings.Contains(page.Body, "Group Night owls created.") || !strings.Contains(page.Body, "View was added automatically to Members and Customers") {
		t.Errorf("created page lacks the messages: %.3000s", page.Body)
	}
	log := fx.audit("group.create")
	if len(log) != 1 || log[0].Target != "group Night owls" || log[0].Before != "" || log[0].ActorEmail != "owner@acme.test" || log[0].IP == "" {
		t.Fatalf("audit = %+v", log)
	}
	var after access.Set
	if err := after.UnmarshalJSON([]byte(log[0].After)); err != nil || after != g.Set {
		t.Errorf("audit after = %s (%v)", log[0].After, err)
	}
	// By htmx the browser is sent to the new page.
	r = owner.PostHTMX("/o/acme/settings/groups", gridForm("Weekenders", "", "dashboard_view"))
	if r.Status != 200 || r.Header.Get("HX-Redirect") != fx.path("Weekenders", "") {
		t.Errorf("htmx create: %d HX-Redirect %q", r.Status, r.Header.Get("HX-Redirect"))
	}
}

func TestGroupUpdateByHTMXIsAudited(t *testing.T) {
	fx := newGroupsFx(t)
	admin := fx.clients["admin"]
	night := fx.path("Night shift", "")
	old := fx.mustGroup("Night shift")
	r := admin.PostHTMX(night, gridForm("Night crew", "Covers the night, now with customers.", "chats_view", "customers_export", "+chats.canAssignToOthers"))
	if r.Status != 200 {
		t.Fatalf("save: %d %.400s", r.Status, r.Body)
	}
	for _, want := range []string{`id="group-form"`, "Saved. Members of Night crew get these permissions on their next page load.",
		"View was added automatically to Customers", `value="customers_view" checked`, `value="chats.canAssignToOthers" checked`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "<html") {
		t.Error("htmx save must answer with the fragment")
	}
	g := fx.mustGroup("Night crew")
	if want := testkit.Set(t, "chats_view", "customers_view", "customers_export", "+chats.canAssignToOthers"); g.ID != old.ID || g.Set != want {
		t.Errorf("saved %v (id %d), want %v (id %d)", g.Set, g.ID, want, old.ID)
	}
	log := fx.audit("group.update")
	if len(log) != 1 || log[0].Target != "group Night crew (renamed from Night shift)" || log[0].ActorEmail != "admin@acme.test" {
		t.Fatalf("audit = %+v", log)
	}
	if log[0].Before != store.JSON(old.Set) || log[0].After != store.JSON(g.Set) {
		t.Errorf("audit before/after = %s → %s", log[0].Before, log[0].After)
	}
	// Saving the same again changes and audits nothing.
	r = admin.PostHTMX(fx.path("Night crew", ""), gridForm("Night crew", "Covers the night, now with customers.", "chats_view", "customers_view", "customers_export", "+chats.canAssignToOthers"))
	if r.Status != 200 || !strings.Contains(r.Body, "Nothing changed.") || len(fx.audit("group.update")) != 1 {
		t.Errorf("unchanged save: %d, %d audit entries", r.Status, len(fx.audit("group.update")))
	}
	// Without htmx: redirect and a flash.
	r = admin.Post(fx.path("Night crew", ""), gridForm("Night crew", "", "chats_view"))
	if r.Status != 303 || r.Location != night {
		t.Fatalf("plain save: %d %q", r.Status, r.Location)
	}
	if page := admin.Follow(r); !strings.Contains(page.Body, "Saved. Members of Night crew") {
		t.Errorf("no flash after a plain save")
	}
}

func TestGroupResetRestoresDefault(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	sales := fx.path("Sales Team", "")
	if r := owner.Post(sales, gridForm("Sales Team", "Renamed nothing, stripped everything.")); r.Status != 303 {
		t.Fatalf("strip: %d %.300s", r.Status, r.Body)
	}
	if g := fx.mustGroup("Sales Team"); !g.Set.IsEmpty() {
		t.Fatalf("strip left %v", g.Set)
	}
	page := owner.Get(sales)
	if !strings.Contains(page.Body, html.EscapeString("Reset the permissions of Sales Team to their default? Changes made to them are lost.")) {
		t.Errorf("reset has no confirmation: %.300s", page.Body)
	}
	r := owner.Post(sales+"/reset", nil)
	if r.Status != 303 || r.Location != sales {
		t.Fatalf("reset: %d %q %.300s", r.Status, r.Location, r.Body)
	}
	def, _ := access.PredefinedGroup("crm")
	g := fx.mustGroup("Sales Team")
	if want := def.Set.RestrictTo(fx.acme.Products); g.Set != want {
		t.Errorf("after reset %v, want %v", g.Set, want)
	}
	if g.Description != "Renamed nothing, stripped everything." {
		t.Errorf("reset changed the description to %q", g.Description)
	}
	if p := owner.Follow(r); !strings.Contains(p.Body, "The permissions of Sales Team were reset to their default.") {
		t.Error("no flash after reset")
	}
	log := fx.audit("group.reset")
	if len(log) != 1 || log[0].Before != "{}" || log[0].After != store.JSON(g.Set) || log[0].Target != "group Sales Team" {
		t.Errorf("audit = %+v", log)
	}
	// Admin's default is everything the organization has (no medical, no
	// finance), with edit on every field.
	if r := owner.Post(fx.path("Admin", "/reset"), nil); r.Status != 303 {
		t.Fatalf("reset Admin: %d", r.Status)
	}
	admin, _ := access.PredefinedGroup("admin")
	if g := fx.mustGroup("Admin"); g.Set != admin.Set.RestrictTo(fx.acme.Products) || g.Set.Minus(access.FullSet()) != (access.Set{}) ||
		access.FullSet().RestrictTo(fx.acme.Products).Minus(g.Set) != (access.Set{}) {
		t.Errorf("Admin after reset = %v", g.Set)
	}
}

func TestGroupDelete(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	night := fx.mustGroup("Night shift")
	r := owner.Post(fx.path("Night shift", "/delete"), nil)
	if r.Status != 303 || r.Location != "/o/acme/settings/groups" {
		t.Fatalf("delete: %d %q", r.Status, r.Location)
	}
	if _, ok := fx.group("Night shift"); ok {
		t.Fatal("Night shift still exists")
	}
	var left int
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM group_members WHERE group_id = ?`, night.ID).Scan(&left)
	})
	if left != 0 {
		t.Errorf("%d memberships of the deleted group remain", left)
	}
	if p := owner.Follow(r); !strings.Contains(p.Body, "Group Night shift deleted. 3 members lost the permissions it granted.") || strings.Contains(p.Body, ">Night shift<") {
		t.Errorf("list after delete: %.2000s", p.Body)
	}
	log := fx.audit("group.delete")
	if len(log) != 1 || log[0].Before != store.JSON(night.Set) || log[0].After != "" || log[0].Target != "group Night shift" {
		t.Errorf("audit = %+v", log)
	}
	if r := owner.Post(fx.path("Day shift", "/delete"), nil); r.Status != 303 {
		t.Fatal(r.Status)
	}
	if r := owner.Get(fx.path("Guest", "")); strings.Contains(r.Body, "Delete group") {
		t.Error("a predefined group offers delete")
	}
	// One member, and none: the confirmation says so.
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		id, err := tx.CreateGroup(ctx, fx.acme.ID, "Solo", "", access.Set{}, "")
		if err != nil {
			return err
		}
		_, err = tx.CreateGroup(ctx, fx.acme.ID, "Empty", "", access.Set{}, "")
		if err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, fx.acme.ID, id, fx.members["dave"].ID)
	})
	if b := owner.Get(fx.path("Solo", "")).Body; !strings.Contains(b, "Delete Solo? 1 member loses the permissions it grants.") {
		t.Error("singular confirmation missing")
	}
	if b := owner.Get(fx.path("Empty", "")).Body; !strings.Contains(b, "Delete Empty? It has no members.") {
		t.Error("empty-group confirmation missing")
	}
}

func TestGroupMembersAddRemove(t *testing.T) {
	fx := newGroupsFx(t)
	admin := fx.clients["admin"]
	night := fx.path("Night shift", "")
	r := admin.PostHTMX(night+"/members", url.Values{"membership_id": {strconv.FormatInt(fx.members["dave"].ID, 10)}})
	if r.Status != 200 || !strings.Contains(r.Body, `id="group-members"`) || !strings.Contains(r.Body, "Added Dave Loner to Night shift.") ||
		!strings.Contains(r.Body, "dave@acme.test") || strings.Contains(r.Body, "<html") {
		t.Fatalf("add: %d %.1500s", r.Status, r.Body)
	}
	if !strings.Contains(r.Body, `id="group-header" hx-swap-oob="true"`) || !strings.Contains(r.Body, "Delete Night shift? 4 members lose the permissions it grants.") {
		t.Errorf("the header's member count and delete confirmation are not updated out of band")
	}
	if got := strings.Join(fx.memberEmails("Night shift"), " "); got != "agent@acme.test carol@acme.test dave@acme.test owner@acme.test" {
		t.Errorf("members = %s", got)
	}
	log := fx.audit("group.member_add")
	if len(log) != 1 || log[0].Target != "dave@acme.test" || log[0].Before != `{"groups":[]}` || log[0].After != `{"groups":["Night shift"]}` {
		t.Errorf("audit = %+v", log)
	}
	// Again: nothing new.
	r = admin.PostHTMX(night+"/members", url.Values{"membership_id": {strconv.FormatInt(fx.members["dave"].ID, 10)}})
	if r.Status != 200 || !strings.Contains(r.Body, "Dave Loner is already in Night shift.") || len(fx.audit("group.member_add")) != 1 {
		t.Errorf("re-add: %d, %d audit entries", r.Status, len(fx.audit("group.member_add")))
	}
	// Bad input.
	for _, v := range []string{"", "abc", "-3"} {
		r = admin.PostHTMX(night+"/members", url.Values{"membership_id": {v}})
		if r.Status != 422 || !strings.Contains(r.Body, "Choose a member to add.") {
			t.Errorf("membership_id %q: %d", v, r.Status)
		}
	}
	// An admin may not touch the owner's groups either.
	r = admin.PostHTMX(night+"/members/"+strconv.FormatInt(fx.members["owner"].ID, 10)+"/remove", nil)
	if r.Status != 403 || !strings.Contains(r.Body, "Only an owner can change an owner&#39;s groups.") {
		t.Errorf("admin removes owner: %d", r.Status)
	}
	// Remove by htmx.
	r = admin.PostHTMX(night+"/members/"+strconv.FormatInt(fx.members["dave"].ID, 10)+"/remove", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Removed Dave Loner from Night shift.") || strings.Contains(r.Body, "dave@acme.test") {
		t.Fatalf("remove: %d %.1500s", r.Status, r.Body)
	}
	log = fx.audit("group.member_remove")
	if len(log) != 1 || log[0].Target != "dave@acme.test" || log[0].Before != `{"groups":["Night shift"]}` || log[0].After != `{"groups":null}` && log[0].After != `{"groups":[]}` {
		t.Errorf("audit = %+v", log)
	}
	// The owner may change their own groups; plain posts redirect with a flash.
	owner := fx.clients["owner"]
	r = owner.Post(night+"/members/"+strconv.FormatInt(fx.members["owner"].ID, 10)+"/remove", nil)
	if r.Status != 303 || r.Location != night {
		t.Fatalf("owner leaves: %d %q", r.Status, r.Location)
	}
	if p := owner.Follow(r); !strings.Contains(p.Body, "Removed Olivia Owner from Night shift.") {
		t.Error("no flash")
	}
	// The remove form asks first, with the preview (TestGroupPageRemoveConfirmStep).
	if b := owner.Get(night).Body; !strings.Contains(b, `hx-post="`+night+`/members/`+strconv.FormatInt(fx.members["agent"].ID, 10)+`/preview"`) {
		t.Error("remove has no confirm step")
	}
}

// A change to a group applies on its members' very next request.
func TestGroupChangeAppliesOnNextRequest(t *testing.T) {
	fx := newGroupsFx(t)
	agent := fx.clients["agent"]
	admin := fx.clients["admin"]
	side := func() string { return agent.Get("/o/acme").Body }
	// Night shift: dashboard and conversations, no customers.
	if b := side(); strings.Contains(b, `href="/o/acme/customers`) || !strings.Contains(b, `href="/o/acme/chats/mine"`) {
		t.Fatalf("before: unexpected sidebar %.3000s", b)
	}
	if r := agent.Get("/o/acme/customers/mine"); r.Status != 403 {
		t.Fatalf("customers before: %d", r.Status)
	}
	r := admin.Post(fx.path("Night shift", ""), gridForm("Night shift", "", "dashboard_view", "chats_create", "customers_view", "+customers.canAccessAll"))
	if r.Status != 303 {
		t.Fatalf("save: %d %.300s", r.Status, r.Body)
	}
	b := side()
	for _, want := range []string{`href="/o/acme/customers/mine"`, `href="/o/acme/customers/all"`, `href="/o/acme/chats/mine"`} {
		if !strings.Contains(b, want) {
			t.Errorf("after: sidebar lacks %s", want)
		}
	}
	if r := agent.Get("/o/acme/customers/all"); r.Status != 200 {
		t.Errorf("customers/all after: %d", r.Status)
	}
	// Taken out of the group, the agent falls back to the agent template.
	if r := admin.Post(fx.path("Night shift", "/members/"+strconv.FormatInt(fx.members["agent"].ID, 10)+"/remove"), nil); r.Status != 303 {
		t.Fatalf("remove: %d", r.Status)
	}
	if b := side(); strings.Contains(b, `href="/o/acme/customers/all"`) || !strings.Contains(b, `href="/o/acme/crm/mine"`) {
		t.Errorf("after removal: sidebar %.3000s", b)
	}
}

// A big group's page lists the first members and links to the member list
// filtered by the group for the rest.
func TestGroupPageListsFirstMembersOfABigGroup(t *testing.T) {
	fx := newGroupsFx(t)
	id := fx.mustGroup("Night shift").ID
	var users []domain.User
	for i := range 205 {
		users = append(users, fx.app.CreateUser(fmt.Sprintf("crowd%03d@acme.test", i), fmt.Sprintf("Crowd %03d", i), ""))
	}
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for _, u := range users {
			m, err := tx.AddMember(ctx, fx.acme.ID, u.ID, access.RoleAgent, domain.StatusActive, nil)
			if err != nil {
				return err
			}
			if err := tx.AddGroupMember(ctx, fx.acme.ID, id, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	b := fx.clients["admin"].Get(fx.path("Night shift", "")).Body
	for _, want := range []string{"208 members", "Showing the first 200 of 208 members, by name.",
		`href="/o/acme/settings/members?group=` + strconv.FormatInt(id, 10) + `"`, "crowd000@acme.test", "Aggie Agent"} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// By name: "Crowd 19x" sort before "Olivia Owner", who is past the first 200.
	if n := strings.Count(b, `data-member-id="`); n != 200 {
		t.Errorf("%d member rows, want 200", n)
	}
	if strings.Contains(b, "owner@acme.test") {
		t.Error("the 208th member by name is listed")
	}
}

// A save that keeps the name skips the name check; a rename is checked
// like a new group, case-insensitively beyond ASCII, against every other
// group of the organization (and not against the group itself).
func TestGroupRenameValidation(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.CreateGroup(ctx, fx.acme.ID, "Équipe", "", access.Set{}, "")
		return err
	})
	path := fx.path("Night shift", "")
	for _, tc := range []struct {
		name   string
		status int
	}{
		{"Night shift", http.StatusOK},     // unchanged
		{"NIGHT shift", http.StatusOK},     // its own name in another case
		{"day SHIFT", http.StatusConflict}, // another group's
		{"équipe", http.StatusConflict},    // another group's, beyond ASCII
		{"Admin", http.StatusConflict},     // a predefined group's
		{"Night owls", http.StatusOK},
	} {
		r := owner.PostHTMX(path, gridForm(tc.name, "", "dashboard_view"))
		if r.Status != tc.status {
			t.Errorf("rename to %q: status %d, want %d; %.300s", tc.name, r.Status, tc.status, r.Body)
		}
		if tc.status == http.StatusOK {
			path = fx.path(tc.name, "")
		}
	}
	if _, ok := fx.group("Night owls"); !ok {
		t.Error("the last rename did not land")
	}
}
