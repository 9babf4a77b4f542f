package access

import (
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
	// Page is the key of the declared page (pages.go) a leaf links to; for
	// a parent, the page whose path its pages live under ("" if none).
	Page string
	// Path is the page's path relative to /o/{slug} (taken from the page:
	// "" for the dashboard, "/customers/mine"). For a parent it is the
	// prefix its pages live under ("" if none); a parent links to its first
	// visible child.
	Path string
	// Flag, if set, is the full flag key the node also requires: the flag
	// that grants the page's minimum scope, or the page's own flag.
	Flag     string
	Children []MenuNode
}

// leaf is a module's entry, linking to its landing page (module.home).
func leaf(module, icon string) MenuNode {
	return MenuNode{Key: module, Label: moduleLabel(module), Icon: icon, Module: module, Page: module + ".home"}
}

func moduleLabel(key string) string {
	m, ok := ModuleByKey(key)
	if !ok {
		panic("access: menu: unknown module " + key)
	}
	return m.Label
}

// scoped is a module with "mine" and "all" lists under its landing page,
// "all" needing all scope (pages.go, scopedLists).
func scoped(module, icon, mineLabel string) MenuNode {
	return MenuNode{
		Key: module, Label: moduleLabel(module), Icon: icon, Module: module, Page: module + ".home",
		Children: []MenuNode{
			{Key: module + ".mine", Label: mineLabel, Module: module, Page: module + ".mine"},
			{Key: module + ".all", Label: "All", Module: module, Page: module + ".all"},
		},
	}
}

func group(key, label, icon string, children ...MenuNode) MenuNode {
	return MenuNode{Key: key, Label: label, Icon: icon, Children: children}
}

// menu is the sidebar (ARCHITECTURE.md, Enforcement and the sidebar), in
// display order; paths and flags come from the pages the nodes name.
var menu = linkPages(PageByKey, []MenuNode{
	leaf("dashboard", "home"),
	scoped("customers", "users", "Those I serve"),
	scoped("crm", "funnel", "Mine"),
	scoped("chats", "chat", "Assigned to me"),
	group("menu.automation", "Automation", "bolt",
		leaf("bulk_messages", "send"),
		leaf("flows", "flow"),
		leaf("prompts", "sparkle"),
	),
	group("menu.finance", "Finance", "wallet",
		leaf("financial", "coins"),
		leaf("pos", "cart"),
	),
	group("menu.medical", "Medical", "heart",
		leaf("medical", "clipboard"),
		leaf("documents", "file"),
	),
	group("menu.insights", "Insights", "chart",
		leaf("reports", "report"),
		leaf("utm", "link"),
	),
	group("menu.settings", "Settings", "settings",
		leaf("settings", "building"),
		leaf("members", "user"),
		leaf("groups", "shield"),
		leaf("service_teams", "team"),
		leaf("channels", "inbox"),
		leaf("integrations", "plug"),
		leaf("billing", "card"),
		leaf("audit", "log"),
	),
})

// linkPages fills each node's Path and Flag from the page it names (found
// by page): a node naming an undeclared page, a page of another module or
// a page that is not a GET fails at start-up.
func linkPages(page func(key string) (Page, bool), ns []MenuNode) []MenuNode {
	for i := range ns {
		n := &ns[i]
		n.Children = linkPages(page, n.Children)
		if n.Page == "" {
			continue
		}
		p, ok := page(n.Page)
		switch {
		case !ok:
			panic("access: menu node " + n.Key + ": no page " + n.Page)
		case p.Module != n.Module || p.Method != http.MethodGet || strings.Contains(p.Path, "/:"):
			panic("access: menu node " + n.Key + ": page " + n.Page + " is not a GET page of " + n.Module + " without parameters")
		}
		n.Path, n.Flag = p.Path, p.Flag
		if p.Scope != 0 {
			f, _ := ScopeFlag(MustModule(p.Module), p.Scope)
			n.Flag = f.FullKey
		}
	}
	return ns
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
