package app

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/access"
	"gatehouse/internal/cache"
	"gatehouse/internal/nav"
	"gatehouse/views/layout"
)

// sidebarKey is everything a sidebar depends on: nav.Build is a pure
// function of the slug, the permission set, the products, whether the
// organization has a team and which entries
// the page highlights (nav.ActiveKey), so a cached sidebar cannot go stale.
type sidebarKey struct {
	slug      string
	set       access.Set
	products  access.ProductSet
	hasTeams  bool
	activeKey string
}

type sidebarEntry struct {
	items []nav.Item // read-only once cached
	html  string
}

// sidebarCache skips building and rendering the sidebar on every page:
// members who share a permission set share its entries (see
// internal/cache).
type sidebarCache struct {
	entries *cache.Cache[sidebarKey, sidebarEntry]
}

// Bounds: a few sidebars per permission set and organization are the
// working set; past either bound the cache starts over.
const (
	maxSidebars     = 512
	maxSidebarBytes = 2 << 20
)

func newSidebarCache() sidebarCache {
	return sidebarCache{entries: cache.New[sidebarKey, sidebarEntry](maxSidebars, maxSidebarBytes, 0)}
}

func (sc sidebarCache) get(ctx context.Context, slug string, eff access.Set, products access.ProductSet, hasTeams bool, path string) (sidebarEntry, error) {
	k := sidebarKey{slug: slug, set: eff, products: products, hasTeams: hasTeams, activeKey: nav.ActiveKey(slug, path)}
	if e, ok := sc.entries.Get(k, 0); ok {
		return e, nil
	}
	e := sidebarEntry{items: nav.Build(slug, eff, products, hasTeams, path)}
	var b strings.Builder
	if err := layout.Sidebar(e.items).Render(ctx, &b); err != nil {
		return sidebarEntry{}, err
	}
	e.html = b.String()
	sc.entries.Put(k, e, 2*len(e.html), 0) // the items take about as much as their markup
	return e, nil
}

// markup writes a cached sidebar.
func (e sidebarEntry) markup() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, e.html)
		return err
	})
}
