package access

import "slices"

// MenuNode is one entry of the sidebar tree. It is catalog data: the nav
// package filters it with the same Set the route guards use.
type MenuNode struct {
	Key   string
	Label string
	Icon  string // short name ("home", "users"); the views map it to an SVG
	// Module binds the node to a module: visible only if that module is
	// accessible and in the organization's products. "" for pure parents.
	Module string
	// Path is relative to /o/{slug}: "" for the dashboard, "/customers/mine".
	// For a parent it is the prefix its pages live under ("" if none); a
	// parent links to its first visible child.
	Path string
	// Flag, if set, is the full flag key the node also requires.
	Flag     string
	Children []MenuNode
}

func leaf(module, path, icon string) MenuNode {
	return MenuNode{Key: module, Label: moduleLabel(module), Icon: icon, Module: module, Path: path}
}

func moduleLabel(key string) string { return modules[MustModule(key)].Label }

// scoped is a module with "mine" and "all" pages, "all" needing the flag
// that grants all scope (canAccessAll).
func scoped(module, icon, mineLabel string) MenuNode {
	all, ok := ScopeFlag(MustModule(module), ScopeAll)
	if !ok {
		panic("access: menu: module " + module + " has no scope")
	}
	return MenuNode{
		Key: module, Label: moduleLabel(module), Icon: icon, Module: module, Path: "/" + module,
		Children: []MenuNode{
			{Key: module + ".mine", Label: mineLabel, Module: module, Path: "/" + module + "/mine"},
			{Key: module + ".all", Label: "All", Module: module, Path: "/" + module + "/all", Flag: all.FullKey},
		},
	}
}

func group(key, label, icon string, children ...MenuNode) MenuNode {
	return MenuNode{Key: key, Label: label, Icon: icon, Children: children}
}

// menu is the sidebar (ARCHITECTURE.md, Enforcement and the sidebar), in display order.
var menu = []MenuNode{
	leaf("dashboard", "", "home"),
	scoped("customers", "users", "Those I serve"),
	scoped("crm", "funnel", "Mine"),
	scoped("chats", "chat", "Assigned to me"),
	group("menu.automation", "Automation", "bolt",
		leaf("bulk_messages", "/bulk_messages", "send"),
		leaf("flows", "/flows", "flow"),
		leaf("prompts", "/prompts", "sparkle"),
	),
	group("menu.finance", "Finance", "wallet",
		leaf("financial", "/financial", "coins"),
		leaf("pos", "/pos", "cart"),
	),
	group("menu.medical", "Medical", "heart",
		leaf("medical", "/medical", "clipboard"),
		leaf("documents", "/documents", "file"),
	),
	group("menu.insights", "Insights", "chart",
		leaf("reports", "/reports", "report"),
		leaf("utm", "/utm", "link"),
	),
	group("menu.settings", "Settings", "settings",
		leaf("settings", "/settings/organization", "building"),
		leaf("members", "/settings/members", "user"),
		leaf("groups", "/settings/groups", "shield"),
		leaf("service_teams", "/settings/service_teams", "team"),
		leaf("channels", "/settings/channels", "inbox"),
		leaf("integrations", "/settings/integrations", "plug"),
		leaf("billing", "/settings/billing", "card"),
		leaf("audit", "/settings/audit", "log"),
	),
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
