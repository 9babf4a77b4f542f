package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// switcherEntries is the organization switcher of a page, one line per
// entry: "Name|Role" or "Name|Role|Suspended".
func switcherEntries(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `<details class="dropdown switcher">`)
	if i < 0 {
		t.Fatalf("no organization switcher on the page: %.400s", body)
	}
	menu := body[i:]
	menu = menu[:strings.Index(menu, "</details>")]
	item := regexp.MustCompile(`<li>(.*?)</li>`)
	title := regexp.MustCompile(`dropdown-item-title">([^<]*)<`)
	meta := regexp.MustCompile(`dropdown-item-meta">([^<]*)<`)
	var out []string
	for _, m := range item.FindAllStringSubmatch(menu, -1) {
		tm := title.FindStringSubmatch(m[1])
		if tm == nil {
			continue // "All organizations", "Create new organization"
		}
		e := tm[1]
		if mm := meta.FindStringSubmatch(m[1]); mm != nil {
			e += "|" + mm[1]
		}
		if strings.Contains(m[1], "Suspended") {
			e += "|Suspended"
		}
		out = append(out, e)
	}
	return out
}

// The switcher is cached per user; every change to what it shows must
// appear on the user's very next page: joining, a new role, suspension,
// a renamed organization, leaving.
func TestOrgSwitcherFollowsChanges(t *testing.T) {
	app := testkit.NewApp(t)
	ada := app.CreateUser("ada@example.com", "Ada", pw)
	app.CreateOrg("Acme Ltd", "acme", nil, ada)
	bob := app.CreateUser("bob@example.com", "Bob", pw)
	globex := app.CreateOrg("Globex", "globex", nil, bob)

	c := app.LoginAs("ada@example.com", pw)
	expect := func(step string, want ...string) {
		t.Helper()
		r := c.Get("/o/acme")
		if r.Status != 200 {
			t.Fatalf("%s: dashboard %d", step, r.Status)
		}
		if got := switcherEntries(t, r.Body); strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Fatalf("%s: switcher shows %q, want %q", step, got, want)
		}
	}
	expect("start", "Acme Ltd|Owner")
	expect("cached", "Acme Ltd|Owner")

	m := app.AddMember(globex, ada, access.RoleAgent)
	expect("joined Globex", "Acme Ltd|Owner", "Globex|Agent")

	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, globex.ID, m.ID, access.RoleManager)
	})
	expect("role changed", "Acme Ltd|Owner", "Globex|Manager")

	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetStatus(ctx, globex.ID, m.ID, "suspended") })
	expect("suspended", "Acme Ltd|Owner", "Globex|Manager|Suspended")

	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET name = 'Globex Corp' WHERE id = ?`, globex.ID)
		return err
	})
	expect("renamed", "Acme Ltd|Owner", "Globex Corp|Manager|Suspended")

	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.RemoveMember(ctx, globex.ID, m.ID) })
	expect("removed", "Acme Ltd|Owner")
}
