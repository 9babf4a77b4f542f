package orgio_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
)

// channelsOf is the organization's channels by name, as "kind teams archived".
func channelsOf(t *testing.T, db *store.Store, slug string) map[string]string {
	t.Helper()
	snap, err := db.OrgSnapshot(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ch := range snap.Channels {
		var teams []string
		for _, r := range ch.Teams {
			teams = append(teams, r.Name)
		}
		out[ch.Name] = ch.Kind + " [" + strings.Join(teams, ",") + "]"
		if ch.Archived() {
			out[ch.Name] += " archived"
		}
	}
	return out
}

// The export carries the channels (name, kind, teams, archived) and an
// import restores them: the file's channels are created or updated, one it
// omits is archived (never deleted), each change audited; a second import
// changes nothing; a file without "channels" leaves them as they are.
func TestImportChannels(t *testing.T) {
	db := demoDB(t)
	out := export(t, db, demo.OrgSlug)
	for _, want := range []string{`{"name": "Old fax bridge", "kind": "sms", "teams": [], "archived": true}`,
		"\"name\": \"WhatsApp EMEA\",\n      \"kind\": \"whatsapp\",\n      \"teams\": [\"EMEA\"],\n      \"archived\": false\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("export lacks %q:\n%s", want, out)
		}
	}
	d := parseDoc(t, out)
	d["channels"] = []any{
		map[string]any{"name": "Old fax bridge", "kind": "sms", "teams": []any{}, "archived": false},
		map[string]any{"name": "sms americas", "kind": "email", "teams": []any{"EMEA", "Americas"}, "archived": false},
		map[string]any{"name": "Telegram", "kind": "web_chat", "teams": []any{"EMEA"}, "archived": true},
		map[string]any{"name": "Web chat", "kind": "web_chat", "teams": []any{}, "archived": false},
		map[string]any{"name": "WhatsApp EMEA", "kind": "whatsapp", "teams": []any{"EMEA"}},
	}
	want := []string{
		"put channel Old fax bridge back in use",
		`update channel SMS Americas: name "SMS Americas" → "sms americas"; kind sms → email; teams Americas → Americas, EMEA`,
		"create channel Telegram (web_chat; teams: EMEA)",
		"archive channel Telegram",
		"archive channel Support email (not in the file; its conversations stay readable)",
	}
	importAsPlanned(t, db, d.String(), "ops@acme.test", want)
	got := channelsOf(t, db, demo.OrgSlug)
	for name, w := range map[string]string{"Old fax bridge": "sms []", "sms americas": "email [Americas,EMEA]", "Telegram": "web_chat [EMEA] archived",
		"Support email": "email [] archived", "Web chat": "web_chat []", "WhatsApp EMEA": "whatsapp [EMEA]"} {
		if got[name] != w {
			t.Errorf("channel %s: %q, want %q (all: %v)", name, got[name], w, got)
		}
	}
	if len(got) != 6 {
		t.Errorf("channels %v", got)
	}
	org, _ := db.OrgBySlug(ctx, demo.OrgSlug)
	log, err := db.AuditLog(ctx, org.ID, store.AuditFilter{Action: "channel."})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if e.ActorEmail == "ops@acme.test" {
			actions = append(actions, e.Action+" "+e.Target)
		}
	}
	slices.Sort(actions)
	if !slices.Equal(actions, []string{"channel.archive channel Support email", "channel.archive channel Telegram", "channel.create channel Telegram",
		"channel.unarchive channel Old fax bridge", "channel.update channel sms americas"}) {
		t.Errorf("audit %q", actions)
	}
	// Exported again, it imports with no change, byte for byte.
	again := export(t, db, demo.OrgSlug)
	if res := mustImport(t, db, again, orgio.Options{}); len(res.Changes) != 0 {
		t.Errorf("a re-import changed %q", res.Changes)
	}
	if export(t, db, demo.OrgSlug) != again {
		t.Error("export → import → export differs")
	}
	// Without "channels" they stay; a team the file deletes that was a
	// channel's only one is said to open it.
	d = parseDoc(t, again)
	delete(d, "channels")
	res := mustImport(t, db, d.String(), orgio.Options{})
	if len(res.Changes) != 0 || !maps.Equal(channelsOf(t, db, demo.OrgSlug), got) {
		t.Errorf("a file without channels changed %q / %v", res.Changes, channelsOf(t, db, demo.OrgSlug))
	}
	var keep []any
	for _, tm := range d.teams() {
		if tm.(map[string]any)["name"] != "EMEA" {
			keep = append(keep, tm)
		}
	}
	d["teams"] = keep
	for _, m := range d.members() {
		m.(map[string]any)["teams"] = slices.DeleteFunc(m.(map[string]any)["teams"].([]any), func(v any) bool { return v == "EMEA" })
	}
	dry := mustImport(t, db, d.String(), orgio.Options{DryRun: true})
	if !slices.Contains(dry.Notes, "channel WhatsApp EMEA opens to everyone who may reply: the import deletes its teams (EMEA)") ||
		slices.ContainsFunc(dry.Notes, func(n string) bool { return strings.Contains(n, "sms americas") }) {
		t.Errorf("notes %q", dry.Notes)
	}
}

// Bad channels are named by their JSON path and nothing is written.
func TestImportChannelProblems(t *testing.T) {
	db := demoDB(t)
	base := export(t, db, demo.OrgSlug)
	d := parseDoc(t, base)
	d["channels"] = []any{
		map[string]any{"name": " Padded", "kind": "sms", "teams": []any{}, "archived": false},
		map[string]any{"name": "Pager", "kind": "pager", "teams": []any{"Nowhere", "EMEA", "emea"}, "archived": "no"},
		map[string]any{"name": "PAGER", "kind": "sms"},
		map[string]any{"kind": "sms", "colour": "red"},
		"Web chat",
		map[string]any{"name": strings.Repeat("x", 101), "kind": "sms"},
	}
	before := counts(t, db)
	lines := importProblems(t, db, d.String(), orgio.Options{})
	for _, want := range []string{
		`channels[0].name: " Padded" has leading or trailing spaces`,
		`channels[1].kind: unknown kind "pager" (kinds: email, whatsapp, web_chat, sms)`,
		`channels[1].teams[2]: team "emea" is listed twice (also at index 1)`,
		`channels[1].archived: expected true or false, got a string`,
		`channels[3].colour: unknown field "colour" (expected name, kind, teams, archived)`,
		`channels[3].name: required`,
		`channels[4]: expected a channel object with name, kind, teams and archived, got a string`,
		`channels[5].name: a channel name has at most 100 characters`,
		`channels[2].name: duplicate channel name "PAGER" (already used by channels[1]; names are compared ignoring case, accents and spaces)`,
		`channels[1].teams[0]: unknown team "Nowhere": define it in "teams"`,
	} {
		if !contains(lines, want) {
			t.Errorf("problems lack %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	sameCounts(t, before, counts(t, db))
	d = parseDoc(t, base)
	d["version"] = 1
	delete(d, "teams")
	for _, m := range d.members() {
		delete(m.(map[string]any), "teams")
	}
	if lines := importProblems(t, db, d.String(), orgio.Options{}); !contains(lines, `channels: version 1 files have no channels: write "version": 2`) {
		t.Errorf("version 1 with channels: %q", lines)
	}
	sameCounts(t, before, counts(t, db))
}
