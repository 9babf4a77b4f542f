package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// -bulk-in-flight takes action:filter with an action that can be undone and
// a members list filter; anything else is refused with the flag's name.
func TestParseBulkSpec(t *testing.T) {
	for in, want := range map[string]bulkSpec{
		"suspend:role=sales":          {Action: "suspend", Undo: "reenable", Filter: "role=sales"},
		" reenable:status=suspended ": {Action: "reenable", Undo: "suspend", Filter: "status=suspended"},
		"suspend:group=12&role=agent": {Action: "suspend", Undo: "reenable", Filter: "group=12&role=agent"},
		"suspend:q=mar%C3%ADa&team=3": {Action: "suspend", Undo: "reenable", Filter: "q=mar%C3%ADa&team=3"},
	} {
		got, ok, err := parseBulkSpec(in)
		if err != nil || !ok || got != want {
			t.Errorf("%q: %+v %v %v, want %+v", in, got, ok, err, want)
		}
	}
	if _, ok, err := parseBulkSpec(""); ok || err != nil {
		t.Errorf("empty flag: %v %v, want no bulk action", ok, err)
	}
	for _, in := range []string{"suspend", "remove:role=sales", "role:role=sales", "suspend:", "suspend:sort=name", "suspend:role=%zz", ":role=sales"} {
		if _, ok, err := parseBulkSpec(in); err == nil || ok || !strings.Contains(err.Error(), "-bulk-in-flight") {
			t.Errorf("%q: accepted (%v %v)", in, ok, err)
		}
	}
}

// The runner posts the action and its undo, all matching the filter, as
// the owner, until stopped, and ends on an undo.
func TestBulkInFlightRunsAndUndoes(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+r.PostForm.Get("action")+" "+r.PostForm.Get("all")+" "+r.PostForm.Get("filter")+" "+r.PostForm.Get("_csrf"))
		mu.Unlock()
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	spec, _, _ := parseBulkSpec("suspend:role=sales")
	stop := startBulkInFlight(context.Background(), srv.URL, "bench", &Actor{CSRF: "tok", Cookie: "s=1"}, spec)
	time.Sleep(50 * time.Millisecond)
	st := stop()
	mu.Lock()
	defer mu.Unlock()
	if st.Runs < 2 || st.Errors != 0 || st.Runs != len(seen) {
		t.Fatalf("stats %+v for %d posts", st, len(seen))
	}
	if seen[0] != "/o/bench/settings/members/bulk suspend 1 role=sales tok" || seen[1] != "/o/bench/settings/members/bulk reenable 1 role=sales tok" ||
		!strings.Contains(seen[len(seen)-1], " reenable ") {
		t.Fatalf("posts %q", seen[:2])
	}
}
