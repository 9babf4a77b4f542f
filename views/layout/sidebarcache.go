package layout

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/htmlcache"
	"gatehouse/internal/nav"
)

// The sidebar is drawn on every organization page, yet thousands of
// members share a handful of menus. Its markup is a pure function of the
// items (labels, icons, links, which one is active), so it is rendered
// once per distinct item list and then written as a string. The key is the
// items themselves, so nothing can go stale: a changed permission, product
// or slug is a different list and a different key.
var sidebars = htmlcache.New[string](4096)

// cachedSidebar renders Sidebar(items) through the cache.
func cachedSidebar(items []nav.Item) templ.Component {
	var kb strings.Builder
	writeSidebarKey(&kb, items)
	return sidebars.Component(kb.String(), func() templ.Component { return Sidebar(items) })
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
