package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Targets of issue 7 item 5.
const (
	targetPctOfBare   = 8.0
	targetP99         = 30 * time.Millisecond
	targetP99Conns    = 64
	targetDeepRatio   = 1.5
	targetTeamRatio   = 1.5 // "My teams" p50 against "Those I serve" (issue 22)
	targetTeamConns   = 8   // "My teams" share of bare is judged here (issue 22)
	targetPeakRSSMiB  = 64
	targetColdStart   = 50 * time.Millisecond
	verdictPass       = "PASS"
	verdictMiss       = "MISS"
	verdictNotMeasure = "n/a"
)

// Table is the report as cells, printed as text or Markdown.
type Table struct {
	Header  []string
	Rows    [][]string
	Targets [][3]string // target, measured, verdict
}

func (r *BenchReport) bare(conns int) *Result {
	for i := range r.Rows {
		if r.Rows[i].Conns == conns && !r.Rows[i].Page && r.Rows[i].Skipped == "" && strings.HasPrefix(r.Rows[i].Scenario, "bare") {
			return &r.Rows[i].Res
		}
	}
	return nil
}

func (r *BenchReport) row(name string, conns int) *Row {
	for i := range r.Rows {
		if r.Rows[i].Scenario == name && r.Rows[i].Conns == conns && r.Rows[i].Skipped == "" {
			return &r.Rows[i]
		}
	}
	return nil
}

func (r *BenchReport) pctOfBare(row *Row) (float64, bool) {
	b := r.bare(row.Conns)
	if b == nil || b.RPS() == 0 {
		return 0, false
	}
	return 100 * row.Res.RPS() / b.RPS(), true
}

// maxConns is the concurrency the p99 target is judged at: 64, or the
// highest level run when 64 was not.
func (r *BenchReport) maxConns() int {
	m := 0
	for _, row := range r.Rows {
		if row.Conns == targetP99Conns {
			return targetP99Conns
		}
		m = max(m, row.Conns)
	}
	return m
}

// cpuPerAnswer is a CPU time per completed request ("–" unknown).
func cpuPerAnswer(cpu time.Duration, row *Row) string {
	if cpu <= 0 || row.Res.Requests == 0 {
		return "–"
	}
	return fmtDur(cpu / time.Duration(row.Res.Requests))
}

// Table builds the rows and the target verdicts.
func (r *BenchReport) Table() Table {
	t := Table{Header: []string{"scenario", "conns", "req/s", "p50", "p99", "errors", "% of bare", "KiB/answer", "server CPU/answer", "generator CPU/answer", "targets"}}
	p99Conns := r.maxConns()
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.Skipped != "" {
			t.Rows = append(t.Rows, []string{row.Scenario, fmt.Sprint(row.Conns), row.Skipped, "", "", "", "", "", "", "", ""})
			continue
		}
		res := &row.Res
		pct := "–"
		var misses []string
		if p, ok := r.pctOfBare(row); ok {
			pct = fmt.Sprintf("%.1f%%", p)
			if row.Page && p < targetPctOfBare {
				misses = append(misses, fmt.Sprintf("<%g%% of bare", targetPctOfBare))
			}
		}
		isBare := strings.HasPrefix(row.Scenario, "bare")
		if !isBare && row.Conns == p99Conns && res.Hist.Duration(99) > targetP99 {
			misses = append(misses, "p99>"+fmtDur(targetP99))
		}
		if res.Errors > 0 {
			misses = append(misses, "errors")
		}
		verdict := verdictPass
		switch {
		case isBare:
			verdict = "baseline"
		case len(misses) > 0:
			verdict = verdictMiss + ": " + strings.Join(misses, ", ")
		}
		t.Rows = append(t.Rows, []string{row.Scenario, fmt.Sprint(row.Conns), fmt.Sprintf("%.0f", res.RPS()),
			fmtDur(res.Hist.Duration(50)), fmtDur(res.Hist.Duration(99)), fmt.Sprint(res.Errors), pct,
			fmt.Sprintf("%.1f", res.MeanBytes()/1024), cpuPerAnswer(row.ServerCPU, row), cpuPerAnswer(row.GenCPU, row), verdict})
	}
	t.Targets = r.targets(p99Conns)
	return t
}

func (r *BenchReport) targets(p99Conns int) [][3]string {
	var out [][3]string
	add := func(target, measured, verdict string) { out = append(out, [3]string{target, measured, verdict}) }
	verdict := func(ok bool) string {
		if ok {
			return verdictPass
		}
		return verdictMiss
	}

	// Throughput share and p99.
	var lowPct, highP99, notRun []string
	minPct, maxP99, measured, pages := 1e9, time.Duration(0), 0, 0
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.Skipped != "" {
			notRun = appendOnce(notRun, row.Scenario)
			continue
		}
		if strings.HasPrefix(row.Scenario, "bare") {
			continue
		}
		measured++
		if p, ok := r.pctOfBare(row); ok && row.Page {
			pages++
			minPct = min(minPct, p)
			if p < targetPctOfBare {
				lowPct = append(lowPct, fmt.Sprintf("%s @%d: %.1f%%", row.Scenario, row.Conns, p))
			}
		}
		if row.Conns == p99Conns {
			p99 := row.Res.Hist.Duration(99)
			maxP99 = max(maxP99, p99)
			if p99 > targetP99 {
				highP99 = append(highP99, fmt.Sprintf("%s: %s", row.Scenario, fmtDur(p99)))
			}
		}
	}
	suffix := ""
	if len(notRun) > 0 {
		suffix = "; not measured: " + strings.Join(notRun, ", ")
	}
	if measured == 0 {
		add(fmt.Sprintf("every page ≥ %g%% of bare throughput", targetPctOfBare), "nothing measured"+suffix, verdictNotMeasure)
		add(fmt.Sprintf("p99 ≤ %s at %d connections", fmtDur(targetP99), p99Conns), "nothing measured", verdictNotMeasure)
	} else {
		if pages == 0 { // only writes ran (-only save)
			add(fmt.Sprintf("every page ≥ %g%% of bare throughput", targetPctOfBare), "no page measured"+suffix, verdictNotMeasure)
		} else {
			m := fmt.Sprintf("lowest %.1f%%", minPct)
			if len(lowPct) > 0 {
				m += " (" + strings.Join(lowPct, "; ") + ")"
			}
			add(fmt.Sprintf("every page ≥ %g%% of bare throughput", targetPctOfBare), m+suffix, verdict(len(lowPct) == 0))
		}
		m := "highest " + fmtDur(maxP99)
		if len(highP99) > 0 {
			m += " (" + strings.Join(highP99, "; ") + ")"
		}
		add(fmt.Sprintf("p99 ≤ %s at %d connections", fmtDur(targetP99), p99Conns), m, verdict(len(highP99) == 0))
	}

	// Errors, in answers and in the server's log.
	var errs int64
	for _, row := range r.Rows {
		errs += row.Res.Errors
	}
	m := fmt.Sprintf("%d failed requests, %d server log errors", errs, r.LogErrors)
	add("zero errors", m, verdict(errs == 0 && r.LogErrors == 0))

	// Deep page vs first page, and the team-scoped customers list vs the
	// own-scoped one, by median latency at each level.
	m, v := r.p50Ratio("members, deep page", "members, first page", targetDeepRatio)
	add(fmt.Sprintf("deep members page within %g× of the first", targetDeepRatio), m, v)
	m, v = r.p50Ratio(scTeam, scMine, targetTeamRatio)
	add(fmt.Sprintf("%s p50 within %g× of %s", scTeam, targetTeamRatio, scMine), m, v)
	teamShare := fmt.Sprintf("%s ≥ %g%% of bare at %d connections", scTeam, targetPctOfBare, targetTeamConns)
	if row := r.row(scTeam, targetTeamConns); row == nil {
		add(teamShare, "not measured", verdictNotMeasure)
	} else if p, ok := r.pctOfBare(row); !ok {
		add(teamShare, "no bare baseline at that level", verdictNotMeasure)
	} else {
		add(teamShare, fmt.Sprintf("%.1f%%", p), verdict(p >= targetPctOfBare))
	}

	if r.PeakRSSKiB > 0 {
		mib := float64(r.PeakRSSKiB) / 1024
		add(fmt.Sprintf("peak RSS ≤ %d MiB", targetPeakRSSMiB), fmt.Sprintf("%.1f MiB (VmHWM; %.1f MiB at the end)", mib, float64(r.EndRSSKiB)/1024),
			verdict(mib <= targetPeakRSSMiB))
	} else {
		add(fmt.Sprintf("peak RSS ≤ %d MiB", targetPeakRSSMiB), "not read", verdictNotMeasure)
	}
	if r.LoginPeakKiB > 0 {
		mib := float64(r.LoginPeakKiB) / 1024
		add(fmt.Sprintf("peak RSS ≤ %d MiB, process that served the %d logins", targetPeakRSSMiB, r.Logins),
			fmt.Sprintf("%.1f MiB (VmHWM after start + %d sequential logins, no other load)", mib, r.Logins), verdict(mib <= targetPeakRSSMiB))
	}
	for _, c := range r.Cold {
		name := fmt.Sprintf("cold start ≤ %s: exec → first 200 of %s", fmtDur(targetColdStart), c.Path)
		if len(c.Times) == 0 {
			add(name, "failed: "+c.Err, verdictMiss)
			continue
		}
		var all []string
		for _, d := range c.Times {
			all = append(all, fmtDur(d))
		}
		add(name, fmt.Sprintf("median %s (runs: %s)", fmtDur(c.Median()), strings.Join(all, ", ")), verdict(c.Median() <= targetColdStart))
	}
	return out
}

// p50Ratio compares scenario slow's median latency with base's at each
// concurrency level both ran: the measured cell and its verdict against limit.
func (r *BenchReport) p50Ratio(slow, base string, limit float64) (measured, verdict string) {
	var ratios []string
	ok, seen := true, false
	for _, row := range r.Rows {
		if row.Scenario != base || row.Skipped != "" {
			continue
		}
		s := r.row(slow, row.Conns)
		if s == nil {
			continue
		}
		base50, slow50 := row.Res.Hist.Duration(50), s.Res.Hist.Duration(50)
		if base50 <= 0 {
			continue
		}
		ratio := float64(slow50) / float64(base50)
		seen = true
		ok = ok && ratio <= limit
		ratios = append(ratios, fmt.Sprintf("@%d: p50 %s vs %s = %.2f×", row.Conns, fmtDur(slow50), fmtDur(base50), ratio))
	}
	switch {
	case !seen:
		return "not measured", verdictNotMeasure
	case ok:
		return strings.Join(ratios, "; "), verdictPass
	}
	return strings.Join(ratios, "; "), verdictMiss
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// Text is the table as aligned columns, then the target verdicts.
func (t Table) Text() string {
	widths := make([]int, len(t.Header))
	for i, h := range t.Header {
		widths[i] = len([]rune(h))
	}
	for _, row := range t.Rows {
		for i, c := range row {
			if i < len(widths)-1 && row[3] != "" { // skipped rows span the columns
				widths[i] = max(widths[i], len([]rune(c)))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i == len(cells)-1 {
				b.WriteString(c)
				break
			}
			pad := widths[i] - len([]rune(c))
			if i >= 1 && i <= 6 { // numbers right-aligned
				b.WriteString(strings.Repeat(" ", max(0, pad)) + c + "  ")
			} else {
				b.WriteString(c + strings.Repeat(" ", max(0, pad)) + "  ")
			}
		}
		b.WriteString("\n")
	}
	line(t.Header)
	for _, row := range t.Rows {
		if row[3] == "" && row[2] != "" && strings.HasPrefix(row[2], "n/a") {
			b.WriteString(fmt.Sprintf("%-*s  %*s  %s\n", widths[0], row[0], widths[1], row[1], row[2]))
			continue
		}
		line(row)
	}
	b.WriteString("\nTargets (issue 7):\n")
	for _, tg := range t.Targets {
		b.WriteString(fmt.Sprintf("  %-5s %s: %s\n", tg[2], tg[0], tg[1]))
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Markdown is the report for the README's "Performance" section.
func (r *BenchReport) Markdown(t Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### `make bench` results (%s)\n\n", r.Started.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Machine: %s, %d CPUs, %s. Database: %d members, %d groups (%d group memberships), %d customers",
		cpuModel(), runtime.NumCPU(), runtime.Version(), r.Info.Members, r.Info.Groups, r.Info.GroupLinks, r.Info.Customers)
	fmt.Fprintf(&b, "; %s of load per row after a short warm-up; the load generator runs on the same machine. "+
		"Load average (1 min) %s before the runs, %s after (the runs themselves load both CPUs). %s\n\n",
		r.Duration, r.LoadBefore, r.LoadAfter, stealNote(r.StealPct))
	b.WriteString("| " + strings.Join(t.Header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(t.Header)) + "\n")
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = mdEscape(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n| target | measured | verdict |\n| --- | --- | --- |\n")
	for _, tg := range t.Targets {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdEscape(tg[0]), mdEscape(tg[1]), tg[2])
	}
	if r.Bulk != "" {
		fmt.Fprintf(&b, "\nEvery row ran with a bulk action in flight (`-bulk-in-flight`): %s; %s.\n", r.Bulk, r.BulkStats)
	}
	if r.DeepPath != "" {
		fmt.Fprintf(&b, "\nDeep members page: `%s`; search: `?q=%s`.\n", r.DeepPath, r.SearchQuery)
	}
	if len(r.LogSample) > 0 {
		b.WriteString("\n\nServer log errors (sample):\n\n```\n" + strings.Join(r.LogSample, "\n") + "\n```\n")
	}
	seeded := "the cached seed was reused"
	if r.SeedTime > 0 {
		seeded = "seeding took " + r.SeedTime.Round(100*time.Millisecond).String()
	}
	fmt.Fprintf(&b, "\nReproduce: `make bench` (the seed is cached in `data/bench/`; this run: %s; `make bench BENCH_FLAGS='-duration 10s'` to change the run).\n", seeded)
	return b.String()
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
