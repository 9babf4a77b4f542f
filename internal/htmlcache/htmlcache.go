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

// Cache maps keys to rendered markup. It holds at most Max entries; when
// full it starts over rather than grow (the working set is small: menus and
// permission sets repeat across thousands of members). The zero value is
// not usable; make one with New.
type Cache[K comparable] struct {
	mu      sync.RWMutex
	max     int
	entries map[K]string
}

// New returns a cache of at most max entries.
func New[K comparable](max int) *Cache[K] {
	return &Cache[K]{max: max, entries: make(map[K]string)}
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
	c.mu.Lock()
	if len(c.entries) >= c.max {
		c.entries = make(map[K]string)
	}
	c.entries[key] = html
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

// Len is the number of entries held.
func (c *Cache[K]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
