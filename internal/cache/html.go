package cache

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/a-h/templ"
)

// HTML keeps rendered markup of components that are pure functions of a
// key (the whole props value, so a key cannot forget an input): hot pages
// write a string instead of running the template again, and nothing can
// go stale. It maps keys to markup, held in a Cache: at most
// maxEntries entries and maxBytes of markup, starting over when full
// rather than growing (the working set is small: menus and permission
// sets repeat across thousands of members, and a server with a memory
// target cannot let every cache creep up to its bound and stay there). The
// zero value is not usable; make one with NewHTML.
type HTML[K comparable] struct {
	entries *Cache[K, string]
}

// NewHTML returns a cache of at most maxEntries entries and maxBytes of markup.
func NewHTML[K comparable](maxEntries, maxBytes int) *HTML[K] {
	return &HTML[K]{entries: New[K, string](maxEntries, maxBytes, 0)}
}

// Markup returns the markup for key, rendering build() on a miss. A failed
// render is returned and not kept.
func (c *HTML[K]) Markup(ctx context.Context, key K, build func() templ.Component) (string, error) {
	if html, ok := c.entries.Get(key, 0); ok {
		return html, nil
	}
	// Rendered into a reused buffer and copied once at its size: a
	// growing builder of a large entry (a thread's 75 KB) allocated twice
	// its size on the way.
	b := renderBufs.Get().(*bytes.Buffer)
	defer func() {
		if b.Cap() <= 1<<20 {
			b.Reset()
			renderBufs.Put(b)
		}
	}()
	if err := build().Render(ctx, b); err != nil {
		return "", err
	}
	html := b.String()
	c.entries.Put(key, html, len(html), 0)
	return html, nil
}

var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Component is a templ component writing the cached markup for key.
func (c *HTML[K]) Component(key K, build func() templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		html, err := c.Markup(ctx, key, build)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, html)
		return err
	})
}

// Of is a templ component writing the cached markup for key, rendering
// build(key) on a miss: Component without the closures, so a page that
// writes many entries (list rows) pays one allocation per entry whatever
// the key's size (a closure holds a key over 128 bytes by reference, one
// more allocation for the key and one for the caller's closure).
func (c *HTML[K]) Of(key K, build func(K) templ.Component) templ.Component {
	return &entryOf[K]{c: c, key: key, build: build}
}

type entryOf[K comparable] struct {
	c     *HTML[K]
	key   K
	build func(K) templ.Component
}

func (e *entryOf[K]) Render(ctx context.Context, w io.Writer) error {
	html, ok := e.c.entries.Get(e.key, 0)
	if !ok {
		var err error
		if html, err = e.c.Markup(ctx, e.key, func() templ.Component { return e.build(e.key) }); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, html)
	return err
}

// Bytes is the size of the markup held.
func (c *HTML[K]) Bytes() int { return c.entries.Bytes() }

// Len is the number of entries held.
func (c *HTML[K]) Len() int { return c.entries.Len() }
