package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/internal/benchseed"
	"gatehouse/internal/store"
)

// soakOp is one kind of request in the mixed load.
type soakOp struct {
	Name    string
	Weight  int
	Prepare func(env *Env, conns int) (func(w int, rng *rand.Rand) (Op, error), error)
}

// fixedGet adapts a page scenario to the soak's op shape.
func fixedGet(sc Scenario) func(*Env, int) (func(int, *rand.Rand) (Op, error), error) {
	return func(env *Env, conns int) (func(int, *rand.Rand) (Op, error), error) {
		next, err := sc.Prepare(env, conns)
		if err != nil {
			return nil, err
		}
		return func(w int, _ *rand.Rand) (Op, error) { return next(w, 0) }, nil
	}
}

// randomGet picks one of paths (made by gen) per request, after probing one.
func randomGet(actor string, gen func(env *Env, rng *rand.Rand) string) func(*Env, int) (func(int, *rand.Rand) (Op, error), error) {
	return func(env *Env, conns int) (func(int, *rand.Rand) (Op, error), error) {
		a := env.Actors[actor]
		if _, err := probe(env, a, gen(env, rand.New(rand.NewPCG(1, 1)))); err != nil {
			return nil, err
		}
		check := expectStatus(http.StatusOK)
		return func(w int, rng *rand.Rand) (Op, error) {
			req, err := a.Get(env.Base, gen(env, rng))
			return Op{Req: req, Check: check}, err
		}, nil
	}
}

var searchTerms = []string{"mar", "jo", "an", "smi", "lee", "chen", "sa", "ka", "pat", "wil", "ro", "müller", "o'b", "zz-none"}

// customerPost prepares a customer form post as the agent: the fields come
// from the real form (GET formPath), the values from fill.
func customerPost(formPath string, action func(env *Env, rng *rand.Rand) string, fill func(v url.Values, w int, rng *rand.Rand)) func(*Env, int) (func(int, *rand.Rand) (Op, error), error) {
	return func(env *Env, conns int) (func(int, *rand.Rand) (Op, error), error) {
		a := env.Actors["agent"]
		probeRng := rand.New(rand.NewPCG(2, 2))
		act := action(env, probeRng)
		fp := formPath
		if strings.Contains(fp, "%s") {
			fp = fmt.Sprintf(fp, act)
		}
		body, err := probe(env, a, fp)
		if err != nil {
			return nil, err
		}
		forms, _ := ParsePage(body)
		f, ok := FindForm(forms, act)
		if !ok {
			return nil, fmt.Errorf("no form posting to %s on %s", act, fp)
		}
		tmpl := f.Values()
		check := expectStatus(http.StatusOK, http.StatusSeeOther, http.StatusFound)
		var seq atomic.Int64
		return func(w int, rng *rand.Rand) (Op, error) {
			v := url.Values{}
			for k, vs := range tmpl {
				v[k] = append([]string(nil), vs...)
			}
			fill(v, int(seq.Add(1)), rng)
			req, err := a.PostForm(env.Base, action(env, rng), v)
			return Op{Req: req, Check: check}, err
		}, nil
	}
}

func soakOps() []soakOp {
	return []soakOp{
		{Name: "members list (random page)", Weight: 12, Prepare: func(env *Env, conns int) (func(int, *rand.Rand) (Op, error), error) {
			first := env.org("/settings/members")
			deep, derr := deepMembersPath(env)
			return randomGet("owner", func(e *Env, rng *rand.Rand) string {
				if derr != nil || rng.IntN(2) == 0 {
					return first
				}
				u, _ := url.Parse(deep)
				q := u.Query()
				if q.Has("page") {
					q.Set("page", strconv.Itoa(1+rng.IntN(max(1, e.DeepPage))))
				}
				return u.Path + "?" + q.Encode()
			})(env, conns)
		}},
		{Name: "members search", Weight: 8, Prepare: randomGet("owner", func(e *Env, rng *rand.Rand) string {
			return e.org("/settings/members") + "?q=" + url.QueryEscape(searchTerms[rng.IntN(len(searchTerms))])
		})},
		{Name: "dashboard", Weight: 12, Prepare: fixedGet(getScenario("dashboard", "agent", func(e *Env) (string, error) { return e.org(""), nil }))},
		{Name: "customers All (page, search)", Weight: 10, Prepare: randomGet("owner", func(e *Env, rng *rand.Rand) string {
			if rng.IntN(5) == 0 {
				return e.org("/customers/all") + "?q=" + url.QueryEscape(searchTerms[rng.IntN(len(searchTerms))])
			}
			return e.org("/customers/all") + "?page=" + strconv.Itoa(1+rng.IntN(max(1, e.Info.Customers/25)))
		})},
		{Name: "customers Those I serve", Weight: 10, Prepare: fixedGet(getScenario("mine", "agent", func(e *Env) (string, error) { return e.org("/customers/mine"), nil }))},
		{Name: "My Permissions", Weight: 10, Prepare: fixedGet(getScenario("perms", "member20", func(e *Env) (string, error) { return e.org("/me/permissions"), nil }))},
		{Name: "group permission save", Weight: 4, Prepare: func(env *Env, conns int) (func(int, *rand.Rand) (Op, error), error) {
			next, err := preparePermSave(env, conns)
			if err != nil {
				return nil, err
			}
			return func(w int, _ *rand.Rand) (Op, error) { return next(w, 0) }, nil
		}},
		{Name: "customer create", Weight: 4, Prepare: customerPost("/o/"+benchseed.Slug+"/customers/new",
			func(e *Env, _ *rand.Rand) string { return e.org("/customers") },
			func(v url.Values, n int, rng *rand.Rand) {
				v.Set("name", fmt.Sprintf("Soak Customer %d", n))
				v.Set("email", fmt.Sprintf("soak.customer%d@soak.example", n))
				v.Set("phone", fmt.Sprintf("+44 20 %07d", rng.IntN(10_000_000)))
				v.Set("company", "Soak Ltd")
				v.Set("notes", "Created by make soak.")
			})},
		{Name: "customer edit", Weight: 6, Prepare: customerPost("%s/edit",
			func(e *Env, rng *rand.Rand) string {
				ids := e.Info.AgentCustIDs
				return e.org("/customers/" + strconv.FormatInt(ids[rng.IntN(len(ids))], 10))
			},
			func(v url.Values, n int, rng *rand.Rand) {
				v.Set("notes", fmt.Sprintf("Edited by make soak (%d).", n))
				v.Set("phone", fmt.Sprintf("+44 20 %07d", rng.IntN(10_000_000)))
			})},
	}
}

// rssSample is one memory reading.
type rssSample struct {
	At  time.Duration
	MiB float64
}

// slope is the least-squares slope of ys over xs (0 with fewer than two points).
func slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	if len(xs) < 2 || len(xs) != len(ys) {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// memoryVerdict judges the second half of the samples: growth projected
// over that half above max(2 MiB, 5% of the mean) counts as growing, but
// only when the ceiling climbs too: the peaks of the last third above the
// peaks of the first half. Under a soft memory limit RSS is a GC sawtooth,
// and one low sample early in the half tilts a least-squares slope although
// the ceiling stays put; a leak lifts the ceiling.
func memoryVerdict(samples []rssSample) (slopePerMin, growth float64, growing bool, enough bool) {
	if len(samples) < 4 {
		return 0, 0, false, false
	}
	half := samples[len(samples)/2:]
	var xs, ys []float64
	mean := 0.0
	for _, s := range half {
		xs = append(xs, s.At.Minutes())
		ys = append(ys, s.MiB)
		mean += s.MiB
	}
	mean /= float64(len(half))
	slopePerMin = slope(xs, ys)
	span := half[len(half)-1].At.Minutes() - half[0].At.Minutes()
	growth = slopePerMin * span
	limit := max(2, 0.05*mean)
	// The ceiling of the last third against the ceiling of the first half
	// (after the first sample, which still holds start-up allocations).
	var early []float64
	for _, s := range samples[1 : len(samples)/2] {
		early = append(early, s.MiB)
	}
	third := max(1, len(ys)/3)
	ceilingRise := maxOf(ys[len(ys)-third:]) - maxOf(early)
	return slopePerMin, growth, growth > limit && ceilingRise > limit, true
}

func maxOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = max(m, x)
	}
	return m
}

func cmdSoak(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	var c common
	c.register(fs)
	dur := fs.Duration("duration", 5*time.Minute, "length of the mixed load (SOAK_DURATION)")
	conns := fs.Int("conns", 16, "connections")
	every := fs.Duration("sample", 10*time.Second, "RSS sampling interval")
	timeout := fs.Duration("timeout", 10*time.Second, "per-request timeout")
	deepPage := fs.Int("deep-page", 1500, "highest members page visited when the pager uses ?page=")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dur <= 0 || *dur > 2*time.Hour || *conns < 1 || *conns > 256 || *every < time.Second {
		return errors.New("-duration must be in (0, 2h], -conns in [1, 256], -sample ≥ 1s")
	}
	if err := c.checkBinary(); err != nil {
		return err
	}
	runDB, info, _, err := c.prepareDB(ctx, out, "soak.db")
	if err != nil {
		return err
	}
	srv, err := StartServer(c.bin, runDB)
	if err != nil {
		return err
	}
	defer srv.Stop(30 * time.Second)
	if _, err := srv.WaitFor("/healthz", "", 30*time.Second); err != nil {
		return err
	}
	actors, err := signIn(srv.URL)
	if err != nil {
		return err
	}
	env := &Env{Base: srv.URL, Actors: actors, Info: info, Slug: benchseed.Slug, Search: "mar", DeepPage: *deepPage}

	type ready struct {
		op   soakOp
		next func(int, *rand.Rand) (Op, error)
	}
	var ops []ready
	var skipped []string
	total := 0
	for _, op := range soakOps() {
		next, err := op.Prepare(env, *conns)
		if err != nil {
			why := err.Error()
			if isMissing(err) {
				why = "route missing"
			}
			skipped = append(skipped, fmt.Sprintf("%s: n/a (%s)", op.Name, why))
			continue
		}
		ops = append(ops, ready{op, next})
		total += op.Weight
	}
	for _, s := range skipped {
		fmt.Fprintln(out, "skipped", s)
	}
	if len(ops) == 0 {
		return errors.New("no soak operation could run")
	}
	rngs := make([]*rand.Rand, *conns)
	for i := range rngs {
		rngs[i] = rand.New(rand.NewPCG(uint64(i)+1, 0x736f616b))
	}
	mixed := func(w, i int) (Op, error) {
		rng := rngs[w]
		x := rng.IntN(total)
		for k, r := range ops {
			if x -= r.op.Weight; x < 0 {
				op, err := r.next(w, rng)
				op.Kind = k
				return op, err
			}
		}
		return Op{}, errors.New("unreachable")
	}

	fmt.Fprintf(out, "soak: %d connections for %s, %d kinds of request\n", *conns, *dur, len(ops))
	// RSS every interval, and a progress line.
	var done atomic.Int64
	var samples []rssSample
	var mu sync.Mutex
	sampleCtx, stopSampling := context.WithCancel(ctx)
	var sampler sync.WaitGroup
	sampler.Add(1)
	start := time.Now()
	go func() {
		defer sampler.Done()
		for {
			rss, _, err := srv.Memory()
			if err == nil {
				mu.Lock()
				samples = append(samples, rssSample{time.Since(start), float64(rss) / 1024})
				mu.Unlock()
				fmt.Fprintf(out, "  %6s  rss %6.1f MiB  requests %d\n", time.Since(start).Round(time.Second), float64(rss)/1024, done.Load())
			}
			if !waitCtx(sampleCtx, *every) {
				return
			}
		}
	}()
	cpuBefore, cpuBeforeOK := readCPUTimes()
	res := Load(ctx, LoadOpts{Conns: *conns, Duration: *dur, MaxPerConn: 100_000_000, Timeout: *timeout, Kinds: len(ops), Done: &done}, mixed)
	steal := -1.0 // as in the bench: latencies mean little when the host took a lot
	if cpuAfter, ok := readCPUTimes(); ok && cpuBeforeOK {
		steal = cpuAfter.stealSince(cpuBefore)
	}
	stopSampling()
	sampler.Wait()
	// Read once more when the load is over, reported apart: idle memory
	// would bend the slope of the loaded samples.
	afterLoad := -1.0
	if rss, _, err := srv.Memory(); err == nil {
		afterLoad = float64(rss) / 1024
	}
	_, peak, _ := srv.Memory()
	exited := srv.Exited()
	logBad, logSample := srv.log.Bad()
	stopErr := srv.Stop(30 * time.Second)

	// The database after a clean stop.
	integrity := "not checked"
	if st, err := store.Open(ctx, runDB); err == nil {
		integrity, err = st.IntegrityCheck(ctx)
		if err != nil {
			integrity = err.Error()
		}
		st.Close()
	}

	var b strings.Builder
	fmt.Fprintf(&b, "### `make soak` results (%s)\n\n", start.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%d connections, %s, %d members / %d groups / %d customers; %.0f req/s overall. %s\n\n",
		*conns, res.Elapsed.Round(time.Second), info.Members, info.Groups, info.Customers, res.RPS(),
		stealNote(steal))
	b.WriteString("| request | count | req/s | p50 | p99 | errors | reasons |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for k, r := range ops {
		st := &res.Kinds[k]
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %d | %s |\n", r.op.Name, st.Requests, st.rate(res.Elapsed),
			fmtDur(st.Hist.Duration(50)), fmtDur(st.Hist.Duration(99)), st.Errors, mdEscape(strings.Join(st.TopReasons(3), "; ")))
	}
	for _, s := range skipped {
		fmt.Fprintf(&b, "| %s | | | | | | |\n", mdEscape(s))
	}
	b.WriteString("\nRSS samples (MiB): ")
	for i, s := range samples {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.1f", s.At.Round(time.Second), s.MiB)
	}
	if afterLoad >= 0 {
		fmt.Fprintf(&b, "; %.1f once the load stopped", afterLoad)
	}
	b.WriteString("\n\n")
	slopeMin, growth, growing, enough := memoryVerdict(samples)
	memVerdict := "stable"
	switch {
	case !enough:
		memVerdict = "too few samples to judge (run longer)"
	case growing:
		memVerdict = "GROWING"
	}
	verdicts := [][3]string{
		{"errors (non-2xx/3xx, transport, locked/busy database)", fmt.Sprint(res.Errors), passIf(res.Errors == 0)},
		{"server log errors", fmt.Sprint(logBad), passIf(logBad == 0)},
		{"memory over the second half", fmt.Sprintf("%s: slope %+.2f MiB/min, %+.1f MiB over the half; peak %.1f MiB",
			memVerdict, slopeMin, growth, float64(peak)/1024), passIf(enough && !growing)},
		{"every kind of request ran", fmt.Sprintf("%d of %d", len(ops), len(ops)+len(skipped)), passIf(len(skipped) == 0)},
		{"server alive to the end", fmt.Sprint(!exited), passIf(!exited)},
		{"integrity_check after shutdown", integrity, passIf(integrity == "ok")},
	}
	if stopErr != nil {
		verdicts = append(verdicts, [3]string{"graceful shutdown", stopErr.Error(), verdictMiss})
	}
	b.WriteString("| check | measured | verdict |\n| --- | --- | --- |\n")
	failed := false
	for _, v := range verdicts {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", v[0], mdEscape(v[1]), v[2])
		failed = failed || v[2] != verdictPass
	}
	if len(logSample) > 0 {
		b.WriteString("\nServer log errors (sample):\n\n```\n" + strings.Join(logSample, "\n") + "\n```\n")
	}
	fmt.Fprintln(out)
	fmt.Fprint(out, b.String())
	resPath := filepath.Join(c.dir, "soak-results.md")
	if err := os.WriteFile(resPath, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nMarkdown written to %s\n", resPath)
	if failed {
		return errors.New("soak failed: see the checks above")
	}
	return nil
}

func passIf(ok bool) string {
	if ok {
		return verdictPass
	}
	return verdictMiss
}
