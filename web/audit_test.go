package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

type auFixture struct {
	app     *testkit.App
	acme    domain.Org
	clients map[string]*testkit.Client
}

const auBulk = 55 // more than a page (50)

func auDay(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, time.UTC) }

func newAuditFixture(t *testing.T) *auFixture {
	t.Helper()
	app := testkit.NewApp(t)
	f := &auFixture{app: app, clients: map[string]*testkit.Client{}}
	emails := map[string]string{}
	user := func(actor string) domain.User {
		emails[actor] = actor + "@example.test"
		return app.CreateUser(emails[actor], "The "+actor, prPassword)
	}
	owner := user("owner")
	f.acme = app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, owner)
	globex := app.CreateOrg("Globex", "globex", []string{"crm"}, user("outsider"))
	app.AddMember(f.acme, user("admin"), access.RoleAdmin)
	app.AddMember(f.acme, user("manager"), access.RoleManager) // template: no audit
	app.AddMember(f.acme, user("agent"), access.RoleAgent)
	viewer := app.AddMember(f.acme, user("viewer"), access.RoleAgent)
	var viewOnly access.Set
	viewOnly.Grant(access.ModAudit, access.View)
	viewOnly.Grant(access.ModDashboard, access.View)

	var before, after access.Set
	before.Grant(access.ModCustomers, access.View)
	before.Grant(access.ModCustomers, access.Delete)
	after.Grant(access.ModCustomers, access.View)
	after.Grant(access.ModCustomers, access.Edit)
	after.SetFlag(access.FlagCustomersCanAccessAll, true)

	write := func(at time.Time, e store.AuditEntry) {
		app.DB.SetClock(func() time.Time { return at })
		app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.Audit(ctx, e) })
	}
	write(auDay(1, 10), store.AuditEntry{OrgID: f.acme.ID, ActorEmail: "admin@example.test", Action: "group.update",
		Target: "group Sales Team", Before: store.JSON(before), After: store.JSON(after), IP: "127.0.0.1"})
	write(auDay(5, 9), store.AuditEntry{OrgID: f.acme.ID, ActorEmail: "owner@example.test", Action: "member.role",
		Target: "bob@example.test", Before: `{"role":"agent"}`, After: `{"role":"manager"}`})
	write(auDay(10, 8), store.AuditEntry{OrgID: f.acme.ID, ActorEmail: "admin@example.test", Action: "member.custom",
		Target: "carl@example.test", Before: `{"custom":null}`, After: store.JSON(map[string]any{"custom": after})})
	write(auDay(11, 8), store.AuditEntry{OrgID: f.acme.ID, ActorEmail: "owner@example.test", Action: "group.create",
		Target: "=cmd|' /C calc'!A0", After: "{}"})
	write(auDay(11, 9), store.AuditEntry{OrgID: globex.ID, ActorEmail: "outsider@example.test", Action: "member.role",
		Target: "globex-secret@example.test", Before: `{"role":"agent"}`, After: `{"role":"admin"}`})
	for i := range auBulk {
		write(auDay(20, 0).Add(time.Duration(i)*time.Minute), store.AuditEntry{OrgID: f.acme.ID, ActorEmail: "robot@example.test",
			Action: "bulk.touch", Target: "item " + strconv.Itoa(i)})
	}
	app.DB.SetClock(time.Now)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetCustom(ctx, f.acme.ID, viewer.ID, &viewOnly)
	})
	for actor, email := range emails {
		f.clients[actor] = app.LoginAs(email, prPassword)
	}
	return f
}

// auIDs lists the entry ids a page shows, in order.
func auIDs(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `data-audit-id="`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return out
}

// auRow returns the HTML of the row whose target contains s.
func auRow(t *testing.T, body, s string) string {
	t.Helper()
	i := strings.Index(body, s)
	if i < 0 {
		t.Fatalf("no row with %q", s)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	return body[start : i+end]
}

func TestAuditLogShowsBeforeAfter(t *testing.T) {
	f := newAuditFixture(t)
	r := f.clients["owner"].Get("/o/acme/settings/audit?action=group.update")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	row := auRow(t, r.Body, "group Sales Team")
	for _, want := range []string{
		`<li class="diff-added"><span aria-hidden="true">+ </span><span class="visually-hidden">added: </span>Customers: edit</li>`,
		`<li class="diff-added"><span aria-hidden="true">+ </span><span class="visually-hidden">added: </span>See all customers</li>`,
		`<li class="diff-removed"><span aria-hidden="true">− </span><span class="visually-hidden">removed: </span>Customers: delete</li>`,
		"admin@example.test", "Group: update", "1 Mar 2025, 10:00:00 UTC", "127.0.0.1", "Local network",
	} {
		if !strings.Contains(row, want) {
			t.Errorf("row lacks %q", want)
		}
	}
	if strings.Contains(row, "Customers: view") {
		t.Error("an unchanged permission is listed as a change")
	}

	r = f.clients["owner"].Get("/o/acme/settings/audit?action=member.")
	role := auRow(t, r.Body, "bob@example.test")
	if !strings.Contains(role, `<span class="audit-old">agent</span>`) || !strings.Contains(role, `<span class="audit-new">manager</span>`) {
		t.Errorf("role change not shown as old → new: %s", role)
	}
	custom := auRow(t, r.Body, "carl@example.test")
	for _, want := range []string{"Individual permissions", "not set (inherited)", `<span class="audit-new">set</span>`, "Customers: view", "See all customers"} {
		if !strings.Contains(custom, want) {
			t.Errorf("custom row lacks %q", want)
		}
	}
	// Newest first; another organization's entries never show.
	ids := auIDs(r.Body)
	if len(ids) != 2 || !slices.IsSortedFunc(ids, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return y - x }) {
		t.Errorf("member entries %v: want 2, newest first", ids)
	}
	all := f.clients["owner"].Get("/o/acme/settings/audit")
	if strings.Contains(all.Body, "globex-secret") {
		t.Error("another organization's entry is shown")
	}
}

func TestAuditLogAccess(t *testing.T) {
	f := newAuditFixture(t)
	for _, actor := range []string{"manager", "agent"} {
		for _, path := range []string{"/o/acme/settings/audit", "/o/acme/settings/audit/export.csv"} {
			r := f.clients[actor].Get(path)
			if r.Status != http.StatusForbidden || strings.Contains(r.Body, "bob@example.test") || strings.Contains(r.Body, "group Sales Team") {
				t.Errorf("%s %s: %d", actor, path, r.Status)
			}
		}
	}
	for _, path := range []string{"/o/acme/settings/audit", "/o/acme/settings/audit/export.csv"} {
		if r := f.clients["outsider"].Get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Acme") {
			t.Errorf("outsider %s: %d", path, r.Status)
		}
		if r := f.app.Client().Get(path); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous %s: %d", path, r.Status)
		}
	}
	// audit_view without audit_export: the log, but no export.
	r := f.clients["viewer"].Get("/o/acme/settings/audit")
	if r.Status != http.StatusOK || strings.Contains(r.Body, "export.csv") {
		t.Errorf("viewer: %d, export link shown = %v", r.Status, strings.Contains(r.Body, "export.csv"))
	}
	if r := f.clients["viewer"].Get("/o/acme/settings/audit/export.csv"); r.Status != http.StatusForbidden {
		t.Errorf("viewer export: %d", r.Status)
	}
	if r := f.clients["admin"].Get("/o/acme/settings/audit"); r.Status != http.StatusOK || !strings.Contains(r.Body, "/o/acme/settings/audit/export.csv") {
		t.Errorf("admin: %d", r.Status)
	}
}

func TestAuditLogFilters(t *testing.T) {
	f := newAuditFixture(t)
	c := f.clients["owner"]
	count := func(q url.Values) int {
		t.Helper()
		r := c.Get("/o/acme/settings/audit?" + q.Encode())
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", q.Encode(), r.Status)
		}
		return len(auIDs(r.Body))
	}
	cases := []struct {
		q    url.Values
		want int
	}{
		{url.Values{"actor": {"admin@"}}, 2},
		{url.Values{"actor": {"OWNER"}}, 2}, // case-insensitive
		{url.Values{"target": {"carl"}}, 1},
		{url.Values{"action": {"member."}}, 2},
		{url.Values{"action": {"member.role"}}, 1},
		{url.Values{"from": {"2025-03-05"}, "to": {"2025-03-10"}}, 2}, // "to" includes its day
		{url.Values{"from": {"2025-03-02"}, "to": {"2025-03-04"}}, 0},
		{url.Values{"to": {"2025-03-01"}}, 1},
		{url.Values{"actor": {"admin"}, "action": {"group."}}, 1},
		{url.Values{"actor": {"%"}}, 0}, // LIKE wildcards are literal
	}
	for _, tc := range cases {
		if got := count(tc.q); got != tc.want {
			t.Errorf("%s: %d entries, want %d", tc.q.Encode(), got, tc.want)
		}
	}
	bad := []struct {
		q     url.Values
		field string
		msg   string
	}{
		{url.Values{"from": {"2025-13-01"}}, "from", "Enter a date as YYYY-MM-DD"},
		{url.Values{"to": {"yesterday"}}, "to", "Enter a date as YYYY-MM-DD"},
		{url.Values{"from": {"2025-03-10"}, "to": {"2025-03-01"}}, "to", "The end date is before the start date."},
		{url.Values{"action": {"member'; DROP TABLE audit_log"}}, "action", "Choose an action from the list."},
	}
	for _, tc := range bad {
		r := c.Get("/o/acme/settings/audit?" + tc.q.Encode())
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-audit-`+tc.field+`-error"`) || !strings.Contains(r.Body, tc.msg) {
			t.Errorf("%s: status %d; want %q next to %s", tc.q.Encode(), r.Status, tc.msg, tc.field)
		}
		if len(auIDs(r.Body)) != 0 {
			t.Errorf("%s: entries shown despite a bad filter", tc.q.Encode())
		}
		if r := c.Get("/o/acme/settings/audit/export.csv?" + tc.q.Encode()); r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Header.Get("Content-Type"), "csv") {
			t.Errorf("export with %s: %d", tc.q.Encode(), r.Status)
		}
	}
	// htmx gets the log fragment only.
	r := c.GetHTMX("/o/acme/settings/audit?action=member.role")
	if r.Status != http.StatusOK || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="audit-log"`) || len(auIDs(r.Body)) != 1 {
		t.Errorf("htmx filter: %d", r.Status)
	}
}

func TestAuditLogPagination(t *testing.T) {
	f := newAuditFixture(t)
	c := f.clients["owner"]
	total := auBulk + 4
	r := c.Get("/o/acme/settings/audit")
	first := auIDs(r.Body)
	if len(first) != 50 || !strings.Contains(r.Body, "Older →") || strings.Contains(r.Body, "← Newest") {
		t.Fatalf("first page: %d entries", len(first))
	}
	i := strings.Index(r.Body, `rel="next" href="`)
	next := r.Body[i+len(`rel="next" href="`):]
	next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
	r = c.Get(next)
	second := auIDs(r.Body)
	if len(second) != total-50 || strings.Contains(r.Body, "Older →") || !strings.Contains(r.Body, "← Newest") {
		t.Errorf("second page (%s): %d entries, want %d", next, len(second), total-50)
	}
	for _, id := range second {
		if slices.Contains(first, id) {
			t.Errorf("entry %s on both pages", id)
		}
	}
	// Filters carry over to the next page.
	r = c.Get("/o/acme/settings/audit?actor=robot")
	if n := len(auIDs(r.Body)); n != 50 || !strings.Contains(r.Body, "actor=robot") {
		t.Errorf("filtered first page: %d", n)
	}
	if r := c.Get("/o/acme/settings/audit?before=abc"); r.Status != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", r.Status)
	}
}

func TestAuditExportCSVHasExactlyTheFilteredRows(t *testing.T) {
	f := newAuditFixture(t)
	ctx := context.Background()
	read := func(q url.Values) [][]string {
		t.Helper()
		r := f.clients["admin"].Get("/o/acme/settings/audit/export.csv?" + q.Encode())
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export %s: %d %q", q.Encode(), r.Status, r.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || strings.Join(rows[0], ",") != "id,time_utc,actor,action,target,ip,before,after" {
			t.Fatalf("header %v", rows)
		}
		return rows[1:]
	}
	cases := []struct {
		q  url.Values
		sf store.AuditFilter
	}{
		{url.Values{"actor": {"robot"}}, store.AuditFilter{Actor: "robot"}}, // more rows than one page
		{url.Values{"action": {"member."}}, store.AuditFilter{Action: "member."}},
		{url.Values{"from": {"2025-03-05"}, "to": {"2025-03-11"}}, store.AuditFilter{From: auDay(5, 0).Unix(), To: auDay(12, 0).Unix()}},
		{url.Values{}, store.AuditFilter{}},
	}
	for _, tc := range cases {
		want, err := f.app.DB.AuditLog(ctx, f.acme.ID, tc.sf)
		if err != nil {
			t.Fatal(err)
		}
		rows := read(tc.q)
		var got, wantIDs []string
		for _, row := range rows {
			got = append(got, row[0])
		}
		for _, e := range want {
			wantIDs = append(wantIDs, strconv.FormatInt(e.ID, 10))
		}
		if !slices.Equal(got, wantIDs) || len(got) == 0 {
			t.Errorf("export %s: ids %v, want %v", tc.q.Encode(), got, wantIDs)
		}
	}
	rows := read(url.Values{"action": {"member.role"}})
	if len(rows) != 1 || rows[0][2] != "owner@example.test" || rows[0][4] != "bob@example.test" ||
		rows[0][6] != `{"role":"agent"}` || rows[0][7] != `{"role":"manager"}` || rows[0][1] != "2025-03-05T09:00:00Z" {
		t.Errorf("member.role rows: %v", rows)
	}
	// A formula-looking value is defused; other organizations never leak.
	all := read(url.Values{})
	var sawFormula bool
	for _, row := range all {
		if strings.Contains(row[4], "cmd|") {
			sawFormula = row[4] == "'=cmd|' /C calc'!A0"
		}
		if strings.Contains(strings.Join(row, ","), "globex") {
			t.Error("another organization's entry exported")
		}
	}
	if !sawFormula {
		t.Error("formula cell not defused")
	}
}
