package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// bulkBench is an organization of 20,000 members in "Team 1" and "Team 2"
// (seedBig), its owner's signed-in requests through the real router.
type bulkBench struct {
	app     *testkit.App
	h       http.Handler
	csrf    string
	cookies []*http.Cookie
	team    map[string]int64
}

func newBulkBench(b *testing.B) *bulkBench {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@bulk.test", "Bulk Owner", "bench password 123")
	org := app.CreateOrg("Bulk Org", "bulk", []string{"crm", "inbox"}, owner)
	seedBig(b, app, org.ID, 20000, 2)
	bb := &bulkBench{app: app, h: app.Server.Handler(), team: map[string]int64{}}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT name, id FROM groups WHERE org_id = ? AND name LIKE 'Team %'`, org.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var id int64
			if err := rows.Scan(&name, &id); err != nil {
				return err
			}
			bb.team[name] = id
		}
		return rows.Err()
	})
	c := app.LoginAs("owner@bulk.test", "bench password 123")
	bb.csrf = c.CSRF()
	bb.cookies = []*http.Cookie{{Name: session.CookieName, Value: c.Cookie(session.CookieName)}, {Name: testkit.CSRFCookie, Value: bb.csrf}}
	return bb
}

// ids is the memberships matching where (a members-table condition), at
// least n of them (a limit when n is below 10,000).
func (bb *bulkBench) ids(b *testing.B, where string, n int) []string {
	var out []string
	bb.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT m.id FROM memberships m WHERE m.user_email LIKE '%@bench.test' AND `+where+` ORDER BY m.id LIMIT ?`, map[bool]int{true: n, false: -1}[n < 10000])
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, strconv.FormatInt(id, 10))
		}
		return rows.Err()
	})
	if len(out) < n {
		b.Fatalf("%d members match %s, want %d", len(out), where, n)
	}
	return out
}

// post sends a signed-in form post (htmx when hx) and returns the status and body.
func (bb *bulkBench) post(path string, form url.Values, hx bool) (int, string) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", bb.csrf)
	if hx {
		req.Header.Set("HX-Request", "true")
	}
	for _, ck := range bb.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	bb.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// BenchmarkMembersBulkPreview10k times the bulk bar's preview of adding
// every member of "Team 1" (over 10,000: all=1 with the list's group
// filter, as "Select all matching this filter" posts; Go refuses forms of
// more than 10,000 fields, so ids cannot carry that many) to "Team 2":
// members with the same inputs are resolved once. Reported beside ns/op:
// the median of 50 (ms) and the members previewed.
func BenchmarkMembersBulkPreview10k(b *testing.B) {
	bb := newBulkBench(b)
	team1 := strconv.FormatInt(bb.team["Team 1"], 10)
	members := len(bb.ids(b, "m.id IN (SELECT membership_id FROM group_members WHERE group_id = "+team1+")", 10000))
	form := url.Values{"action": {"group_add"}, "group": {strconv.FormatInt(bb.team["Team 2"], 10)},
		"all": {"1"}, "filter": {"group=" + team1}}
	run := func(b *testing.B) {
		if code, body := bb.post("/o/bulk/settings/members/bulk/preview", form, true); code != http.StatusOK || !strings.Contains(body, "members-bulk-preview") {
			b.Fatalf("preview: %d %.400s", code, body[min(len(body), strings.Index(body, "error-title")+200):])
		}
	}
	loopWithMedian50(b, run)
	b.ReportMetric(float64(members), "members")
}

// BenchmarkMembersBulkSuspendSingleSaves runs a bulk suspend of over
// 10,000 members (then their re-enable, as the next iteration's set-up) while
// 4 clients keep saving single role changes of other members, and reports
// the single saves' latency during the bulk action (p50-ms, p99-ms) beside
// the same saves' p99 with no bulk action in flight (idle-p99-ms): the
// chunks of membership.BulkChunk let them through the writer.
func BenchmarkMembersBulkSuspendSingleSaves(b *testing.B) {
	bb := newBulkBench(b)
	// The bulk set: "Team 1", over 10,000 (all=1 with its filter, see
	// BenchmarkMembersBulkPreview10k); the single saves: members outside it.
	team1 := strconv.FormatInt(bb.team["Team 1"], 10)
	inTeam1 := "m.id IN (SELECT membership_id FROM group_members WHERE group_id = " + team1 + ")"
	members := len(bb.ids(b, inTeam1, 10000))
	bulk := func(action string) url.Values {
		return url.Values{"action": {action}, "all": {"1"}, "filter": {"group=" + team1}}
	}
	singles := bb.ids(b, "NOT "+inTeam1+" AND m.role IN ('agent', 'sales')", 200)
	roles := []string{"agent", "sales"}
	save := func(i int) time.Duration {
		start := time.Now()
		path := "/o/bulk/settings/members/" + singles[i%len(singles)] + "/role"
		if code, body := bb.post(path, url.Values{"role": {roles[i/len(singles)%2]}}, false); code != http.StatusSeeOther {
			b.Fatalf("single save: %d %.300s", code, body)
		}
		return time.Since(start)
	}
	// With no bulk action in flight.
	var idle []time.Duration
	for i := range 200 {
		idle = append(idle, save(i))
	}
	slices.Sort(idle)

	var during []time.Duration
	var bulkTime time.Duration
	var mu sync.Mutex
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		done := make(chan struct{})
		start := time.Now()
		go func() {
			defer close(done)
			if code, body := bb.post("/o/bulk/settings/members/bulk", bulk("suspend"), false); code != http.StatusSeeOther {
				b.Errorf("bulk suspend: %d %.300s", code, body)
			}
		}()
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; ; i += 4 {
					select {
					case <-done:
						return
					default:
					}
					d := save(i)
					mu.Lock()
					during = append(during, d)
					mu.Unlock()
				}
			}()
		}
		<-done
		bulkTime += time.Since(start)
		wg.Wait()
		n++
		b.StopTimer()
		if code, _ := bb.post("/o/bulk/settings/members/bulk", bulk("reenable"), false); code != http.StatusSeeOther {
			b.Fatalf("bulk re-enable: %d", code)
		}
		b.StartTimer()
	}
	if len(during) == 0 {
		b.Fatal("no single save ran during the bulk action")
	}
	slices.Sort(during)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(during[len(during)/2]), "p50-ms")
	b.ReportMetric(ms(during[len(during)*99/100]), "p99-ms")
	b.ReportMetric(ms(idle[len(idle)*99/100]), "idle-p99-ms")
	b.ReportMetric(ms(bulkTime/time.Duration(n)), "bulk-ms")
	b.ReportMetric(float64(len(during))/float64(n), "saves/bulk")
	b.ReportMetric(float64(members), "members")
}
