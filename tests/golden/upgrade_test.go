package golden_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
)

// The part-one release's demo database (internal/store/testdata/README.md),
// opened by this code, migrates and then answers the same `access` and
// `export` as a database seeded today: the golden fixtures.
//
// One difference is expected and asserted instead: migration 0008 leaves
// accounts made before it unverified, while today's demo seed marks its
// accounts verified. Neither output shows verification, so the fixtures
// still apply byte for byte.
//
// The demo gained service teams after part one (a supervisor, teams, their
// members and the customers they own) and then channels and conversations
// (the export carries the channels): demo.AddTeams adds exactly that to
// the upgraded database before it is compared, so the rest must match.
func TestUpgradePartOne(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "store", "testdata", "part-one.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "part-one.db")
	// Part one left its database under the umask.
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open the part-one database: %v", err)
	}
	got, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range demo.Logins() {
		if l.Email == demo.SupervisorEmail { // added with teams, below
			continue
		}
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatalf("%s: %v", l.Email, err)
		}
		if u.Verified() {
			t.Errorf("%s is verified after the upgrade; accounts from before migration 0008 start unverified", l.Email)
		}
	}
	if err := demo.AddTeams(ctx, db); err != nil {
		t.Fatalf("add the demo's teams to the upgraded database: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		st, err := os.Stat(path + suffix)
		if errors.Is(err, fs.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s%s has mode %o after open, want 600", filepath.Base(path), suffix, mode)
		}
	}

	// The newest version is the one a new database gets.
	fresh, err := store.Open(ctx, copyDemoDB(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.SchemaVersion(ctx)
	if err == nil {
		u, uerr := fresh.UserByEmail(ctx, demo.OwnerEmail)
		if uerr != nil || !u.Verified() {
			t.Errorf("today's demo owner: verified %v, %v; the difference asserted above is gone", u.Verified(), uerr)
		}
	}
	fresh.Close()
	if err != nil || got != want || got < 10 {
		t.Fatalf("part-one database at version %d after open, a new one at %d (%v)", got, want, err)
	}

	for _, org := range demoOrgs {
		for _, l := range demo.Logins() {
			name := "access/" + org + "/" + l.Email
			r := gatehouse(t, ".", "access", "--org", org, "--user", l.Email, "--db", path)
			if l.Org == org {
				sameAsFixture(t, name+".json", r.stdout, r)
			} else {
				sameAsFixture(t, name+".txt", []byte(r.String()), r)
			}
		}
		r := gatehouse(t, ".", "export", "--org", org, "--db", path)
		sameAsFixture(t, "export/"+org+".json", r.stdout, r)
	}
}

// sameAsFixture compares got with testdata/name; it never writes (the
// fixtures are recorded from today's seed, not from the upgrade).
func sameAsFixture(t *testing.T, name string, got []byte, r result) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	if msg := diff(want, got); msg != "" {
		t.Errorf("upgraded part-one database: %s differs from the fixture (exit %d, stderr %q):\n%s", name, r.code, r.stderr, msg)
	}
}
