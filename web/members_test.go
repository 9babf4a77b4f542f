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
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const mfxPassword = "members fixture password 7"

// membersFx is organization "acme" (CRM + Inbox, 25 seats) with one member
// per actor the members screens tell apart, and "globex", the outsider's.
//
// "boss" is a manager given individual permissions with members
// view/create/edit/delete but nothing admin: the escalation attempts come
// from them. "manager" is a plain manager (members view only).
type membersFx struct {
	orgFx
	groups map[string]int64
}

var mfxActors = []string{"owner", "admin", "manager", "boss", "agent", "suspended", "outsider"}

func newMembersFx(t *testing.T, opts ...testkit.AppOption) *membersFx {
	t.Helper()
	app := testkit.NewApp(t, opts...)
	fx := &membersFx{orgFx: newOrgFx(app, mfxPassword,
		testkit.Member{Key: "suspended", Name: "Sue Suspended", Role: access.RoleAgent, Status: domain.StatusSuspended},
	), groups: map[string]int64{}}
	boss := access.RoleTemplate(access.RoleManager)
	for _, a := range []access.Action{access.Create, access.Edit, access.Delete} {
		boss.Grant(access.ModMembers, a)
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE organizations SET seats = 25 WHERE id = ?`, fx.acme.ID); err != nil {
			return err
		}
		if err := tx.SetCustom(ctx, fx.acme.ID, fx.members["boss"].ID, &boss); err != nil {
			return err
		}
		gs, err := tx.Groups(ctx, fx.acme.ID)
		for _, g := range gs {
			fx.groups[g.Name] = g.ID
		}
		return err
	})
	for _, a := range mfxActors {
		fx.clients[a] = app.LoginAs(fx.users[a].Email, mfxPassword)
	}
	return fx
}

func (fx *membersFx) url(suffix string) string { return "/o/acme/settings/members" + suffix }

func (fx *membersFx) memberURL(actor, suffix string) string {
	return fx.url(fmt.Sprintf("/%d%s", fx.members[actor].ID, suffix))
}

// snapshot is every row a membership change could touch: equal snapshots
// before and after a refusal prove nothing changed.
func (fx *membersFx) snapshot() string {
	return testkit.Rows(fx.app.T, fx.app.DB,
		`SELECT id || ':' || role || ':' || status || ':' || COALESCE(custom_permissions, '-') FROM memberships ORDER BY id`,
		`SELECT group_id || ':' || membership_id FROM group_members ORDER BY 1`,
		`SELECT id || ':' || token_hash || ':' || COALESCE(accepted_at, '-') || ':' || COALESCE(revoked_at, '-') FROM invites ORDER BY id`,
		`SELECT id || ':' || must_reset_password FROM users ORDER BY id`,
		`SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL`,
		`SELECT COUNT(*) FROM audit_log`,
	)
}

func (fx *membersFx) membership(actor string) domain.Membership {
	m, err := fx.app.DB.Membership(context.Background(), fx.acme.ID, fx.members[actor].ID)
	if err != nil {
		fx.app.T.Fatalf("membership of %s: %v", actor, err)
	}
	return m
}

func (fx *membersFx) audit(action string) []store.AuditEntry {
	es, err := fx.app.DB.AuditLog(context.Background(), fx.acme.ID, store.AuditFilter{Action: action})
	if err != nil {
		fx.app.T.Fatal(err)
	}
	return es
}

// invite creates a pending invitation directly and returns its id.
func (fx *membersFx) inviteID(email string) int64 {
	c := fx.clients["owner"]
	r := c.Post(fx.url("/invite"), url.Values{"email": {email}, "role": {"agent"}})
	if r.Status != http.StatusSeeOther {
		fx.app.T.Fatalf("invite %s: %d %.300s", email, r.Status, r.Body)
	}
	var id int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = ? ORDER BY id DESC LIMIT 1`, email).Scan(&id)
	})
	return id
}

// The route × actor matrix. Allowed actors reach the handler (often a
// refusal by the service, which proves the guard let them through);
// the others get 403 (no permission, suspended), 404 (not a member) or the
// login page, and never a member's data.
func TestMembersRoutesByActor(t *testing.T) {
	fx := newMembersFx(t)
	otherInvite := func() int64 { // an invitation of globex
		var id int64
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			inv, err := tx.CreateInvite(ctx, store.Invite{OrgID: fx.globex.ID, Email: "g@globex.test", Role: access.RoleAgent, ExpiresAt: tx.Now() + 3600}, "globex-token-hash")
			id = inv.ID
			return err
		})
		return id
	}()
	pending := fx.inviteID("pending@acme.test")
	secret := "agent@acme.test" // a member's email: must not leak to the denied
	list, inv, imp := fx.url(""), fx.url("/invite"), fx.url("/import")
	resend, revoke := fx.url(fmt.Sprintf("/invites/%d/resend", pending)), fx.url(fmt.Sprintf("/invites/%d/revoke", pending))
	agentPage := fx.memberURL("agent", "")
	ownerPage := fx.memberURL("owner", "")
	csv := url.Values{"csv": {"bm90LWFuLWVtYWlsLGFnZW50Cg=="}} // "not-an-email,agent\n"
	denied := func(actor, method, path string, form url.Values) []testkit.Scenario {
		_ = actor
		return []testkit.Scenario{
			{Actor: "agent", Method: method, Path: path, Form: form, Status: http.StatusForbidden, NotContains: []string{"pending@acme.test", "Olivia Owner"}},
			{Actor: "suspended", Method: method, Path: path, Form: form, Status: http.StatusForbidden, Contains: []string{"suspended"}, NotContains: []string{secret}},
			{Actor: "outsider", Method: method, Path: path, Form: form, Status: http.StatusNotFound, NotContains: []string{secret, "Acme"}},
			{Actor: "anonymous", Method: method, Path: path, Form: form, Status: http.StatusSeeOther, Location: "/login"},
		}
	}
	var sc []testkit.Scenario
	add := func(rows ...testkit.Scenario) { sc = append(sc, rows...) }

	// The list: members_view.
	add(
		testkit.Scenario{Actor: "owner", Path: list, Status: 200, Contains: []string{"Members", secret, "Aggie Agent", "of 25 seats", "Invite member", "pending@acme.test", "Resend", "Revoke"}},
		testkit.Scenario{Actor: "admin", Path: list, Status: 200, Contains: []string{secret, "Invite member", "Revoke"}},
		testkit.Scenario{Actor: "manager", Path: list, Status: 200, Contains: []string{secret, "pending@acme.test"}, NotContains: []string{"Invite member", "Bulk invite", "Resend", "Revoke"}},
		testkit.Scenario{Actor: "boss", Path: list, Status: 200, Contains: []string{secret, "Invite member"}},
	)
	add(denied("", "GET", list, nil)...)
	// Invite, bulk invite, resend, revoke: members_create.
	for _, p := range []struct {
		method, path string
		form         url.Values
		ok           int
		contains     string
	}{
		{"GET", inv, nil, 200, "Send invitation"},
		{"POST", inv, url.Values{"email": {"nope"}, "role": {"agent"}}, 422, "valid email address"},
		{"GET", imp, nil, 200, "CSV file"},
		{"POST", fx.url("/import/confirm"), csv, 422, "bad email"},
		{"POST", resend, url.Values{}, 303, ""},
	} {
		for _, a := range []string{"owner", "admin", "boss"} {
			add(testkit.Scenario{Actor: a, Method: p.method, Path: p.path, Form: p.form, Status: p.ok, Contains: nonEmpty(p.contains)})
		}
		add(testkit.Scenario{Actor: "manager", Method: p.method, Path: p.path, Form: p.form, Status: http.StatusForbidden})
		add(denied("", p.method, p.path, p.form)...)
	}
	add(testkit.Scenario{Actor: "manager", Method: "POST", Path: revoke, Status: http.StatusForbidden})
	add(denied("", "POST", revoke, nil)...)
	add(testkit.Scenario{Actor: "owner", Method: "POST", Path: fx.url(fmt.Sprintf("/invites/%d/revoke", otherInvite)), Status: http.StatusNotFound},
		testkit.Scenario{Actor: "owner", Method: "POST", Path: fx.url("/invites/abc/revoke"), Status: http.StatusNotFound})

	// A member's page: members_view; its forms only with members_edit.
	add(
		testkit.Scenario{Actor: "owner", Path: agentPage, Status: 200, Contains: []string{"Aggie Agent", secret, "Save role", "Save groups", "Suspend", "Force password reset", "Remove", "Sessions", "/permissions"}},
		testkit.Scenario{Actor: "admin", Path: agentPage, Status: 200, Contains: []string{"Save role", "Remove"}},
		testkit.Scenario{Actor: "boss", Path: agentPage, Status: 200, Contains: []string{"Save role", "Suspend"}},
		testkit.Scenario{Actor: "manager", Path: agentPage, Status: 200, Contains: []string{"Aggie Agent"}, NotContains: []string{"Save role", "Save groups", "Force password reset", ">Remove<", "Sessions"}},
		testkit.Scenario{Actor: "owner", Path: fx.url(fmt.Sprintf("/%d", fx.members["owner"].ID+100000)), Status: http.StatusNotFound},
		testkit.Scenario{Actor: "owner", Path: fx.url("/x1"), Status: http.StatusNotFound},
	)
	// The outsider's own membership id in acme's URL: 404 (not acme's member).
	outsiderM, _ := fx.app.DB.MembershipOfUser(context.Background(), fx.globex.ID, fx.users["outsider"].ID)
	add(testkit.Scenario{Actor: "owner", Path: fx.url(fmt.Sprintf("/%d", outsiderM.ID)), Status: http.StatusNotFound, NotContains: []string{"Otto"}})
	add(denied("", "GET", agentPage, nil)...)

	// Member changes: members_edit (remove: members_delete). The allowed
	// rows aim at a change the service refuses, so the table changes nothing.
	for _, p := range []struct {
		path, ownerWant string
		form            url.Values
	}{
		{fx.memberURL("owner", "/role"), "last active owner", url.Values{"role": {"admin"}}},
		{fx.memberURL("owner", "/suspend"), "last active owner", nil},
		{fx.memberURL("owner", "/reenable"), "is not suspended", nil},
		{fx.memberURL("owner", "/force-reset"), "My Profile", nil},
		{fx.memberURL("owner", "/sessions/nope/revoke"), "already ended", nil},
		{fx.memberURL("owner", "/remove"), "last active owner", nil},
		{fx.memberURL("owner", "/groups"), "does not exist", url.Values{"groups": {"999999"}}},
	} {
		add(testkit.Scenario{Actor: "owner", Method: "POST", Path: p.path, Form: p.form, Status: 422, Contains: []string{p.ownerWant}})
		// Touching an owner's membership is anti-escalation: 403.
		add(testkit.Scenario{Actor: "admin", Method: "POST", Path: p.path, Form: p.form, Status: http.StatusForbidden, Contains: []string{"owner"}})
		add(testkit.Scenario{Actor: "manager", Method: "POST", Path: p.path, Form: p.form, Status: http.StatusForbidden})
		add(denied("", "POST", p.path, p.form)...)
	}
	add(testkit.Scenario{Actor: "owner", Method: "POST", Path: ownerPage + "/role", HTMX: true, Form: url.Values{"role": {"admin"}}, Status: 422,
		Contains: []string{`id="member-detail"`, "last active owner"}, NotContains: []string{"<html"}})
	add(testkit.Scenario{Actor: "owner", Method: "POST", Path: fx.url("/999999/suspend"), Status: http.StatusNotFound})

	// Ending every session of a member without a client of its own.
	extra := fx.app.AddMember(fx.acme, fx.app.CreateUser("extra@acme.test", "Ezra Extra", mfxPassword), access.RoleAgent)
	revokeAll := fx.url(fmt.Sprintf("/%d/sessions/revoke-all", extra.ID))
	for _, a := range []string{"owner", "admin", "boss"} {
		add(testkit.Scenario{Actor: a, Method: "POST", Path: revokeAll, Status: http.StatusSeeOther, Location: fx.url(fmt.Sprintf("/%d", extra.ID))})
	}
	add(testkit.Scenario{Actor: "manager", Method: "POST", Path: revokeAll, Status: http.StatusForbidden})
	add(denied("", "POST", revokeAll, nil)...)
	// The upload itself (a form without a file is refused in place).
	for _, a := range []string{"owner", "admin", "boss"} {
		add(testkit.Scenario{Actor: a, Method: "POST", Path: imp, Status: 422, Contains: []string{"Choose a CSV file"}})
	}
	add(testkit.Scenario{Actor: "manager", Method: "POST", Path: imp, Status: http.StatusForbidden})
	add(denied("", "POST", imp, nil)...)

	// A live invitation for someone none of the actors is: every signed-in
	// actor is told whose it is and cannot accept it.
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.CreateInvite(ctx, store.Invite{OrgID: fx.acme.ID, Email: "invitee@elsewhere.test", Role: access.RoleSales,
			ExpiresAt: tx.Now() + 3600}, session.HashToken("known-token"))
		return err
	})
	add(testkit.Scenario{Actor: "anonymous", Path: "/invite/known-token", Status: 200,
		Contains: []string{"Join Acme Ltd", "Sales", "invitee@elsewhere.test", "/signup?email=invitee%40elsewhere.test"}, NotContains: []string{"Accept and join"}})
	for _, a := range mfxActors {
		add(testkit.Scenario{Actor: a, Path: "/invite/known-token", Status: 200, Contains: []string{"This invitation is for invitee@elsewhere.test"},
			NotContains: []string{"Accept and join", "pending@acme.test"}})
		add(testkit.Scenario{Actor: a, Method: "POST", Path: "/invite/known-token/accept", Status: http.StatusForbidden,
			Contains: []string{"This invitation is for invitee@elsewhere.test"}})
	}

	// The public invitation page and its accept.
	add(
		testkit.Scenario{Actor: "anonymous", Path: "/invite/not-a-token", Status: http.StatusNotFound, Contains: []string{"not valid"}},
		testkit.Scenario{Actor: "anonymous", Method: "POST", Path: "/invite/not-a-token/accept", Status: http.StatusSeeOther, Location: "/login"},
		testkit.Scenario{Actor: "agent", Method: "POST", Path: "/invite/not-a-token/accept", Status: http.StatusNotFound, Contains: []string{"not valid"}},
	)
	testkit.Run(t, fx.app, fx.clients, sc)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// The manager with members_edit tries every way up over HTTP: each answer
// is 403 (forbidden, as every anti-escalation refusal) with the reason, and
// the database is exactly as before.
func TestMembersEscalationOverHTTP(t *testing.T) {
	fx := newMembersFx(t)
	boss := fx.clients["boss"]
	admin := fmt.Sprint(fx.groups["Admin"])
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"boss adds themselves to Admin", fx.memberURL("boss", "/groups"), url.Values{"groups": {admin}}, "“Admin”"},
		{"boss adds the agent to Admin", fx.memberURL("agent", "/groups"), url.Values{"groups": {admin}}, "“Admin”"},
		{"boss makes the agent owner", fx.memberURL("agent", "/role"), url.Values{"role": {"owner"}}, "Only an owner"},
		{"boss makes themselves owner", fx.memberURL("boss", "/role"), url.Values{"role": {"owner"}}, "Only an owner"},
		{"boss changes the owner", fx.memberURL("owner", "/role"), url.Values{"role": {"agent"}}, "owner&#39;s membership"},
		{"boss suspends the owner", fx.memberURL("owner", "/suspend"), nil, "owner&#39;s membership"},
		{"boss removes the owner", fx.memberURL("owner", "/remove"), nil, "owner&#39;s membership"},
		{"boss grants admin", fx.memberURL("agent", "/role"), url.Values{"role": {"admin"}}, "role Admin"},
		{"boss promotes themselves", fx.memberURL("boss", "/role"), url.Values{"role": {"admin"}}, "role Admin"},
		{"boss suspends an admin", fx.memberURL("admin", "/suspend"), nil, "holds permissions you don"},
		{"boss invites an admin", fx.url("/invite"), url.Values{"email": {"x@new.test"}, "role": {"admin"}}, "role Admin"},
		{"boss invites into Admin", fx.url("/invite"), url.Values{"email": {"x@new.test"}, "role": {"agent"}, "groups": {admin}}, "“Admin”"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot()
			for _, htmx := range []bool{false, true} {
				r := boss.PostAs(htmx, tc.path, tc.form)
				if r.Status != http.StatusForbidden || !strings.Contains(r.Body, tc.want) {
					t.Fatalf("htmx=%v: status %d, want 403 with %q; body %.400s", htmx, r.Status, tc.want, r.Body)
				}
				if htmx && strings.Contains(r.Body, "<html") {
					t.Fatal("htmx refusal is a whole page, want the fragment")
				}
			}
			if after := fx.snapshot(); after != before {
				t.Fatalf("refused request changed the database:\nbefore %s\nafter %s", before, after)
			}
		})
	}
	// The invite form offers the boss only roles they hold.
	r := boss.Get(fx.url("/invite"))
	if strings.Contains(r.Body, `value="admin"`) || strings.Contains(r.Body, `value="owner"`) || !strings.Contains(r.Body, `value="agent"`) {
		t.Fatalf("invite form roles for the boss: %.2000s", r.Body)
	}
}

// Suspension ends access to this organization on the next request, and
// only to it; re-enabling restores it. Force reset ends every session.
func TestMemberSuspendReenableForceResetRemove(t *testing.T) {
	fx := newMembersFx(t)
	owner, agent := fx.clients["owner"], fx.clients["agent"]
	// The agent also belongs to globex, which suspension here must not touch.
	fx.app.AddMember(fx.globex, fx.users["agent"], access.RoleAgent)
	if r := agent.Get("/o/acme"); r.Status != 200 {
		t.Fatalf("agent dashboard before: %d", r.Status)
	}
	r := owner.PostHTMX(fx.memberURL("agent", "/suspend"), nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Access suspended") || !strings.Contains(r.Body, "Re-enable") {
		t.Fatalf("suspend: %d %.500s", r.Status, r.Body)
	}
	if r := agent.Get("/o/acme"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "suspended") {
		t.Fatalf("suspended agent's next request: %d", r.Status)
	}
	if r := agent.Get("/o/globex"); r.Status != 200 {
		t.Fatalf("suspension leaked into globex: %d", r.Status)
	}
	if r := agent.Get("/orgs"); r.Status != 200 {
		t.Fatalf("suspension ended the session: %d", r.Status)
	}
	// The list shows the status; the seat is free.
	r = owner.Get(fx.url("?status=suspended"))
	if !strings.Contains(r.Body, "Aggie Agent") || !strings.Contains(r.Body, "Sue Suspended") || strings.Contains(r.Body, "Adam Admin") {
		t.Fatalf("suspended filter: %.3000s", r.Body)
	}
	r = owner.Post(fx.memberURL("agent", "/reenable"), nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("re-enable: %d %.300s", r.Status, r.Body)
	}
	if r := agent.Get("/o/acme"); r.Status != 200 {
		t.Fatalf("re-enabled agent: %d", r.Status)
	}
	if got := len(fx.audit("member.suspend")) + len(fx.audit("member.reenable")); got != 2 {
		t.Fatalf("audit rows = %d", got)
	}

	// Sessions: the owner sees the agent's browser and ends it. The agent's
	// account also belongs to globex: the owner manages its members too, or
	// the account would be beyond Acme's reach (managed accounts).
	fx.app.AddMember(fx.globex, fx.users["owner"], access.RoleAdmin)
	agent2 := fx.app.Client()
	agent2.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	agent2.LogIn("agent@acme.test", mfxPassword)
	r = owner.Get(fx.memberURL("agent", ""))
	if !strings.Contains(r.Body, "Firefox 128") {
		t.Fatalf("sessions list lacks the browser: %.4000s", r.Body)
	}
	sessions, _ := fx.app.DB.UserSessions(context.Background(), fx.users["agent"].ID)
	if len(sessions) != 2 {
		t.Fatalf("agent sessions = %d", len(sessions))
	}
	var firefox string
	for _, s := range sessions {
		if strings.Contains(s.UserAgent, "Firefox") {
			firefox = s.ID
		}
	}
	r = owner.PostHTMX(fx.memberURL("agent", "/sessions/"+firefox+"/revoke"), nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Session ended") {
		t.Fatalf("revoke session: %d %.300s", r.Status, r.Body)
	}
	if r := agent2.Get("/orgs"); r.Status != http.StatusSeeOther {
		t.Fatalf("revoked session still works: %d", r.Status)
	}
	if r := agent.Get("/orgs"); r.Status != 200 {
		t.Fatal("the other session ended too")
	}

	// Force reset: every session ends; the next login must set a password.
	r = owner.Post(fx.memberURL("agent", "/force-reset"), nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("force reset: %d", r.Status)
	}
	if r := agent.Get("/orgs"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("session after force reset: %d %s", r.Status, r.Location)
	}
	again := fx.app.Client()
	r = again.Post("/login", url.Values{"email": {"agent@acme.test"}, "password": {mfxPassword}})
	if r.Location != "/reset" {
		t.Fatalf("login after force reset goes to %q", r.Location)
	}
	if r := again.Get("/o/acme"); r.Status != http.StatusSeeOther || r.Location != "/reset?next=%2Fo%2Facme" {
		t.Fatalf("forced-reset user reached the org: %d %s", r.Status, r.Location)
	}

	// Remove: the membership goes, the account stays.
	r = owner.PostHTMX(fx.memberURL("agent", "/remove"), nil)
	if r.Status != 200 || r.Header.Get("HX-Redirect") != "/o/acme/settings/members" {
		t.Fatalf("remove: %d %v", r.Status, r.Header)
	}
	if _, err := fx.app.DB.Membership(context.Background(), fx.acme.ID, fx.members["agent"].ID); err == nil {
		t.Fatal("membership still there")
	}
	if _, err := fx.app.DB.UserByEmail(context.Background(), "agent@acme.test"); err != nil {
		t.Fatal("removing the member deleted the account")
	}
	if r := owner.Get(fx.memberURL("agent", "")); r.Status != http.StatusNotFound {
		t.Fatalf("removed member's page: %d", r.Status)
	}
	for _, a := range []string{"member.force_reset", "member.sessions_revoke", "member.remove"} {
		es := fx.audit(a)
		if len(es) != 1 || es[0].Target != "agent@acme.test" || es[0].ActorEmail != "owner@acme.test" || es[0].IP == "" {
			t.Fatalf("audit %s = %+v", a, es)
		}
	}
}

func TestMemberRoleAndGroupsForms(t *testing.T) {
	fx := newMembersFx(t)
	admin := fx.clients["admin"]
	r := admin.PostHTMX(fx.memberURL("agent", "/role"), url.Values{"role": {"sales"}})
	if r.Status != 200 || !strings.Contains(r.Body, "Role saved: Sales.") || strings.Contains(r.Body, "<html") {
		t.Fatalf("role: %d %.300s", r.Status, r.Body)
	}
	if fx.membership("agent").Role != access.RoleSales {
		t.Fatal("role not saved")
	}
	r = admin.PostHTMX(fx.memberURL("agent", "/groups"), url.Values{"groups": {fmt.Sprint(fx.groups["User"]), fmt.Sprint(fx.groups["Sales Team"])}})
	if r.Status != 200 || !strings.Contains(r.Body, "Groups saved.") {
		t.Fatalf("groups: %d %.300s", r.Status, r.Body)
	}
	gs, _ := fx.app.DB.GroupsOfMember(context.Background(), fx.members["agent"].OrgID, fx.members["agent"].ID)
	if names := store.GroupNames(gs); strings.Join(names, ",") != "Sales Team,User" {
		t.Fatalf("groups = %v", names)
	}
	e := fx.audit("member.role")
	if len(e) != 1 || e[0].Before != `{"role":"agent"}` || e[0].After != `{"role":"sales"}` {
		t.Fatalf("audit = %+v", e)
	}
	// Bad input: a unknown role and a non-numeric group, in place, nothing written.
	before := fx.snapshot()
	for _, tc := range []struct {
		path string
		form url.Values
		want string
	}{
		{fx.memberURL("agent", "/role"), url.Values{"role": {"agnet"}}, "Choose a role"},
		{fx.memberURL("agent", "/groups"), url.Values{"groups": {"x"}}, "not valid"},
	} {
		if r := admin.PostHTMX(tc.path, tc.form); r.Status != 422 || !strings.Contains(r.Body, tc.want) {
			t.Fatalf("%s: %d %.300s", tc.path, r.Status, r.Body)
		}
	}
	if fx.snapshot() != before {
		t.Fatal("bad input changed something")
	}
}

// The list: search, filters, sort and keyset pages; htmx gets the results only.
func TestMembersListSearchFilterSortPages(t *testing.T) {
	fx := newMembersFx(t)
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE organizations SET seats = 500 WHERE id = ?`, fx.acme.ID); err != nil {
			return err
		}
		for i := range 120 {
			u, err := tx.CreateUser(ctx, fmt.Sprintf("person%03d@bulk.test", i), fmt.Sprintf("Person %03d", i), "")
			if err != nil {
				return err
			}
			m, err := tx.AddMember(ctx, fx.acme.ID, u.ID, access.RoleSales, domain.StatusActive, nil)
			if err != nil {
				return err
			}
			if i%10 == 0 {
				if err := tx.AddGroupMember(ctx, fx.acme.ID, fx.groups["Guest"], m.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	owner := fx.clients["owner"]
	r := owner.Get(fx.url(""))
	if !strings.Contains(r.Body, "Showing 1–50 of 126") || !strings.Contains(r.Body, "125 of 500 seats") {
		t.Fatalf("first page: %.200s", between(r.Body, "pagination-info", 200))
	}
	// Follow "Next" twice, then "Last" and "Previous".
	next := linkAfter(t, r.Body, "Next")
	r = getResults(fx.app, owner, next)
	if !strings.Contains(r.Body, "Showing 51–100 of 126") || strings.Contains(r.Body, "<html") || strings.Contains(r.Body, "Pending invitations") {
		t.Fatalf("htmx page 2: %.300s", r.Body)
	}
	r = owner.Get(linkAfter(t, r.Body, "Next"))
	if !strings.Contains(r.Body, "Showing 101–126 of 126") || strings.Contains(r.Body, ">Next<") && !strings.Contains(r.Body, `aria-disabled="true">Next`) {
		t.Fatalf("page 3: %s", between(r.Body, "pagination-info", 400))
	}
	r = owner.Get(linkAfter(t, r.Body, "Previous"))
	if !strings.Contains(r.Body, "Showing 51–100 of 126") {
		t.Fatalf("previous: %s", between(r.Body, "pagination-info", 200))
	}
	r = owner.Get(linkAfter(t, r.Body, "Last"))
	if !strings.Contains(r.Body, "Showing 77–126 of 126") || !strings.Contains(r.Body, "Sue Suspended") {
		t.Fatalf("last: %s", between(r.Body, "pagination-info", 200))
	}
	// Search narrows by name or email; htmx swaps only the results.
	r = getResults(fx.app, owner, fx.url("?q=person01"))
	if !strings.Contains(r.Body, "Showing 1–10 of 10") || !strings.Contains(r.Body, "person019@bulk.test") || strings.Contains(r.Body, "person020@") {
		t.Fatalf("search: %s", between(r.Body, "pagination-info", 200))
	}
	r = owner.Get(fx.url("?q=ADAM"))
	if !strings.Contains(r.Body, "Showing 1–1 of 1") || !strings.Contains(r.Body, "admin@acme.test") {
		t.Fatalf("search by name: %s", between(r.Body, "pagination-info", 200))
	}
	// Filters: role, group, status; sort by email descending.
	r = owner.Get(fx.url(fmt.Sprintf("?group=%d&role=sales", fx.groups["Guest"])))
	if !strings.Contains(r.Body, "Showing 1–12 of 12") {
		t.Fatalf("group+role: %s", between(r.Body, "pagination-info", 200))
	}
	r = owner.Get(fx.url("?role=admin"))
	if !strings.Contains(r.Body, "Showing 1–1 of 1") || !strings.Contains(r.Body, "Adam Admin") || strings.Contains(r.Body, "Aggie Agent") {
		t.Fatalf("role filter: %s", between(r.Body, "pagination-info", 200))
	}
	r = owner.Get(fx.url("?sort=email&dir=desc"))
	if i, j := strings.Index(r.Body, "suspended@acme.test"), strings.Index(r.Body, "person119@bulk.test"); i < 0 || j < 0 || i > j {
		t.Fatal("email sort descending: suspended@ should come before person119@")
	}
	// Bad filters are named and ignored, not a 500.
	r = owner.Get(fx.url("?role=overlord&status=weird&group=abc&sort=shoe&dir=up"))
	if r.Status != 200 || !strings.Contains(r.Body, "Ignored: unknown role “overlord”; unknown status “weird”; unknown group; unknown sort “shoe”; unknown direction.") {
		t.Fatalf("bad filters: %d %.300s", r.Status, between(r.Body, "Ignored", 300))
	}
	// Another organization's group id is unknown here.
	gs, _ := fx.app.DB.GroupRefs(context.Background(), fx.globex.ID)
	r = owner.Get(fx.url(fmt.Sprintf("?group=%d", gs[0].ID)))
	if !strings.Contains(r.Body, "unknown group") || !strings.Contains(r.Body, "of 126") {
		t.Fatal("a group of globex was used as a filter")
	}
}

// getResults asks for the list as its search box and links do (htmx,
// targeting the results).
func getResults(app *testkit.App, c *testkit.Client, path string) *testkit.Response {
	req, _ := http.NewRequest(http.MethodGet, app.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "members-results")
	return c.Do(req)
}

// linkAfter returns the href of the pagination link labelled label.
func linkAfter(t *testing.T, body, label string) string {
	t.Helper()
	i := strings.Index(body, ">"+label+"</a>")
	if i < 0 {
		t.Fatalf("no %q link in %s", label, between(body, "pagination", 600))
	}
	j := strings.LastIndex(body[:i], `href="`)
	href := body[j+6:]
	href = href[:strings.IndexByte(href, '"')]
	return strings.ReplaceAll(href, "&amp;", "&")
}

func between(body, marker string, n int) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return "(no " + marker + ")"
	}
	return body[i:min(len(body), i+n)]
}
