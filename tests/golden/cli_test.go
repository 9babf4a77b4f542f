package golden_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/internal/demo"
)

// demoOrgs are the demo organizations, plus a slug that does not exist.
var demoOrgs = []string{demo.OrgSlug, demo.OtherOrgSlug}

// `gatehouse access` for every demo account in every demo organization:
// the JSON of each member (testdata/access/ORG/EMAIL.json) and the error of
// each account that is not a member there (EMAIL.txt: exit code and stderr).
func TestGoldenAccess(t *testing.T) {
	var names []string
	for _, org := range demoOrgs {
		for _, l := range demo.Logins() {
			name := "access/" + org + "/" + l.Email
			r := gatehouse(t, ".", "access", "--org", org, "--user", l.Email, "--db", demoDB)
			if l.Org == org {
				name += ".json"
				if r.code != 0 || len(r.stderr) > 0 {
					t.Errorf("access --org %s --user %s: %s", org, l.Email, r)
				} else {
					fixture(t, name, r.stdout)
				}
			} else {
				name += ".txt"
				if len(r.stdout) > 0 {
					t.Errorf("access --org %s --user %s (not a member) printed on stdout:\n%s", org, l.Email, r.stdout)
				}
				fixture(t, name, []byte(r.String()))
			}
			names = append(names, name)
		}
	}
	// Lookups that fail: no such organization, no such user.
	for _, c := range []struct{ name, org, user string }{
		{"access/no-such-org.txt", "no-such-org", demo.OwnerEmail},
		{"access/no-such-user.txt", demo.OrgSlug, "nobody@acme.test"},
	} {
		r := gatehouse(t, ".", "access", "--org", c.org, "--user", c.user, "--db", demoDB)
		fixture(t, c.name, []byte(r.String()))
		names = append(names, c.name)
	}
	orphans(t, "access", names)
}

// `gatehouse export` of every demo organization (testdata/export/ORG.json).
func TestGoldenExport(t *testing.T) {
	var names []string
	for _, org := range demoOrgs {
		name := "export/" + org + ".json"
		r := gatehouse(t, ".", "export", "--org", org, "--db", demoDB)
		if r.code != 0 || len(r.stderr) > 0 {
			t.Errorf("export --org %s: %s", org, r)
			continue
		}
		fixture(t, name, r.stdout)
		names = append(names, name)
	}
	r := gatehouse(t, ".", "export", "--org", "no-such-org", "--db", demoDB)
	fixture(t, "export/no-such-org.txt", []byte(r.String()))
	names = append(names, "export/no-such-org.txt")
	orphans(t, "export", names)
}

// `gatehouse import` of every bad file in testdata/import/bad/ into a copy
// of the demo database: the exit code and stderr of each
// (testdata/import/errors/NAME.txt), and the database left unchanged (its
// export before and after is the same).
func TestGoldenImportErrors(t *testing.T) {
	dir := filepath.Join("testdata", "import", "bad")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 10 {
		t.Fatalf("only %d bad import files in %s", len(entries), dir)
	}
	var names []string
	for _, e := range entries {
		file := e.Name()
		base := strings.TrimSuffix(file, filepath.Ext(file))
		name := "import/errors/" + base + ".txt"
		names = append(names, name)
		t.Run(base, func(t *testing.T) {
			db := copyDemoDB(t)
			before := exportAll(t, db)
			// Relative to dir, so that the path in the messages is the file's name.
			r := gatehouse(t, dir, "import", "--file", file, "--db", db)
			if r.code == 0 {
				t.Errorf("import %s succeeded:\n%s", file, r.stdout)
			}
			if len(r.stdout) > 0 {
				t.Errorf("import %s printed on stdout:\n%s", file, r.stdout)
			}
			fixture(t, name, []byte(r.String()))
			if after := exportAll(t, db); after != before {
				t.Errorf("import %s changed the database: %s", file, diff([]byte(before), []byte(after)))
			}
		})
	}
	// A command line without a file, and a file that is not there.
	for _, c := range []struct {
		name string
		args []string
	}{
		{"import/errors/no-file-flag.txt", nil},
		{"import/errors/missing-file.txt", []string{"--file", "missing.json"}},
	} {
		r := gatehouse(t, dir, append([]string{"import", "--db", copyDemoDB(t)}, c.args...)...)
		fixture(t, c.name, []byte(r.String()))
		names = append(names, c.name)
	}
	orphans(t, "import/errors", names) // the bad files themselves are inputs
}

// exportAll is the export of every demo organization, for "nothing changed".
func exportAll(t *testing.T, db string) string {
	t.Helper()
	var b strings.Builder
	for _, org := range demoOrgs {
		r := gatehouse(t, ".", "export", "--org", org, "--db", db)
		b.Write(r.stdout)
		b.WriteString(r.String())
	}
	return b.String()
}
