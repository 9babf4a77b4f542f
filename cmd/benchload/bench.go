package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gatehouse/internal/benchseed"
)

// Row is one measured (or skipped) scenario at one concurrency.
type Row struct {
	Scenario string
	Page     bool
	Conns    int
	Skipped  string // why it did not run ("n/a (route missing)")
	Res      Result
	// ServerCPU is the CPU time (user + system) the server process spent
	// during the measured load; 0 when unknown or for the in-process bare
	// handler. Per answer it is the figure least moved by a noisy host.
	ServerCPU time.Duration
	// GenCPU is this generator's own CPU time during the same load: the
	// share of the two cores the server under test did not get.
	GenCPU time.Duration
}

// ColdStart is process start → first 200 of a path.
type ColdStart struct {
	Path  string
	Times []time.Duration
	Err   string
}

// Median of the measured times (0 when none).
func (c ColdStart) Median() time.Duration {
	if len(c.Times) == 0 {
		return 0
	}
	t := append([]time.Duration(nil), c.Times...)
	sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
	return t[len(t)/2]
}

// BenchReport is everything the table shows.
type BenchReport struct {
	Rows         []Row
	Cold         []ColdStart
	PeakRSSKiB   int64
	LoginPeakKiB int64 // the first process, which served the logins
	Logins       int   // how many (one per actor)
	EndRSSKiB    int64
	LogErrors    int64
	LogSample    []string
	Info         benchseed.Info
	SeedTime     time.Duration
	Duration     time.Duration
	Started      time.Time
	Wall         time.Duration
	DeepPath     string
	SearchQuery  string
	LoadBefore   string  // /proc/loadavg when the load runs started and ended:
	LoadAfter    string  // other work on the machine skews every number
	StealPct     float64 // CPU time the hypervisor gave to other guests during the runs (-1: unknown)
	Bulk         string  // -bulk-in-flight: the bulk action run during the load ("" none)
	BulkStats    string  // what its runs did
}

func cmdBench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var c common
	c.register(fs)
	dur := fs.Duration("duration", 5*time.Second, "measured load per scenario and concurrency")
	warm := fs.Duration("warmup", 500*time.Millisecond, "unmeasured load before each measurement")
	connsFlag := fs.String("conns", "8,64", "concurrency levels (connections)")
	timeout := fs.Duration("timeout", 10*time.Second, "per-request timeout")
	coldRuns := fs.Int("cold-runs", 3, "cold starts measured per path (median reported)")
	only := fs.String("only", "", "run only scenarios whose name contains this (the bare baseline always runs)")
	search := fs.String("search", "mar", "members search term (a common name prefix)")
	deepPage := fs.Int("deep-page", 1500, "page number of the deep members page when the pager uses ?page=")
	deepPath := fs.String("deep-path", "", "explicit deep members page path (overrides discovery)")
	budget := fs.Duration("budget", 4*time.Minute, "time allowed for the load runs; rows that would start after it are skipped")
	bulkFlag := fs.String("bulk-in-flight", "", "run this bulk action over every member matching a members list filter, again and again (undone each time), while the load runs, e.g. suspend:role=sales")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bulk, withBulk, err := parseBulkSpec(*bulkFlag)
	if err != nil {
		return err
	}
	conns, err := parseConns(*connsFlag)
	if err != nil {
		return err
	}
	if *dur <= 0 || *dur > 10*time.Minute || *coldRuns < 1 || *coldRuns > 20 {
		return fmt.Errorf("-duration must be in (0, 10m], -cold-runs in [1, 20]")
	}
	if err := c.checkBinary(); err != nil {
		return err
	}
	rep := &BenchReport{Started: time.Now(), Duration: *dur, SearchQuery: *search}
	runDB, info, seedTime, err := c.prepareDB(ctx, out, "run.db")
	if err != nil {
		return err
	}
	rep.Info, rep.SeedTime = info, seedTime

	// First start: sign in (sessions live in the database, so they survive
	// the restarts below and the cold start can load an authenticated page).
	srv, err := StartServer(c.bin, runDB)
	if err != nil {
		return err
	}
	if _, err := srv.WaitFor("/healthz", "", 30*time.Second); err != nil {
		srv.Stop(10 * time.Second)
		return err
	}
	actors, err := signIn(srv.URL)
	_, rep.LoginPeakKiB, _ = srv.Memory() // argon2id: 19 MiB per login hash
	rep.Logins = len(actors)
	srv.Stop(30 * time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "signed in: owner, agent, member in 20 groups, supervisor in %d teams\n", benchseed.SupervisorTeams)

	// Cold starts: a fresh process each time, polling one path from exec.
	authPath := "/o/" + benchseed.Slug
	rep.Cold = []ColdStart{{Path: "/healthz"}, {Path: authPath + " (signed in)"}}
	for i := 0; i < 2**coldRuns; i++ {
		k := i % 2
		if srv, err = StartServer(c.bin, runDB); err != nil {
			return err
		}
		cookie, path := "", "/healthz"
		if k == 1 {
			cookie, path = actors["owner"].Cookie, authPath
		}
		d, err := srv.WaitFor(path, cookie, 30*time.Second)
		if err != nil {
			rep.Cold[k].Err = err.Error()
		} else {
			rep.Cold[k].Times = append(rep.Cold[k].Times, d)
		}
		if i < 2**coldRuns-1 {
			if err := srv.Stop(30 * time.Second); err != nil {
				return err
			}
		}
	}
	defer srv.Stop(30 * time.Second)
	// The server in use from here on is the last cold-started one.
	if _, err := srv.WaitFor("/healthz", "", 30*time.Second); err != nil {
		return err
	}
	fmt.Fprintf(out, "cold start (median of %d): /healthz %s, signed-in dashboard %s\n", *coldRuns,
		fmtDur(rep.Cold[0].Median()), fmtDur(rep.Cold[1].Median()))

	bareURL, stopBare, err := startBare()
	if err != nil {
		return err
	}
	defer stopBare()
	env := &Env{Base: srv.URL, BareURL: bareURL, Actors: actors, Info: info, Slug: benchseed.Slug,
		Search: *search, DeepPage: *deepPage, DeepPath: *deepPath}

	stopBulk := func() bulkStats { return bulkStats{} }
	if withBulk {
		rep.Bulk = bulk.String()
		stopBulk = startBulkInFlight(ctx, srv.URL, benchseed.Slug, actors["owner"], bulk)
		fmt.Fprintf(out, "bulk action in flight during the load: %s\n", rep.Bulk)
	}
	rep.LoadBefore = loadAvg()
	cpuBefore, cpuBeforeOK := readCPUTimes()
	budgetEnd := time.Now().Add(*budget)
	for _, sc := range benchScenarios() {
		if *only != "" && sc.Actor != "" && !strings.Contains(sc.Name, *only) {
			continue
		}
		for _, n := range conns {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			row := Row{Scenario: sc.Name, Page: sc.Page, Conns: n}
			switch {
			case srv.Exited():
				row.Skipped = "n/a (server exited)"
			case time.Now().Add(*warm + *dur).After(budgetEnd):
				row.Skipped = fmt.Sprintf("n/a (time budget of %s spent)", *budget)
			}
			if row.Skipped != "" {
				fmt.Fprintf(out, "%-28s %3d conns: %s\n", sc.Name, n, row.Skipped)
				rep.Rows = append(rep.Rows, row)
				continue
			}
			next, err := sc.Prepare(env, n)
			if err != nil {
				row.Skipped = "n/a (" + err.Error() + ")"
				if isMissing(err) {
					row.Skipped = "n/a (route missing)"
				}
				fmt.Fprintf(out, "%-28s %3d conns: %s\n", sc.Name, n, row.Skipped)
				rep.Rows = append(rep.Rows, row)
				continue
			}
			if sc.Name == "members, deep page" {
				if p, err := deepMembersPath(env); err == nil {
					rep.DeepPath = p
				}
			}
			opts := LoadOpts{Conns: n, Duration: *warm, MaxPerConn: 1_000_000, Timeout: *timeout}
			var warmRes Result
			if *warm > 0 {
				warmRes = Load(ctx, opts, next)
			}
			opts.Duration = *dur
			cpu0, cpuErr := procCPU(srv.Pid())
			gen0, genErr := procCPU(os.Getpid())
			row.Res = Load(ctx, opts, next)
			if cpu1, err := procCPU(srv.Pid()); err == nil && cpuErr == nil && sc.Actor != "" {
				row.ServerCPU = cpu1 - cpu0
			}
			if gen1, err := procCPU(os.Getpid()); err == nil && genErr == nil {
				row.GenCPU = gen1 - gen0
			}
			r := &row.Res
			// Failures while warming up are failures too (not their latencies).
			r.Errors += warmRes.Errors
			for k, v := range warmRes.Reasons {
				r.Reasons["warm-up: "+k] += v
			}
			fmt.Fprintf(out, "%-28s %3d conns: %8.0f req/s  p50 %8s  p99 %8s  errors %d %s\n", sc.Name, n, r.RPS(),
				fmtDur(r.Hist.Duration(50)), fmtDur(r.Hist.Duration(99)), r.Errors, strings.Join(r.TopReasons(2), "; "))
			rep.Rows = append(rep.Rows, row)
		}
	}
	if withBulk {
		rep.BulkStats = stopBulk().String()
		fmt.Fprintf(out, "bulk action in flight: %s\n", rep.BulkStats)
	}
	rep.LoadAfter = loadAvg()
	rep.StealPct = -1
	if cpuAfter, ok := readCPUTimes(); ok && cpuBeforeOK {
		rep.StealPct = cpuAfter.stealSince(cpuBefore)
	}
	if !srv.Exited() {
		rep.EndRSSKiB, rep.PeakRSSKiB, _ = srv.Memory()
	}
	rep.LogErrors, rep.LogSample = srv.log.Bad()
	if err := srv.Stop(30 * time.Second); err != nil {
		fmt.Fprintln(out, "warning:", err)
	}
	rep.Wall = time.Since(rep.Started)

	table := rep.Table()
	fmt.Fprintln(out)
	fmt.Fprint(out, table.Text())
	fmt.Fprintf(out, "\nLoad average (1 min): %s before the runs, %s after (the runs themselves load both CPUs). %s\n",
		rep.LoadBefore, rep.LoadAfter, stealNote(rep.StealPct))
	md := rep.Markdown(table)
	resPath := filepath.Join(c.dir, "results.md")
	if err := os.WriteFile(resPath, []byte(md), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nMarkdown written to %s (total wall time %s)\n", resPath, rep.Wall.Round(time.Second))
	return nil
}

// cpuTimes are the machine's aggregate CPU counters from /proc/stat.
type cpuTimes struct{ total, steal uint64 }

// readCPUTimes reads the "cpu" line: user nice system idle iowait irq
// softirq steal …, in clock ticks.
func readCPUTimes() (cpuTimes, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return cpuTimes{}, false
	}
	var t cpuTimes
	for i, v := range f[1:] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		if i < 8 { // guest times are already counted in user and nice
			t.total += n
		}
		if i == 7 {
			t.steal = n
		}
	}
	return t, true
}

// stealSince is the share of CPU time stolen since an earlier reading, in %.
func (t cpuTimes) stealSince(before cpuTimes) float64 {
	if t.total <= before.total {
		return 0
	}
	return 100 * float64(t.steal-before.steal) / float64(t.total-before.total)
}

// stealNote says how much CPU the hypervisor took during the runs (pct
// from stealSince; negative: unknown, no note).
func stealNote(pct float64) string {
	if pct < 0 {
		return ""
	}
	return fmt.Sprintf("CPU time stolen by the hypervisor during the runs: %.1f%% (other guests on the host; above a few percent every figure here is depressed and noisy).", pct)
}

// loadAvg is the 1-minute load average ("?" where unreadable).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
	}
	return d.Round(time.Millisecond).String()
}
