package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// bulkSpec is -bulk-in-flight: a bulk action of the members list over
// every member matching a list filter ("Select all matching"), run by the
// owner again and again, undone after each run, while the load rows run,
// so their p99 is measured with a bulk action in flight (issue 21, Speed).
type bulkSpec struct {
	Action, Undo string
	Filter       string // the members list's query string
}

// bulkUndo is each action the flag takes and the action that undoes it.
var bulkUndo = map[string]string{"suspend": "reenable", "reenable": "suspend"}

// bulkFilterKeys are the members list's filter fields.
var bulkFilterKeys = map[string]bool{"q": true, "role": true, "group": true, "team": true, "status": true}

// parseBulkSpec reads "action:filter", e.g. "suspend:role=sales" (every
// active sales member; the bench's actors are owner, agents and a
// supervisor, so their own pages keep working). "" is no bulk action.
func parseBulkSpec(s string) (spec bulkSpec, ok bool, err error) {
	if s = strings.TrimSpace(s); s == "" {
		return bulkSpec{}, false, nil
	}
	action, filter, found := strings.Cut(s, ":")
	undo, known := bulkUndo[action]
	if !found || !known {
		return bulkSpec{}, false, fmt.Errorf("-bulk-in-flight: %q: want action:filter, action suspend or reenable (e.g. suspend:role=sales)", s)
	}
	q, err := url.ParseQuery(filter)
	if err != nil || len(q) == 0 {
		return bulkSpec{}, false, fmt.Errorf("-bulk-in-flight: %q: the filter is a members list query such as role=sales or group=12", filter)
	}
	for k := range q {
		if !bulkFilterKeys[k] {
			return bulkSpec{}, false, fmt.Errorf("-bulk-in-flight: %q is not a members list filter (q, role, group, team, status)", k)
		}
	}
	return bulkSpec{Action: action, Undo: undo, Filter: q.Encode()}, true, nil
}

func (b bulkSpec) String() string { return b.Action + " over " + b.Filter }

// bulkStats is what the bulk runs did while the load ran.
type bulkStats struct {
	Runs, Errors int
	Times        []time.Duration
	LastErr      string
}

func (s bulkStats) String() string {
	if s.Runs == 0 {
		return fmt.Sprintf("no bulk run completed (errors %d %s)", s.Errors, s.LastErr)
	}
	t := slices.Clone(s.Times)
	slices.Sort(t)
	return fmt.Sprintf("%d bulk runs, median %s, longest %s, errors %d %s", s.Runs, fmtDur(t[len(t)/2]), fmtDur(t[len(t)-1]), s.Errors, s.LastErr)
}

// startBulkInFlight runs spec (then its undo) in a loop as owner until
// the returned stop is called; stop waits for the run under way and
// returns the stats.
func startBulkInFlight(ctx context.Context, base, slug string, owner *Actor, spec bulkSpec) (stop func() bulkStats) {
	ctx, cancel := context.WithCancel(ctx)
	var st bulkStats
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		client := newClient(10 * time.Minute)
		defer client.CloseIdleConnections()
		path := "/o/" + slug + "/settings/members/bulk"
		for ctx.Err() == nil {
			for _, action := range []string{spec.Action, spec.Undo} {
				req, err := owner.PostForm(base, path, url.Values{"action": {action}, "all": {"1"}, "filter": {spec.Filter}})
				if err != nil {
					st.Errors, st.LastErr = st.Errors+1, err.Error()
					return
				}
				start := time.Now()
				resp, err := client.Do(req.WithContext(context.WithoutCancel(ctx))) // a run under way ends whole
				switch {
				case err != nil:
					st.Errors, st.LastErr = st.Errors+1, err.Error()
				case resp.StatusCode != http.StatusSeeOther:
					st.Errors, st.LastErr = st.Errors+1, fmt.Sprintf("(%s: status %d)", action, resp.StatusCode)
				default:
					st.Runs++
					st.Times = append(st.Times, time.Since(start))
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}
	}()
	return func() bulkStats {
		cancel()
		wg.Wait()
		return st
	}
}
