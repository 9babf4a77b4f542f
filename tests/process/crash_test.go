package process_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

// Crash safety (ARCHITECTURE.md, Storage): the real binary serves an organization seeded
// by `gatehouse import`; several goroutines write through the owner's
// session (invites, group grid edits, group creations, customer creations,
// individual permission saves), each write carrying a unique marker; the
// process is killed with SIGKILL at a random moment, restarted, and the
// database must pass integrity_check and foreign_key_check and hold every
// write that was answered with success. Three kill/restart rounds on the
// same database.

const (
	crashOwner    = "owner@crash.test"
	crashPassword = "crash-test-owner-pw-1"
	crashRounds   = 3
)

// crashKinds is what each worker writes (one worker per entry).
var crashKinds = []string{"invite", "group-edit", "customer", "group-create", "member-perms", "group-edit"}

// Sets the group editors and permission savers alternate between: every
// save changes something, so each committed save leaves one audit entry.
var (
	crashGroupSets  = [][]string{{"dashboard_view", "customers_view", "customers_edit"}, {"dashboard_view", "chats_view"}}
	crashMemberSets = [][]string{{"dashboard_view", "customers_view"}, {"dashboard_view", "chats_view", "chats_create"}, {"dashboard_view", "reports_view"}}
)

// crashLedger records what was sent and what was acknowledged, across rounds.
type crashLedger struct {
	mu sync.Mutex
	// Writes that create a row with a unique marker: kind → markers.
	created map[string][]string
	// Overwrites of one row per worker (group edits, permission saves):
	// acknowledged and attempted counts, and the sequence numbers of the
	// last acknowledged and last attempted write (-1 = none).
	acked, attempted   map[int]int
	lastAck, lastTried map[int]int
	total              int // acknowledged writes in the current round

	inflight atomic.Int64 // requests sent and not yet answered
}

func newCrashLedger() *crashLedger {
	return &crashLedger{created: map[string][]string{}, acked: map[int]int{}, attempted: map[int]int{},
		lastAck: map[int]int{}, lastTried: map[int]int{}}
}

func (l *crashLedger) ackCreate(kind, marker string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created[kind] = append(l.created[kind], marker)
	l.total++
}

func (l *crashLedger) try(w, seq int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempted[w]++
	l.lastTried[w] = seq
}

func (l *crashLedger) ack(w, seq int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked[w]++
	l.lastAck[w] = seq
	l.total++
}

func (l *crashLedger) acks() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// crashSeed is what the import created: ids the workers write to.
type crashSeed struct {
	orgID    int64
	groupIDs map[int]int64 // worker → its "Crash wN" group
	members  map[int]int64 // worker → its "mN@crash.test" membership
}

func TestSIGKILLDuringConcurrentAdminWritesLosesNothingAcknowledged(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "gatehouse.db")
	seed := crashImport(t, dir, dbPath)
	ledger := newCrashLedger()
	for w := range crashKinds {
		ledger.lastAck[w], ledger.lastTried[w] = -1, -1
	}
	seq := map[int]int{} // per worker, across rounds: sequence numbers never repeat

	for round := range crashRounds {
		s := start(t, dir)
		c := crashLogin(t, s.url)
		token := csrf(t, c, s.url)
		ledger.mu.Lock()
		ledger.total = 0
		ledger.mu.Unlock()

		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w, kind := range crashKinds {
			first := seq[w]
			wg.Add(1)
			go func() {
				defer wg.Done()
				crashWorker(s.url, c, token, round, w, kind, first, seed, ledger, stop)
			}()
		}
		// Kill at a random moment: after a random number of acknowledged
		// writes, or after a bounded time on a busy machine, plus jitter.
		want := 30 + rand.IntN(150)
		deadline := time.Now().Add(15 * time.Second)
		for ledger.acks() < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(100)) * time.Millisecond)
		inflight := ledger.inflight.Load()
		if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-s.done
		close(stop)
		wg.Wait()
		got := ledger.acks()
		if got < 5 {
			t.Fatalf("round %d: only %d acknowledged writes before the kill: the test proves nothing\n%s", round, got, s.logs.String())
		}
		for w := range crashKinds {
			seq[w] = ledger.lastTried[w] + 1
		}
		crashVerify(t, dbPath, seed, ledger, round)
		if t.Failed() {
			t.FailNow()
		}
		t.Logf("round %d: killed after %d acknowledged writes (aimed at %d) with %d in flight; all present, integrity ok", round, got, want, inflight)
	}

	// The binary starts again on the database and serves the organization.
	s := start(t, dir)
	c := crashLogin(t, s.url)
	res, err := c.Get(s.url + "/o/acme/settings/members")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("members page after the last restart: %v %v", res, err)
	}
	res.Body.Close()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}

// crashImport seeds the database with the CLI import and gives the owner a
// password (imported accounts have none).
func crashImport(t *testing.T, dir, dbPath string) crashSeed {
	t.Helper()
	var groups, members []string
	for w := range crashKinds {
		groups = append(groups, fmt.Sprintf(`{"name": "Crash w%d", "description": "seed", "permissions": {"dashboard": {"actions": ["view"]}}}`, w))
		members = append(members, fmt.Sprintf(`{"email": "m%d@crash.test", "name": "Member %d", "role": "agent", "status": "active", "groups": [], "custom": null}`, w, w))
	}
	members = append(members, `{"email": "`+crashOwner+`", "name": "Crash Owner", "role": "owner", "status": "active", "groups": [], "custom": null}`)
	doc := `{"version": 1, "organization": {"name": "Crash Ltd", "slug": "acme", "products": ["crm", "inbox"], "seats": 100000},
		"groups": [` + strings.Join(groups, ",") + `], "members": [` + strings.Join(members, ",") + `]}`
	file := filepath.Join(dir, "acme.json")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "import", "--file", file, "--db", dbPath)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner, err := db.UserByEmail(ctx, crashOwner)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := password.Hash(crashPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(ctx, owner.ID, hash, ""); err != nil {
		t.Fatal(err)
	}
	org, err := db.OrgBySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	seed := crashSeed{orgID: org.ID, groupIDs: map[int]int64{}, members: map[int]int64{}}
	gs, err := db.Groups(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for w := range crashKinds {
		for _, g := range gs {
			if g.Name == fmt.Sprintf("Crash w%d", w) {
				seed.groupIDs[w] = g.ID
			}
		}
		u, err := db.UserByEmail(ctx, fmt.Sprintf("m%d@crash.test", w))
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.MembershipOfUser(ctx, org.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		seed.members[w] = m.ID
	}
	return seed
}

func crashLogin(t *testing.T, base string) *http.Client {
	t.Helper()
	c := noRedirectClient()
	token := csrf(t, c, base)
	res, err := c.PostForm(base+"/login", url.Values{"_csrf": {token}, "email": {crashOwner}, "password": {crashPassword}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/o/acme" { // the one organization's dashboard
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

// crashWorker writes until stop or until the server dies. A write counts as
// acknowledged only when answered with the success redirect.
func crashWorker(base string, c *http.Client, token string, round, w int, kind string, first int,
	seed crashSeed, l *crashLedger, stop <-chan struct{}) {
	for i := first; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		form := url.Values{"_csrf": {token}}
		var path, wantLoc, marker string
		overwrite := false
		switch kind {
		case "invite":
			marker = fmt.Sprintf("inv-r%d-w%d-%d@crash.test", round, w, i)
			path, wantLoc = "/o/acme/settings/members/invite", "/o/acme/settings/members"
			form.Set("email", marker)
			form.Set("role", "agent")
		case "customer":
			marker = fmt.Sprintf("cust r%d w%d %d", round, w, i)
			path, wantLoc = "/o/acme/customers", "/o/acme/customers/"
			form.Set("name", marker)
		case "group-create":
			marker = fmt.Sprintf("new r%d w%d %d", round, w, i)
			path, wantLoc = "/o/acme/settings/groups", "/o/acme/settings/groups/"
			form.Set("name", marker)
			form["perm"] = []string{"dashboard_view", "chats_view"}
		case "group-edit":
			overwrite = true
			path = fmt.Sprintf("/o/acme/settings/groups/%d", seed.groupIDs[w])
			wantLoc = path
			form.Set("name", fmt.Sprintf("Crash w%d", w))
			form.Set("description", fmt.Sprintf("seq %d", i))
			form["perm"] = crashGroupSets[i%len(crashGroupSets)]
		case "member-perms":
			overwrite = true
			path = fmt.Sprintf("/o/acme/settings/members/%d/permissions", seed.members[w])
			wantLoc = path
			form["perm"] = crashMemberSets[i%len(crashMemberSets)]
		}
		if overwrite {
			l.try(w, i)
		}
		l.inflight.Add(1)
		res, err := c.PostForm(base+path, form)
		l.inflight.Add(-1)
		if err != nil {
			return // the server died
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), wantLoc) {
			continue
		}
		if overwrite {
			l.ack(w, i)
		} else {
			l.ackCreate(kind, marker)
		}
	}
}

// crashVerify opens the database the killed process left behind.
func crashVerify(t *testing.T, dbPath string, seed crashSeed, l *crashLedger, round int) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatalf("round %d: open after SIGKILL: %v", round, err)
	}
	defer db.Close()
	if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("round %d: integrity_check: %q %v", round, res, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err = db.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			return err
		}
		bad := rows.Next()
		rows.Close()
		if bad {
			t.Errorf("round %d: foreign_key_check reports rows", round)
		}
		count := func(q string, args ...any) int {
			var n int
			if err := tx.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		for _, email := range l.created["invite"] {
			if n := count(`SELECT COUNT(*) FROM invites WHERE org_id = ? AND email = ?`, seed.orgID, email); n != 1 {
				t.Errorf("round %d: acknowledged invite %s: %d rows", round, email, n)
			}
		}
		for _, name := range l.created["customer"] {
			if n := count(`SELECT COUNT(*) FROM customers WHERE org_id = ? AND name = ?`, seed.orgID, name); n != 1 {
				t.Errorf("round %d: acknowledged customer %q: %d rows", round, name, n)
			}
		}
		for _, name := range l.created["group-create"] {
			var perms string
			err := tx.QueryRow(ctx, `SELECT permissions FROM groups WHERE org_id = ? AND name = ?`, seed.orgID, name).Scan(&perms)
			if err != nil {
				t.Errorf("round %d: acknowledged group %q: %v", round, name, err)
			} else if !strings.Contains(perms, `"chats"`) {
				t.Errorf("round %d: group %q lost its grid: %s", round, name, perms)
			}
		}
		for w, kind := range crashKinds {
			switch kind {
			case "group-edit":
				var desc, perms string
				if err := tx.QueryRow(ctx, `SELECT description, permissions FROM groups WHERE id = ?`, seed.groupIDs[w]).Scan(&desc, &perms); err != nil {
					return err
				}
				n := count(`SELECT COUNT(*) FROM audit_log WHERE org_id = ? AND action = 'group.update' AND target = ?`,
					seed.orgID, fmt.Sprintf("group Crash w%d", w))
				crashCheckOverwrite(t, round, fmt.Sprintf("group Crash w%d", w), l, w, n, func(seq int) bool {
					// The description and the grid were written in one
					// transaction: both belong to the same save.
					return desc == fmt.Sprintf("seq %d", seq) && sameSet(t, perms, crashGroupSets[seq%len(crashGroupSets)])
				}, desc == "seed")
			case "member-perms":
				var custom sql.NullString
				if err := tx.QueryRow(ctx, `SELECT custom_permissions FROM memberships WHERE id = ?`, seed.members[w]).Scan(&custom); err != nil {
					return err
				}
				n := count(`SELECT COUNT(*) FROM audit_log WHERE org_id = ? AND action = 'member.custom' AND target = ?`,
					seed.orgID, fmt.Sprintf("m%d@crash.test", w))
				crashCheckOverwrite(t, round, fmt.Sprintf("m%d's individual permissions", w), l, w, n, func(seq int) bool {
					return custom.Valid && sameSet(t, custom.String, crashMemberSets[seq%len(crashMemberSets)])
				}, !custom.Valid)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("round %d: verify: %v", round, err)
	}
}

// crashCheckOverwrite: the row holds the last acknowledged save or the one
// in flight at the kill (never an older one), and the audit log has one
// entry per committed save: at least the acknowledged ones, at most the
// attempted ones.
func crashCheckOverwrite(t *testing.T, round int, what string, l *crashLedger, w, audits int, holds func(seq int) bool, initial bool) {
	t.Helper()
	if audits < l.acked[w] || audits > l.attempted[w] {
		t.Errorf("round %d: %s: %d audit entries, but %d saves were acknowledged and %d attempted", round, what, audits, l.acked[w], l.attempted[w])
	}
	switch {
	case l.lastAck[w] >= 0 && holds(l.lastAck[w]):
	case l.lastTried[w] > l.lastAck[w] && holds(l.lastTried[w]): // the save in flight at the kill landed
	case l.lastAck[w] < 0 && initial: // nothing acknowledged yet
	default:
		t.Errorf("round %d: %s does not hold the last acknowledged save (seq %d; last attempted %d)", round, what, l.lastAck[w], l.lastTried[w])
	}
}

// sameSet compares a stored permission set with the named permissions.
func sameSet(t *testing.T, stored string, names []string) bool {
	t.Helper()
	got, errs := access.DecodeSet([]byte(stored), "stored")
	if len(errs) > 0 {
		t.Errorf("stored set %s: %v", stored, errors.Join(errs...))
		return false
	}
	want, err := access.ParsePermissions(names...)
	if err != nil {
		t.Fatal(err)
	}
	return got == want
}
