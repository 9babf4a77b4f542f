package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The members page is served from a cache keyed by the organization's
// members_version. Every change the page shows must appear on the very next
// request, whoever wrote it: each case below writes with plain SQL (as the
// CLI or another process would), after a first request has filled the
// cache.
func TestMembersPageCacheShowsEveryChangeOnTheNextRequest(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	agent := fx.members["agent"]
	sales := fx.groups["Sales Team"]
	if sales == 0 {
		t.Fatalf("fixture has no Sales group: %v", fx.groups)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
	}
	// The agent's table row, or "" when the agent is not listed.
	agentRow := func(body string) string {
		i := strings.Index(body, fmt.Sprintf(`data-member-id="%d"`, agent.ID))
		if i < 0 {
			return ""
		}
		j := strings.Index(body[i:], "</tr>")
		return body[i : i+j]
	}
	invitesSection := func(body string) string {
		i := strings.Index(body, `id="invites"`)
		if i < 0 {
			t.Fatalf("members page has no invitations section")
		}
		return body[i:]
	}
	cases := []struct {
		name   string
		change func()
		shows  func(body string) bool
	}{
		{"user renamed", func() { exec(`UPDATE users SET name = 'Agatha Renamed' WHERE id = ?`, agent.UserID) },
			func(b string) bool { return strings.Contains(agentRow(b), "Agatha Renamed") }},
		{"email changed", func() { exec(`UPDATE users SET email = 'agatha@new.test' WHERE id = ?`, agent.UserID) },
			func(b string) bool { return strings.Contains(agentRow(b), "agatha@new.test") }},
		{"photo uploaded", func() { exec(`UPDATE users SET photo_version = 7 WHERE id = ?`, agent.UserID) },
			func(b string) bool {
				return strings.Contains(agentRow(b), fmt.Sprintf("/me/photo/%d?v=7", agent.UserID))
			}},
		{"role changed", func() { exec(`UPDATE memberships SET role = 'financial' WHERE id = ?`, agent.ID) },
			func(b string) bool { return strings.Contains(agentRow(b), "Financial") }},
		{"suspended", func() { exec(`UPDATE memberships SET status = 'suspended' WHERE id = ?`, agent.ID) },
			func(b string) bool { return strings.Contains(agentRow(b), "Suspended") }},
		{"added to a group", func() { exec(`INSERT INTO group_members (group_id, membership_id) VALUES (?, ?)`, sales, agent.ID) },
			func(b string) bool { return strings.Contains(agentRow(b), "Sales Team") }},
		{"group renamed", func() { exec(`UPDATE groups SET name = 'Field Crew' WHERE id = ?`, sales) },
			func(b string) bool { return strings.Contains(agentRow(b), "Field Crew") }},
		{"group deleted", func() { exec(`DELETE FROM groups WHERE id = ?`, sales) },
			func(b string) bool { return !strings.Contains(agentRow(b), "Field Crew") }},
		{"membership removed", func() { exec(`DELETE FROM memberships WHERE id = ?`, agent.ID) },
			func(b string) bool { return agentRow(b) == "" && !strings.Contains(b, "agatha@new.test") }},
		{"member added", func() {
			u := fx.app.CreateUser("newcomer@acme.test", "Nina Newcomer", mfxPassword)
			exec(`INSERT INTO memberships (org_id, user_id, role, status, created_at) VALUES (?, ?, 'agent', 'active', 1)`, fx.acme.ID, u.ID)
		}, func(b string) bool { return strings.Contains(b, "Nina Newcomer") }},
		{"invitation sent", func() {
			exec(`INSERT INTO invites (org_id, email, role, token_hash, created_at, expires_at) VALUES (?, 'invitee@else.test', 'agent', 'h1', 1, ?)`,
				fx.acme.ID, time.Now().Add(time.Hour).Unix())
		}, func(b string) bool { return strings.Contains(invitesSection(b), "invitee@else.test") }},
		{"invitation revoked", func() { exec(`UPDATE invites SET revoked_at = 2 WHERE token_hash = 'h1'`) },
			func(b string) bool { return !strings.Contains(invitesSection(b), "invitee@else.test") }},
		{"seat quota changed", func() { exec(`UPDATE organizations SET seats = 31 WHERE id = ?`, fx.acme.ID) },
			func(b string) bool { return strings.Contains(b, "31") && !strings.Contains(b, "of 25") }},
	}
	for _, tc := range cases {
		before := owner.Get(fx.url(""))
		if before.Status != 200 {
			t.Fatalf("%s: members page before: %d", tc.name, before.Status)
		}
		if again := owner.Get(fx.url("")); again.Body != before.Body {
			t.Fatalf("%s: two requests with no change in between differ", tc.name)
		}
		if tc.shows(before.Body) {
			t.Fatalf("%s: the page shows the change before it was made", tc.name)
		}
		tc.change()
		after := owner.Get(fx.url(""))
		if after.Status != 200 || !tc.shows(after.Body) {
			t.Errorf("%s: the next request does not show the change (status %d)", tc.name, after.Status)
		}
		// The htmx results fragment (search, filters, paging) agrees.
		if frag := owner.GetHTMX(fx.url("?q=a")); frag.Status != 200 {
			t.Errorf("%s: results fragment: %d", tc.name, frag.Status)
		}
	}
}

// Repeating a members page reads no member rows again: the repeat runs
// only the auth context's statement (the data version, its answer cached).
func TestMembersPageCacheServesRepeats(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	for _, path := range []string{"", "?q=ag", "?role=agent&sort=email", "?status=suspended"} {
		owner.Get(fx.url(path)) // fill (it may stamp last activity: a write)
		owner.Get(fx.url(path)) // the auth answer is read again and cached
		n0 := fx.app.DB.QueryCount()
		if r := owner.Get(fx.url(path)); r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		if n := fx.app.DB.QueryCount() - n0; n > 1 {
			t.Errorf("members page %q repeated ran %d statements, want 1 (the auth context)", path, n)
		}
	}
}

// A members page served from the cache (its rows kept rendered) is byte
// for byte the page rendered afresh: the members version bumped with no
// change, so the next request misses every cache keyed by it. Full page
// and results fragment, with the clock held so relative times agree.
func TestMembersPageFromCacheIsTheFreshRender(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	now := time.Now()
	fx.app.DB.SetClock(func() time.Time { return now })
	defer fx.app.DB.SetClock(time.Now)
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET last_active_at = ? WHERE org_id = ?`, now.Add(-3*time.Hour).Unix(), fx.acme.ID)
		return err
	})
	for _, path := range []string{"", "?q=ag", "?sort=active"} {
		for _, htmx := range []bool{false, true} {
			get := func(path string) *testkit.Response {
				req, _ := http.NewRequest(http.MethodGet, fx.app.URL+path, nil)
				if htmx { // the results fragment: search, filters, paging
					req.Header.Set("HX-Request", "true")
					req.Header.Set("HX-Target", "members-results")
				}
				return owner.Do(req)
			}
			get(fx.url(path)) // fill (it may stamp last activity: a write)
			cached := get(fx.url(path))
			if cached.Status != 200 || !strings.Contains(cached.Body, "3 hours ago") {
				t.Fatalf("%q htmx=%v: %d, no relative time: %.300s", path, htmx, cached.Status, cached.Body)
			}
			fx.app.BumpVersion(fx.acme.ID, "members_version")
			if fresh := get(fx.url(path)); fresh.Body != cached.Body {
				t.Errorf("%q htmx=%v: the cached page differs from the fresh render:\n cached %s\n fresh %s", path, htmx, cached.Body, fresh.Body)
			}
		}
	}
}

// Last activity does not bump members_version (it is written for every
// active member every five minutes), so a cached page may show it late, but
// never by more than a minute.
func TestMembersPageCacheBoundsLastActivityAge(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	agent := fx.members["agent"]
	now := time.Now()
	fx.app.DB.SetClock(func() time.Time { return now })
	defer fx.app.DB.SetClock(time.Now)
	owner.Get(fx.url("")) // fill
	stamp := now.Add(-3 * time.Hour)
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET last_active_at = ? WHERE id = ?`, stamp.Unix(), agent.ID)
		return err
	})
	want := stamp.UTC().Format("2006-01-02 15:04 UTC")
	fx.app.DB.SetClock(func() time.Time { return now.Add(30 * time.Second) })
	if strings.Contains(owner.Get(fx.url("")).Body, want) {
		t.Log("activity shown at once (the cache was refilled for another reason)")
	}
	fx.app.DB.SetClock(func() time.Time { return now.Add(61 * time.Second) })
	if body := owner.Get(fx.url("")).Body; !strings.Contains(body, want) {
		t.Errorf("a minute later the members page still does not show the agent's last activity %q", want)
	}
}

// The customers lists are cached per customers_version: every change a list
// shows appears on the next request, in "All" and in "Those I serve".
func TestCustomersListCacheShowsEveryChangeOnTheNextRequest(t *testing.T) {
	f := newFixture(t)
	owner, agent := f.clients["owner"], f.clients["agentA"]
	anna := f.cust["Anna Aardvark"]
	exec := func(q string, args ...any) {
		t.Helper()
		f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
	}
	all, mine := "/o/acme/customers/all", "/o/acme/customers/mine"
	cases := []struct {
		name   string
		client *testkit.Client
		path   string
		change func()
		shows  func(body string) bool
	}{
		{"customer renamed", owner, all, func() { exec(`UPDATE customers SET name = 'Anna Renamed' WHERE id = ?`, anna) },
			func(b string) bool { return strings.Contains(b, "Anna Renamed") }},
		{"customer added", owner, all, func() {
			exec(`INSERT INTO customers (org_id, name, created_at) VALUES (?, 'Aaron Added', 1)`, f.acme.ID)
		}, func(b string) bool { return strings.Contains(b, "Aaron Added") }},
		{"assignee renamed", owner, all, func() {
			exec(`UPDATE users SET name = 'Arthur Renamed' WHERE id = (SELECT user_id FROM memberships WHERE id = ?)`, f.members["agentA"].ID)
		}, func(b string) bool { return strings.Contains(b, "Arthur Renamed") }},
		{"assigned away (Those I serve)", agent, mine, func() {
			exec(`UPDATE customers SET assigned_to = ? WHERE id = ?`, f.members["agentB"].ID, anna)
		}, func(b string) bool { return !strings.Contains(b, "Anna Renamed") }},
		{"customer deleted", owner, all, func() { exec(`DELETE FROM customers WHERE name = 'Aaron Added'`) },
			func(b string) bool { return !strings.Contains(b, "Aaron Added") }},
		{"assignee removed", owner, all, func() { exec(`DELETE FROM memberships WHERE id = ?`, f.members["agentB"].ID) },
			func(b string) bool { return !strings.Contains(b, "Beatrice Agent") }},
	}
	for _, tc := range cases {
		before := tc.client.Get(tc.path)
		if before.Status != 200 {
			t.Fatalf("%s: %s before: %d", tc.name, tc.path, before.Status)
		}
		if again := tc.client.Get(tc.path); again.Body != before.Body {
			t.Fatalf("%s: two requests with no change in between differ", tc.name)
		}
		if tc.shows(before.Body) {
			t.Fatalf("%s: the list shows the change before it was made", tc.name)
		}
		tc.change()
		if after := tc.client.Get(tc.path); after.Status != 200 || !tc.shows(after.Body) {
			t.Errorf("%s: the next request does not show the change (status %d)", tc.name, after.Status)
		}
	}
	// Scope is part of the key: the agent's cached "Those I serve" never
	// answers for the owner's, nor the reverse.
	if b := agent.Get(mine).Body; strings.Contains(b, "Sally Seller") {
		t.Error("agent A's Those I serve lists a customer of someone else")
	}
	if b := f.clients["sales"].Get(mine).Body; !strings.Contains(b, "Sally Seller") || strings.Contains(b, "Alan Apple") {
		t.Error("the sales member's Those I serve is not their own")
	}
}

// The dashboard's customer figures are cached per customers_version and
// member: a customer added or assigned shows in them on the next request,
// and one member's figures never answer for another's.
func TestDashboardCustomerFiguresFollowChanges(t *testing.T) {
	f := newFixture(t)
	figures := func(actor string) []string {
		t.Helper()
		r := f.clients[actor].Get("/o/acme")
		if r.Status != 200 {
			t.Fatalf("%s dashboard: %d", actor, r.Status)
		}
		return regexp.MustCompile(`<div class="stat-value">(\d+)</div>`).FindAllString(r.Body, -1)
	}
	before, otherBefore := figures("agentA"), figures("agentB")
	if len(before) == 0 || len(otherBefore) == 0 {
		t.Fatal("the dashboards show no customer figures")
	}
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO customers (org_id, name, assigned_to, created_at) VALUES (?, 'Newly Assigned', ?, 1)`,
			f.acme.ID, f.members["agentA"].ID)
		return err
	})
	after := figures("agentA")
	if strings.Join(after, "") == strings.Join(before, "") {
		t.Errorf("agent A's figures did not change after a customer was assigned to them: %v", after)
	}
	if got := figures("agentB"); strings.Join(got, "") != strings.Join(otherBefore, "") {
		t.Errorf("agent B's figures changed (%v → %v) though nothing of theirs did", otherBefore, got)
	}
}

// A group save that keeps the group's name (a permission or description
// change) leaves the members list's version alone, and one that keeps the
// permissions and name leaves the permission version alone; a rename and a
// permission change bump what they must.
func TestGroupSaveBumpsOnlyWhatChanged(t *testing.T) {
	fx := newMembersFx(t)
	sales := fx.groups["Sales Team"]
	versions := func() (members, perm int64) {
		t.Helper()
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT members_version, perm_version FROM organizations WHERE id = ?`, fx.acme.ID).Scan(&members, &perm)
		})
		return members, perm
	}
	update := func(sql string) {
		t.Helper()
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Exec(ctx, sql, sales)
			return err
		})
	}
	for _, tc := range []struct {
		name                    string
		sql                     string
		bumpsMembers, bumpsPerm bool
	}{
		{"same name, new permissions", `UPDATE groups SET name = name, description = description, permissions = '{"dashboard":["view"]}' WHERE id = ?`, false, true},
		{"same name and permissions, new description", `UPDATE groups SET name = name, description = 'new words', permissions = permissions WHERE id = ?`, false, false},
		{"renamed", `UPDATE groups SET name = 'Field Crew', description = description, permissions = permissions WHERE id = ?`, true, true},
	} {
		m0, p0 := versions()
		update(tc.sql)
		m1, p1 := versions()
		if (m1 != m0) != tc.bumpsMembers || (p1 != p0) != tc.bumpsPerm {
			t.Errorf("%s: members_version %d → %d, perm_version %d → %d; want members bumped %v, perm bumped %v",
				tc.name, m0, m1, p0, p1, tc.bumpsMembers, tc.bumpsPerm)
		}
	}
}

// The members filter's group list is cached per permission version: a group
// created, renamed or deleted shows (or goes) on the very next page.
func TestMembersGroupFilterFollowsGroupChanges(t *testing.T) {
	app := testkit.NewApp(t)
	org, c := app.OwnedOrg("Cache Co", "cache-co", []string{"crm"}, "own@example.com", "Own", pw)
	page := func() string {
		r := c.Get("/o/cache-co/settings/members")
		if r.Status != 200 {
			t.Fatalf("members page: %d", r.Status)
		}
		return r.Body
	}
	if strings.Contains(page(), "Zeta team") {
		t.Fatal("group listed before it exists")
	}
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		id, err = tx.CreateGroup(ctx, org.ID, "Zeta team", "", access.Set{}, "")
		return err
	})
	if !strings.Contains(page(), "Zeta team") {
		t.Fatal("a new group is missing from the filter")
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.UpdateGroup(ctx, org.ID, id, "Omega team", "", access.Set{})
	})
	if body := page(); strings.Contains(body, "Zeta team") || !strings.Contains(body, "Omega team") {
		t.Fatal("a renamed group is stale in the filter")
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.DeleteGroup(ctx, org.ID, id) })
	if strings.Contains(page(), "Omega team") {
		t.Fatal("a deleted group is still in the filter")
	}
}

// The list names each member's groups from the cached group list: joining
// a group, a rename and leaving show on the very next page, full or
// results-only, and the filter keeps the chosen group selected under its
// current name.
func TestMembersListGroupsFollowGroupChanges(t *testing.T) {
	app := testkit.NewApp(t)
	org, c := app.OwnedOrg("Cache Co", "cache-co", []string{"crm"}, "own@example.com", "Own", pw)
	gina := app.Join(org, "gina@example.com", "Gina Group", pw, access.RoleAgent)
	// row returns Gina's table row, from the full page or the htmx results.
	row := func(path string, htmx bool) string {
		t.Helper()
		var r *testkit.Response
		if htmx {
			r = getResults(app, c, path)
		} else {
			r = c.Get(path)
		}
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		i := strings.Index(r.Body, fmt.Sprintf(`data-member-id="%d"`, gina.ID))
		if i < 0 {
			t.Fatalf("%s: no row for Gina", path)
		}
		return r.Body[i : i+strings.Index(r.Body[i:], "</tr>")]
	}
	list := "/o/cache-co/settings/members"
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		id, err = tx.CreateGroup(ctx, org.ID, "Night shift", "", access.Set{}, "")
		return err
	})
	// The group is now in the cached list; Gina is not in it yet.
	for _, htmx := range []bool{false, true} {
		if strings.Contains(row(list, htmx), "Night shift") {
			t.Fatal("group shown before Gina joined it")
		}
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.AddGroupMember(ctx, org.ID, id, gina.ID) })
	for _, htmx := range []bool{false, true} {
		if !strings.Contains(row(list, htmx), "Night shift") {
			t.Fatalf("htmx=%v: Gina's new group is missing from her row", htmx)
		}
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.UpdateGroup(ctx, org.ID, id, "Day shift", "", access.Set{})
	})
	for _, htmx := range []bool{false, true} {
		if r := row(list, htmx); strings.Contains(r, "Night shift") || !strings.Contains(r, "Day shift") {
			t.Fatalf("htmx=%v: the renamed group is stale in Gina's row: %s", htmx, r)
		}
	}
	filtered := fmt.Sprintf("%s?group=%d", list, id)
	body := c.Get(filtered).Body
	if !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Day shift</option>`, id)) || strings.Contains(body, "Night shift") {
		t.Fatalf("the filter does not show the chosen group selected under its name: %s", between(body, "members-group", 600))
	}
	if strings.Count(body, " selected>") != 2 { // the group and the sort
		t.Fatalf("selected options: %d", strings.Count(body, " selected>"))
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.RemoveGroupMember(ctx, org.ID, id, gina.ID) })
	for _, htmx := range []bool{false, true} {
		if strings.Contains(row(list, htmx), "Day shift") {
			t.Fatalf("htmx=%v: Gina left the group but her row still shows it", htmx)
		}
	}
}

// The module cards are cached per permission set: a role change, a removed
// product and a rename each show on the member's next dashboard, and two
// members who share a set share correct cards.
func TestDashboardCardsFollowAccessChanges(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "finance"}, app.CreateUser("owner@example.com", "Olivia", pw))
	m := app.Join(org, "agent@example.com", "Adam", pw, access.RoleAgent)
	app.Join(org, "agent2@example.com", "Bea", pw, access.RoleAgent)
	agent, agent2 := app.LoginAs("agent@example.com", pw), app.LoginAs("agent2@example.com", pw)

	modules := func(c *testkit.Client) string {
		t.Helper()
		r := c.Get("/o/acme")
		if r.Status != 200 {
			t.Fatalf("dashboard: %d", r.Status)
		}
		i := strings.Index(r.Body, `id="modules-title"`)
		if i < 0 {
			t.Fatalf("no modules section: %.300s", r.Body)
		}
		return r.Body[i:]
	}
	tx := func(f func(ctx context.Context, tx *store.Tx) error) { app.Tx(f) }

	if s := modules(agent); strings.Contains(s, "/o/acme/customers/all") || !strings.Contains(s, "/o/acme/customers/mine") {
		t.Fatalf("agent cards: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, org.ID, m.ID, access.RoleManager)
	})
	if s := modules(agent); !strings.Contains(s, "/o/acme/customers/all") {
		t.Fatalf("after becoming manager, no All customers link: %.600s", s)
	}
	if s := modules(agent2); strings.Contains(s, "/o/acme/customers/all") {
		t.Fatalf("the other agent got the manager's cards: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, org.ID, m.ID, access.RoleFinancial)
	})
	if s := modules(agent); !strings.Contains(s, "/o/acme/financial") {
		t.Fatalf("financial role: no Financial card: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET products = 'crm' WHERE id = ?`, org.ID)
		return err
	})
	if s := modules(agent); strings.Contains(s, "/o/acme/financial") {
		t.Fatalf("finance product removed, Financial card still shown: %.600s", s)
	}
}

// switcherEntries is the organization switcher of a page, one line per
// entry: "Name|Role" or "Name|Role|Suspended".
func switcherEntries(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `<details class="dropdown switcher">`)
	if i < 0 {
		t.Fatalf("no organization switcher on the page: %.400s", body)
	}
	menu := body[i:]
	menu = menu[:strings.Index(menu, "</details>")]
	item := regexp.MustCompile(`<li>(.*?)</li>`)
	title := regexp.MustCompile(`dropdown-item-title">([^<]*)<`)
	meta := regexp.MustCompile(`dropdown-item-meta">([^<]*)<`)
	var out []string
	for _, m := range item.FindAllStringSubmatch(menu, -1) {
		tm := title.FindStringSubmatch(m[1])
		if tm == nil {
			continue // "All organizations", "Create new organization"
		}
		e := tm[1]
		if mm := meta.FindStringSubmatch(m[1]); mm != nil {
			e += "|" + mm[1]
		}
		if strings.Contains(m[1], "Suspended") {
			e += "|Suspended"
		}
		out = append(out, e)
	}
	return out
}

// The switcher is cached per user; every change to what it shows must
// appear on the user's very next page: joining, a new role, suspension,
// a renamed organization, leaving.
func TestOrgSwitcherFollowsChanges(t *testing.T) {
	app := testkit.NewApp(t)
	ada := app.CreateUser("ada@example.com", "Ada", pw)
	app.CreateOrg("Acme Ltd", "acme", nil, ada)
	bob := app.CreateUser("bob@example.com", "Bob", pw)
	globex := app.CreateOrg("Globex", "globex", nil, bob)

	c := app.LoginAs("ada@example.com", pw)
	expect := func(step string, want ...string) {
		t.Helper()
		r := c.Get("/o/acme")
		if r.Status != 200 {
			t.Fatalf("%s: dashboard %d", step, r.Status)
		}
		if got := switcherEntries(t, r.Body); strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Fatalf("%s: switcher shows %q, want %q", step, got, want)
		}
	}
	expect("start", "Acme Ltd|Owner")
	expect("cached", "Acme Ltd|Owner")

	m := app.AddMember(globex, ada, access.RoleAgent)
	expect("joined Globex", "Acme Ltd|Owner", "Globex|Agent")

	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, globex.ID, m.ID, access.RoleManager)
	})
	expect("role changed", "Acme Ltd|Owner", "Globex|Manager")

	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetStatus(ctx, globex.ID, m.ID, "suspended") })
	expect("suspended", "Acme Ltd|Owner", "Globex|Manager|Suspended")

	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET name = 'Globex Corp' WHERE id = ?`, globex.ID)
		return err
	})
	expect("renamed", "Acme Ltd|Owner", "Globex Corp|Manager|Suspended")

	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.RemoveMember(ctx, globex.ID, m.ID) })
	expect("removed", "Acme Ltd|Owner")
}
