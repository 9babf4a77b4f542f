package main

import (
	"strings"
	"testing"
	"time"
)

func TestExpectStatus(t *testing.T) {
	check := expectStatus(200, 303)
	for _, tc := range []struct {
		status int
		body   string
		fails  bool
	}{
		{200, "<html>ok</html>", false},
		{303, "", false},
		{200, "error: database is locked (5) (SQLITE_BUSY)", true},
		{303, "SQLITE_BUSY", true},
		{500, "", true},
		{404, "", true},
		{302, "", true},
	} {
		if got := check(tc.status, []byte(tc.body)); (got != "") != tc.fails {
			t.Errorf("status %d body %q: reason %q, want failure %v", tc.status, tc.body, got, tc.fails)
		}
	}
	if got := check(503, nil); got != "status 503 (server error)" {
		t.Errorf("a 5xx is reported as %q", got)
	}
}

func TestMemoryVerdict(t *testing.T) {
	series := func(f func(i int) float64) []rssSample {
		var s []rssSample
		for i := 0; i <= 30; i++ { // 5 minutes, every 10 s
			s = append(s, rssSample{At: time.Duration(i) * 10 * time.Second, MiB: f(i)})
		}
		return s
	}
	// Steady with noise and an early warm-up climb: stable.
	if _, g, growing, ok := memoryVerdict(series(func(i int) float64 {
		if i < 5 {
			return 30 + float64(i)*4
		}
		return 50 + float64(i%3)
	})); !ok || growing {
		t.Errorf("a flat second half was judged growing (growth %.1f MiB)", g)
	}
	// A leak of 1 MiB per sample keeps growing.
	if s, _, growing, ok := memoryVerdict(series(func(i int) float64 { return 40 + float64(i) })); !ok || !growing || s < 5.9 || s > 6.1 {
		t.Errorf("a steady leak: growing %v, slope %.2f MiB/min (want 6)", growing, s)
	}
	// A GC sawtooth under a soft limit, with a dip early in the second half
	// (the shape of a real 5-minute soak): the ceiling does not rise.
	saw := []float64{59, 47, 44, 51, 50, 42, 51, 48, 51, 48, 48, 52, 45, 49, 52, 40, 48, 48, 39, 48, 51, 51, 50, 50, 51, 52, 53, 48, 51, 48, 52}
	if _, g, growing, ok := memoryVerdict(series(func(i int) float64 { return saw[i%len(saw)] })[:len(saw)]); !ok || growing {
		t.Errorf("a GC sawtooth was judged growing (growth %.1f MiB)", g)
	}
	if _, _, _, ok := memoryVerdict(series(func(int) float64 { return 1 })[:3]); ok {
		t.Error("three samples were enough to judge")
	}
}

func TestStealSince(t *testing.T) {
	before := cpuTimes{total: 1000, steal: 10}
	if got := (cpuTimes{total: 2000, steal: 60}).stealSince(before); got != 5 {
		t.Errorf("steal = %v%%, want 5%%", got)
	}
	if got := before.stealSince(before); got != 0 {
		t.Errorf("no time passed: steal = %v%%, want 0", got)
	}
	if _, ok := readCPUTimes(); !ok {
		t.Skip("no /proc/stat here")
	}
}

// A run of writes only (-only save) has no page to judge against the
// bare handler: that target is not measured, not passed.
func TestPageShareNotMeasuredWithoutPages(t *testing.T) {
	row := func(name string, page bool) Row {
		return Row{Scenario: name, Page: page, Conns: 64,
			Res: Result{Conns: 64, Elapsed: time.Second, Stat: Stat{Requests: 1000}}}
	}
	share := func(r *BenchReport) [3]string {
		for _, tg := range r.Table().Targets {
			if strings.HasPrefix(tg[0], "every page") {
				return tg
			}
		}
		t.Fatal("no page-share target in the table")
		return [3]string{}
	}
	writes := &BenchReport{Rows: []Row{row("bare Echo", false), row("permission save (group)", false)}}
	if got := share(writes); got[2] != verdictNotMeasure || strings.Contains(got[1], "lowest") {
		t.Errorf("writes only: %q", got)
	}
	pages := &BenchReport{Rows: []Row{row("bare Echo", false), row("dashboard", true)}}
	if got := share(pages); got[2] != verdictPass || !strings.Contains(got[1], "lowest 100.0%") {
		t.Errorf("one page at the bare rate: %q", got)
	}
}

// "My teams" is judged against "Those I serve" (p50) and against bare Echo
// at 8 connections; a run without it says so instead of passing.
func TestTeamTargets(t *testing.T) {
	row := func(name string, page bool, conns int, rps int64, p50 time.Duration) Row {
		r := Row{Scenario: name, Page: page, Conns: conns, Res: Result{Conns: conns, Elapsed: time.Second, Stat: Stat{Requests: rps}}}
		r.Res.Hist.Record(p50)
		return r
	}
	targets := func(rows ...Row) map[string][3]string {
		out := map[string][3]string{}
		for _, tg := range (&BenchReport{Rows: rows}).Table().Targets {
			if strings.HasPrefix(tg[0], scTeam) {
				out[strings.Fields(tg[0])[3]] = tg // "p50" or "≥"
			}
		}
		return out
	}
	bare := row("bare Echo", false, 8, 10000, time.Millisecond)
	got := targets(bare, row(scMine, true, 8, 1000, 2*time.Millisecond), row(scTeam, true, 8, 900, 2900*time.Microsecond))
	if got["p50"][2] != verdictPass || !strings.Contains(got["p50"][1], "= 1.45×") {
		t.Errorf("1.45× of Those I serve: %q", got["p50"])
	}
	if got["≥"][2] != verdictPass || got["≥"][1] != "9.0%" {
		t.Errorf("9%% of bare: %q", got["≥"])
	}
	got = targets(bare, row(scMine, true, 8, 1000, 2*time.Millisecond), row(scTeam, true, 8, 700, 3200*time.Microsecond))
	if got["p50"][2] != verdictMiss || got["≥"][2] != verdictMiss || got["≥"][1] != "7.0%" {
		t.Errorf("1.6× and 7%% of bare: %q", got)
	}
	got = targets(bare, row(scMine, true, 8, 1000, 2*time.Millisecond))
	if got["p50"][2] != verdictNotMeasure || got["≥"][2] != verdictNotMeasure {
		t.Errorf("without My teams: %q", got)
	}
}
