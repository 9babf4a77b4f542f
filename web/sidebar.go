package web

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"gatehouse/internal/access"
	"gatehouse/internal/nav"
	"gatehouse/views/layout"
)

// sidebarKey is everything a sidebar depends on: nav.Build is a pure
// function of the slug, the permission set, the products and which entries
// the page highlights (nav.ActiveKey), so a cached sidebar cannot go stale.
type sidebarKey struct {
	slug      string
	set       access.Set
	products  access.ProductSet
	activeKey string
}

type sidebarEntry struct {
	items []nav.Item // read-only once cached
	html  string
}

// sidebarCache skips building and rendering the sidebar on every page:
// members who share a permission set share its entries.
type sidebarCache struct {
	mu      sync.RWMutex
	entries map[sidebarKey]sidebarEntry
	bytes   int
}

// Bounds: a few sidebars per permission set and organization are the
// working set; past either bound the cache starts over.
const (
	maxSidebars     = 512
	maxSidebarBytes = 2 << 20
)

func (sc *sidebarCache) get(ctx context.Context, slug string, eff access.Set, products access.ProductSet, path string) (sidebarEntry, error) {
	k := sidebarKey{slug: slug, set: eff, products: products, activeKey: nav.ActiveKey(slug, path)}
	sc.mu.RLock()
	e, ok := sc.entries[k]
	sc.mu.RUnlock()
	if ok {
		return e, nil
	}
	e.items = nav.Build(slug, eff, products, path)
	var b strings.Builder
	if err := layout.Sidebar(e.items).Render(ctx, &b); err != nil {
		return sidebarEntry{}, err
	}
	e.html = b.String()
	sc.mu.Lock()
	if old, ok := sc.entries[k]; ok {
		sc.bytes -= len(old.html)
	}
	if sc.entries == nil || len(sc.entries) >= maxSidebars || sc.bytes+len(e.html) > maxSidebarBytes {
		sc.entries, sc.bytes = make(map[sidebarKey]sidebarEntry), 0
	}
	sc.entries[k] = e
	sc.bytes += len(e.html)
	sc.mu.Unlock()
	return e, nil
}

// markup writes a cached sidebar.
func (e sidebarEntry) markup() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, e.html)
		return err
	})
}
