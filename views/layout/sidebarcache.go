package layout

import (
	"context"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"gatehouse/internal/nav"
)

// The sidebar is drawn on every organization page, yet thousands of
// members share a handful of menus. Its markup is a pure function of the
// items (labels, icons, links, which one is active), so it is rendered
// once per distinct item list and then written as a string. The key is the
// items themselves, so nothing can go stale: a changed permission, product
// or slug is a different list and a different key.
var sidebars = sidebarCache{max: 4096}

type sidebarCache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]string
}

// cachedSidebar renders Sidebar(items) through the cache.
func cachedSidebar(items []nav.Item) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		html, err := sidebars.markup(ctx, items)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, html)
		return err
	})
}

func (sc *sidebarCache) markup(ctx context.Context, items []nav.Item) (string, error) {
	var kb strings.Builder
	writeSidebarKey(&kb, items)
	key := kb.String()
	sc.mu.RLock()
	html, ok := sc.entries[key]
	sc.mu.RUnlock()
	if ok {
		return html, nil
	}
	var b strings.Builder
	if err := Sidebar(items).Render(ctx, &b); err != nil {
		return "", err
	}
	html = b.String()
	sc.mu.Lock()
	if sc.entries == nil || len(sc.entries) >= sc.max {
		sc.entries = make(map[string]string) // start over rather than grow without bound
	}
	sc.entries[key] = html
	sc.mu.Unlock()
	return html, nil
}

// writeSidebarKey writes every field the sidebar template reads, each
// prefixed by its length and the nesting spelled out, so two different
// lists never share a key.
func writeSidebarKey(b *strings.Builder, items []nav.Item) {
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	for _, it := range items {
		field(it.Key)
		field(it.Label)
		field(it.Icon)
		field(it.Href)
		if it.Active {
			b.WriteByte('A')
		} else {
			b.WriteByte('-')
		}
		b.WriteByte('(')
		writeSidebarKey(b, it.Children)
		b.WriteByte(')')
	}
}
