package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// Revocation everywhere (ARCHITECTURE.md, Enforcement: "changes take effect on the member's
// next request", §7 sessions): for every path that can take access away,
// the affected member's session is warm and their effective permissions are
// cached (two requests first), then an administrator makes the change
// through the real route, and the member's very next request must reflect
// it: status, page content, sidebar and writes.

const revPassword = "revocation fixture pw 9"

// revFx is "acme" (CRM, Inbox, Finance) with an owner, an admin and the
// victim "vic", who also belongs to "globex" (CRM) as an agent. Acme has a
// customer assigned to vic ("Zed Confidential"), an unassigned one ("Yara
// Unassigned", only visible with "see all customers") and a custom group
// "Ledger" granting the financial module.
type revFx struct {
	app          *testkit.App
	acme, globex domain.Org
	owner, admin *testkit.Client
	vicUser      domain.User
	vic          domain.Membership // in acme
	c            *testkit.Client   // vic's first session
	groups       map[string]int64
}

const (
	revMine     = "Zed Confidential"
	revOthers   = "Yara Unassigned"
	revFinPage  = "/o/acme/financial"
	revFinHref  = `href="/o/acme/financial"`
	revMembers  = "/o/acme/settings/members"
	revCustAll  = "/o/acme/customers/all"
	revCustMine = "/o/acme/customers/mine"
)

func newRevFx(t *testing.T, role access.Role) *revFx {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &revFx{app: app, groups: map[string]int64{}}
	owner := app.CreateUser("owner@rev.test", "Olga Owner", revPassword)
	fx.acme = app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox", "finance"}, owner)
	app.Join(fx.acme, "admin@rev.test", "Arno Admin", revPassword, access.RoleAdmin)
	fx.vicUser = app.CreateUser("vic@rev.test", "Vera Victim", revPassword)
	fx.vic = app.AddMember(fx.acme, fx.vicUser, role)
	fx.globex = app.CreateOrg("Globex", "globex", []string{"crm"}, app.CreateUser("owner@globex.test", "Gus Globex", revPassword))
	app.AddMember(fx.globex, fx.vicUser, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.CreateCustomer(ctx, store.Customer{OrgID: fx.acme.ID, Name: revMine, AssignedTo: fx.vic.ID}); err != nil {
			return err
		}
		if _, err := tx.CreateCustomer(ctx, store.Customer{OrgID: fx.acme.ID, Name: revOthers}); err != nil {
			return err
		}
		if _, err := tx.CreateGroup(ctx, fx.acme.ID, "Ledger", "Books.", testkit.Set(t, "dashboard_view", "financial_view", "financial_edit"), ""); err != nil {
			return err
		}
		gs, err := tx.Groups(ctx, fx.acme.ID)
		for _, g := range gs {
			fx.groups[g.Name] = g.ID
		}
		return err
	})
	fx.owner = app.LoginAs("owner@rev.test", revPassword)
	fx.admin = app.LoginAs("admin@rev.test", revPassword)
	fx.c = app.LoginAs("vic@rev.test", revPassword)
	return fx
}

func (fx *revFx) memberURL(suffix string) string {
	return fmt.Sprintf("%s/%d%s", revMembers, fx.vic.ID, suffix)
}

func (fx *revFx) groupURL(name, suffix string) string {
	id, ok := fx.groups[name]
	if !ok {
		fx.app.T.Fatalf("no group %q", name)
	}
	return fmt.Sprintf("/o/acme/settings/groups/%d%s", id, suffix)
}

// revWant is what one request must answer.
type revWant struct {
	status      int
	location    string // prefix of Location (or HX-Redirect for htmx)
	contains    []string
	notContains []string
}

func revCheck(t *testing.T, label string, r *testkit.Response, w revWant) {
	t.Helper()
	if r.Status != w.status {
		t.Errorf("%s: status %d, want %d (Location %q) %s", label, r.Status, w.status, r.Location, revSnippet(r.Body))
		return
	}
	if w.location != "" {
		loc := r.Location
		if loc == "" {
			loc = r.Header.Get("HX-Redirect")
		}
		if !strings.HasPrefix(loc, w.location) {
			t.Errorf("%s: redirect to %q, want %q…", label, loc, w.location)
		}
	}
	for _, s := range w.contains {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q", label, s)
		}
	}
	for _, s := range w.notContains {
		if strings.Contains(r.Body, s) {
			t.Errorf("%s: body must not contain %q", label, s)
		}
	}
}

// revSnippet is the page's title, or the start of a fragment, for messages.
func revSnippet(body string) string {
	if _, rest, ok := strings.Cut(body, "<title>"); ok {
		title, _, _ := strings.Cut(rest, "</title>")
		return "page " + title
	}
	if len(body) > 200 {
		return body[:200] + "…"
	}
	return body
}

func revGet(t *testing.T, c *testkit.Client, path string, w revWant) {
	t.Helper()
	revCheck(t, "GET "+path, c.Get(path), w)
}

func revGetHTMX(t *testing.T, c *testkit.Client, path string, w revWant) {
	t.Helper()
	revCheck(t, "htmx GET "+path, c.GetHTMX(path), w)
}

// revWarm requests path twice, so the session is warm and the member's
// effective permissions are cached when the change follows.
func revWarm(t *testing.T, c *testkit.Client, path string, w revWant) {
	t.Helper()
	revGet(t, c, path, w)
	revGet(t, c, path, w)
	if t.Failed() {
		t.FailNow()
	}
}

// revPost is an administrator's change through its route: a plain form
// post, answered with the success redirect.
func revPost(t *testing.T, c *testkit.Client, path string, form url.Values) {
	t.Helper()
	r := c.Post(path, form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303: %s", path, r.Status, revSnippet(r.Body))
	}
}

func (fx *revFx) customerCount(t *testing.T) int {
	t.Helper()
	var n int
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM customers WHERE org_id = ?`, fx.acme.ID).Scan(&n)
	})
	return n
}

var (
	revOK        = revWant{status: http.StatusOK}
	revForbidden = revWant{status: http.StatusForbidden}
	revToLogin   = revWant{status: http.StatusSeeOther, location: "/login"}
	revToReset   = revWant{status: http.StatusSeeOther, location: "/reset"}
	revSuspended = revWant{status: http.StatusForbidden, contains: []string{"Your access to Acme Ltd is suspended"},
		notContains: []string{revMine, revOthers, `href="/o/acme/customers`}}
)

func TestRevocationSuspension(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	revWarm(t, fx.c, revCustMine, revWant{status: 200, contains: []string{revMine}})
	revWarm(t, fx.c, "/o/globex", revOK)
	before := fx.customerCount(t)

	revPost(t, fx.admin, fx.memberURL("/suspend"), nil)

	revGet(t, fx.c, revCustMine, revSuspended)
	revGetHTMX(t, fx.c, revCustMine, revSuspended)
	revGet(t, fx.c, "/o/acme", revSuspended)
	revGet(t, fx.c, "/o/acme/me/permissions.json", revSuspended)
	revGet(t, fx.c, "/o/acme/customers/export.csv", revSuspended)
	revCheck(t, "POST customer", fx.c.Post("/o/acme/customers", url.Values{"name": {"Sneaky"}}), revSuspended)
	if n := fx.customerCount(t); n != before {
		t.Errorf("a suspended member created a customer: %d → %d", before, n)
	}
	// Other organizations and the account itself are untouched.
	revGet(t, fx.c, "/o/globex", revOK)
	revGet(t, fx.c, "/o/globex/customers/mine", revOK)
	revGet(t, fx.c, "/orgs", revWant{status: 200, contains: []string{"Globex", "Acme Ltd", "Suspended"}})

	// Re-enabled: the very next request has the access back.
	revPost(t, fx.admin, fx.memberURL("/reenable"), nil)
	revGet(t, fx.c, revCustMine, revWant{status: 200, contains: []string{revMine}})
}

// A suspended administrator loses their write powers on their next request too.
func TestRevocationSuspendedAdminCannotWrite(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	admin := fx.app.User("admin@rev.test")
	am, err := fx.app.DB.MembershipOfUser(context.Background(), fx.acme.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	revWarm(t, fx.admin, revMembers, revOK)
	revPost(t, fx.owner, fmt.Sprintf("%s/%d/suspend", revMembers, am.ID), nil)

	revCheck(t, "suspended admin suspends vic", fx.admin.Post(fx.memberURL("/suspend"), nil), revSuspended)
	revCheck(t, "suspended admin edits a group", fx.admin.Post(fx.groupURL("Ledger", ""),
		url.Values{"name": {"Ledger"}, "perm": {"dashboard_view"}}), revSuspended)
	if m, err := fx.app.DB.Membership(context.Background(), fx.acme.ID, fx.vic.ID); err != nil || m.Suspended() {
		t.Errorf("vic was suspended by a suspended admin: %+v %v", m, err)
	}
	if g, err := fx.app.DB.Group(context.Background(), fx.acme.ID, fx.groups["Ledger"]); err != nil || !g.Set.Accessible(access.ModFinancial) {
		t.Errorf("a suspended admin edited a group: %v %v", g.Set, err)
	}
}

func TestRevocationRoleChange(t *testing.T) {
	fx := newRevFx(t, access.RoleManager)
	revWarm(t, fx.c, revCustAll, revWant{status: 200, contains: []string{revMine, revOthers}})
	revWarm(t, fx.c, "/o/acme", revWant{status: 200, contains: []string{`href="/o/acme/settings/members"`}})
	revWarm(t, fx.c, revMembers, revOK)
	before := fx.customerCount(t)

	revPost(t, fx.admin, fx.memberURL("/role"), url.Values{"role": {"agent_limited"}})

	revGet(t, fx.c, revCustAll, revWant{status: 403, notContains: []string{revMine, revOthers}})
	revGet(t, fx.c, revCustMine, revWant{status: 200, contains: []string{revMine}, notContains: []string{revOthers}})
	revGet(t, fx.c, "/o/acme/customers/new", revForbidden)
	revGet(t, fx.c, revMembers, revWant{status: 403, notContains: []string{"Arno Admin"}})
	revGet(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{`href="/o/acme/settings/members"`, `href="/o/acme/customers/all"`}})
	revGet(t, fx.c, "/o/acme/me/permissions.json", revWant{status: 200, contains: []string{`"role": "agent_limited"`}, notContains: []string{"customers_create"}})
	revCheck(t, "POST customer", fx.c.Post("/o/acme/customers", url.Values{"name": {"Sneaky"}}), revForbidden)
	if n := fx.customerCount(t); n != before {
		t.Errorf("a demoted member created a customer: %d → %d", before, n)
	}

	// And upwards: the grant is there on the next request as well.
	revPost(t, fx.admin, fx.memberURL("/role"), url.Values{"role": {"manager"}})
	revGet(t, fx.c, revCustAll, revWant{status: 200, contains: []string{revOthers}})
}

func TestRevocationGroupMembership(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	vid := fmt.Sprint(fx.vic.ID)
	revWarm(t, fx.c, revFinPage, revForbidden)
	revWarm(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{revFinHref}})

	// Added to a group from the group's page.
	revPost(t, fx.admin, fx.groupURL("Ledger", "/members"), url.Values{"membership_id": {vid}})
	revGet(t, fx.c, revFinPage, revOK)
	revGet(t, fx.c, "/o/acme", revWant{status: 200, contains: []string{revFinHref}})

	// Removed from it there.
	revPost(t, fx.admin, fx.groupURL("Ledger", "/members/"+vid+"/remove"), nil)
	revGet(t, fx.c, revFinPage, revForbidden)
	revGet(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{revFinHref}})

	// Added, then removed, from the member's page.
	revPost(t, fx.admin, fx.memberURL("/groups"), url.Values{"groups": {fmt.Sprint(fx.groups["Ledger"])}})
	revGet(t, fx.c, revFinPage, revOK)
	revPost(t, fx.admin, fx.memberURL("/groups"), url.Values{})
	revGet(t, fx.c, revFinPage, revForbidden)
	revGetHTMX(t, fx.c, revFinPage, revForbidden)
}

func TestRevocationGroupGridAndDelete(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.AddGroupMember(ctx, fx.acme.ID, fx.groups["Ledger"], fx.vic.ID)
	})
	revWarm(t, fx.c, revFinPage, revOK)
	revWarm(t, fx.c, "/o/acme/reports", revForbidden)

	// The grid loses financial and gains reports.
	revPost(t, fx.admin, fx.groupURL("Ledger", ""), url.Values{"name": {"Ledger"}, "description": {"Books."},
		"perm": {"dashboard_view", "reports_view"}})
	revGet(t, fx.c, revFinPage, revForbidden)
	revGet(t, fx.c, "/o/acme/reports", revOK)
	revGet(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{revFinHref}})
	// The groups layer replaces the agent template: no customers either.
	revGet(t, fx.c, revCustMine, revWant{status: 403, notContains: []string{revMine}})

	// Deleted: vic falls back to the agent template on the next request.
	revPost(t, fx.admin, fx.groupURL("Ledger", "/delete"), nil)
	revGet(t, fx.c, "/o/acme/reports", revForbidden)
	revGet(t, fx.c, revCustMine, revWant{status: 200, contains: []string{revMine}})
}

// Individual permissions, through the member's permissions tab.
func TestRevocationIndividualPermissions(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.AddGroupMember(ctx, fx.acme.ID, fx.groups["Ledger"], fx.vic.ID)
	})
	revWarm(t, fx.c, revFinPage, revOK)
	perms := fx.memberURL("/permissions")

	// Turned on, the individual set starts as a copy: nothing is lost yet.
	revPost(t, fx.admin, perms+"/custom/enable", nil)
	revGet(t, fx.c, revFinPage, revOK)
	revGet(t, fx.c, "/o/acme/me/permissions.json", revWant{status: 200, contains: []string{`"layer": "custom"`, "financial_edit"}})

	// Saved with the dashboard only: it overrides the group.
	revPost(t, fx.admin, perms, url.Values{"perm": {"dashboard_view"}})
	revGet(t, fx.c, revFinPage, revForbidden)
	revGet(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{revFinHref, `href="/o/acme/customers`}})
	revGet(t, fx.c, "/o/acme/me/permissions.json", revWant{status: 200, contains: []string{`"layer": "custom"`}, notContains: []string{"financial_view"}})

	// An empty individual set grants nothing, the dashboard included.
	revPost(t, fx.admin, perms, url.Values{})
	revGet(t, fx.c, "/o/acme", revForbidden)
	revGetHTMX(t, fx.c, revFinPage, revForbidden)
	revGet(t, fx.c, "/o/globex", revOK)

	// Back to inherited: the group decides again on the next request.
	revPost(t, fx.admin, perms+"/custom/disable", nil)
	revGet(t, fx.c, revFinPage, revOK)
}

func TestRevocationPasswordChange(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	other := fx.app.LoginAs("vic@rev.test", revPassword)
	revWarm(t, fx.c, revCustMine, revOK)
	revWarm(t, other, revCustMine, revOK)
	before := fx.customerCount(t)

	const newPW = "a brand new password 1"
	r := fx.c.Post("/me/profile/password", url.Values{"current_password": {revPassword}, "new_password": {newPW}, "confirm_password": {newPW}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("password change: %d %.300s", r.Status, r.Body)
	}

	// The other session is over at once, for reads, htmx and writes alike.
	revGet(t, other, revCustMine, revWant{status: http.StatusSeeOther, location: "/login", notContains: []string{revMine}})
	revGetHTMX(t, other, revCustMine, revWant{status: http.StatusOK, location: "/login", notContains: []string{revMine}})
	revCheck(t, "old session POST", other.Post("/o/acme/customers", url.Values{"name": {"Sneaky"}}), revToLogin)
	revGet(t, other, "/orgs", revToLogin)
	if n := fx.customerCount(t); n != before {
		t.Errorf("an ended session created a customer: %d → %d", before, n)
	}
	// This session goes on; the old password is dead, the new one works.
	revGet(t, fx.c, revCustMine, revWant{status: 200, contains: []string{revMine}})
	revCheck(t, "login with old password", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {revPassword}}),
		revWant{status: http.StatusUnauthorized})
	revCheck(t, "login with new password", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {newPW}}),
		revWant{status: http.StatusSeeOther, location: "/orgs"})
}

func TestRevocationForcedReset(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	other := fx.vicInBothManaged(t)

	revPost(t, fx.admin, fx.memberURL("/force-reset"), nil)

	// Every session ends, in every organization.
	revGet(t, fx.c, revCustMine, revWant{status: http.StatusSeeOther, location: "/login", notContains: []string{revMine}})
	revGet(t, other, "/o/globex", revToLogin)
	revGetHTMX(t, other, "/orgs", revWant{status: http.StatusOK, location: "/login"})

	// The next login, whatever its next=, goes to /reset, and so does
	// everything else until a new password is set.
	c := fx.app.Client()
	revCheck(t, "login", c.Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {revPassword}, "next": {revCustMine}}), revToReset)
	for _, p := range []string{"/orgs", "/o/acme", revCustMine, "/o/globex", "/me/profile", "/o/acme/me/permissions.json"} {
		revGet(t, c, p, revWant{status: http.StatusSeeOther, location: "/reset", notContains: []string{revMine}})
	}
	revGetHTMX(t, c, revCustMine, revWant{status: http.StatusOK, location: "/reset", notContains: []string{revMine}})
	before := fx.customerCount(t)
	revCheck(t, "POST customer", c.Post("/o/acme/customers", url.Values{"name": {"Sneaky"}}), revToReset)
	// The profile's password form (which only needs the old password) is no way around /reset.
	revCheck(t, "POST profile password", c.Post("/me/profile/password", url.Values{"current_password": {revPassword},
		"new_password": {"dodging the reset 1"}, "confirm_password": {"dodging the reset 1"}}), revToReset)
	if n := fx.customerCount(t); n != before {
		t.Errorf("a member who must reset created a customer: %d → %d", before, n)
	}
	revGet(t, c, "/reset", revWant{status: 200, contains: []string{`name="password"`}})

	const newPW = "after the reset pw 2"
	revCheck(t, "POST /reset", c.Post("/reset", url.Values{"password": {newPW}, "password_confirm": {newPW}}),
		revWant{status: http.StatusSeeOther, location: "/orgs"})
	revGet(t, c, revCustMine, revWant{status: 200, contains: []string{revMine}})
	revCheck(t, "login with the new password", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {newPW}}),
		revWant{status: http.StatusSeeOther, location: "/orgs"})
	revCheck(t, "login with the old password", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {revPassword}}),
		revWant{status: http.StatusUnauthorized})
}

func TestRevocationProductRemoval(t *testing.T) {
	fx := newRevFx(t, access.RoleFinancial)
	revWarm(t, fx.c, revFinPage, revOK)
	revWarm(t, fx.c, "/o/acme", revWant{status: 200, contains: []string{revFinHref}})
	settings := func(products ...string) url.Values {
		return url.Values{"name": {"Acme Ltd"}, "country": {"DE"}, "city": {"Berlin"}, "address": {"Hauptstraße 1"},
			"vat_id": {"DE123456789"}, "products": products, "package": {fx.acme.Package}}
	}
	revPost(t, fx.admin, "/o/acme/settings/organization", settings("crm", "inbox"))

	revGet(t, fx.c, revFinPage, revForbidden)
	revGet(t, fx.c, "/o/acme/pos", revForbidden)
	revGet(t, fx.c, "/o/acme", revWant{status: 200, notContains: []string{revFinHref, `href="/o/acme/pos"`}})
	revGet(t, fx.c, "/o/acme/me/permissions.json", revWant{status: 200, notContains: []string{"financial_view", "pos_view"}})
	// The rest of the role stays.
	revGet(t, fx.c, revCustAll, revOK)

	revPost(t, fx.admin, "/o/acme/settings/organization", settings("crm", "inbox", "finance"))
	revGet(t, fx.c, revFinPage, revOK)
}

func TestRevocationRemoval(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	revWarm(t, fx.c, revCustMine, revOK)
	revPost(t, fx.admin, fx.memberURL("/remove"), nil)
	revGet(t, fx.c, revCustMine, revWant{status: http.StatusNotFound, notContains: []string{revMine}})
	revGet(t, fx.c, "/o/acme", revWant{status: http.StatusNotFound})
	revGet(t, fx.c, "/o/globex", revOK)
}

// The permission cache is keyed by membership; a membership id freed by a
// removal is reused by SQLite for the next membership, possibly in another
// organization. The cached permissions of the removed member must never
// become the new member's, even when the two organizations' permission
// versions happen to be equal.
func TestRevocationCacheNotInheritedByReusedMembershipID(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	owner := app.CreateUser("owner@rev.test", "Olga Owner", revPassword)
	acme := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox", "finance"}, owner)
	globex := app.CreateOrg("Globex", "globex", []string{"crm"}, app.CreateUser("owner@globex.test", "Gus Globex", revPassword))
	version := func(o domain.Org) int64 {
		t.Helper()
		got, err := app.DB.OrgBySlug(ctx, o.Slug)
		if err != nil {
			t.Fatal(err)
		}
		return got.PermVersion
	}
	// bump raises o's permission version to v by ordinary changes (new groups).
	n := 0
	bump := func(o domain.Org, v int64) {
		t.Helper()
		for version(o) < v {
			n++
			app.Tx(func(ctx context.Context, tx *store.Tx) error {
				_, err := tx.CreateGroup(ctx, o.ID, fmt.Sprintf("Filler %d", n), "", access.Set{}, "")
				return err
			})
		}
	}
	bump(acme, version(globex)+3)

	// Xavier, an agent of acme in its Admin group, is the newest membership.
	x := app.Join(acme, "x@rev.test", "Xavier X", revPassword, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		gs, err := tx.Groups(ctx, acme.ID)
		for _, g := range gs {
			if g.Name == "Admin" {
				return tx.AddGroupMember(ctx, acme.ID, g.ID, x.ID)
			}
		}
		if err == nil {
			err = fmt.Errorf("no Admin group")
		}
		return err
	})
	xc := app.LoginAs("x@rev.test", revPassword)
	revWarm(t, xc, "/o/acme/settings/members", revOK)
	cached := version(acme)

	ownerC := app.LoginAs("owner@rev.test", revPassword)
	revPost(t, ownerC, fmt.Sprintf("/o/acme/settings/members/%d/remove", x.ID), nil)
	revGet(t, xc, "/o/acme/settings/members", revWant{status: http.StatusNotFound})

	// Yolanda joins globex as a plain agent and gets the freed id.
	y := app.Join(globex, "y@rev.test", "Yolanda Y", revPassword, access.RoleAgent)
	if y.ID != x.ID {
		t.Skipf("membership id %d was not reused (got %d): the scenario needs SQLite's rowid reuse", x.ID, y.ID)
	}
	bump(globex, cached)
	if v := version(globex); v != cached {
		t.Fatalf("globex version %d, want %d", v, cached)
	}
	yc := app.LoginAs("y@rev.test", revPassword)
	revGet(t, yc, "/o/globex/settings/members", revWant{status: http.StatusForbidden, notContains: []string{"Gus Globex"}})
	revGet(t, yc, "/o/globex/settings/groups", revForbidden)
	revGet(t, yc, "/o/globex", revWant{status: 200, notContains: []string{`href="/o/globex/settings/members"`}})
	revGet(t, yc, "/o/globex/me/permissions.json", revWant{status: 200, contains: []string{`"layer": "role"`}, notContains: []string{"members_view"}})
}

func TestRevocationSessionsEndedByAdmin(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	other := fx.vicInBothManaged(t)

	revPost(t, fx.admin, fx.memberURL("/sessions/revoke-all"), nil)

	revGet(t, fx.c, revCustMine, revWant{status: http.StatusSeeOther, location: "/login", notContains: []string{revMine}})
	revGet(t, other, "/o/globex", revToLogin)
	// Unlike a forced reset, the password still works and leads where it should.
	revCheck(t, "login", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {revPassword}, "next": {revCustMine}}),
		revWant{status: http.StatusSeeOther, location: revCustMine})
}

// vicInBothManaged warms vic's Acme session and a second one on Globex, then
// lets Acme's admin manage Globex (else vic's account is beyond Acme's reach:
// managed accounts). It returns the Globex session.
func (fx *revFx) vicInBothManaged(t *testing.T) *testkit.Client {
	t.Helper()
	other := fx.app.LoginAs("vic@rev.test", revPassword)
	revWarm(t, fx.c, revCustMine, revOK)
	revWarm(t, other, "/o/globex", revOK)
	fx.adminManagesGlobex(t)
	return other
}

// adminManagesGlobex makes Acme's admin an admin of Globex too: vic's
// account, in both, is then within their reach as a whole.
func (fx *revFx) adminManagesGlobex(t *testing.T) {
	t.Helper()
	u := fx.app.User("admin@rev.test")
	fx.app.AddMember(fx.globex, u, access.RoleAdmin)
}

// Managed accounts: vic also belongs to Globex, where Acme's admin has no
// say. The global actions are refused (403) and vic's warm sessions keep
// working everywhere; "Sign out of this organization" takes Acme away on
// vic's very next request (cached answers included) and nothing else.
func TestRevocationSignOutOfOneOrganization(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	other := fx.app.LoginAs("vic@rev.test", revPassword)
	revWarm(t, fx.c, revCustMine, revWant{status: http.StatusOK, contains: []string{revMine}})
	revWarm(t, other, "/o/globex", revOK)
	for _, path := range []string{fx.memberURL("/force-reset"), fx.memberURL("/sessions/revoke-all")} {
		if r := fx.admin.Post(path, nil); r.Status != http.StatusForbidden {
			t.Fatalf("POST %s: %d, want 403", path, r.Status)
		}
	}
	revGet(t, fx.c, revCustMine, revWant{status: http.StatusOK, contains: []string{revMine}})
	revGet(t, other, "/o/globex", revOK)

	revPost(t, fx.admin, fx.memberURL("/signout"), nil)

	for _, c := range []*testkit.Client{fx.c, other} {
		r := c.Get(revCustMine)
		if r.Status == http.StatusOK || strings.Contains(r.Body, revMine) {
			t.Fatalf("a signed-out session still reaches Acme: %d %s", r.Status, revSnippet(r.Body))
		}
		if r := c.Post("/o/acme/customers", url.Values{"name": {"After the sign-out"}}); r.Status == http.StatusSeeOther && !strings.HasPrefix(r.Location, "/login") {
			t.Fatalf("a signed-out session wrote in Acme: %d %q", r.Status, r.Location)
		}
		revGet(t, c, "/o/globex", revOK)
		revGet(t, c, "/orgs", revOK)
	}
	if n := fx.customerCount(t); n != 2 {
		t.Fatalf("customers = %d, want the fixture's 2", n)
	}
	// A new sign-in is accepted in Acme again.
	c := fx.app.LoginAs("vic@rev.test", revPassword)
	revGet(t, c, revCustMine, revWant{status: http.StatusOK, contains: []string{revMine}})
}

// Suspension takes a colleague's photo away on the next request (the
// photo's owner shares no other organization with the member), and
// re-enabling gives it back.
func TestRevocationSuspensionEndsColleaguesPhotos(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	owner := fx.app.User("owner@rev.test")
	if _, err := fx.app.DB.SetPhoto(context.Background(), owner.ID, prPNG(t, 32, 32)); err != nil {
		t.Fatal(err)
	}
	photo := fmt.Sprintf("/me/photo/%d", owner.ID)
	revWarm(t, fx.c, photo, revOK)

	revPost(t, fx.admin, fx.memberURL("/suspend"), nil)
	revGet(t, fx.c, photo, revWant{status: http.StatusNotFound})

	revPost(t, fx.admin, fx.memberURL("/reenable"), nil)
	revGet(t, fx.c, photo, revOK)
}

// A reset link the member asked for before a forced reset is dead after
// it: the forced reset is the administrator's word, not a second way in.
func TestRevocationForcedResetEndsOpenResetLinks(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	fx.adminManagesGlobex(t)
	link := resetLink(t, fx.app, "vic@rev.test")
	revGet(t, fx.app.Client(), strings.TrimPrefix(link, fx.app.URL), revOK)

	revPost(t, fx.admin, fx.memberURL("/force-reset"), nil)

	revGet(t, fx.app.Client(), strings.TrimPrefix(link, fx.app.URL), revWant{status: http.StatusNotFound,
		contains: []string{"invalid, already used or expired"}})
	token := strings.TrimPrefix(link, fx.app.URL+"/reset?token=")
	revCheck(t, "POST /reset with the old link", fx.app.Client().Post("/reset", url.Values{"token": {token},
		"password": {"taken over pw 1234"}, "password_confirm": {"taken over pw 1234"}}), revWant{status: http.StatusNotFound})
	revCheck(t, "login with the old password", fx.app.Client().Post("/login", url.Values{"email": {"vic@rev.test"}, "password": {revPassword}}),
		revToReset)
}

// An invitation revoked while its invitee has /orgs open: the invitee's
// next page no longer lists it, and accepting it anyway is refused (409: an invitation already used, revoked or expired is a conflict)
// with no membership.
func TestRevocationInvitationRevokedBeforeAccept(t *testing.T) {
	fx := newRevFx(t, access.RoleAgent)
	ctx := context.Background()
	guest := fx.app.CreateUser("guest@rev.test", "Gil Guest", revPassword)
	if err := fx.app.DB.MarkVerified(ctx, guest.ID, guest.Email); err != nil {
		t.Fatal(err)
	}
	if r := fx.owner.Post(revMembers+"/invite", url.Values{"email": {"guest@rev.test"}, "role": {"agent"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.Status)
	}
	var id int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = 'guest@rev.test'`).Scan(&id)
	})
	g := fx.app.LoginAs("guest@rev.test", revPassword)
	accept := fmt.Sprintf("/orgs/invitations/%d/accept", id)
	for range 2 {
		if r := g.Get("/orgs"); !strings.Contains(r.Body, accept) {
			t.Fatalf("/orgs does not list the invitation")
		}
	}
	if r := fx.owner.Post(fmt.Sprintf("%s/invites/%d/revoke", revMembers, id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := g.Get("/orgs"); strings.Contains(r.Body, accept) {
		t.Fatal("a revoked invitation is still listed")
	}
	if r := g.Post(accept, nil); r.Status != http.StatusConflict || !strings.Contains(r.Body, "revoked") {
		t.Fatalf("accepting a revoked invitation: %d", r.Status)
	}
	if _, err := fx.app.DB.MembershipOfUser(ctx, fx.acme.ID, guest.ID); err == nil {
		t.Fatal("a revoked invitation made a member")
	}
}
