package orgio_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
)

var ctx = context.Background()

func openDB(t *testing.T) *store.Store {
	t.Helper()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func demoDB(t *testing.T) *store.Store {
	t.Helper()
	db := openDB(t)
	var out bytes.Buffer
	if err := demo.Seed(ctx, db, "http://localhost:8080", &out); err != nil {
		t.Fatal(err)
	}
	return db
}

func export(t *testing.T, db *store.Store, slug string) string {
	t.Helper()
	c, err := orgio.Export(ctx, db, slug)
	if err != nil {
		t.Fatalf("export %s: %v", slug, err)
	}
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustImport(t *testing.T, db *store.Store, doc string, opts orgio.Options) orgio.Result {
	t.Helper()
	res, err := orgio.Import(ctx, db, []byte(doc), opts)
	if err != nil {
		if ps := orgio.Problems(err); ps != nil {
			t.Fatalf("import: %v\n%s", err, problemLines(ps))
		}
		t.Fatalf("import: %v", err)
	}
	return res
}

// importAsPlanned dry-runs doc (which must write nothing), then imports it
// as actor; both must list exactly the changes want.
func importAsPlanned(t *testing.T, db *store.Store, doc, actor string, want []string) {
	t.Helper()
	before := counts(t, db)
	dry := mustImport(t, db, doc, orgio.Options{DryRun: true})
	sameCounts(t, before, counts(t, db))
	if !slices.Equal(dry.Changes, want) {
		t.Errorf("dry run changes:\n%s\nwant\n%s", strings.Join(dry.Changes, "\n"), strings.Join(want, "\n"))
	}
	if res := mustImport(t, db, doc, orgio.Options{Actor: actor}); !slices.Equal(res.Changes, want) {
		t.Errorf("changes %q", res.Changes)
	}
}

// importProblems runs an import that must fail and returns its problems.
func importProblems(t *testing.T, db *store.Store, doc string, opts orgio.Options) []string {
	t.Helper()
	_, err := orgio.Import(ctx, db, []byte(doc), opts)
	ps := orgio.Problems(err)
	if len(ps) == 0 {
		t.Fatalf("import: want problems, got %v", err)
	}
	return strings.Split(problemLines(ps), "\n")
}

func problemLines(problems []error) string {
	var lines []string
	for _, p := range problems {
		lines = append(lines, p.Error())
	}
	return strings.Join(lines, "\n")
}

// counts returns row counts of the tables an import may touch.
func counts(t *testing.T, db *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	users, err := db.CountUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out["users"] = users
	for _, slug := range []string{demo.OrgSlug, demo.OtherOrgSlug, "newco"} {
		snap, err := db.OrgSnapshot(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[slug+".groups"] = len(snap.Groups)
		out[slug+".members"] = len(snap.Members)
		out[slug+".teams"] = len(snap.Teams)
		out[slug+".channels"] = len(snap.Channels)
		for _, ch := range snap.Channels {
			out[slug+".channel_teams"] += len(ch.Teams)
			if ch.Archived() {
				out[slug+".archived_channels"]++
			}
		}
		for _, m := range snap.Members {
			out[slug+".team_members"] += len(m.Teams)
			for _, mt := range m.Teams {
				if mt.Lead {
					out[slug+".leads"]++
				}
			}
		}
		out[slug+".version"] = int(snap.Org.PermVersion)
		log, err := db.AuditLog(ctx, snap.Org.ID, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out[slug+".audit"] = len(log)
	}
	return out
}

func sameCounts(t *testing.T, before, after map[string]int) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("tables changed: %v → %v", before, after)
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %d → %d", k, v, after[k])
		}
	}
}

// replace edits a document and fails when old is not in it.
func replace(t *testing.T, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("document has no %q", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
