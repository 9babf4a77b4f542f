package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one request to send and how to judge its answer. Kind indexes the
// per-kind statistics (0 when a run has one kind).
type Op struct {
	Req   *http.Request
	Wire  []byte // optional: Req serialized once (wireBytes), sent as is
	Kind  int
	Check CheckFunc
}

// NextFunc builds the i-th request of worker w. Each worker calls it from
// its own goroutine only, so per-worker state indexed by w needs no lock.
// An error counts as a failed request.
type NextFunc func(w, i int) (Op, error)

// CheckFunc judges a response; "" means success, else the reason it failed.
type CheckFunc func(status int, body []byte) string

// Stat is the outcome of one kind of request.
type Stat struct {
	Requests int64 // completed (successful or not)
	Errors   int64
	Bytes    int64            // response bodies, summed
	Reasons  map[string]int64 // failure reason → count
	Hist     Hist
}

// Result is one load run.
type Result struct {
	Conns   int
	Elapsed time.Duration
	Stat           // every kind together
	Kinds   []Stat // per kind
}

// RPS is completed requests per second.
func (r *Result) RPS() float64 { return r.Stat.rate(r.Elapsed) }

// MeanBytes is the mean response body size.
func (s *Stat) MeanBytes() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Bytes) / float64(s.Requests)
}

func (s *Stat) rate(d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(s.Requests) / d.Seconds()
}

func (s *Stat) merge(o *Stat) {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.Bytes += o.Bytes
	if s.Reasons == nil {
		s.Reasons = map[string]int64{}
	}
	for k, v := range o.Reasons {
		s.Reasons[k] += v
	}
	s.Hist.Merge(&o.Hist)
}

// TopReasons lists failure reasons, most frequent first, at most n.
func (r *Stat) TopReasons(n int) []string {
	type kv struct {
		k string
		v int64
	}
	var all []kv
	for k, v := range r.Reasons {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v || all[i].v == all[j].v && all[i].k < all[j].k })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, fmt.Sprintf("%d× %s", all[i].v, all[i].k))
	}
	return out
}

// newClient is one keep-alive connection: its own transport, at most one
// connection, redirects returned rather than followed, compression off.
func newClient(timeout time.Duration) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConns:        1,
		MaxIdleConnsPerHost: 1,
		MaxConnsPerHost:     1,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// maxBody bounds what one response may make us read (a runaway page
// cannot eat the generator's memory).
const maxBody = 8 << 20

// LoadOpts bounds one run.
type LoadOpts struct {
	Conns      int
	Duration   time.Duration
	MaxPerConn int           // stop a connection after this many requests
	Timeout    time.Duration // per request
	Kinds      int           // number of request kinds NextFunc produces (≥ 1)
	Done       *atomic.Int64 // if set, counts completed requests as they happen (progress)
}

// Load drives o.Conns connections, each a goroutine sending requests back
// to back until the duration is over, and records every latency in a
// histogram. It is bounded by time, by request count and by the
// per-request timeout.
func Load(ctx context.Context, o LoadOpts, next NextFunc) Result {
	ctx, cancel := context.WithTimeout(ctx, o.Duration+o.Timeout+5*time.Second)
	defer cancel()
	kinds := max(1, o.Kinds)
	parts := make([][]Stat, o.Conns)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(o.Duration)
	for w := range o.Conns {
		st := make([]Stat, kinds)
		for k := range st {
			st[k].Reasons = map[string]int64{}
		}
		parts[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn := &wireConn{timeout: o.Timeout}
			stop := context.AfterFunc(ctx, conn.abort)
			defer stop()
			defer conn.close()
			var buf bytes.Buffer
			for i := 0; i < o.MaxPerConn && ctx.Err() == nil && time.Now().Before(deadline); i++ {
				op, err := next(w, i)
				s := &st[min(max(op.Kind, 0), kinds-1)]
				if err != nil {
					s.Requests++
					s.Errors++
					s.Reasons["build request: "+trim(err.Error(), 100)]++
					continue
				}
				t0 := time.Now()
				buf.Reset()
				status, err := conn.do(&op, &buf)
				lat := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					break // cut off by the run's end, not a server failure
				}
				s.Hist.Record(lat)
				s.Requests++
				s.Bytes += int64(buf.Len())
				if o.Done != nil {
					o.Done.Add(1)
				}
				reason := ""
				if err != nil {
					reason = "transport: " + shortErr(err)
				} else if op.Check != nil {
					reason = op.Check(status, buf.Bytes())
				}
				if reason != "" {
					s.Errors++
					s.Reasons[reason]++
				}
			}
		}()
	}
	wg.Wait()
	r := Result{Conns: o.Conns, Elapsed: time.Since(start), Kinds: make([]Stat, kinds)}
	r.Stat.Reasons = map[string]int64{}
	for _, st := range parts {
		for k := range st {
			r.Kinds[k].merge(&st[k])
			r.Stat.merge(&st[k])
		}
	}
	return r
}

// shortErr keeps transport errors groupable (no per-connection ports).
func shortErr(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	s := err.Error()
	for _, k := range []string{"connection refused", "connection reset", "EOF", "broken pipe"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return trim(s, 120)
}
