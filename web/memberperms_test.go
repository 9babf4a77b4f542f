package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The member permissions page: /o/{slug}/settings/members/{id}/permissions
// and its individual-permission changes (enable, save, preview, disable).

const mpPassword = "member perms password 9"

// mpFx is "acme" (CRM + Inbox) with one actor per kind the page tells apart,
// plus Tess, the member whose permissions change: an agent in Support Agents
// and Night shift (customers view/edit, no "See all customers"). "boss" is a
// manager who may edit members but holds no billing, settings or audit.
type mpFx struct {
	app     *testkit.App
	acme    domain.Org
	members map[string]domain.Membership
	clients map[string]*testkit.Client
	groups  map[string]int64
	globex  domain.Membership // a member of the other organization
}

var mpActors = []string{"owner", "admin", "manager", "boss", "agent", "suspended", "outsider", "tess"}

func newMPFx(t *testing.T) *mpFx {
	t.Helper()
	app := testkit.NewApp(t)
	fx := &mpFx{app: app, clients: map[string]*testkit.Client{}, groups: map[string]int64{}}
	acme := app.Team(acmeTeam(mpPassword,
		testkit.Member{Key: "suspended", Name: "Sue Suspended", Role: access.RoleAgent, Status: domain.StatusSuspended},
		testkit.Member{Key: "tess", Name: "Tess Target", Role: access.RoleAgent},
	))
	globex := app.Team(globexTeam(mpPassword))
	fx.acme, fx.members, fx.globex = acme.Org, acme.Members, globex.Members["outsider"]
	users := acme.Users
	users["outsider"] = globex.Users["outsider"]
	boss := access.RoleTemplate(access.RoleManager).RestrictTo(fx.acme.Products)
	for _, a := range []access.Action{access.Create, access.Edit} {
		boss.Grant(access.ModMembers, a)
	}
	night := access.Set{}
	night.Grant(access.ModCustomers, access.View)
	night.Grant(access.ModCustomers, access.Edit)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetCustom(ctx, fx.acme.ID, fx.members["boss"].ID, &boss); err != nil {
			return err
		}
		if _, err := tx.CreateGroup(ctx, fx.acme.ID, "Night shift", "", night, ""); err != nil {
			return err
		}
		gs, err := tx.Groups(ctx, fx.acme.ID)
		if err != nil {
			return err
		}
		for _, g := range gs {
			fx.groups[g.Name] = g.ID
		}
		return tx.SetMemberGroups(ctx, fx.acme.ID, fx.members["tess"].ID, []int64{fx.groups["Support Agents"], fx.groups["Night shift"]})
	})
	for _, a := range mpActors {
		fx.clients[a] = app.LoginAs(users[a].Email, mpPassword)
	}
	return fx
}

func (fx *mpFx) url(actor, suffix string) string {
	return fmt.Sprintf("/o/acme/settings/members/%d/permissions%s", fx.members[actor].ID, suffix)
}

// membership re-reads a member of acme.
func (fx *mpFx) membership(t *testing.T, actor string) domain.Membership {
	t.Helper()
	m, err := fx.app.DB.Membership(context.Background(), fx.acme.ID, fx.members[actor].ID)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// effective resolves a member of acme as the engine does (as if active).
func (fx *mpFx) effective(t *testing.T, actor string) access.Effective {
	t.Helper()
	m := fx.membership(t, actor)
	gs, err := fx.app.DB.GroupsOfMember(context.Background(), m.OrgID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return access.Resolve(access.Input{Role: m.Role, Custom: m.Custom, Groups: store.Grants(gs), Products: fx.acme.Products})
}

type mpAudit struct{ actor, target, before, after string }

// audits lists acme's "member.custom" entries, oldest first.
func (fx *mpFx) audits(t *testing.T) []mpAudit {
	t.Helper()
	var out []mpAudit
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT actor_email, target, before_json, after_json FROM audit_log
			WHERE org_id = ? AND action = 'member.custom' ORDER BY id`, fx.acme.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a mpAudit
			if err := rows.Scan(&a.actor, &a.target, &a.before, &a.after); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out
}

// snapshot is every row a permission change could touch.
func (fx *mpFx) snapshot(t *testing.T) string {
	t.Helper()
	return testkit.Rows(t, fx.app.DB,
		`SELECT id || ':' || role || ':' || status || ':' || COALESCE(custom_permissions, '-') FROM memberships ORDER BY id`,
		`SELECT group_id || ':' || membership_id FROM group_members ORDER BY 1`,
		`SELECT COUNT(*) FROM audit_log`,
		`SELECT perm_version FROM organizations ORDER BY id`,
	)
}

// grid is a submitted permission grid.
func grid(perms []string, flags ...string) url.Values {
	return url.Values{"perm": perms, "flag": flags}
}

func TestMemberPermsRoutesByActor(t *testing.T) {
	fx := newMPFx(t)
	page := fx.url("tess", "")
	indiv := fx.url("tess", "?tab=individual")
	other := fmt.Sprintf("/o/acme/settings/members/%d/permissions", fx.globex.ID)
	before := fx.snapshot(t)
	sc := []testkit.Scenario{
		{Actor: "owner", Path: page, Status: http.StatusOK, Contains: []string{"Permissions of Tess Target", "Role &amp; groups", "Individual permission",
			"Their groups decide: everything granted by Night shift and Support Agents.", `id="mp-role-grid"`, `action="/o/acme/settings/members/` + strconv.FormatInt(fx.members["tess"].ID, 10) + `/groups"`}},
		{Actor: "admin", Path: indiv, Status: http.StatusOK, Contains: []string{"Use individual permissions", `id="mp-enable"`, `role="switch"`, `aria-checked="false"`,
			`id="mp-current-grid"`}},
		// members_view only: everything readable, nothing to press.
		{Actor: "manager", Path: page, Status: http.StatusOK, Contains: []string{"Night shift", "Support Agents"}, NotContains: []string{`name="groups"`, `/members/` + strconv.FormatInt(fx.members["tess"].ID, 10) + `/groups"`}},
		{Actor: "manager", Path: indiv, Status: http.StatusOK, Contains: []string{"Use individual permissions", `aria-disabled="true"`},
			NotContains: []string{`id="mp-enable"`, "/custom/enable", `name="perm"`}},
		{Actor: "agent", Path: page, Status: http.StatusForbidden, NotContains: []string{"Tess Target"}},
		// Her own page is refused: none of it shows (the 403 names her own
		// groups as the deciding layer, which My Permissions shows her anyway).
		{Actor: "tess", Path: page, Status: http.StatusForbidden, Contains: []string{"Members: View"},
			NotContains: []string{"Their groups decide", `id="mp-role-grid"`}},
		{Actor: "suspended", Path: page, Status: http.StatusForbidden, NotContains: []string{"Tess Target"}},
		{Actor: "outsider", Path: page, Status: http.StatusNotFound, NotContains: []string{"Tess Target", "Acme Ltd"}},
		{Actor: "", Path: page, Status: http.StatusSeeOther, Location: "/login"},
		{Name: "another org's member is a 404", Actor: "owner", Path: other, Status: http.StatusNotFound, NotContains: []string{"Otto"}},
		{Name: "malformed id is a 404", Actor: "owner", Path: "/o/acme/settings/members/x1/permissions", Status: http.StatusNotFound},
		{Name: "unknown tab is named", Actor: "admin", Path: fx.url("tess", "?tab=nope"), Status: http.StatusOK,
			Contains: []string{"There is no tab “nope”; showing Role &amp; groups."}},
		{Name: "htmx tab gets the body only", Actor: "admin", Path: indiv, HTMX: true, Status: http.StatusOK,
			Contains: []string{`id="memberperms"`, "Use individual permissions"}, NotContains: []string{"<html", `id="sidebar"`}},
	}
	for _, suffix := range []string{"", "/preview", "/custom/enable", "/custom/disable"} {
		path := fx.url("tess", suffix)
		form := grid([]string{"billing_view"})
		sc = append(sc,
			testkit.Scenario{Actor: "manager", Method: "POST", Path: path, Form: form, Status: http.StatusForbidden},
			testkit.Scenario{Actor: "agent", Method: "POST", Path: path, Form: form, Status: http.StatusForbidden},
			testkit.Scenario{Actor: "tess", Method: "POST", Path: path, Form: form, Status: http.StatusForbidden},
			testkit.Scenario{Actor: "suspended", Method: "POST", Path: path, Form: form, Status: http.StatusForbidden},
			testkit.Scenario{Actor: "outsider", Method: "POST", Path: path, Form: form, Status: http.StatusNotFound},
			testkit.Scenario{Actor: "", Method: "POST", Path: path, Form: form, Status: http.StatusSeeOther, Location: "/login"},
			testkit.Scenario{Name: "owner POST" + suffix + " for another org's member", Actor: "owner", Method: "POST",
				Path: strings.Replace(path, strconv.FormatInt(fx.members["tess"].ID, 10), strconv.FormatInt(fx.globex.ID, 10), 1), Form: form, Status: http.StatusNotFound},
		)
	}
	testkit.Run(t, fx.app, fx.clients, sc)
	if after := fx.snapshot(t); after != before {
		t.Errorf("denied requests changed something:\nbefore %s\nafter %s", before, after)
	}
}

func TestMemberPermsEnableCopiesCurrentSet(t *testing.T) {
	fx := newMPFx(t)
	was := fx.effective(t, "tess")
	if was.Layer != access.LayerGroups || was.Set.IsEmpty() {
		t.Fatalf("fixture: tess is %s with %v", was.Layer, was.Set)
	}
	r := fx.clients["admin"].PostHTMX(fx.url("tess", "/custom/enable"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("enable: %d %.400s", r.Status, r.Body)
	}
	for _, want := range []string{"Individual permissions are on, starting from a copy of exactly what Tess Target had.",
		`aria-checked="true"`, `id="mp-grid"`, `name="perm"`, `hx-post="` + fx.url("tess", "/preview") + `"`, `hx-trigger="change delay:150ms"`,
		"Individual permissions will replace what 2 groups grant: Night shift, Support Agents.", "Return to inherited permissions", "data-confirm="} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("after enable, body lacks %q", want)
		}
	}
	m := fx.membership(t, "tess")
	if m.Custom == nil || *m.Custom != was.Set {
		t.Fatalf("custom after enable = %v, want exactly the effective set %v", m.Custom, was.Set)
	}
	if now := fx.effective(t, "tess"); now.Layer != access.LayerCustom || now.Set != was.Set {
		t.Fatalf("after enable: %s %v, want custom %v", now.Layer, now.Set, was.Set)
	}
	au := fx.audits(t)
	if len(au) != 1 || au[0].actor != "admin@acme.test" || au[0].target != "tess@acme.test" ||
		au[0].before != `{"custom":null}` || au[0].after != `{"custom":`+store.JSON(was.Set)+`}` {
		t.Fatalf("audit = %+v", au)
	}
	// Enabling again changes nothing and says so.
	before := fx.snapshot(t)
	r = fx.clients["admin"].Post(fx.url("tess", "/custom/enable"), nil)
	if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?tab=individual") {
		t.Fatalf("enable again: %d %q", r.Status, r.Location)
	}
	if page := fx.clients["admin"].Follow(r); !strings.Contains(page.Body, "Individual permissions are already on.") {
		t.Errorf("second enable does not say it was on already")
	}
	if fx.snapshot(t) != before {
		t.Error("a second enable changed something")
	}
}

func TestMemberPermsSaveReplacesAndAppliesNextRequest(t *testing.T) {
	fx := newMPFx(t)
	tess := fx.clients["tess"]
	if r := tess.Get("/o/acme/customers/all"); r.Status != http.StatusForbidden {
		t.Fatalf("before: tess /customers/all = %d, want 403", r.Status)
	}
	fx.clients["admin"].Post(fx.url("tess", "/custom/enable"), nil)
	copied := *fx.membership(t, "tess").Custom

	// customers_edit without view: view is added and the page says so.
	r := fx.clients["admin"].PostHTMX(fx.url("tess", ""), grid([]string{"dashboard_view", "customers_edit", "chats_view"}, "customers.canAccessAll"))
	if r.Status != http.StatusOK {
		t.Fatalf("save: %d %.500s", r.Status, r.Body)
	}
	for _, want := range []string{"Saved. Tess Target&#39;s individual permissions apply from their next request.",
		"View was added automatically to Customers, because another action was ticked there."} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("after save, body lacks %q", want)
		}
	}
	want := testkit.Set(t, "dashboard_view", "customers_view", "customers_edit", "chats_view", "+customers.canAccessAll")
	if got := fx.membership(t, "tess").Custom; got == nil || *got != want {
		t.Fatalf("custom after save = %v, want %v", got, want)
	}
	au := fx.audits(t)
	if len(au) != 2 || au[1].before != `{"custom":`+store.JSON(copied)+`}` || au[1].after != `{"custom":`+store.JSON(want)+`}` {
		t.Fatalf("audit = %+v", au)
	}
	// Tess's very next request sees it: all customers, both sidebar entries,
	// and Support Agents' bulk messages are gone (nothing is merged in).
	home := tess.Get("/o/acme/customers/all")
	if home.Status != http.StatusOK {
		t.Fatalf("after save: tess /customers/all = %d, want 200", home.Status)
	}
	for _, want := range []string{`href="/o/acme/customers/mine"`, `href="/o/acme/customers/all"`} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("tess's sidebar lacks %s", want)
		}
	}
	if strings.Contains(home.Body, `href="/o/acme/bulk_messages"`) {
		t.Error("tess still sees bulk messages from Support Agents: the custom set must replace the groups")
	}
	if r := tess.Get("/o/acme/bulk_messages"); r.Status != http.StatusForbidden {
		t.Errorf("tess /bulk_messages = %d, want 403", r.Status)
	}
	// A plain (non-htmx) save redirects back to the tab with a flash.
	r = fx.clients["admin"].Post(fx.url("tess", ""), grid([]string{"dashboard_view"}))
	if r.Status != http.StatusSeeOther || r.Location != fx.url("tess", "?tab=individual") {
		t.Fatalf("plain save: %d %q", r.Status, r.Location)
	}
	if page := fx.clients["admin"].Follow(r); !strings.Contains(page.Body, "Saved. Tess Target") {
		t.Error("plain save: no flash on the tab")
	}
}

func TestMemberPermsEmptyCustomGrantsNothing(t *testing.T) {
	fx := newMPFx(t)
	tess := fx.clients["tess"]
	if r := tess.Get("/o/acme/customers/mine"); r.Status != http.StatusOK {
		t.Fatalf("before: %d", r.Status)
	}
	fx.clients["admin"].Post(fx.url("tess", "/custom/enable"), nil)
	r := fx.clients["admin"].PostHTMX(fx.url("tess", ""), url.Values{})
	if r.Status != http.StatusOK {
		t.Fatalf("save {}: %d %.400s", r.Status, r.Body)
	}
	if !strings.Contains(r.Body, "These individual permissions grant nothing: Tess Target will have no module at all in Acme Ltd.") {
		t.Error("the preview does not warn that the set grants nothing")
	}
	m := fx.membership(t, "tess")
	if m.Custom == nil || !m.Custom.IsEmpty() {
		t.Fatalf("custom = %v, want set and empty", m.Custom)
	}
	if au := fx.audits(t); len(au) != 2 || au[1].after != `{"custom":{}}` {
		t.Fatalf("audit = %+v", au)
	}
	if r := tess.Get("/o/acme/customers/mine"); r.Status != http.StatusForbidden {
		t.Fatalf("tess's next request to /customers/mine: %d, want 403", r.Status)
	}
	if r := tess.Get("/o/acme"); r.Status != http.StatusForbidden {
		t.Errorf("tess's dashboard: %d, want 403", r.Status)
	}
}

func TestMemberPermsDisableReturnsToGroups(t *testing.T) {
	fx := newMPFx(t)
	tess := fx.clients["tess"]
	admin := fx.clients["admin"]
	admin.Post(fx.url("tess", "/custom/enable"), nil)
	admin.Post(fx.url("tess", ""), grid([]string{"customers_view"}, "customers.canAccessAll"))
	if r := tess.Get("/o/acme/customers/all"); r.Status != http.StatusOK {
		t.Fatalf("with the flag: %d", r.Status)
	}
	saved := *fx.membership(t, "tess").Custom
	r := admin.PostHTMX(fx.url("tess", "/custom/disable"), nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Tess Target is back on inherited permissions") ||
		!strings.Contains(r.Body, `aria-checked="false"`) {
		t.Fatalf("disable: %d %.400s", r.Status, r.Body)
	}
	if m := fx.membership(t, "tess"); m.Custom != nil {
		t.Fatalf("custom after disable = %v, want nil", m.Custom)
	}
	if e := fx.effective(t, "tess"); e.Layer != access.LayerGroups {
		t.Fatalf("layer after disable = %s, want groups", e.Layer)
	}
	au := fx.audits(t)
	if last := au[len(au)-1]; last.before != `{"custom":`+store.JSON(saved)+`}` || last.after != `{"custom":null}` {
		t.Fatalf("audit = %+v", last)
	}
	if r := tess.Get("/o/acme/customers/all"); r.Status != http.StatusForbidden {
		t.Fatalf("after disable tess /customers/all = %d, want 403", r.Status)
	}
	if r := tess.Get("/o/acme/chats/mine"); r.Status != http.StatusOK {
		t.Errorf("after disable Support Agents grants chats again; got %d", r.Status)
	}
	// Tess with no group falls back to the role template.
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetMemberGroups(ctx, fx.acme.ID, fx.members["tess"].ID, nil)
	})
	if r := admin.Get(fx.url("tess", "")); !strings.Contains(r.Body, "The role template decides: Agent.") {
		t.Errorf("without groups the page does not name the role template: %.300s", r.Body)
	}
}

func TestMemberPermsEscalationRefused(t *testing.T) {
	fx := newMPFx(t)
	boss := fx.clients["boss"]
	if r := boss.Post(fx.url("tess", "/custom/enable"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("boss enables for tess: %d %.300s", r.Status, r.Body)
	}
	before := fx.snapshot(t)
	r := boss.PostHTMX(fx.url("tess", ""), grid([]string{"customers_view", "billing_view", "audit_view"}, "customers.canAccessAll"))
	if r.Status != http.StatusForbidden {
		t.Fatalf("boss grants billing: %d, want 403; %.400s", r.Status, r.Body)
	}
	for _, want := range []string{"Nothing was saved: you can only grant permissions you hold yourself.",
		"perm-missing", "Billing: View", "Audit log: View", `value="billing_view" checked`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	if fx.snapshot(t) != before {
		t.Fatal("a refused save changed something")
	}
	// The preview says so before saving, and writes nothing either.
	r = boss.PostHTMX(fx.url("tess", "/preview"), grid([]string{"billing_view"}))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "This cannot be saved: you can only grant permissions you hold yourself, and you do not hold Billing: View.") {
		t.Errorf("preview of an escalation: %d %.400s", r.Status, r.Body)
	}
	// Someone who holds more than the boss cannot be changed by them at all.
	adminPage := boss.Get(fx.url("admin", "?tab=individual"))
	if !strings.Contains(adminPage.Body, "Adam Admin holds permissions you don&#39;t have") || strings.Contains(adminPage.Body, `id="mp-enable"`) {
		t.Errorf("boss sees an editable page for the admin: %.300s", adminPage.Body)
	}
	r = boss.PostHTMX(fx.url("admin", "/custom/enable"), nil)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "holds permissions you don&#39;t have") {
		t.Errorf("boss enables for the admin: %d %.300s", r.Status, r.Body)
	}
	// A forged grid is refused with the reason, nothing dropped silently.
	r = boss.PostHTMX(fx.url("tess", ""), grid([]string{"customers_fly", "medical_view"}))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "customers_fly") || !strings.Contains(r.Body, "Medical records") {
		t.Errorf("forged grid: %d %.500s", r.Status, r.Body)
	}
	if fx.snapshot(t) != before {
		t.Fatal("a refused change changed something")
	}
	// The service refuses on its own too (a stale page, another caller).
	svc := membership.New(fx.app.DB)
	bossActor := domain.Actor{Org: fx.acme, UserID: fx.members["boss"].UserID, Email: "boss@acme.test"}
	err := svc.SetCustom(context.Background(), bossActor, fx.members["tess"].ID, testkit.Set(t, "billing_view"))
	if e := domain.AsError(err); e == nil || e.Code != domain.CodeForbidden || !errors.Is(err, access.ErrEscalation) {
		t.Errorf("service SetCustom escalation: %v", err)
	}
	if err := svc.ClearCustom(context.Background(), bossActor, fx.members["owner"].ID); domain.AsError(err) == nil ||
		domain.AsError(err).Code != domain.CodeForbidden {
		t.Errorf("service ClearCustom on the owner by a manager: %v", err)
	}
	if fx.snapshot(t) != before {
		t.Fatal("a refused service call changed something")
	}
	// What the boss holds, they may grant.
	if r := boss.PostHTMX(fx.url("tess", ""), grid([]string{"customers_view", "customers_export"}, "customers.canAccessAll")); r.Status != http.StatusOK {
		t.Fatalf("boss grants what they hold: %d %.300s", r.Status, r.Body)
	}
}

func TestMemberPermsOwnerPageIsReadOnly(t *testing.T) {
	fx := newMPFx(t)
	before := fx.snapshot(t)
	for _, actor := range []string{"admin", "owner"} {
		r := fx.clients[actor].Get(fx.url("owner", "?tab=individual"))
		if r.Status != http.StatusOK {
			t.Fatalf("%s GET owner page: %d", actor, r.Status)
		}
		if !strings.Contains(r.Body, "Owners always have every permission; individual permissions and groups never restrict an owner.") {
			t.Errorf("%s: owner page does not state the golden rule", actor)
		}
		for _, bad := range []string{`name="perm"`, `id="mp-enable"`, "/custom/enable", "/custom/disable", `id="mp-form"`} {
			if strings.Contains(r.Body, bad) {
				t.Errorf("%s: owner page offers %s", actor, bad)
			}
		}
	}
	for _, c := range []struct {
		actor  string
		status int
		msg    string
	}{
		{"admin", http.StatusForbidden, "Only an owner can change an owner&#39;s membership."},
		{"owner", http.StatusUnprocessableEntity, "individual permissions and groups never restrict an owner"},
	} {
		for _, suffix := range []string{"", "/custom/enable", "/custom/disable"} {
			r := fx.clients[c.actor].PostHTMX(fx.url("owner", suffix), grid([]string{"dashboard_view"}))
			if r.Status != c.status || !strings.Contains(r.Body, c.msg) {
				t.Errorf("%s POST owner%s: %d, want %d with %q; %.300s", c.actor, suffix, r.Status, c.status, c.msg, r.Body)
			}
		}
	}
	if fx.snapshot(t) != before {
		t.Fatal("a POST to the owner's page changed something")
	}
}

func TestMemberPermsPreview(t *testing.T) {
	fx := newMPFx(t)
	admin := fx.clients["admin"]
	admin.Post(fx.url("tess", "/custom/enable"), nil)
	before := fx.snapshot(t)
	// Drop conversations, add billing and "See all customers", customers_delete without view.
	r := admin.PostHTMX(fx.url("tess", "/preview"), grid([]string{"dashboard_view", "customers_delete", "billing_view"}, "customers.canAccessAll", "crm.canAccessAll"))
	if r.Status != http.StatusOK {
		t.Fatalf("preview: %d %.400s", r.Status, r.Body)
	}
	body := r.Body
	for _, want := range []string{`id="mp-preview"`, "After saving, individual permissions decide",
		"Individual permissions will replace what 2 groups grant: Night shift, Support Agents.",
		"Gains", "Billing", "Loses", "Conversations", "Bulk messages",
		"Customers: Delete", "Customers: own → all records (See all customers)", "Customers: Edit",
		"View was added automatically to Customers", "Without View these do nothing: See all pipelines."} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(body, "<html") || strings.Contains(body, `id="memberperms"`) {
		t.Error("the preview answers more than its panel")
	}
	// Unchanged grid: nothing to preview.
	cur := fx.membership(t, "tess").Custom
	var perms []string
	perms = append(perms, cur.Permissions()...)
	r = admin.PostHTMX(fx.url("tess", "/preview"), grid(perms, cur.FlagKeys()...))
	if !strings.Contains(r.Body, "No changes yet") || strings.Contains(r.Body, "Loses") {
		t.Errorf("unchanged preview: %.400s", r.Body)
	}
	r = admin.PostHTMX(fx.url("tess", "/preview"), grid([]string{"nope_view"}))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "nope_view") {
		t.Errorf("bad preview: %d %.300s", r.Status, r.Body)
	}
	if fx.snapshot(t) != before {
		t.Fatal("a preview wrote something")
	}
}

func TestMemberPermsRoleAndGroupsTab(t *testing.T) {
	fx := newMPFx(t)
	admin := fx.clients["admin"]
	r := admin.Get(fx.url("tess", "?tab=role"))
	for _, want := range []string{`id="mp-tab-role" href="/o/acme/settings/members/` + strconv.FormatInt(fx.members["tess"].ID, 10) + `/permissions?tab=role"`, "Role: Agent", `id="mp-role-grid"`, `data-perm="chats_edit"`,
		"The role template is the last fallback", `name="groups" value="` + strconv.FormatInt(fx.groups["Night shift"], 10) + `" checked`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("role tab lacks %q", want)
		}
	}
	// The tab's groups form posts to the members' endpoint (membership.SetGroups).
	r = admin.Post(fmt.Sprintf("/o/acme/settings/members/%d/groups", fx.members["tess"].ID),
		url.Values{"groups_sent": {"1"}, "groups": {strconv.FormatInt(fx.groups["Support Agents"], 10)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save groups: %d %.300s", r.Status, r.Body)
	}
	r = admin.Get(fx.url("tess", ""))
	if !strings.Contains(r.Body, "Their group decides: Support Agents.") {
		t.Errorf("after removing Night shift: %.300s", r.Body)
	}
	// With individual permissions on, the tab says they decide and groups wait.
	admin.Post(fx.url("tess", "/custom/enable"), nil)
	r = admin.Get(fx.url("tess", ""))
	for _, want := range []string{"Individual permissions decide.", "groups take effect only after a return to inherited permissions"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("role tab with custom on lacks %q", want)
		}
	}
}
