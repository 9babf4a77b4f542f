package access

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// MenuNode is one entry of the sidebar tree. It is catalog data: the nav
// package filters it with the same Set the route guards use.
type MenuNode struct {
	Key   string
	Label string
	Icon  string // short name ("home", "users"); the views map it to an SVG
	// Module binds the node to a module: visible only if that module is
	// accessible and in the organization's products. "" for pure parents.
	Module string
	// Page is the key of the declared page (modules.go) a leaf links to; for
	// a parent, the page whose path its pages live under ("" if none).
	Page string
	// Path is the page's path relative to /o/{slug} (taken from the page:
	// "" for the dashboard, "/customers/mine"). For a parent it is the
	// prefix its pages live under ("" if none); a parent links to its first
	// visible child.
	Path string
	// Flag, if set, is the full flag key the node also requires: the flag
	// that grants the page's minimum scope, or the page's own flag.
	Flag string
	// Teams: shown only in an organization with at least one team.
	Teams    bool
	Children []MenuNode
}

// menu is the sidebar (ARCHITECTURE.md, Enforcement and the sidebar), in
// display order, built by install from the declarations (buildMenu).
var menu []MenuNode

// buildMenu places each module's entry (MenuPlace) at the top level or in
// its section, lightest weight first (declaration order between equals). A
// module's entry links to its home page; its pages with a MenuLabel become
// its children. Paths and flags are filled in from the pages by linkPages.
func buildMenu(d Declaration) ([]MenuNode, error) {
	type placed struct {
		weight int
		node   MenuNode
	}
	sections := map[string]*placed{}
	var top []*placed
	for _, sd := range d.Sections {
		if sd.Key == "" || sections[sd.Key] != nil {
			return nil, fmt.Errorf("sidebar section %q: empty or declared twice", sd.Key)
		}
		sections[sd.Key] = &placed{sd.Weight, MenuNode{Key: sd.Key, Label: sd.Label, Icon: sd.Icon}}
	}
	var inSection = map[string][]placed{}
	for _, md := range d.Modules {
		if md.Menu == (MenuPlace{}) {
			continue // a module without a sidebar entry
		}
		n := MenuNode{Key: md.Key, Label: md.Label, Icon: md.Menu.Icon, Module: md.Key, Page: md.Key + ".home"}
		for _, p := range md.Pages {
			if p.MenuLabel != "" {
				n.Children = append(n.Children, MenuNode{Key: md.Key + "." + p.Key, Label: p.MenuLabel, Module: md.Key, Page: md.Key + "." + p.Key})
			}
		}
		if md.Menu.Section == "" {
			top = append(top, &placed{md.Menu.Weight, n})
			continue
		}
		if sections[md.Menu.Section] == nil {
			return nil, fmt.Errorf("module %s: no sidebar section %q", md.Key, md.Menu.Section)
		}
		inSection[md.Menu.Section] = append(inSection[md.Menu.Section], placed{md.Menu.Weight, n})
	}
	byWeight := func(a, b placed) int { return cmp.Compare(a.weight, b.weight) }
	for _, sd := range d.Sections {
		kids := inSection[sd.Key]
		if len(kids) == 0 {
			return nil, fmt.Errorf("sidebar section %s has no modules", sd.Key)
		}
		slices.SortStableFunc(kids, byWeight)
		for _, k := range kids {
			sections[sd.Key].node.Children = append(sections[sd.Key].node.Children, k.node)
		}
		top = append(top, sections[sd.Key])
	}
	slices.SortStableFunc(top, func(a, b *placed) int { return byWeight(*a, *b) })
	out := make([]MenuNode, len(top))
	for i, p := range top {
		out[i] = p.node
	}
	return out, nil
}

// linkPages fills each node's Path and Flag from the page it names (found
// by page), refusing a node that names an undeclared page, a page of
// another module or a page that is not a GET.
func linkPages(page func(key string) (Page, bool), ns []MenuNode) error {
	for i := range ns {
		n := &ns[i]
		if err := linkPages(page, n.Children); err != nil {
			return err
		}
		if n.Page == "" {
			continue
		}
		p, ok := page(n.Page)
		switch {
		case !ok:
			return fmt.Errorf("menu node %s: no page %s", n.Key, n.Page)
		case p.Module != n.Module || p.Method != http.MethodGet || strings.Contains(p.Path, "/:"):
			return fmt.Errorf("menu node %s: page %s is not a GET page of %s without parameters", n.Key, n.Page, n.Module)
		}
		n.Path, n.Flag, n.Teams = p.Path, p.Flag, p.Teams
		if p.Scope != 0 {
			f, _ := ScopeFlag(MustModule(p.Module), p.Scope)
			n.Flag = f.FullKey
		}
	}
	return nil
}

// Menu returns the sidebar tree (a deep copy: callers may not alter the catalog).
func Menu() []MenuNode { return cloneMenu(menu) }

func cloneMenu(ns []MenuNode) []MenuNode {
	out := slices.Clone(ns)
	for i := range out {
		out[i].Children = cloneMenu(out[i].Children)
	}
	return out
}

// MenuIcons returns every icon name the menu uses, once each, in menu order,
// so the views can test that each has an SVG.
func MenuIcons() []string {
	var out []string
	var walk func([]MenuNode)
	walk = func(ns []MenuNode) {
		for _, n := range ns {
			if n.Icon != "" && !slices.Contains(out, n.Icon) {
				out = append(out, n.Icon)
			}
			walk(n.Children)
		}
	}
	walk(menu)
	return out
}
