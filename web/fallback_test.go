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

// fbFixture is Acme (CRM, Inbox) with admins held back to the members
// screens (the Admin template, everything, sits behind what decides for
// them) and the members they try to hand it back to.
type fbFixture struct {
	app     *testkit.App
	org     domain.Org
	clients map[string]*testkit.Client
	members map[string]domain.Membership
	night   int64 // custom group "Night shift": dashboard_view; Nadia's only group
	desk    int64 // custom group "Members desk": the limited set; Gil's only group
}

// custom is a set as a membership's individual permissions.
func custom(s access.Set) *access.Set { return &s }

var fbLimited = []string{"members_view", "members_create", "members_edit", "members_delete", "dashboard_view"}

func newFBFixture(t *testing.T) *fbFixture {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &fbFixture{app: app, clients: map[string]*testkit.Client{}, members: map[string]domain.Membership{}}
	owner := app.CreateUser("owner@acme.test", "Olive Owner", wzPassword)
	fx.org = app.CreateOrg("Acme", "acme", []string{"crm", "inbox"}, owner)
	add := func(key, name string, role access.Role, custom *access.Set, status string) {
		u := app.CreateUser(key+"@acme.test", name, wzPassword)
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			m, err := tx.AddMember(ctx, fx.org.ID, u.ID, role, status, custom)
			fx.members[key] = m
			return err
		})
	}
	add("lim", "Lim Ited", access.RoleAdmin, custom(testkit.Set(t, fbLimited...)), domain.StatusActive)
	add("gil", "Gil Group", access.RoleAdmin, nil, domain.StatusActive)
	add("grp", "Gus Groups", access.RoleAdmin, custom(testkit.Set(t, append([]string{"groups_view", "groups_create", "groups_edit", "groups_delete"}, fbLimited...)...)), domain.StatusActive)
	add("tom", "Tom Tiny", access.RoleAdmin, custom(testkit.Set(t, "dashboard_view")), domain.StatusActive)
	add("nadia", "Nadia Night", access.RoleAdmin, nil, domain.StatusActive)
	add("sus", "Sue Spended", access.RoleAdmin, nil, domain.StatusSuspended)
	add("setter", "Seth Settings", access.RoleAdmin, custom(testkit.Set(t, "dashboard_view", "settings_view", "settings_edit")), domain.StatusActive)
	add("biller", "Bill Billing", access.RoleAdmin, custom(testkit.Set(t, "dashboard_view", "settings_view", "settings_edit", "billing_view", "billing_edit")), domain.StatusActive)
	add("admin", "Ada Admin", access.RoleAdmin, nil, domain.StatusActive)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if fx.night, err = tx.CreateGroup(ctx, fx.org.ID, "Night shift", "", testkit.Set(t, "dashboard_view"), ""); err != nil {
			return err
		}
		if fx.desk, err = tx.CreateGroup(ctx, fx.org.ID, "Members desk", "", testkit.Set(t, fbLimited...), ""); err != nil {
			return err
		}
		if err := tx.AddGroupMember(ctx, fx.org.ID, fx.night, fx.members["nadia"].ID); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, fx.org.ID, fx.desk, fx.members["gil"].ID)
	})
	for _, k := range []string{"lim", "gil", "grp", "setter", "biller", "admin"} {
		fx.clients[k] = app.LoginAs(k+"@acme.test", wzPassword)
	}
	fx.clients["owner"] = app.LoginAs("owner@acme.test", wzPassword)
	return fx
}

func (fx *fbFixture) member(key, suffix string) string {
	return fmt.Sprintf("/o/acme/settings/members/%d%s", fx.members[key].ID, suffix)
}

func (fx *fbFixture) group(id int64, suffix string) string {
	return fmt.Sprintf("/o/acme/settings/groups/%d%s", id, suffix)
}

// snapshot is every row these changes could touch.
func (fx *fbFixture) snapshot() string {
	return testkit.Rows(fx.app.T, fx.app.DB,
		`SELECT id || ':' || role || ':' || status || ':' || COALESCE(custom_permissions, '-') FROM memberships ORDER BY id`,
		`SELECT group_id || ':' || membership_id FROM group_members ORDER BY 1`,
		`SELECT id || ':' || name || ':' || permissions FROM groups ORDER BY id`,
		`SELECT products || ':' || package || ':' || seats FROM organizations ORDER BY id`,
		`SELECT COUNT(*) FROM audit_log`,
	)
}

// The limited admins try every path the UI offers to get their role's
// template back, for themselves or a colleague: each answer is a refusal
// naming what they lack, 403 (forbidden, as every anti-escalation refusal),
// plain form and htmx alike, and the database is exactly as before.
func TestFallBackEscalationsOverHTTP(t *testing.T) {
	fx := newFBFixture(t)
	for _, tc := range []struct {
		name, actor, path string
		form              url.Values
		status            int
		want              string
	}{
		{"turns off their own individual permissions", "lim", fx.member("lim", "/permissions/custom/disable"), nil, http.StatusForbidden,
			"Nothing changed: without individual permissions, Lim Ited would fall back to the Admin role's permissions, which include permissions you do not hold ("},
		{"saves an empty group list on their own page", "gil", fx.member("gil", "/groups"), url.Values{}, http.StatusForbidden,
			"Nothing changed: without groups, Gil Group would fall back to the Admin role's permissions, which include permissions you do not hold ("},
		{"clears a colleague's individual permissions", "lim", fx.member("tom", "/permissions/custom/disable"), nil, http.StatusForbidden,
			"without individual permissions, Tom Tiny would fall back to the Admin role's permissions"},
		{"removes a member from their last group on the group page", "grp", fx.group(fx.night, fmt.Sprintf("/members/%d/remove", fx.members["nadia"].ID)), nil, http.StatusForbidden,
			"without Night shift, Nadia Night would fall back to the Admin role's permissions, which include permissions you do not hold"},
		{"deletes a group that is someone's only group", "grp", fx.group(fx.night, "/delete"), nil, http.StatusForbidden,
			"members whose only group is Night shift would fall back to the Admin role's permissions"},
		{"re-enables a suspended member who holds more", "lim", fx.member("sus", "/reenable"), nil, http.StatusForbidden,
			"Sue Spended holds permissions you don't have"},
		{"gives a role whose template exceeds theirs", "lim", fx.member("tom", "/role"), url.Values{"role": {"agent"}}, http.StatusForbidden,
			"You can't give the role Agent"},
		{"drops a product without billing_edit", "setter", "/o/acme/settings/organization", orgFormProducts("crm"), http.StatusForbidden,
			"needs the permission billing_edit"},
		{"changes the package without billing_edit", "setter", "/o/acme/settings/organization", withPackage(orgFormProducts("crm", "inbox"), "team"), http.StatusForbidden,
			"needs the permission billing_edit"},
		{"adds a product whose modules they do not hold", "biller", "/o/acme/settings/organization", orgFormProducts("crm", "inbox", "finance"), http.StatusForbidden,
			"adding Finance needs every permission of the modules it brings, and you do not hold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fx.clients[tc.actor]
			before := fx.snapshot()
			for _, htmx := range []bool{false, true} {
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = v
				}
				r := c.PostAs(htmx, tc.path, form)
				if r.Status != tc.status || !strings.Contains(html.UnescapeString(r.Body), tc.want) {
					t.Fatalf("htmx=%v: status %d, want %d with %q; body %.600s", htmx, r.Status, tc.status, tc.want, r.Body)
				}
			}
			if after := fx.snapshot(); after != before {
				t.Fatalf("a refused request changed the database:\nbefore %s\nafter %s", before, after)
			}
		})
	}
	// The individual tab says so up front and offers no working switch;
	// the owner's tab offers it.
	r := fx.clients["lim"].Get(fx.member("lim", "/permissions?tab=individual"))
	if !strings.Contains(html.UnescapeString(r.Body), "Returning to inherited permissions would give Lim Ited permissions you don't have") ||
		!strings.Contains(r.Body, `id="mp-disable" disabled`) {
		t.Fatalf("Lim's individual tab: %d %.400s", r.Status, r.Body)
	}
	if r := fx.clients["owner"].Get(fx.member("lim", "/permissions?tab=individual")); strings.Contains(r.Body, `id="mp-fallback"`) ||
		strings.Contains(r.Body, `id="mp-disable" disabled`) {
		t.Fatal("the owner's individual tab refuses the switch")
	}
	// What an owner or a full admin may do goes through.
	owner, admin := fx.clients["owner"], fx.clients["admin"]
	if r := owner.Post(fx.member("lim", "/permissions/custom/disable"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("owner turns off Lim's individual permissions: %d %.300s", r.Status, r.Body)
	}
	if r := admin.Post(fx.group(fx.night, "/delete"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("admin deletes Night shift: %d %.300s", r.Status, r.Body)
	}
	if r := admin.Post("/o/acme/settings/organization", orgFormProducts("crm", "inbox", "finance")); r.Status != http.StatusSeeOther {
		t.Fatalf("admin adds Finance: %d %.300s", r.Status, r.Body)
	}
	o, _ := fx.app.DB.OrgBySlug(context.Background(), "acme")
	if !o.Products.Has("finance") {
		t.Fatal("Finance was not added")
	}
}

// orgFormProducts is the organization form of the fixture's Acme with
// these products (osForm sets one product only).
func orgFormProducts(products ...string) url.Values {
	f := osForm()
	f["products"] = products
	return f
}

func withPackage(f url.Values, pkg string) url.Values {
	f.Set("package", pkg)
	return f
}

// Every anti-escalation refusal answers 403 (forbidden, the design's error
// table), on the member page, the individual permissions, the group pages
// and the invite form, plain form and htmx alike, and changes no row. Gus
// holds the members and groups screens and the dashboard, nothing else.
func TestEveryAntiEscalationRefusalIs403(t *testing.T) {
	fx := newFBFixture(t)
	gus := fx.clients["grp"]
	var admin int64 // the predefined Admin group: everything
	gs, err := fx.app.DB.Groups(context.Background(), fx.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Name == "Admin" {
			admin = g.ID
		}
	}
	if admin == 0 {
		t.Fatal("no Admin group")
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"role change", fx.member("tom", "/role"), url.Values{"role": {"agent"}}, "You can't give the role Agent"},
		{"group add on the member page", fx.member("nadia", "/groups"), url.Values{"groups": {id(fx.night), id(admin)}}, "Admin"},
		{"group remove on the member page", fx.member("gil", "/groups"), url.Values{}, "without groups, Gil Group would fall back"},
		{"group add on the group page", fx.group(admin, "/members"), url.Values{"membership_id": {id(fx.members["tom"].ID)}}, "permissions you do not hold"},
		{"group remove on the group page", fx.group(fx.night, fmt.Sprintf("/members/%d/remove", fx.members["nadia"].ID)), nil, "Nadia Night would fall back"},
		{"individual permissions granted", fx.member("tom", "/permissions"), url.Values{"perm": {"dashboard_view", "customers_view"}}, "you can only grant permissions you hold yourself"},
		{"individual permissions turned off", fx.member("lim", "/permissions/custom/disable"), nil, "Lim Ited would fall back"},
		{"group edit", fx.group(fx.desk, ""), gridForm("Members desk", "", append(fbLimited, "customers_view")...), "you can only grant permissions you hold yourself"},
		{"group create", "/o/acme/settings/groups", gridForm("Wide", "", "dashboard_view", "customers_view"), "you can only grant permissions you hold yourself"},
		{"group delete", fx.group(fx.night, "/delete"), nil, "would fall back"},
		{"re-enable", fx.member("sus", "/reenable"), nil, "Sue Spended holds permissions you don't have"},
		{"invite with a role above", "/o/acme/settings/members/invite", url.Values{"email": {"new@acme.test"}, "role": {"admin"}}, "role Admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot()
			for _, htmx := range []bool{false, true} {
				r := gus.PostAs(htmx, tc.path, tc.form)
				if r.Status != http.StatusForbidden || !strings.Contains(html.UnescapeString(r.Body), tc.want) {
					t.Fatalf("htmx=%v: status %d, want 403 with %q; body %.600s", htmx, r.Status, tc.want, r.Body)
				}
			}
			if after := fx.snapshot(); after != before {
				t.Fatalf("a refused request changed the database:\nbefore %s\nafter %s", before, after)
			}
		})
	}
}

// retryAfter is a throttled answer's Retry-After in seconds (0 when absent
// or not a positive number).
func retryAfter(r *testkit.Response) int {
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
