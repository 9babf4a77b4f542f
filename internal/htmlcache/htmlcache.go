// Package htmlcache keeps rendered markup of components that are pure
// functions of a key (a sidebar of given items, the module cards of a
// permission set), so hot pages write a string instead of running the
// template again. The key must determine the markup completely: then
// nothing can go stale and no invalidation is needed.
package htmlcache

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// Cache maps keys to rendered markup. It holds at most maxEntries entries
// and maxBytes of markup; when full it starts over rather than grow (the
// working set is small: menus and permission sets repeat across thousands
// of members, and a server with a memory target cannot let every cache
// creep up to its bound and stay there). The zero value is not usable; make
// one with New.
type Cache[K comparable] struct {
	mu                   sync.RWMutex
	maxEntries, maxBytes int
	bytes                int
	entries              map[K]string
}

// New returns a cache of at most maxEntries entries and maxBytes of markup.
func New[K comparable](maxEntries, maxBytes int) *Cache[K] {
	return &Cache[K]{maxEntries: maxEntries, maxBytes: maxBytes, entries: make(map[K]string)}
}

// Markup returns the markup for key, rendering build() on a miss.
func (c *Cache[K]) Markup(ctx context.Context, key K, build func() templ.Component) (string, error) {
	c.mu.RLock()
	html, ok := c.entries[key]
	c.mu.RUnlock()
	if ok {
		return html, nil
	}
	var b strings.Builder
	if err := build().Render(ctx, &b); err != nil {
		return "", err
	}
	html = b.String()
	if len(html) > c.maxBytes {
		return html, nil // too big to keep at all
	}
	c.mu.Lock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= len(old)
	}
	if len(c.entries) >= c.maxEntries || c.bytes+len(html) > c.maxBytes {
		c.entries, c.bytes = make(map[K]string), 0
	}
	c.entries[key] = html
	c.bytes += len(html)
	c.mu.Unlock()
	return html, nil
}

// Component is a templ component writing the cached markup for key.
func (c *Cache[K]) Component(key K, build func() templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		html, err := c.Markup(ctx, key, build)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, html)
		return err
	})
}

// Bytes is the size of the markup held.
func (c *Cache[K]) Bytes() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.bytes
}

// Len is the number of entries held.
func (c *Cache[K]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
