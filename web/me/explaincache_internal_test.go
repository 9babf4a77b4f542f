package me

import (
	"bytes"
	"testing"
)

func TestExplainCacheKeyAndBound(t *testing.T) {
	ec := newExplainCache()
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
	// A new version is a new entry; the old one is never asked for again.
	k8 := k
	k8.version = 8
	ec.put(10, k8, []byte("v8!"))
	if got, ok := ec.get(10, k8); !ok || string(got) != "v8!" {
		t.Fatalf("get(v8) = %q %v", got, ok)
	}
	// Bounded by bytes.
	page := bytes.Repeat([]byte("x"), maxExplainBytes/16)
	for id := range int64(100) {
		ec.put(100+id, k, page)
	}
	if ec.entries.Bytes() > maxExplainBytes || ec.entries.Len() > 16 {
		t.Fatalf("%d entries, %d bytes; bound %d", ec.entries.Len(), ec.entries.Bytes(), maxExplainBytes)
	}
	if got, ok := ec.get(199, k); !ok || len(got) != len(page) {
		t.Error("the newest page was evicted")
	}
}
