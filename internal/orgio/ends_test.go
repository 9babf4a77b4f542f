package orgio_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
)

// The ends of a member's grants go out with the export and come back with
// the import; a bad one is refused by its JSON path with nothing written;
// the access report lists them.
func TestGrantEndsRoundTrip(t *testing.T) {
	db := demoDB(t)
	db.SetClock(func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) })
	doc := export(t, db, demo.OrgSlug)
	agent := "\"email\": \"agent@acme.test\","
	i := strings.Index(doc, agent)
	if i < 0 {
		t.Fatal("no agent in the export")
	}
	tail := doc[i:]
	j := strings.Index(tail, "\"group_expires\": {},\n      \"custom_expires\": null,\n      \"role_until\": null")
	if j < 0 {
		t.Fatalf("the agent has no ends keys:\n%s", tail[:400])
	}
	stated := "\"group_expires\": {\"Night shift\": \"2026-12-31T00:00:00Z\"},\n      \"custom_expires\": null,\n" +
		"      \"role_until\": {\"at\": \"2026-12-24T18:00:00Z\", \"then\": \"agent_limited\"}"
	withEnds := doc[:i] + tail[:j] + stated + tail[j+len("\"group_expires\": {},\n      \"custom_expires\": null,\n      \"role_until\": null"):]
	before := counts(t, db)
	past := strings.Replace(withEnds, "2026-12-31T00:00:00Z", "2026-11-30T00:00:00Z", 1)
	if ps := importProblems(t, db, past, orgio.Options{}); !containsPrefix(ps, ".group_expires.Night shift: 2026-11-30T00:00:00Z is not in the future") {
		t.Errorf("a past end: %q", ps)
	}
	unreadable := strings.Replace(withEnds, "2026-12-24T18:00:00Z", "Christmas eve", 1)
	if ps := importProblems(t, db, unreadable, orgio.Options{}); !containsPrefix(ps, ".role_until.at: expected a time in UTC to the second") {
		t.Errorf("an unreadable end: %q", ps)
	}
	sameCounts(t, before, counts(t, db))
	if got := export(t, db, demo.OrgSlug); got != doc {
		t.Fatal("a refused import wrote")
	}
	mustImport(t, db, withEnds, orgio.Options{})
	out := export(t, db, demo.OrgSlug)
	if !strings.Contains(out, stated) {
		t.Fatalf("the export after the import lacks the ends:\n%s", out)
	}
	if again := mustImport(t, db, out, orgio.Options{}); len(again.Changes) != 0 {
		t.Errorf("importing the export again changes %q", again.Changes)
	}
	rep, err := orgio.Access(ctx, db, demo.OrgSlug, "agent@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Expires["group:Night shift"] != "2026-12-31T00:00:00Z" || rep.Expires["role"] != "2026-12-24T18:00:00Z" || len(rep.Expires) != 2 {
		t.Errorf("access expires: %v", rep.Expires)
	}
	// Without the keys, the ends go.
	mustImport(t, db, doc, orgio.Options{})
	if got := export(t, db, demo.OrgSlug); got != doc {
		t.Error("an import without ends left some")
	}
}

func containsPrefix(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}
