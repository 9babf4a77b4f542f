package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
)

// demoFile seeds the demo into a new database file and returns its path.
func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), db, "http://localhost:8080", &out); err != nil {
		t.Fatal(err)
	}
	return path
}

func exportCLI(t *testing.T, dbPath, slug string) string {
	t.Helper()
	r := runTool(t, nil, "export", "--org", slug, "--db", dbPath)
	if r.err != nil {
		t.Fatalf("export: %v\n%s", r.err, r.errOut)
	}
	return r.out
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "access.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	src := demoFile(t)
	for _, slug := range []string{"acme", "globex"} {
		first := exportCLI(t, src, slug)
		file := writeFile(t, first)

		r := runTool(t, nil, "import", "--file", file, "--db", src)
		if r.err != nil || r.out != slug+" already matches "+file+": no changes\n" {
			t.Fatalf("re-import: %v\n%s%s", r.err, r.out, r.errOut)
		}
		if again := exportCLI(t, src, slug); again != first {
			t.Fatalf("%s: export changed after re-import", slug)
		}

		// Into a database that does not exist yet: it is created.
		dst := filepath.Join(t.TempDir(), "fresh", "g.db")
		r = runTool(t, map[string]string{"GATEHOUSE_DB": dst}, "import", "--file", file)
		if r.err != nil || !strings.HasPrefix(r.out, "create organization "+slug+" ") || !strings.Contains(r.out, "\nimported "+slug+": ") {
			t.Fatalf("import into a new database: %v\n%s%s", r.err, r.out, r.errOut)
		}
		if second := exportCLI(t, dst, slug); second != first {
			t.Fatalf("%s: export → import → export differs:\n%s\n---\n%s", slug, first, second)
		}
	}
}

func TestExportErrors(t *testing.T) {
	src := demoFile(t)
	r := runTool(t, nil, "export", "--org", "nope", "--db", src)
	if r.err == nil || r.err.Error() != `no organization with slug "nope"` || r.out != "" {
		t.Errorf("unknown org: %v / %q", r.err, r.out)
	}
	r = runTool(t, nil, "export", "--db", src)
	var ue usageError
	if !errors.As(r.err, &ue) || !strings.Contains(r.err.Error(), "--org is required") {
		t.Errorf("missing --org: %v", r.err)
	}
	r = runTool(t, nil, "export", "--org", "acme", "--db", src, "--format", "yaml")
	if !errors.As(r.err, &ue) || !strings.Contains(r.errOut, "flag provided but not defined: -format") {
		t.Errorf("unknown flag: %v / %q", r.err, r.errOut)
	}
}

const cliBadDoc = `{
  "version": 1,
  "organization": {"name": "Acme Health", "slug": "acme", "products": ["crm", "inbox", "finance", "medical"], "seats": 25},
  "groups": [
    {"name": "Night shift", "description": "", "permissions": {"customers": {"actions": ["view", "edit"], "flags": {"canAccessAll": false}}}},
    {"name": "Ghost", "description": "", "permissions": {"ghosts": {"actions": ["view"]}}}
  ],
  "members": [
    {"email": "owner@acme.test", "name": "Olivia Bennett", "role": "owner", "status": "active", "groups": [], "custom": null},
    {"email": "agent@acme.test", "name": "Alex Morgan", "role": "agent", "status": "active", "groups": ["Night shift"], "custom": null},
    {"email": "bob@acme", "name": "Bob", "role": "agent", "status": "active", "groups": [], "custom": null},
    {"email": "eve@acme.test", "name": "Eve", "role": "agnet", "status": "active", "groups": ["Night Owls"], "custom": null}
  ]
}
`

// Several problems at once, each with its path on stderr; exit 1 (not a
// usage error); nothing written, with or without --dry-run.
func TestImportErrorsWriteNothing(t *testing.T) {
	src := demoFile(t)
	before := exportCLI(t, src, "acme")
	file := writeFile(t, cliBadDoc)
	want := "groups[1].permissions.ghosts: unknown module \"ghosts\"\n" +
		"members[2].email: \"bob@acme\" is not a valid email address (like name@example.com)\n" +
		"members[3].role: unknown role \"agnet\" (roles: owner, admin, manager, financial, sales, supervisor, agent, agent_limited, medical_doctor, medical_assistant)\n" +
		"members[3].groups[0]: unknown group \"Night Owls\": define it in \"groups\"\n"
	for _, extra := range [][]string{nil, {"--dry-run"}} {
		r := runTool(t, nil, append([]string{"import", "--file", file, "--db", src}, extra...)...)
		var ue usageError
		if r.err == nil || errors.As(r.err, &ue) {
			t.Fatalf("%v: err %v", extra, r.err)
		}
		if r.errOut != want {
			t.Errorf("%v: stderr\n%s\nwant\n%s", extra, r.errOut, want)
		}
		if !strings.Contains(r.err.Error(), "4 problems in the file; nothing was written") || r.out != "" {
			t.Errorf("%v: err %v, stdout %q", extra, r.err, r.out)
		}
		if after := exportCLI(t, src, "acme"); after != before {
			t.Fatalf("%v: a failed import changed the database", extra)
		}
	}
	// Into a database that does not exist: no database is left behind.
	missing := filepath.Join(t.TempDir(), "new.db")
	r := runTool(t, nil, "import", "--file", file, "--db", missing)
	if r.err == nil || !strings.Contains(r.errOut, `members[3].role: unknown role "agnet"`) {
		t.Fatalf("bad file into a new database: %v / %q", r.err, r.errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("a failed import created the database")
	}
}

func TestImportDryRunCLI(t *testing.T) {
	src := demoFile(t)
	before := exportCLI(t, src, "acme")
	changed := strings.Replace(before, "\"email\": \"sales@acme.test\",\n      \"name\": \"Sofia Ramirez\",\n      \"role\": \"sales\"",
		"\"email\": \"sales@acme.test\",\n      \"name\": \"Sofia Ramirez\",\n      \"role\": \"agent\"", 1)
	if changed == before {
		t.Fatal("test document not changed")
	}
	file := writeFile(t, changed)
	r := runTool(t, map[string]string{"GATEHOUSE_DRY_RUN": "true"}, "import", "--file", file, "--db", src)
	want := "update member sales@acme.test: role sales → agent\ndry run: 1 change for acme; nothing was written\n"
	if r.err != nil || r.out != want {
		t.Fatalf("dry run: %v\n%q\nwant %q", r.err, r.out, want)
	}
	if exportCLI(t, src, "acme") != before {
		t.Fatal("dry run wrote to the database")
	}
	r = runTool(t, nil, "import", "--file", file, "--db", src)
	if r.err != nil || r.out != "update member sales@acme.test: role sales → agent\nimported acme: 1 change\n" {
		t.Fatalf("import: %v\n%q", r.err, r.out)
	}
	if exportCLI(t, src, "acme") != changed {
		t.Fatal("export after import is not the imported file")
	}

	// A dry run against a database that does not exist plans against an empty
	// one and does not create it.
	missing := filepath.Join(t.TempDir(), "none.db")
	r = runTool(t, nil, "import", "--file", file, "--db", missing, "--dry-run")
	if r.err != nil || !strings.HasPrefix(r.out, `create organization acme "Acme Health"`) || !strings.HasSuffix(r.out, "nothing was written\n") {
		t.Fatalf("dry run on a new database: %v\n%s%s", r.err, r.out, r.errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("dry run created the database file")
	}
}

func TestImportUsageErrors(t *testing.T) {
	var ue usageError
	r := runTool(t, nil, "import")
	if !errors.As(r.err, &ue) || r.err.Error() != "--file is required (or GATEHOUSE_FILE)" {
		t.Errorf("missing --file: %v", r.err)
	}
	r = runTool(t, nil, "import", "--file", filepath.Join(t.TempDir(), "nope.json"))
	if r.err == nil || !strings.Contains(r.err.Error(), "read --file") {
		t.Errorf("missing file: %v", r.err)
	}
	r = runTool(t, nil, "import", "--file", "x.json", "--dryrun")
	if !errors.As(r.err, &ue) || !strings.Contains(r.errOut, "flag provided but not defined: -dryrun") {
		t.Errorf("unknown flag: %v / %q", r.err, r.errOut)
	}
	r = runTool(t, map[string]string{"GATEHOUSE_DRY_RUN": "maybe"}, "import", "--file", "x.json")
	if !errors.As(r.err, &ue) || !strings.Contains(r.err.Error(), "GATEHOUSE_DRY_RUN") {
		t.Errorf("bad env value: %v", r.err)
	}
}
