// Package cache is the one bounded cache of the server (docs/ARCHITECTURE.md,
// Caches): Cache for data, HTML (html.go) for rendered markup on top of it.
// Every instance is owned by a Server or Store, never a package variable.
//
// Data caches keep query results (a page of a list, a few counts) under
// keys that say exactly what was asked and of which version of the data: a version that schema triggers bump on every change the result
// could show. A changed version is a different key, so a result never goes
// stale; old entries are simply never asked for again and go when the
// cache starts over.
package cache

import "sync"

// Cache maps keys to values. It holds at most maxEntries entries and
// maxBytes (as the caller sizes its values); when full it starts over
// rather than track recency: entries of older versions are dead weight,
// and the hot results refill in one request each. An entry older than
// maxAge seconds (0: no limit) is not returned, for data that changes
// without bumping a version. The zero value is not usable; make one with
// New.
type Cache[K comparable, V any] struct {
	mu                   sync.Mutex
	maxEntries, maxBytes int
	maxAge               int64
	bytes                int
	entries              map[K]entry[V]
}

type entry[V any] struct {
	value  V
	filled int64 // Unix seconds
	size   int
}

// New returns a cache of at most maxEntries entries and maxBytes, whose
// entries live at most maxAge seconds (0: until evicted).
func New[K comparable, V any](maxEntries, maxBytes int, maxAge int64) *Cache[K, V] {
	return &Cache[K, V]{maxEntries: maxEntries, maxBytes: maxBytes, maxAge: maxAge, entries: make(map[K]entry[V])}
}

// Get returns the value under key if it is there and young enough at now
// (Unix seconds). A clock that went backwards counts as too old.
func (c *Cache[K, V]) Get(key K, now int64) (V, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok || c.maxAge > 0 && (now-e.filled >= c.maxAge || now < e.filled) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// Put stores value under key, filled at now, taking size bytes of the
// budget. A value bigger than an eighth of the budget is not kept: an
// outlier is not worth the room of many ordinary entries.
func (c *Cache[K, V]) Put(key K, value V, size int, now int64) {
	if size > c.maxBytes/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= old.size
		delete(c.entries, key)
	}
	if len(c.entries) >= c.maxEntries || c.bytes+size > c.maxBytes {
		c.entries, c.bytes = make(map[K]entry[V]), 0
	}
	c.entries[key] = entry[V]{value: value, filled: now, size: size}
	c.bytes += size
}

// Len and Bytes tell what the cache holds.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *Cache[K, V]) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
