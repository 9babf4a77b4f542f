package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// gatehouse admin --email grants instance admin to an existing account;
// an unknown address exits 1 with a message on stderr and changes nothing.
func TestAdminCommand(t *testing.T) {
	d := newToolDB(t)
	ctx := context.Background()
	u, err := d.db.CreateUser(ctx, "ops@example.com", "Ops Person", "")
	if err != nil {
		t.Fatal(err)
	}
	// A plain error (not a usage error): main prints "gatehouse: …" on stderr and exits 1.
	r := runTool(t, nil, "admin", "--email", "nobody@example.com", "--db", d.path)
	var ue usageError
	if r.err == nil || errors.As(r.err, &ue) || !strings.Contains(r.err.Error(), `no account has the address "nobody@example.com"`) {
		t.Fatalf("unknown address: err %v (want a plain error: exit 1)", r.err)
	}
	if n := adminCount(t, d.db); n != 0 {
		t.Fatalf("%d instance admins after a refused grant", n)
	}
	// The flag also reads GATEHOUSE_EMAIL, like every flag.
	r = runTool(t, map[string]string{"GATEHOUSE_EMAIL": "OPS@example.com", "GATEHOUSE_DB": d.path}, "admin")
	if r.err != nil || !strings.Contains(r.out, "ops@example.com (Ops Person) is an instance admin.") {
		t.Fatalf("grant: err %v out %q", r.err, r.out)
	}
	if got, _ := d.db.UserByID(ctx, u.ID); !got.IsInstanceAdmin {
		t.Fatal("the account is not an instance admin")
	}
	if r := runTool(t, nil, "admin", "--db", d.path); !errors.As(r.err, &ue) || !strings.Contains(r.err.Error(), "--email is required") {
		t.Fatalf("no email: %v", r.err)
	}
}

func adminCount(t *testing.T, db *store.Store) int {
	t.Helper()
	var n int
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM users WHERE is_instance_admin = 1`).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var setupLinkRe = regexp.MustCompile(`https?://\S+/setup\?token=([A-Za-z0-9_-]+)`)

// serveOnce starts serve on dbPath, waits until it answers, and returns
// what it printed; the server is stopped before returning.
func serveOnce(t *testing.T, dbPath string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testkit.LogBuffer // read while serve writes them
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath}, func(string) string { return "" }, &out, &errOut)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(errOut.String(), "gatehouse listening") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m := regexp.MustCompile(`url=(\S+)`).FindStringSubmatch(errOut.String()); m != nil {
		if r, err := http.Get(m[1] + "/healthz"); err == nil {
			r.Body.Close()
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if strings.Contains(errOut.String(), "/setup?token=") {
		t.Errorf("the log printed the setup token: %s", errOut.String())
	}
	return out.String()
}

// On a database without an instance admin, serve prints a one-time setup
// link whose token is stored only hashed; a restart replaces it (the old
// one dies); once an admin exists, nothing is printed.
func TestServePrintsSetupLinkUntilAnAdminExists(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "g.db")
	first := setupLinkRe.FindStringSubmatch(serveOnce(t, dbPath))
	if first == nil {
		t.Fatal("serve on an empty database printed no setup link")
	}
	second := setupLinkRe.FindStringSubmatch(serveOnce(t, dbPath))
	if second == nil || second[1] == first[1] {
		t.Fatalf("restart: %v, want a new link", second)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.SetupTokenLive(ctx, session.HashToken(first[1])); ok {
		t.Error("the replaced link still works")
	}
	if ok, _ := db.SetupTokenLive(ctx, session.HashToken(second[1])); !ok {
		t.Error("the newest link does not work")
	}
	if ok, _ := db.SetupTokenLive(ctx, second[1]); ok {
		t.Error("the raw token is stored")
	}
	if _, err := db.CreateUser(ctx, "ops@example.com", "Ops", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GrantInstanceAdmin(ctx, "ops@example.com"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out := serveOnce(t, dbPath); strings.Contains(out, "/setup") {
		t.Fatalf("serve printed a setup link although an admin exists: %q", out)
	}
}

// gatehouse import is the operator's own tool: an existing account in the
// file becomes a member at once (no invitation, no consent step), even
// while its address is unconfirmed.
func TestImportAddsExistingAccountsDirectly(t *testing.T) {
	d := newToolDB(t)
	ctx := context.Background()
	u, err := d.db.CreateUser(ctx, "already@example.com", "Al Ready", "")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(exportCLI(t, d.path, "acme")), &doc); err != nil {
		t.Fatal(err)
	}
	members, _ := doc["members"].([]any)
	doc["members"] = append(members, map[string]any{"email": "already@example.com", "name": "Al Ready", "role": "agent",
		"status": "active", "groups": []string{}, "teams": []string{}, "custom": nil})
	raw, _ := json.Marshal(doc)
	if r := runTool(t, nil, "import", "--file", writeFile(t, string(raw)), "--db", d.path); r.err != nil {
		t.Fatalf("import: %v\n%s%s", r.err, r.out, r.errOut)
	}
	m, err := d.db.MembershipOfUser(ctx, d.org.ID, u.ID)
	if err != nil || m.Role != "agent" || m.Suspended() {
		t.Fatalf("membership after import: %+v %v", m, err)
	}
	var invites int
	d.db.Write(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM invites`).Scan(&invites)
	})
	if invites != 0 {
		t.Fatalf("import created %d invitations", invites)
	}
}

// An import ends by merging the members search's indexes into one segment
// each (a bulk load leaves another segment behind).
func TestImportMergesTheSearchIndexes(t *testing.T) {
	d := newToolDB(t)
	ctx := context.Background()
	var doc map[string]any
	if err := json.Unmarshal([]byte(exportCLI(t, d.path, "acme")), &doc); err != nil {
		t.Fatal(err)
	}
	members, _ := doc["members"].([]any)
	for i := range 30 {
		members = append(members, map[string]any{"email": fmt.Sprintf("bulk%d@example.com", i), "name": fmt.Sprintf("Bulk %d", i),
			"role": "agent", "status": "active", "groups": []string{}, "teams": []string{}, "custom": nil})
	}
	doc["members"] = members
	doc["organization"].(map[string]any)["seats"] = 100
	raw, _ := json.Marshal(doc)
	if r := runTool(t, nil, "import", "--file", writeFile(t, string(raw)), "--db", d.path); r.err != nil {
		t.Fatalf("import: %v\n%s%s", r.err, r.out, r.errOut)
	}
	for _, ix := range []string{"users_search", "member_names_search", "member_emails"} {
		var segs int
		d.db.Write(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(DISTINCT segid) FROM `+ix+`_idx`).Scan(&segs)
		})
		if segs != 1 {
			t.Errorf("%s: %d segments after the import, want 1", ix, segs)
		}
	}
}
