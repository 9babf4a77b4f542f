package web

import (
	"sync"

	"gatehouse/internal/access"
)

// explainCache keeps the rendered content of each member's My Permissions
// (not the shell around it). That content is a pure function of the
// member's layers and groups, which the organization's perm_version covers
// (schema triggers bump it on every change to groups, group memberships,
// role, status, individual permissions and products), plus the
// organization's name and slug, which do not bump it and so are part of the
// key. Any change therefore misses on the member's very next request.
type explainCache struct {
	mu      sync.Mutex
	bytes   int
	entries map[int64]explainEntry // by membership id
}

type explainKey struct {
	org, version  int64
	role          access.Role
	orgName, slug string
}

type explainEntry struct {
	key  explainKey
	html []byte
}

// maxExplainBytes bounds the cache: a page of a member in 20 groups is
// about 40 KB, so this holds about a hundred members' pages while keeping
// the server inside its memory target (64 MB peak RSS at 100k members).
const maxExplainBytes = 4 << 20

func (ec *explainCache) get(membership int64, k explainKey) ([]byte, bool) {
	ec.mu.Lock()
	e, ok := ec.entries[membership]
	ec.mu.Unlock()
	if !ok || e.key != k {
		return nil, false
	}
	return e.html, true
}

// put stores a page, evicting arbitrary entries (map order) to stay bounded.
func (ec *explainCache) put(membership int64, k explainKey, html []byte) {
	if len(html) > maxExplainBytes/8 {
		return // an outlier is not worth a slice of the budget
	}
	ec.mu.Lock()
	defer ec.mu.Unlock()
	if ec.entries == nil {
		ec.entries = make(map[int64]explainEntry)
	}
	if old, ok := ec.entries[membership]; ok {
		ec.bytes -= len(old.html)
		delete(ec.entries, membership)
	}
	for id, e := range ec.entries {
		if ec.bytes+len(html) <= maxExplainBytes {
			break
		}
		ec.bytes -= len(e.html)
		delete(ec.entries, id)
	}
	ec.entries[membership] = explainEntry{key: k, html: html}
	ec.bytes += len(html)
}
