package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// mpFixture is "acme" (CRM and Inbox only, so Finance and Medical must never
// show) with one member per deciding layer, a suspended member and a member
// of another organization.
type mpFixture struct {
	app     *testkit.App
	acme    domain.Org
	clients map[string]*testkit.Client
	emails  map[string]string
}

func newMPFixture(t *testing.T) *mpFixture {
	t.Helper()
	app := testkit.NewApp(t)
	f := &mpFixture{app: app, clients: map[string]*testkit.Client{}, emails: map[string]string{}}
	user := func(actor string) domain.User {
		f.emails[actor] = actor + "@example.test"
		return app.CreateUser(f.emails[actor], strings.ToUpper(actor[:1])+actor[1:]+" Person", prPassword)
	}
	owner := user("owner")
	f.acme = app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, owner)
	members := map[string]domain.Membership{}
	for _, actor := range []string{"grouped", "custom", "empty", "role", "suspended"} {
		members[actor] = app.AddMember(f.acme, user(actor), access.RoleAgent)
	}
	ctx := context.Background()
	ownerM, _ := app.DB.MembershipOfUser(ctx, f.acme.ID, owner.ID)
	members["owner"] = ownerM
	globexOwner := user("outsider")
	app.CreateOrg("Globex", "globex", []string{"crm"}, globexOwner)

	var night access.Set
	night.Grant(access.ModCustomers, access.View)
	night.Grant(access.ModChats, access.View)
	night.Grant(access.ModChats, access.Create)
	night.SetFlag(access.FlagChatsCanAssignToOthers, true)
	var custom access.Set
	custom.Grant(access.ModCustomers, access.View)
	custom.SetFlag(access.FlagCustomersCanAccessAll, true)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		nightID, err := tx.CreateGroup(ctx, f.acme.ID, "Night shift", "Evenings", night, "")
		if err != nil {
			return err
		}
		groups, err := tx.Groups(ctx, f.acme.ID)
		if err != nil {
			return err
		}
		var sales int64
		for _, g := range groups {
			if g.Name == "Sales Team" {
				sales = g.ID
			}
		}
		for _, add := range []struct {
			actor string
			group int64
		}{{"grouped", sales}, {"grouped", nightID}, {"custom", sales}, {"owner", sales}, {"empty", nightID}} {
			if err := tx.AddGroupMember(ctx, f.acme.ID, add.group, members[add.actor].ID); err != nil {
				return err
			}
		}
		if err := tx.SetCustom(ctx, f.acme.ID, members["custom"].ID, &custom); err != nil {
			return err
		}
		if err := tx.SetCustom(ctx, f.acme.ID, members["empty"].ID, &access.Set{}); err != nil {
			return err
		}
		return tx.SetStatus(ctx, f.acme.ID, members["suspended"].ID, domain.StatusSuspended)
	})
	for actor, email := range f.emails {
		f.clients[actor] = app.LoginAs(email, prPassword)
	}
	return f
}

// mpCell returns the HTML of the My Permissions cell of a permission.
func mpCell(t *testing.T, body, perm string) string {
	t.Helper()
	i := strings.Index(body, `data-perm="`+perm+`"`)
	if i < 0 {
		t.Fatalf("no cell for %s", perm)
	}
	i = strings.LastIndex(body[:i], "<td")
	j := strings.Index(body[i:], "</td>")
	return body[i : i+j]
}

// mpFlag returns the HTML of a flag's line.
func mpFlag(t *testing.T, body, flag string) string {
	t.Helper()
	i := strings.Index(body, `data-flag="`+flag+`"`)
	if i < 0 {
		t.Fatalf("no line for flag %s", flag)
	}
	j := strings.Index(body[i:], "</li>")
	return body[i : i+j]
}

// Modules of products Acme does not have: never listed, not even as "no access".
var mpForeignModules = []string{"Financial", "Point of sale", "Medical records", "data-module=\"documents\"", "Documents"}

func TestMyPermissionsNamesWhatGrantsEachPermission(t *testing.T) {
	f := newMPFixture(t)
	r := f.clients["grouped"].Get("/o/acme/me/permissions")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	if !strings.Contains(r.Body, "Your permissions come from your groups: Night shift, Sales Team.") {
		t.Error("deciding layer not explained")
	}
	cases := []struct {
		perm      string
		want, not []string
	}{
		{"customers_view", []string{"Night shift", "Sales Team", "perm-on"}, nil},
		{"customers_edit", []string{"Sales Team", "perm-on"}, []string{"Night shift"}},
		{"customers_export", []string{"Sales Team"}, []string{"Night shift"}},
		{"chats_create", []string{"Night shift", "perm-on"}, []string{"Sales Team"}},
		{"customers_delete", []string{"perm-off"}, []string{"Sales Team", "Night shift"}},
	}
	for _, tc := range cases {
		cell := mpCell(t, r.Body, tc.perm)
		for _, w := range tc.want {
			if !strings.Contains(cell, w) {
				t.Errorf("%s: cell lacks %q: %s", tc.perm, w, cell)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(cell, n) {
				t.Errorf("%s: cell names %q: %s", tc.perm, n, cell)
			}
		}
	}
	if fl := mpFlag(t, r.Body, "chats.canAssignToOthers"); !strings.Contains(fl, "Yes") || !strings.Contains(fl, "Night shift") {
		t.Errorf("flag line: %s", fl)
	}
	if fl := mpFlag(t, r.Body, "customers.canAccessAll"); !strings.Contains(fl, "No") || strings.Contains(fl, "Sales Team") {
		t.Errorf("flag line: %s", fl)
	}
	for _, bad := range mpForeignModules {
		if strings.Contains(r.Body, bad) {
			t.Errorf("lists %q, a module of a product Acme lacks", bad)
		}
	}
	if !strings.Contains(r.Body, "No access:") || !strings.Contains(r.Body, "Audit log") {
		t.Error("modules without view not summarized")
	}
}

func TestMyPermissionsLayers(t *testing.T) {
	f := newMPFixture(t)
	cases := []struct {
		actor     string
		headline  []string
		cell      string // a granted permission and its source
		source    string
		notGrant  string // a permission that must not be granted
		mustNotIn []string
	}{
		{"owner", []string{"You are the owner: you have every permission of this organization.", "group Sales Team"},
			"audit_export", "owner", "", nil},
		{"custom", []string{"Your individual permissions apply; your group Sales Team is not used."},
			"customers_view", "individual", "customers_edit", []string{"Sales Team</span>"}},
		{"role", []string{"Your permissions come from your role template: Agent."},
			"chats_edit", "role template (Agent)", "customers_delete", nil},
		{"empty", []string{"Your individual permissions apply; your group Night shift is not used.", "They grant no module at all"},
			"", "", "", []string{`data-perm="`}},
	}
	for _, tc := range cases {
		t.Run(tc.actor, func(t *testing.T) {
			r := f.clients[tc.actor].Get("/o/acme/me/permissions")
			if r.Status != http.StatusOK {
				t.Fatalf("status %d", r.Status)
			}
			for _, h := range tc.headline {
				if !strings.Contains(r.Body, h) {
					t.Errorf("lacks %q", h)
				}
			}
			if tc.cell != "" {
				if cell := mpCell(t, r.Body, tc.cell); !strings.Contains(cell, tc.source) || !strings.Contains(cell, "perm-on") {
					t.Errorf("%s: want granted by %q: %s", tc.cell, tc.source, cell)
				}
			}
			if tc.notGrant != "" {
				if cell := mpCell(t, r.Body, tc.notGrant); !strings.Contains(cell, "perm-off") {
					t.Errorf("%s granted; nothing may be merged across layers", tc.notGrant)
				}
			}
			for _, bad := range append(tc.mustNotIn, mpForeignModules...) {
				if strings.Contains(r.Body, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
		})
	}
	// The individual flag is named as individual.
	r := f.clients["custom"].Get("/o/acme/me/permissions")
	if fl := mpFlag(t, r.Body, "customers.canAccessAll"); !strings.Contains(fl, "Yes") || !strings.Contains(fl, "individual") {
		t.Errorf("custom flag: %s", fl)
	}
}

func TestMyPermissionsDenials(t *testing.T) {
	f := newMPFixture(t)
	for _, path := range []string{"/o/acme/me/permissions", "/o/acme/me/permissions.json"} {
		if r := f.clients["outsider"].Get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Acme Ltd") {
			t.Errorf("outsider %s: %d", path, r.Status)
		}
		if r := f.clients["suspended"].Get(path); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "suspended") {
			t.Errorf("suspended %s: %d", path, r.Status)
		}
		if r := f.clients["grouped"].Get(strings.Replace(path, "acme", "nope", 1)); r.Status != http.StatusNotFound {
			t.Errorf("unknown org %s: %d", path, r.Status)
		}
		if r := f.app.Client().Get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Errorf("anonymous %s: %d %s", path, r.Status, r.Location)
		}
	}
	// Globex's owner sees their own organization, not Acme's groups.
	r := f.clients["outsider"].Get("/o/globex/me/permissions")
	if r.Status != http.StatusOK || strings.Contains(r.Body, "Night shift") {
		t.Errorf("globex: %d", r.Status)
	}
}

func TestMyPermissionsJSONMatchesAccessCommand(t *testing.T) {
	f := newMPFixture(t)
	r := f.clients["grouped"].Get("/o/acme/me/permissions.json")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range []string{"email", "flags", "groups", "layer", "organization", "permissions", "role", "sidebar", "status"} {
		if !slices.Contains(keys, k) {
			t.Errorf("key %q missing from %v", k, keys)
		}
	}
	var got orgio.AccessReport
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Organization != "acme" || got.Email != "grouped@example.test" || got.Role != "agent" || got.Status != "active" || got.Layer != "groups" {
		t.Errorf("header fields: %+v", got)
	}
	if !reflect.DeepEqual(got.Groups, []string{"Night shift", "Sales Team"}) {
		t.Errorf("groups %v", got.Groups)
	}
	if s := got.Permissions["customers_view"]; !reflect.DeepEqual(s, []string{"group:Night shift", "group:Sales Team"}) {
		t.Errorf("customers_view sources %v", s)
	}
	if s := got.Permissions["customers_edit"]; !reflect.DeepEqual(s, []string{"group:Sales Team"}) {
		t.Errorf("customers_edit sources %v", s)
	}
	if _, ok := got.Permissions["customers_delete"]; ok {
		t.Error("customers_delete listed")
	}
	wantFlags := map[string]bool{"customers.canAccessAll": false, "customers.canAccessTeam": false, "crm.canAccessAll": false,
		"crm.canAccessTeam": false, "chats.canAccessAll": false, "chats.canAccessTeam": false, "chats.canAssignToOthers": true}
	if !reflect.DeepEqual(map[string]bool(got.Flags), wantFlags) {
		t.Errorf("flags %v, want %v", got.Flags, wantFlags)
	}
	var customers *struct{ href string }
	for _, it := range got.Sidebar {
		if it.Key == "customers" {
			customers = &struct{ href string }{it.Href}
			if len(it.Children) != 0 {
				t.Errorf("customers has children %v; without canAccessAll it is a direct link", it.Children)
			}
		}
	}
	if customers == nil || customers.href != "/o/acme/customers/mine" {
		t.Errorf("sidebar customers: %+v", customers)
	}
	// Byte for byte what `gatehouse access --org acme --user grouped@…` prints.
	cli, err := orgio.Access(context.Background(), f.app.DB, "acme", "grouped@example.test")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := orgio.WriteJSON(&out, cli); err != nil {
		t.Fatal(err)
	}
	if r.Body != out.String() {
		t.Errorf("web JSON differs from the access command:\nweb %s\ncli %s", r.Body, out.String())
	}
	// The page and the JSON agree on what grants each permission.
	page := f.clients["grouped"].Get("/o/acme/me/permissions").Body
	for perm, srcs := range got.Permissions {
		cell := mpCell(t, page, perm)
		for _, s := range srcs {
			if !strings.Contains(cell, strings.TrimPrefix(s, "group:")) {
				t.Errorf("%s: page cell lacks %s", perm, s)
			}
		}
	}
	// Individual permissions with canAccessAll: Customers has both lists.
	var custom orgio.AccessReport
	if err := json.Unmarshal([]byte(f.clients["custom"].Get("/o/acme/me/permissions.json").Body), &custom); err != nil {
		t.Fatal(err)
	}
	if custom.Layer != "custom" || !reflect.DeepEqual(custom.Permissions, orgio.Sources{"customers_view": {"custom"}}) {
		t.Errorf("custom: %s %v", custom.Layer, custom.Permissions)
	}
	for _, it := range custom.Sidebar {
		if it.Key == "customers" && len(it.Children) != 2 {
			t.Errorf("customers children %v, want mine and all", it.Children)
		}
	}
}

// My Permissions caches its content per member and permission version: every
// kind of change must show on the member's very next request.
func TestMyPermissionsCacheShowsChangesAtOnce(t *testing.T) {
	f := newMPFixture(t)
	ctx := context.Background()
	db := f.app.DB
	member := func(actor string) domain.Membership {
		u, err := db.UserByEmail(ctx, f.emails[actor])
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.MembershipOfUser(ctx, f.acme.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	groupID := map[string]int64{}
	groups, err := db.Groups(ctx, f.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		groupID[g.Name] = g.ID
	}
	grouped, role := member("grouped"), member("role")
	page := func(actor string) string {
		t.Helper()
		r := f.clients[actor].Get("/o/acme/me/permissions")
		if r.Status != http.StatusOK {
			t.Fatalf("%s: status %d", actor, r.Status)
		}
		return r.Body
	}
	// Twice: the second view comes from the cache.
	for range 2 {
		if cell := mpCell(t, page("grouped"), "customers_delete"); !strings.Contains(cell, "perm-off") {
			t.Fatalf("customers_delete granted before the change: %s", cell)
		}
	}
	if web.ExplainCacheLen(f.app.Server) == 0 {
		t.Fatal("the page was not cached: this test would prove nothing")
	}
	var night access.Set // Night shift's permissions once edited
	night.Grant(access.ModCustomers, access.View)
	night.Grant(access.ModCustomers, access.Delete)
	steps := []struct {
		name   string
		actor  string
		change func(ctx context.Context, tx *store.Tx) error
		check  func(body string) bool
	}{
		{"group permission edit", "grouped", func(ctx context.Context, tx *store.Tx) error {
			return tx.UpdateGroup(ctx, f.acme.ID, groupID["Night shift"], "Night shift", "Evenings", night)
		}, func(body string) bool {
			cell := mpCell(t, body, "customers_delete")
			return strings.Contains(cell, "perm-on") && strings.Contains(cell, "Night shift")
		}},
		{"group rename", "grouped", func(ctx context.Context, tx *store.Tx) error {
			return tx.UpdateGroup(ctx, f.acme.ID, groupID["Night shift"], "Late shift", "Evenings", night)
		}, func(body string) bool {
			return strings.Contains(mpCell(t, body, "customers_delete"), "Late shift") && !strings.Contains(body, "Night shift")
		}},
		{"group membership change", "grouped", func(ctx context.Context, tx *store.Tx) error {
			return tx.RemoveGroupMember(ctx, f.acme.ID, groupID["Sales Team"], grouped.ID)
		}, func(body string) bool {
			return strings.Contains(body, "Your permissions come from your group: Late shift.") &&
				strings.Contains(mpCell(t, body, "customers_edit"), "perm-off")
		}},
		{"individual permission change", "grouped", func(ctx context.Context, tx *store.Tx) error {
			var custom access.Set
			custom.Grant(access.ModCustomers, access.View)
			custom.Grant(access.ModCustomers, access.Export)
			return tx.SetCustom(ctx, f.acme.ID, grouped.ID, &custom)
		}, func(body string) bool {
			return strings.Contains(body, "Your individual permissions apply; your group Late shift is not used.") &&
				strings.Contains(mpCell(t, body, "customers_export"), "individual") &&
				strings.Contains(mpCell(t, body, "customers_delete"), "perm-off")
		}},
		{"role change", "role", func(ctx context.Context, tx *store.Tx) error {
			return tx.SetRole(ctx, f.acme.ID, role.ID, access.RoleManager)
		}, func(body string) bool {
			return strings.Contains(body, "Your permissions come from your role template: Manager.")
		}},
		{"organization rename", "role", func(ctx context.Context, tx *store.Tx) error {
			o := f.acme
			o.Name = "Acme Renamed"
			return tx.UpdateOrg(ctx, o, "acme renamed")
		}, func(body string) bool {
			return strings.Contains(body, "What you may do in Acme Renamed, and why.")
		}},
		{"products change", "role", func(ctx context.Context, tx *store.Tx) error {
			o := f.acme
			o.Name, o.Products = "Acme Renamed", access.ParseStoredProducts("crm")
			return tx.UpdateOrg(ctx, o, "acme renamed")
		}, func(body string) bool {
			return !strings.Contains(body, `data-module="chats"`) && strings.Contains(body, `data-module="customers"`)
		}},
	}
	for _, st := range steps {
		before := page(st.actor) // cached at the current version
		if st.check(before) {
			t.Fatalf("%s: the page shows the change before it is made", st.name)
		}
		f.app.Tx(st.change)
		if !st.check(page(st.actor)) {
			t.Errorf("%s: not shown on the next request", st.name)
		}
	}
	// Suspension: the next request is refused, and reactivation shows the
	// page again, current.
	page("role")
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, f.acme.ID, role.ID, domain.StatusSuspended)
	})
	if r := f.clients["role"].Get("/o/acme/me/permissions"); r.Status != http.StatusForbidden || strings.Contains(r.Body, "role template") {
		t.Errorf("suspended: %d", r.Status)
	}
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, f.acme.ID, role.ID, domain.StatusActive)
	})
	if body := page("role"); !strings.Contains(body, "role template: Manager") {
		t.Error("reactivated: page not shown")
	}
}
