package nav

import (
	"strings"
	"sync/atomic"

	"gatehouse/internal/access"
)

// node is a menu node with its module and flag resolved to IDs once, so
// Build does no map lookups per request.
type node struct {
	key, label, icon, path string
	module                 access.ModuleID
	hasModule              bool
	flag                   access.FlagID
	hasFlag                bool
	scope                  access.Scope // the flag's scope (0: not a scope flag)
	teams                  bool         // needs an organization with a team
	children               []node
}

// compiled is the tree of the installed catalog, compiled again when a test
// installs another one (access.Generation).
var compiled atomic.Pointer[compiledTree]

type compiledTree struct {
	generation uint64
	nodes      []node
}

func tree() []node {
	gen := access.Generation()
	if t := compiled.Load(); t != nil && t.generation == gen {
		return t.nodes
	}
	t := &compiledTree{gen, compile(access.Menu())}
	compiled.Store(t)
	return t.nodes
}

func compile(ms []access.MenuNode) []node {
	out := make([]node, len(ms))
	for i, m := range ms {
		n := node{key: m.Key, label: m.Label, icon: m.Icon, path: m.Path, teams: m.Teams, children: compile(m.Children)}
		if m.Module != "" {
			n.module, n.hasModule = access.MustModule(m.Module), true
		}
		if m.Flag != "" {
			n.flag, n.hasFlag = access.MustFlag(m.Flag), true
			n.scope = n.flag.Def().Scope
		}
		out[i] = n
	}
	return out
}

// Build returns the sidebar items a member sees in organization slug: a
// module-bound item needs its module accessible (view) and within products,
// a flag-bound item also the flag (a scope flag: the scope it grants, as the
// route guard asks), a teams-bound item ("My teams") an organization with a
// team (hasTeams); a parent needs a visible child, and a parent with exactly
// one visible child becomes a plain link to it. Active marks the item of
// currentPath (a URL path such as "/o/acme/customers/mine").
func Build(slug string, eff access.Set, products access.ProductSet, hasTeams bool, currentPath string) []Item {
	// A trailing slash names the same page ("/o/acme/" is the dashboard).
	if len(currentPath) > 1 {
		currentPath = strings.TrimRight(currentPath, "/")
	}
	b := builder{base: "/o/" + slug, eff: eff, products: products, hasTeams: hasTeams, current: currentPath}
	return b.items(tree())
}

type builder struct {
	base, current string
	eff           access.Set
	products      access.ProductSet
	hasTeams      bool
}

func (b *builder) items(ns []node) []Item {
	out := make([]Item, 0, len(ns))
	for i := range ns {
		if it, ok := b.item(&ns[i]); ok {
			out = append(out, it)
		}
	}
	return out
}

func (b *builder) item(n *node) (Item, bool) {
	if n.hasModule && !(b.eff.Accessible(n.module) && b.products.HasModule(n.module)) {
		return Item{}, false
	}
	if n.teams && !b.hasTeams {
		return Item{}, false
	}
	switch {
	case n.hasFlag && n.scope != 0:
		if s, _ := (access.Effective{Set: b.eff}).Scope(n.module); !s.AtLeast(n.scope) {
			return Item{}, false
		}
	case n.hasFlag && !b.eff.HasFlag(n.flag):
		return Item{}, false
	}
	it := Item{Key: n.key, Label: n.label, Icon: n.icon, Children: []Item{}}
	if len(n.children) == 0 {
		it.Href = b.base + n.path
		it.Active = b.under(it.Href, n.path != "")
		return it, true
	}
	kids := b.items(n.children)
	if len(kids) == 0 {
		return Item{}, false
	}
	// A parent links to its first visible child; it is active when a child
	// is, or when the page lies under the parent's own prefix (a customer's
	// detail page keeps "Customers" highlighted).
	it.Href = kids[0].Href
	it.Active = n.path != "" && b.under(b.base+n.path, true)
	for _, k := range kids {
		it.Active = it.Active || k.Active
	}
	if len(kids) > 1 {
		it.Children = kids
	}
	return it, true
}

// under reports whether the current path is href, or below it when prefix
// is allowed (never for the dashboard, whose href prefixes every page).
func (b *builder) under(href string, prefix bool) bool {
	if b.current == href {
		return true
	}
	return prefix && strings.HasPrefix(b.current, href) && b.current[len(href)] == '/'
}

// ActiveKey names the menu entries a page at currentPath marks active, for
// any member: Build gives the same items for two paths with the same
// ActiveKey (and the same slug, permissions and products), so callers can
// cache the sidebar by it instead of by every distinct URL (/customers/17,
// /customers/18, …).
func ActiveKey(slug, currentPath string) string {
	if len(currentPath) > 1 {
		currentPath = strings.TrimRight(currentPath, "/")
	}
	b := builder{base: "/o/" + slug, current: currentPath}
	var key []byte
	var walk func(ns []node)
	walk = func(ns []node) {
		for i := range ns {
			n := &ns[i]
			if len(n.children) == 0 {
				if b.under(b.base+n.path, n.path != "") {
					key = append(key, n.key...)
					key = append(key, ' ')
				}
				continue
			}
			if n.path != "" && b.under(b.base+n.path, true) {
				key = append(key, n.key...)
				key = append(key, ' ')
			}
			walk(n.children)
		}
	}
	walk(tree())
	return string(key)
}
