package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// channelsFixture is the demo app with acme's channels and teams by name.
type channelsFixture struct {
	app      *testkit.App
	acme     int64
	base     string
	channels map[string]store.Channel
	teams    map[string]int64
}

func newChannelsFixture(t *testing.T) *channelsFixture {
	t.Helper()
	app := testkit.NewDemoApp(t)
	org := app.Org(demo.OrgSlug)
	f := &channelsFixture{app: app, acme: org.ID, base: "/o/" + demo.OrgSlug + "/settings/channels", teams: map[string]int64{}}
	f.reload(t)
	refs, err := app.DB.TeamRefs(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		f.teams[r.Name] = r.ID
	}
	return f
}

// reload reads acme's channels again (by name).
func (f *channelsFixture) reload(t *testing.T) {
	t.Helper()
	all, err := f.app.DB.Channels(context.Background(), f.acme)
	if err != nil {
		t.Fatal(err)
	}
	f.channels = map[string]store.Channel{}
	for _, c := range all {
		f.channels[c.Name] = c
	}
}

func (f *channelsFixture) path(c store.Channel) string {
	return f.base + "/" + strconv.FormatInt(c.ID, 10)
}

// audited is acme's audit entries of action, newest first.
func (f *channelsFixture) audited(t *testing.T, action string) []store.AuditEntry {
	t.Helper()
	log, err := f.app.DB.AuditLog(context.Background(), f.acme, store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func teamNamesOf(c store.Channel) string {
	var names []string
	for _, t := range c.Teams {
		names = append(names, t.Name)
	}
	return strings.Join(names, ",")
}

// An admin (every channels action) lists, creates, edits and archives
// channels; bad input is refused next to its field with nothing written.
func TestChannelsScreensGrants(t *testing.T) {
	f := newChannelsFixture(t)
	c := f.app.LoginAs(demo.AdminEmail, demo.Password)

	r := c.Get(f.base)
	if r.Status != http.StatusOK {
		t.Fatalf("list: %d", r.Status)
	}
	for _, want := range []string{">" + demo.ChannelEmail + "</a>", ">" + demo.ChannelWhatsApp + "</a>", "WhatsApp", "Web chat",
		"Everyone who may reply", "Archived", "In use", `id="new-channel"`, `name="kind"`, `name="teams"`, " conversations</td>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	before := len(f.channels)

	// Bad input: a message next to the field, nothing written.
	bad := []struct {
		name   string
		form   url.Values
		status int
		msg    string
	}{
		{"empty name", url.Values{"name": {"  "}, "kind": {"email"}}, http.StatusUnprocessableEntity, "Give the channel a name."},
		{"crafted kind", url.Values{"name": {"Fax line"}, "kind": {"fax"}}, http.StatusUnprocessableEntity, "Choose email, WhatsApp, web chat or SMS."},
		{"no kind", url.Values{"name": {"Fax line"}}, http.StatusUnprocessableEntity, "Choose email, WhatsApp, web chat or SMS."},
		{"name taken", url.Values{"name": {" " + strings.ToUpper(demo.ChannelEmail) + " "}, "kind": {"sms"}}, http.StatusConflict, "already exists"},
		{"malformed team", url.Values{"name": {"Fax line"}, "kind": {"sms"}, "teams": {"EMEA"}}, http.StatusUnprocessableEntity, "Choose teams from the list."},
		{"long name", url.Values{"name": {strings.Repeat("x", 101)}, "kind": {"sms"}}, http.StatusUnprocessableEntity, "at most 100 characters"},
	}
	for _, b := range bad {
		r := c.Post(f.base, b.form)
		if r.Status != b.status || !strings.Contains(r.Body, b.msg) || !strings.Contains(r.Body, `class="field-error"`) {
			t.Errorf("%s: %d, want %d with %q by the field", b.name, r.Status, b.status, b.msg)
		}
	}
	// Both fields wrong: both messages at once.
	if r := c.Post(f.base, url.Values{"name": {""}, "kind": {"pigeon"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Give the channel a name.") || !strings.Contains(r.Body, "Choose email, WhatsApp") {
		t.Errorf("name and kind wrong (%d): want both messages", r.Status)
	}
	// Another organization's team (or none at all) is a 404.
	if r := c.Post(f.base, url.Values{"name": {"Fax line"}, "kind": {"sms"}, "teams": {"999999"}}); r.Status != http.StatusNotFound {
		t.Errorf("unknown team: %d, want 404", r.Status)
	}
	f.reload(t)
	if len(f.channels) != before || len(f.audited(t, "channel.create")) != 0 {
		t.Fatalf("refused creates wrote something: %d channels (was %d)", len(f.channels), before)
	}

	// Create with a team.
	r = c.Post(f.base, url.Values{"name": {"  Priority line "}, "kind": {"sms"}, "teams": {strconv.FormatInt(f.teams[demo.TeamEMEA], 10)}})
	f.reload(t)
	pl, ok := f.channels["Priority line"]
	if r.Status != http.StatusSeeOther || !ok || r.Location != f.path(pl) {
		t.Fatalf("create: %d %q (created %v)", r.Status, r.Location, ok)
	}
	if pl.Kind != "sms" || teamNamesOf(pl) != demo.TeamEMEA || pl.Archived() {
		t.Errorf("created %+v", pl)
	}
	if log := f.audited(t, "channel.create"); len(log) != 1 || log[0].Target != "channel Priority line" ||
		!strings.Contains(log[0].After, `"teams":["EMEA"]`) || log[0].ActorEmail != demo.AdminEmail {
		t.Errorf("create audit: %+v", log)
	}
	r = c.Get(f.path(pl))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Archive Priority line") || !strings.Contains(r.Body, `value="sms" selected`) ||
		!strings.Contains(r.Body, "SMS · 0 conversations") {
		t.Errorf("channel page (%d) lacks its form or archive", r.Status)
	}

	// Edit: a crafted kind and a taken name are refused, nothing saved.
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority line"}, "kind": {"telegram"}, "teams": {strconv.FormatInt(f.teams[demo.TeamEMEA], 10)}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose email, WhatsApp") {
		t.Errorf("edit with a crafted kind: %d", r.Status)
	}
	if r := c.Post(f.path(pl), url.Values{"name": {demo.ChannelWhatsApp}, "kind": {"sms"}, "teams": {strconv.FormatInt(f.teams[demo.TeamEMEA], 10)}}); r.Status != http.StatusConflict {
		t.Errorf("rename to a taken name: %d", r.Status)
	}
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"sms"}, "teams": {"999999"}}); r.Status != http.StatusNotFound {
		t.Errorf("edit with an unknown team: %d", r.Status)
	}
	f.reload(t)
	if got := f.channels["Priority line"]; got.Kind != "sms" || teamNamesOf(got) != demo.TeamEMEA {
		t.Errorf("refused edits changed the channel: %+v", got)
	}

	// Edit: kind and both teams at once.
	both := []string{strconv.FormatInt(f.teams[demo.TeamEMEA], 10), strconv.FormatInt(f.teams[demo.TeamAmericas], 10)}
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"whatsapp"}, "teams": both}); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.Status)
	}
	f.reload(t)
	if got := f.channels["Priority"]; got.ID != pl.ID || got.Kind != "whatsapp" || teamNamesOf(got) != "Americas,EMEA" {
		t.Errorf("after edit: %+v", got)
	}
	if log := f.audited(t, "channel.update"); len(log) != 1 || !strings.Contains(log[0].Before, `"kind":"sms"`) ||
		!strings.Contains(log[0].After, `"teams":["Americas","EMEA"]`) {
		t.Errorf("update audit: %+v", log)
	}
	// The same values again record nothing.
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"whatsapp"}, "teams": both}); r.Status != http.StatusSeeOther || len(f.audited(t, "channel.update")) != 1 {
		t.Errorf("unchanged save: %d, audited again?", r.Status)
	}

	// Removing the last team asks first and saves nothing until confirmed;
	// bad input is refused before the question.
	if r := c.Post(f.path(pl), url.Values{"name": {""}, "kind": {"whatsapp"}}); r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "confirm_open") {
		t.Errorf("empty name without teams: %d, want 422 before the warning", r.Status)
	}
	r = c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"whatsapp"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "opens to everyone who may reply") || !strings.Contains(r.Body, `name="confirm_open" value="1"`) ||
		!strings.Contains(r.Body, "Save and open to everyone") {
		t.Errorf("removing the last team (%d): no warning step", r.Status)
	}
	f.reload(t)
	if got := f.channels["Priority"]; len(got.Teams) != 2 {
		t.Fatalf("the warning step saved: %+v", got)
	}
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"whatsapp"}, "confirm_open": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", r.Status)
	}
	f.reload(t)
	if got := f.channels["Priority"]; got.Restricted() {
		t.Errorf("confirmed removal kept teams: %+v", got)
	}
	// A channel without teams gets no warning (nothing opens).
	if r := c.Post(f.path(pl), url.Values{"name": {"Priority"}, "kind": {"email"}}); r.Status != http.StatusSeeOther {
		t.Errorf("save of an open channel: %d", r.Status)
	}

	// Archive: shown as archived, audited; again records nothing; unarchive.
	if r := c.Post(f.path(pl)+"/archive", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("archive: %d", r.Status)
	}
	f.reload(t)
	if !f.channels["Priority"].Archived() || len(f.audited(t, "channel.archive")) != 1 {
		t.Fatalf("archive did not archive or audit: %+v", f.channels["Priority"])
	}
	if r := c.Get(f.path(pl)); !strings.Contains(r.Body, "takes no new replies") || !strings.Contains(r.Body, "Unarchive Priority") {
		t.Error("archived channel's page does not say so")
	}
	if r := c.Post(f.path(pl)+"/archive", nil); r.Status != http.StatusSeeOther || len(f.audited(t, "channel.archive")) != 1 {
		t.Errorf("archive twice: %d, audited again?", r.Status)
	}
	if r := c.Post(f.path(pl)+"/unarchive", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("unarchive: %d", r.Status)
	}
	f.reload(t)
	if f.channels["Priority"].Archived() || len(f.audited(t, "channel.unarchive")) != 1 {
		t.Errorf("unarchive: %+v", f.channels["Priority"])
	}
	if r := c.Get(f.base + "/abc"); r.Status != http.StatusNotFound {
		t.Errorf("malformed id: %d", r.Status)
	}
}

// Members without an action get no control for it and a 403 for the
// crafted request, nothing written; another organization's channel is a
// 404 to everyone and never shows in acme's pages; the sidebar shows
// Channels only to members who may view them.
func TestChannelsDenials(t *testing.T) {
	f := newChannelsFixture(t)
	ctx := context.Background()
	mail := f.channels[demo.ChannelEmail]

	// The agent views channels (Support Agents) but may change nothing.
	agent := f.app.LoginAs(demo.AgentEmail, demo.Password)
	r := agent.Get(f.base)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, demo.ChannelEmail) {
		t.Fatalf("agent list: %d", r.Status)
	}
	if strings.Contains(r.Body, `id="new-channel"`) || strings.Contains(r.Body, `name="kind"`) {
		t.Error("the agent sees the New channel form without channels_create")
	}
	r = agent.Get(f.path(mail))
	if r.Status != http.StatusOK || strings.Contains(r.Body, `name="kind"`) || strings.Contains(r.Body, "/archive") || strings.Contains(r.Body, "Save") {
		t.Errorf("agent's channel page (%d) shows edit or archive controls", r.Status)
	}
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{f.base, url.Values{"name": {"Agent's line"}, "kind": {"sms"}}},
		{f.path(mail), url.Values{"name": {"Hijacked"}, "kind": {"sms"}, "teams": {strconv.FormatInt(f.teams[demo.TeamEMEA], 10)}}},
		{f.path(mail) + "/archive", nil},
	} {
		if r := agent.Post(p.path, p.form); r.Status != http.StatusForbidden {
			t.Errorf("agent POST %s: %d, want 403", p.path, r.Status)
		}
	}
	before := len(f.channels)
	f.reload(t)
	if got := f.channels[demo.ChannelEmail]; len(f.channels) != before || got.Kind != "email" || got.Restricted() || got.Archived() {
		t.Errorf("refused posts changed channels: %+v", got)
	}
	if log := f.audited(t, "channel."); len(log) != 0 {
		t.Errorf("refused posts audited: %+v", log)
	}

	// Financial: no channels at all, no sidebar entry.
	fin := f.app.LoginAs(demo.FinancialEmail, demo.Password)
	if r := fin.Get(f.base); r.Status != http.StatusForbidden || strings.Contains(r.Body, demo.ChannelEmail) {
		t.Errorf("financial list: %d (or it leaks a channel)", r.Status)
	}
	if r := fin.Get(f.path(mail)); r.Status != http.StatusForbidden {
		t.Errorf("financial channel page: %d", r.Status)
	}
	dash := fin.Get("/o/" + demo.OrgSlug)
	if dash.Status != http.StatusOK || !strings.Contains(dash.Body, `href="/o/`+demo.OrgSlug+`/settings/billing"`) {
		t.Fatalf("financial dashboard (%d) has no Settings entries to compare with", dash.Status)
	}
	if strings.Contains(dash.Body, `href="`+f.base+`"`) {
		t.Error("the sidebar shows Channels to a member without channels_view")
	}
	if r := agent.Get("/o/" + demo.OrgSlug); !strings.Contains(r.Body, `href="`+f.base+`"`) {
		t.Error("the sidebar hides Channels from a member with channels_view")
	}

	// Another organization's channel: 404 to acme's owner, never listed.
	org, boss := f.app.OwnedOrg("Initech", "initech", []string{"inbox"}, "boss@initech.test", "Initech Boss", demo.Password)
	var theirs store.Channel
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		theirs, err = tx.AddChannel(ctx, org.ID, "Initech secret line", "email", nil)
		return err
	})
	owner := f.app.LoginAs(demo.OwnerEmail, demo.Password)
	theirPath := f.base + "/" + strconv.FormatInt(theirs.ID, 10)
	if r := owner.Get(f.base); r.Status != http.StatusOK || strings.Contains(r.Body, "Initech secret line") || strings.Contains(r.Body, demo.ChannelGlobex) {
		t.Errorf("acme's list (%d) shows another organization's channel", r.Status)
	}
	if r := owner.Get(theirPath); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Initech secret line") {
		t.Errorf("another organization's channel: %d, want 404", r.Status)
	}
	for _, p := range []string{theirPath, theirPath + "/archive"} {
		if r := owner.Post(p, url.Values{"name": {"Taken over"}, "kind": {"sms"}}); r.Status != http.StatusNotFound {
			t.Errorf("owner POST %s: %d, want 404", p, r.Status)
		}
	}
	got, err := f.app.DB.Channel(ctx, org.ID, theirs.ID)
	if err != nil || got.Name != "Initech secret line" || got.Archived() {
		t.Errorf("another organization's channel changed: %+v %v", got, err)
	}
	// Initech's owner cannot reach acme's channels either.
	if r := boss.Get(f.path(mail)); r.Status != http.StatusNotFound || strings.Contains(r.Body, demo.ChannelEmail) {
		t.Errorf("outsider GET acme channel: %d", r.Status)
	}
	if r := boss.Get("/o/initech/settings/channels"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Initech secret line") || strings.Contains(r.Body, demo.ChannelEmail) {
		t.Errorf("initech's own list (%d) lacks its channel or shows acme's", r.Status)
	} else if !strings.Contains(r.Body, "This organization has no teams") || strings.Contains(r.Body, `name="teams"`) {
		t.Error("an organization without teams is offered team checkboxes, or not told why there are none")
	}
}

// A team's delete form warns about the channels only that team may use:
// deleting it opens them to everyone who may reply.
func TestTeamDeleteWarnsOfOpenedChannels(t *testing.T) {
	f := newChannelsFixture(t)
	c := f.app.LoginAs(demo.AdminEmail, demo.Password)
	teamPage := func(name string) string {
		return "/o/" + demo.OrgSlug + "/settings/service_teams/" + strconv.FormatInt(f.teams[name], 10)
	}
	r := c.Get(teamPage(demo.TeamEMEA))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Only this team may use the channel "+demo.ChannelWhatsApp+": deleting the team opens it") {
		t.Fatalf("EMEA's page (%d) does not warn about %s", r.Status, demo.ChannelWhatsApp)
	}
	if strings.Contains(r.Body, demo.ChannelSMS) || strings.Contains(r.Body, demo.ChannelEmail) {
		t.Error("EMEA's warning names a channel it does not hold alone")
	}
	wa := f.channels[demo.ChannelWhatsApp]
	both := []string{strconv.FormatInt(f.teams[demo.TeamEMEA], 10), strconv.FormatInt(f.teams[demo.TeamAmericas], 10)}
	if r := c.Post(f.path(wa), url.Values{"name": {wa.Name}, "kind": {wa.Kind}, "teams": both}); r.Status != http.StatusSeeOther {
		t.Fatalf("share the channel: %d", r.Status)
	}
	if r := c.Get(teamPage(demo.TeamEMEA)); strings.Contains(r.Body, "team-opens-channels") {
		t.Error("EMEA still warns about a channel Americas may use too")
	}
	// The manager may not delete teams: no delete form, no warning.
	if r := f.app.LoginAs(demo.ManagerEmail, demo.Password).Get(teamPage(demo.TeamAmericas)); strings.Contains(r.Body, "team-opens-channels") {
		t.Error("a member without service_teams_delete sees the delete warning")
	}
}
