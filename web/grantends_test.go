package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// grantEndForm posts a grant's end on a member's page.
func grantEndForm(grant, at string) url.Values {
	return url.Values{"grant": {grant}, "expires_at": {at}}
}

func endAt(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") }

// A group membership given an end grants until the instant and nothing
// from it, with nothing written in between: the second request is denied.
func TestGrantEndDeniesFromItsInstantWithNoWrite(t *testing.T) {
	fx := newFBFixture(t)
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	fx.app.DB.SetClock(func() time.Time { return now })
	u := fx.app.CreateUser("ava@acme.test", "Ava Auditor", wzPassword)
	var m, gid int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		mm, err := tx.AddMember(ctx, fx.org.ID, u.ID, access.RoleAgent, "active", nil)
		if err != nil {
			return err
		}
		m = mm.ID
		if gid, err = tx.CreateGroup(ctx, fx.org.ID, "Auditors", "", testkit.Set(t, "dashboard_view", "audit_view"), ""); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, fx.org.ID, gid, m)
	})
	ava := fx.app.LoginAs("ava@acme.test", wzPassword)
	end := now.Add(10 * time.Minute)
	r := fx.clients["owner"].Post("/o/acme/settings/members/"+strconv.FormatInt(m, 10)+"/grant-end",
		grantEndForm("group:"+strconv.FormatInt(gid, 10), endAt(end)))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("owner sets the end: %d %s", r.Status, r.Body)
	}
	if r := ava.Get("/o/acme/settings/audit"); r.Status != http.StatusOK {
		t.Fatalf("before the end: audit %d", r.Status)
	}
	page := fx.clients["owner"].Get("/o/acme/settings/members/" + strconv.FormatInt(m, 10))
	if !strings.Contains(page.Body, "Auditors (until "+end.Format("2 Jan 2006 15:04")+" UTC)") {
		t.Errorf("the member page does not show the end beside the group")
	}
	until := "until " + end.Format("2 Jan 2006 15:04") + " UTC"
	for who, c := range map[string]struct {
		client *testkit.Client
		path   string
		want   string
	}{
		"My Permissions":     {ava, "/o/acme/me/permissions", "Your membership of Auditors lasts " + until},
		"member permissions": {fx.clients["owner"], "/o/acme/settings/members/" + strconv.FormatInt(m, 10) + "/permissions", "Their membership of Auditors lasts " + until},
		"group page":         {fx.clients["owner"], "/o/acme/settings/groups/" + strconv.FormatInt(gid, 10), until},
	} {
		if r := c.client.Get(c.path); r.Status != http.StatusOK || !strings.Contains(r.Body, c.want) {
			t.Errorf("%s: %d, lacks %q", who, r.Status, c.want)
		}
	}
	ctx := context.Background()
	_, v1, _ := fx.app.DB.ListVersions(ctx, fx.org.ID)
	now = end // the instant: nothing written since
	if r := ava.Get("/o/acme/settings/audit"); r.Status != http.StatusForbidden {
		t.Fatalf("at the end: audit %d, want 403", r.Status)
	}
	if r := ava.Get("/o/acme/me/permissions"); strings.Contains(r.Body, "Auditors") {
		t.Errorf("My Permissions still names the ended group (a cached page)")
	}
	if _, v2, _ := fx.app.DB.ListVersions(ctx, fx.org.ID); v2 != v1 {
		t.Fatalf("something was written at the end (perm_version %d → %d)", v1, v2)
	}
	if r := ava.Get("/o/acme"); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Errorf("the role is used again after the end: dashboard %d", r.Status)
	}
}

// An end in the past is refused by its field (422); an end whose fall-back
// gains what the actor lacks is refused (403): Gil's only group holds him
// back from the Admin template, which Lim does not hold. Nothing is
// written either way; the owner may.
func TestGrantEndRefusals(t *testing.T) {
	fx := newFBFixture(t)
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	fx.app.DB.SetClock(func() time.Time { return now })
	gil := fx.member("gil", "/grant-end")
	desk := "group:" + strconv.FormatInt(fx.desk, 10)
	ctx := context.Background()
	_, v0, _ := fx.app.DB.ListVersions(ctx, fx.org.ID)
	r := fx.clients["owner"].PostHTMX(gil, grantEndForm(desk, endAt(now.Add(-time.Hour))))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose a time in the future.") {
		t.Errorf("a past end: %d", r.Status)
	}
	r = fx.clients["lim"].PostHTMX(gil, grantEndForm(desk, endAt(now.Add(time.Hour))))
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Nothing changed") {
		t.Errorf("an end whose fall-back gains the Admin template, by Lim: %d %s", r.Status, r.Body)
	}
	ou, _ := fx.app.DB.UserByEmail(ctx, "owner@acme.test")
	om, _ := fx.app.DB.MembershipOfUser(ctx, fx.org.ID, ou.ID)
	r = fx.clients["owner"].PostHTMX("/o/acme/settings/members/"+strconv.FormatInt(om.ID, 10)+"/grant-end", url.Values{"grant": {"role"}, "expires_at": {endAt(now.Add(time.Hour))}, "role_then": {"agent"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "The owner role cannot be temporary.") {
		t.Errorf("the owner role made temporary: %d", r.Status)
	}
	if _, v, _ := fx.app.DB.ListVersions(ctx, fx.org.ID); v != v0 {
		t.Fatalf("a refusal wrote (perm_version %d → %d)", v0, v)
	}
	if gs, _ := fx.app.DB.GroupsOfMember(ctx, fx.org.ID, fx.members["gil"].ID); len(gs) != 1 || gs[0].Until != 0 {
		t.Fatalf("gil's group after refusals: %+v", gs)
	}
	if r := fx.clients["owner"].PostHTMX(gil, grantEndForm(desk, endAt(now.Add(time.Hour)))); r.Status != http.StatusOK {
		t.Fatalf("the owner sets the end: %d", r.Status)
	}
	if gs, _ := fx.app.DB.GroupsOfMember(ctx, fx.org.ID, fx.members["gil"].ID); len(gs) != 1 || gs[0].Until != now.Add(time.Hour).Unix() {
		t.Fatalf("gil's group after the owner's save: %+v", gs)
	}
}

// The sweep mails the owners once, 3 days before a grant's end, through
// the real SMTP listener; after the end it removes the grant with one
// audit entry, and a second sweep finds nothing.
func TestGrantSweepNoticeAndCleanUp(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	app.DB.SetClock(func() time.Time { return now })
	owner := app.CreateUser("owner@acme.test", "Olive Owner", wzPassword)
	org := app.CreateOrg("Acme", "acme", []string{"crm"}, owner)
	m := app.Join(org, "ava@acme.test", "Ava Agent", wzPassword, access.RoleAgent)
	end := now.Add(5 * 24 * time.Hour)
	var gid int64
	app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		if gid, err = tx.CreateGroup(ctx, org.ID, "Supervisors", "", testkit.Set(t, "dashboard_view", "audit_view"), ""); err != nil {
			return err
		}
		if err = tx.AddGroupMember(ctx, org.ID, gid, m.ID); err != nil {
			return err
		}
		return tx.SetGroupMemberUntil(ctx, org.ID, gid, m.ID, end.Unix())
	})
	ctx := context.Background()
	sweep := func() {
		t.Helper()
		if err := app.Server.SweepGrants(ctx); err != nil {
			t.Fatal(err)
		}
		app.Server.Wait() // mails sent
	}
	sweep() // 5 days before: no notice yet
	if n := len(app.SMTP.Messages()); n != 0 {
		t.Fatalf("%d mails 5 days before", n)
	}
	now = end.Add(-3*24*time.Hour + time.Minute)
	sweep()
	sweep() // told once
	msgs := app.SMTP.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "owner@acme.test" || !strings.Contains(msgs[0].Text, "group Supervisors of ava@acme.test ends on "+end.Format("2 Jan 2006 15:04")+" UTC") {
		t.Fatalf("the notice: %d mails %+v", len(msgs), msgs)
	}
	_, v0, _ := app.DB.ListVersions(ctx, org.ID)
	now = end
	sweep()
	if _, v, _ := app.DB.ListVersions(ctx, org.ID); v == v0 {
		t.Errorf("the sweep removed nothing")
	}
	log, err := app.DB.AuditLog(ctx, org.ID, store.AuditFilter{Action: "grant.expired"})
	if err != nil || len(log) != 1 || log[0].Target != "ava@acme.test" || !strings.Contains(log[0].Before, "group Supervisors") {
		t.Fatalf("audit after the sweep: %+v %v", log, err)
	}
	sweep()
	if log, _ := app.DB.AuditLog(ctx, org.ID, store.AuditFilter{Action: "grant.expired"}); len(log) != 1 {
		t.Errorf("a second sweep audited again: %d entries", len(log))
	}
	if n := len(app.SMTP.Messages()); n != 1 {
		t.Errorf("%d mails in all, want 1", n)
	}
}

// The Time limits preview states what happens at the end: Nadia's only
// group ends, so her role (Admin) decides again; Lim is told the save would
// be refused. Nothing is written.
func TestGrantEndPreviewStatesTheInstant(t *testing.T) {
	fx := newFBFixture(t)
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	fx.app.DB.SetClock(func() time.Time { return now })
	form := grantEndForm("group:"+strconv.FormatInt(fx.night, 10), endAt(now.Add(24*time.Hour)))
	r := fx.clients["owner"].PostHTMX(fx.member("nadia", "/grant-end/preview"), form)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Until 18 Mar 2030 10:00 UTC nothing changes; then:") ||
		!strings.Contains(r.Body, "will be in no group, so their role template (Admin) decides again") {
		t.Fatalf("owner's preview: %d %s", r.Status, r.Body)
	}
	r = fx.clients["lim"].PostHTMX(fx.member("gil", "/grant-end/preview"), grantEndForm("group:"+strconv.FormatInt(fx.desk, 10), endAt(now.Add(time.Hour))))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "This cannot be saved") {
		t.Errorf("lim's preview of gil's fall-back: %d %s", r.Status, r.Body)
	}
	page := fx.clients["owner"].Get(fx.member("nadia", ""))
	if !strings.Contains(page.Body, `id="member-grants-preview"`) || !strings.Contains(page.Body, "/grant-end/preview") {
		t.Errorf("the member page has no Time limits preview")
	}
}

// Saving an end states the preview's summary in its notice: what the
// member holds from that instant, as the panel said before the save.
func TestGrantEndSaveStatesTheSummary(t *testing.T) {
	fx := newFBFixture(t)
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	fx.app.DB.SetClock(func() time.Time { return now })
	form := grantEndForm("group:"+strconv.FormatInt(fx.night, 10), endAt(now.Add(24*time.Hour)))
	r := fx.clients["owner"].PostHTMX(fx.member("nadia", "/grant-end"), form)
	want := "Saved: the grant lasts until 18 Mar 2030 10:00 UTC. Then: "
	i := strings.Index(r.Body, want)
	if r.Status != http.StatusOK || i < 0 {
		t.Fatalf("save: %d, no %q in %s", r.Status, want, r.Body)
	}
	if rest := r.Body[i+len(want):]; !strings.Contains(rest[:min(len(rest), 300)], "gain") {
		t.Errorf("the notice names no gain after the end: %.300s", rest)
	}
}

// Crafted grant keys are refused by the field (422) with nothing written:
// a group the member is not in (here another organization's), an unknown
// key, individual permissions the member does not have, a temporary role
// without the role it returns to, and an unreadable time.
func TestGrantEndCraftedGrants(t *testing.T) {
	fx := newFBFixture(t)
	now := time.Date(2030, 3, 17, 10, 0, 0, 0, time.UTC)
	fx.app.DB.SetClock(func() time.Time { return now })
	other, _ := fx.app.OwnedOrg("Other Org", "other", []string{"crm"}, "boss@other.test", "Bo Other", wzPassword)
	var foreign int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		foreign, err = tx.CreateGroup(ctx, other.ID, "Foreign", "", testkit.Set(t, "dashboard_view"), "")
		return err
	})
	ctx := context.Background()
	_, v0, _ := fx.app.DB.ListVersions(ctx, fx.org.ID)
	later := endAt(now.Add(time.Hour))
	gil := fx.member("gil", "/grant-end")
	for name, c := range map[string]struct {
		form url.Values
		want string
	}{
		"another org's group": {grantEndForm("group:"+strconv.FormatInt(foreign, 10), later), "is not in that group"},
		"unknown key":         {grantEndForm("everything", later), "Choose a grant to end."},
		"no individual set":   {grantEndForm("custom", later), "has no individual permissions to end"},
		"role without then":   {grantEndForm("role", later), "Choose the role"},
		"unreadable time":     {grantEndForm("group:"+strconv.FormatInt(fx.desk, 10), "next tuesday"), "Type a date and time"},
	} {
		r := fx.clients["owner"].PostHTMX(gil, c.form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, c.want) {
			t.Errorf("%s: %d, lacks %q", name, r.Status, c.want)
		}
		if strings.Contains(r.Body, "Foreign") {
			t.Errorf("%s: the answer names the other organization's group", name)
		}
	}
	if _, v, _ := fx.app.DB.ListVersions(ctx, fx.org.ID); v != v0 {
		t.Fatalf("a refusal wrote (perm_version %d → %d)", v0, v)
	}
	if gs, _ := fx.app.DB.GroupsOfMember(ctx, fx.org.ID, fx.members["gil"].ID); len(gs) != 1 || gs[0].Until != 0 {
		t.Fatalf("gil's groups after refusals: %+v", gs)
	}
}
