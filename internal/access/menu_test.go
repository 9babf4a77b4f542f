package access

import (
	"slices"
	"strings"
	"testing"
)

func TestMenuShape(t *testing.T) {
	m := Menu()
	var top []string
	for _, n := range m {
		top = append(top, n.Key)
	}
	want := []string{"dashboard", "customers", "crm", "chats", "menu.automation", "menu.finance", "menu.medical", "menu.insights", "menu.settings"}
	if !slices.Equal(top, want) {
		t.Fatalf("top level = %v", top)
	}
	children := map[string][]string{
		"customers":       {"customers.mine", "customers.team", "customers.all"},
		"crm":             {"crm.mine", "crm.team", "crm.all"},
		"chats":           {"chats.mine", "chats.team", "chats.all"},
		"menu.automation": {"bulk_messages", "flows", "prompts"},
		"menu.finance":    {"financial", "pos"},
		"menu.medical":    {"medical", "documents"},
		"menu.insights":   {"reports", "utm"},
		"menu.settings":   {"settings", "members", "groups", "service_teams", "channels", "integrations", "billing", "audit"},
	}
	paths := map[string]string{
		"dashboard": "", "customers.mine": "/customers/mine", "customers.all": "/customers/all",
		"crm.mine": "/crm/mine", "crm.all": "/crm/all", "chats.mine": "/chats/mine", "chats.all": "/chats/all",
		"customers.team": "/customers/team", "crm.team": "/crm/team", "chats.team": "/chats/team",
		"bulk_messages": "/bulk_messages", "flows": "/flows", "prompts": "/prompts", "financial": "/financial",
		"pos": "/pos", "medical": "/medical", "documents": "/documents", "reports": "/reports", "utm": "/utm",
		"settings": "/settings/organization", "members": "/settings/members", "groups": "/settings/groups",
		"service_teams": "/settings/service_teams", "channels": "/settings/channels",
		"integrations": "/settings/integrations", "billing": "/settings/billing", "audit": "/settings/audit",
	}
	labels := map[string]string{"crm": "Pipelines", "chats": "Conversations", "customers.mine": "Those I serve",
		"customers.team": "My teams", "crm.team": "My teams", "chats.team": "My teams",
		"customers.all": "All", "menu.automation": "Automation", "menu.insights": "Insights", "menu.settings": "Settings"}
	seenModules := map[string]bool{}
	for _, n := range m {
		var kids []string
		for _, c := range n.Children {
			kids = append(kids, c.Key)
			if c.Children != nil {
				t.Errorf("%s is nested too deep", c.Key)
			}
			checkNode(t, c, paths, labels, seenModules)
			// A child inherits its parent's module binding or has its own.
			if n.Module != "" && c.Module != n.Module {
				t.Errorf("%s bound to %q under %s", c.Key, c.Module, n.Key)
			}
			if n.Module == "" && c.Module != c.Key {
				t.Errorf("%s must carry its own module key, has %q", c.Key, c.Module)
			}
		}
		if !slices.Equal(kids, children[n.Key]) {
			t.Errorf("children of %s = %v, want %v", n.Key, kids, children[n.Key])
		}
		if len(n.Children) == 0 {
			checkNode(t, n, paths, labels, seenModules)
		} else if l, ok := labels[n.Key]; ok && n.Label != l {
			t.Errorf("%s label = %q", n.Key, n.Label)
		}
		if strings.HasPrefix(n.Key, "menu.") != (n.Module == "") || n.Icon == "" {
			t.Errorf("%s: module %q icon %q", n.Key, n.Module, n.Icon)
		}
	}
	for _, mod := range Modules() {
		if !seenModules[mod.Key] {
			t.Errorf("module %s has no menu entry", mod.Key)
		}
	}
}

func checkNode(t *testing.T, n MenuNode, paths, labels map[string]string, seen map[string]bool) {
	t.Helper()
	if p, ok := paths[n.Key]; !ok || n.Path != p {
		t.Errorf("%s path = %q, want %q", n.Key, n.Path, p)
	}
	if l, ok := labels[n.Key]; ok && n.Label != l {
		t.Errorf("%s label = %q, want %q", n.Key, n.Label, l)
	}
	if _, ok := ModuleByKey(n.Module); !ok {
		t.Errorf("%s: unknown module %q", n.Key, n.Module)
	}
	seen[n.Module] = true
	wantFlag := ""
	if strings.HasSuffix(n.Key, ".all") {
		wantFlag = n.Module + ".canAccessAll"
	}
	if strings.HasSuffix(n.Key, ".team") {
		wantFlag = n.Module + ".canAccessTeam"
	}
	if n.Flag != wantFlag || n.Teams != strings.HasSuffix(n.Key, ".team") {
		t.Errorf("%s flag = %q, want %q; teams %v", n.Key, n.Flag, wantFlag, n.Teams)
	}
	if _, ok := FlagByFullKey(n.Flag); n.Flag != "" && !ok {
		t.Errorf("%s: unknown flag %q", n.Key, n.Flag)
	}
}

func TestMenuIsACopy(t *testing.T) {
	m := Menu()
	m[1].Children[0].Path = "/hacked"
	m[0].Label = "hacked"
	if again := Menu(); again[1].Children[0].Path != "/customers/mine" || again[0].Label != "Dashboard" {
		t.Fatal("Menu() exposes the catalog")
	}
	icons := MenuIcons()
	if len(icons) < 10 || icons[0] != "home" || slices.Contains(icons, "") {
		t.Errorf("MenuIcons() = %v", icons)
	}
}
