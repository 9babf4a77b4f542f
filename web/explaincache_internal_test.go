package web

import (
	"bytes"
	"testing"
)

// ResetExplainCache empties the My Permissions cache (tests and benchmarks
// of package web_test measure the uncached path with it).
func ResetExplainCache(s *Server) {
	s.explains.mu.Lock()
	s.explains.entries, s.explains.bytes = nil, 0
	s.explains.mu.Unlock()
}

// ExplainCacheLen is the number of cached pages.
func ExplainCacheLen(s *Server) int {
	s.explains.mu.Lock()
	defer s.explains.mu.Unlock()
	return len(s.explains.entries)
}

func TestExplainCacheKeyAndBound(t *testing.T) {
	var ec explainCache
	k := explainKey{org: 1, version: 7, role: "agent", orgName: "Acme", slug: "acme"}
	ec.put(10, k, []byte("v7"))
	if got, ok := ec.get(10, k); !ok || string(got) != "v7" {
		t.Fatalf("get = %q %v", got, ok)
	}
	// Every part of the key must match.
	for _, other := range []explainKey{
		{org: 2, version: 7, role: "agent", orgName: "Acme", slug: "acme"},
		{org: 1, version: 8, role: "agent", orgName: "Acme", slug: "acme"},
		{org: 1, version: 7, role: "admin", orgName: "Acme", slug: "acme"},
		{org: 1, version: 7, role: "agent", orgName: "Acme Ltd", slug: "acme"},
		{org: 1, version: 7, role: "agent", orgName: "Acme", slug: "acme2"},
	} {
		if _, ok := ec.get(10, other); ok {
			t.Errorf("hit with %+v", other)
		}
	}
	if _, ok := ec.get(11, k); ok {
		t.Error("hit for another membership")
	}
	// A new version replaces the member's entry instead of adding one.
	k8 := k
	k8.version = 8
	ec.put(10, k8, []byte("v8!"))
	if len(ec.entries) != 1 || ec.bytes != 3 {
		t.Fatalf("%d entries, %d bytes", len(ec.entries), ec.bytes)
	}
	// Bounded by bytes.
	page := bytes.Repeat([]byte("x"), maxExplainBytes/16)
	for id := range int64(100) {
		ec.put(100+id, k, page)
	}
	if ec.bytes > maxExplainBytes || len(ec.entries) > 16 {
		t.Fatalf("%d entries, %d bytes; bound %d", len(ec.entries), ec.bytes, maxExplainBytes)
	}
	if got, ok := ec.get(199, k); !ok || len(got) != len(page) {
		t.Error("the newest page was evicted")
	}
	sum := 0
	for _, e := range ec.entries {
		sum += len(e.html)
	}
	if sum != ec.bytes {
		t.Errorf("accounted %d bytes, hold %d", ec.bytes, sum)
	}
}
