package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/internal/testkit/seedsql"
)

// seedBig fills organization orgID with n members (varied names, roles,
// statuses and activity, spread by hashes so no filter lines up with the
// name order) and g groups, each member in one or two of them,
// directly with SQL in one transaction, then merges the search indexes as
// a bulk import does (Store.OptimizeSearch).
func seedBig(tb testing.TB, app *testkit.App, orgID int64, n, g int) {
	tb.Helper()
	start := time.Now()
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for _, q := range []string{
			`UPDATE organizations SET seats = ?1 + 100 WHERE id = ?2`,
			seedsql.Users(`''`),
			seedsql.Memberships(`u.email LIKE '%@bench.test'`),
			`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?3)
			 INSERT INTO groups (org_id, name, permissions, created_at) SELECT ?2, 'Team ' || i, '{"dashboard":{"actions":["view"]}}', 0 FROM s`,
			`INSERT INTO group_members (group_id, membership_id)
			 SELECT (SELECT MIN(id) FROM groups WHERE org_id = ?2 AND predefined_key IS NULL) + m.id % ?3, m.id
			 FROM memberships m WHERE m.org_id = ?2 AND m.user_email LIKE '%@bench.test'`,
			`INSERT INTO group_members (group_id, membership_id)
			 SELECT (SELECT MIN(id) FROM groups WHERE org_id = ?2 AND predefined_key IS NULL) + (m.id * 7 + 3) % ?3, m.id
			 FROM memberships m WHERE m.org_id = ?2 AND m.user_email LIKE '%@bench.test' AND m.id % 3 = 0`,
		} {
			if _, err := tx.Exec(ctx, q, n, orgID, g); err != nil {
				return err
			}
		}
		return nil
	})
	// As a bulk import ends: the search indexes merged into one segment.
	if err := app.DB.OptimizeSearch(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded %d members and %d groups in %v", n, g, time.Since(start).Round(time.Millisecond))
}

// benchMembers is the size of the benchmarks' organization: 100,000, or
// GATEHOUSE_BENCH_MEMBERS (e.g. 1000000; seeding a million takes minutes).
func benchMembers(tb testing.TB) int {
	n := 100_000
	if v := os.Getenv("GATEHOUSE_BENCH_MEMBERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			tb.Fatalf("GATEHOUSE_BENCH_MEMBERS=%q: want a number of members, at least 1000", v)
		}
	}
	return n
}

// BenchmarkMembersPage times the members page through the real router and
// middleware (auth, permissions, rendering) at 100,000 members (see
// benchMembers) and 500 groups: pages, sorts, every filter and searches,
// each repeated (served from the list cache) and "uncached": just after a
// change, so the page is read from SQLite (whose reader connections then
// start with an empty page cache) and rendered afresh.
func BenchmarkMembersPage(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@big.test", "Big Owner", "bench password 123")
	org := app.CreateOrg("Big Org", "big", []string{"crm", "inbox"}, owner)
	n := benchMembers(b)
	seedBig(b, app, org.ID, n, 500)
	c := app.LoginAs("owner@big.test", "bench password 123")
	cookie := &http.Cookie{Name: session.CookieName, Value: c.Cookie(session.CookieName)}
	h := app.Server.Handler()
	get := func(b *testing.B, path string, htmx bool) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		if htmx {
			req.Header.Set("HX-Request", "true")
			req.Header.Set("HX-Target", "members-results")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	// A deep page: the page before the last one, by its keyset cursor.
	last, err := app.DB.ListMembers(context.Background(), org.ID, store.MemberQuery{Last: true})
	if err != nil {
		b.Fatal(err)
	}
	base := "/o/big/settings/members"
	var team int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM groups WHERE org_id = ? AND name = 'Team 250'`, org.ID).Scan(&team)
	})
	// A service team of one member in 300 (333 at 100,000), as the teams
	// benchmark's seed makes them, read by id and sorted.
	var service int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if service, err = tx.CreateTeam(ctx, org.ID, "EMEA", ""); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO team_members (team_id, membership_id)
			SELECT ?, id FROM memberships WHERE org_id = ? AND id % 300 = 0`, service, org.ID)
		return err
	})
	for _, bc := range []struct {
		name, path string
		htmx       bool
	}{
		{"first page", base, false},
		{"first page htmx", base, true},
		{"deep page", base + "?" + url.Values{"before": {last.Prev}, "pos": {strconv.Itoa(n - 99)}}.Encode(), true},
		{"last page", base + "?last=1", true},
		{"sort by last active", base + "?sort=active", true},
		{"sort by email", base + "?sort=email", true},
		{"sort by role", base + "?sort=role", true},
		{"search name", base + "?q=" + url.QueryEscape("tariq kim"), true},
		{"search email", base + "?q=member4242", true},
		{"search broad", base + "?q=smith", true},
		{"search short", base + "?q=ab", true},
		{"search short broad", base + "?q=ro", true},    // names starting with Ro: a range of the name index
		{"search short dense", base + "?q=me", true},    // every email starts with "member": walks
		{"search substring mid", base + "?q=kim", true}, // 3,333 members, none before "Eve Kim": a long walk
		{"filter group", base + "?group=" + strconv.FormatInt(team, 10), true},
		{"filter suspended", base + "?status=suspended", true},
		{"filter role", base + "?role=admin", true},
		{"filter role and status", base + "?role=admin&status=suspended", true},
		{"filter group and status", base + "?status=suspended&group=" + strconv.FormatInt(team, 10), true},
		{"search and filter", base + "?q=smith&status=suspended", true},
		{"search sorted by email", base + "?q=smith&sort=email", true},
		{"filter team", base + "?team=" + strconv.FormatInt(service, 10), true},
		{"filter team and search", base + "?q=smith&team=" + strconv.FormatInt(service, 10), true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			get(b, bc.path, bc.htmx) // warm
			b.ResetTimer()
			for b.Loop() {
				get(b, bc.path, bc.htmx)
			}
		})
		// The same page when the data has just changed: the members
		// version is bumped (untimed) before each request, so the page
		// is read from SQLite and rendered afresh.
		b.Run(bc.name+" uncached", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				app.BumpVersion(org.ID, "members_version")
				b.StartTimer()
				get(b, bc.path, bc.htmx)
			}
		})
	}
}
