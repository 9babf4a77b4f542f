package access

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Page is one page of a module, declared once: the web layer registers its
// route and guard from it, and the menu links to it by Key, so the sidebar's
// hrefs and the routes cannot disagree (ARCHITECTURE.md, Adding a module).
// A page with a screen of its own is bound to its handler by Key in the web
// layer; any other page gets the generic module page.
type Page struct {
	// Key names the page: the module's key, a dot, the page's name
	// ("customers.show"). "<module>.home" is the module's landing page.
	Key    string
	Module string // the module key
	Method string // http.MethodGet or http.MethodPost
	// Path is relative to /o/:slug, with echo parameters: "" for the
	// dashboard, "/customers/:id".
	Path   string
	Action Action // the module action the page needs
	// Scope is the minimum scope on the module the page also needs (0 =
	// none): the guard names the flag that grants it.
	Scope Scope
	// Flag is a full flag key (not a scope flag) the page also needs ("" = none).
	Flag string
}

// Name is the page's name within its module ("show" for "customers.show").
func (p Page) Name() string { return strings.TrimPrefix(p.Key, p.Module+".") }

// pageSpecs build the declarations below.

func getPage(module, name, path string, act Action) Page {
	return Page{Key: module + "." + name, Module: module, Method: http.MethodGet, Path: path, Action: act}
}

func postPage(module, name, path string, act Action) Page {
	return Page{Key: module + "." + name, Module: module, Method: http.MethodPost, Path: path, Action: act}
}

// home is a module's one landing page at path.
func homePage(module, path string) []Page { return []Page{getPage(module, "home", path, View)} }

// scopedLists are a scoped module's pages: its bare path (which goes to the
// widest list the member may open), the "mine" list, and the "all" list,
// which needs all scope.
func scopedLists(module string) []Page {
	all := getPage(module, "all", "/"+module+"/all", View)
	all.Scope = ScopeAll
	return []Page{getPage(module, "home", "/"+module, View), getPage(module, "mine", "/"+module+"/mine", View), all}
}

func concatPages(ps ...[]Page) []Page { return slices.Concat(ps...) }

// pages are every module's pages, in the order the routes are registered
// (and listed by Routes()): a module's pages together, modules in menu order.
var pages = concatPages(
	homePage("dashboard", ""),
	scopedLists("customers"),
	[]Page{
		getPage("customers", "export", "/customers/export.csv", Export),
		getPage("customers", "new", "/customers/new", Create),
		postPage("customers", "create", "/customers", Create),
		getPage("customers", "show", "/customers/:id", View),
		getPage("customers", "edit", "/customers/:id/edit", Edit),
		postPage("customers", "update", "/customers/:id", Edit),
		postPage("customers", "delete", "/customers/:id/delete", Delete),
	},
	scopedLists("crm"),
	scopedLists("chats"),
	homePage("bulk_messages", "/bulk_messages"),
	homePage("flows", "/flows"),
	homePage("prompts", "/prompts"),
	homePage("financial", "/financial"),
	homePage("pos", "/pos"),
	homePage("medical", "/medical"),
	homePage("documents", "/documents"),
	homePage("reports", "/reports"),
	homePage("utm", "/utm"),
	[]Page{
		getPage("settings", "home", "/settings/organization", View),
		postPage("settings", "save", "/settings/organization", Edit),
	},
	[]Page{
		getPage("members", "home", "/settings/members", View),
		getPage("members", "invite", "/settings/members/invite", Create),
		postPage("members", "invite.create", "/settings/members/invite", Create),
		getPage("members", "import", "/settings/members/import", Create),
		postPage("members", "import.preview", "/settings/members/import", Create),
		postPage("members", "import.confirm", "/settings/members/import/confirm", Create),
		postPage("members", "invite.resend", "/settings/members/invites/:inv/resend", Create),
		postPage("members", "invite.revoke", "/settings/members/invites/:inv/revoke", Create),
		getPage("members", "show", "/settings/members/:id", View),
		postPage("members", "role", "/settings/members/:id/role", Edit),
		postPage("members", "groups", "/settings/members/:id/groups", Edit),
		postPage("members", "suspend", "/settings/members/:id/suspend", Edit),
		postPage("members", "reenable", "/settings/members/:id/reenable", Edit),
		postPage("members", "force-reset", "/settings/members/:id/force-reset", Edit),
		postPage("members", "sessions.revoke-all", "/settings/members/:id/sessions/revoke-all", Edit),
		postPage("members", "sessions.revoke", "/settings/members/:id/sessions/:sid/revoke", Edit),
		postPage("members", "signout", "/settings/members/:id/signout", Edit),
		postPage("members", "remove", "/settings/members/:id/remove", Delete),
		getPage("members", "permissions", "/settings/members/:id/permissions", View),
		postPage("members", "permissions.save", "/settings/members/:id/permissions", Edit),
		postPage("members", "permissions.preview", "/settings/members/:id/permissions/preview", Edit),
		postPage("members", "permissions.enable", "/settings/members/:id/permissions/custom/enable", Edit),
		postPage("members", "permissions.disable", "/settings/members/:id/permissions/custom/disable", Edit),
	},
	[]Page{
		getPage("groups", "home", "/settings/groups", View),
		getPage("groups", "new", "/settings/groups/new", Create),
		postPage("groups", "create", "/settings/groups", Create),
		getPage("groups", "show", "/settings/groups/:id", View),
		getPage("groups", "candidates", "/settings/groups/:id/candidates", Edit),
		postPage("groups", "update", "/settings/groups/:id", Edit),
		postPage("groups", "reset", "/settings/groups/:id/reset", Edit),
		postPage("groups", "delete", "/settings/groups/:id/delete", Delete),
		postPage("groups", "members.add", "/settings/groups/:id/members", Edit),
		postPage("groups", "members.remove", "/settings/groups/:id/members/:mid/remove", Edit),
	},
	homePage("service_teams", "/settings/service_teams"),
	homePage("channels", "/settings/channels"),
	homePage("integrations", "/settings/integrations"),
	homePage("billing", "/settings/billing"),
	[]Page{
		getPage("audit", "home", "/settings/audit", View),
		getPage("audit", "export", "/settings/audit/export.csv", Export),
	},
)

// pageByKey indexes pages; checkPages fails at start-up on a bad declaration.
var pageByKey = checkPages(pages)

func checkPages(ps []Page) map[string]int {
	byKey := make(map[string]int, len(ps))
	routes := map[string]string{}
	for i, p := range ps {
		m, ok := ModuleByKey(p.Module)
		switch {
		case !ok:
			panic(fmt.Sprintf("access: page %s: unknown module %q", p.Key, p.Module))
		case !strings.HasPrefix(p.Key, p.Module+".") || p.Name() == "":
			panic(fmt.Sprintf("access: page %s: key must be %q followed by a name", p.Key, p.Module+"."))
		case p.Method != http.MethodGet && p.Method != http.MethodPost:
			panic(fmt.Sprintf("access: page %s: method %q", p.Key, p.Method))
		case p.Path != "" && !strings.HasPrefix(p.Path, "/"):
			panic(fmt.Sprintf("access: page %s: path %q must start with /", p.Key, p.Path))
		case !m.Offers(p.Action):
			panic(fmt.Sprintf("access: page %s: module %s does not offer %s", p.Key, p.Module, m.ActionKey(p.Action)))
		}
		if _, dup := byKey[p.Key]; dup {
			panic("access: page " + p.Key + " declared twice")
		}
		if other, dup := routes[p.Method+" "+p.Path]; dup {
			panic(fmt.Sprintf("access: pages %s and %s are both %s %s", other, p.Key, p.Method, p.Path))
		}
		if p.Scope != 0 {
			if _, ok := ScopeFlag(m.ID, p.Scope); !ok {
				panic(fmt.Sprintf("access: page %s: module %s has no flag for scope %s", p.Key, p.Module, p.Scope))
			}
		}
		if p.Flag != "" {
			f, ok := FlagByFullKey(p.Flag)
			if !ok || f.Module != p.Module {
				panic(fmt.Sprintf("access: page %s: flag %q is not a flag of %s", p.Key, p.Flag, p.Module))
			}
		}
		byKey[p.Key] = i
		routes[p.Method+" "+p.Path] = p.Key
	}
	return byKey
}

// Pages returns every declared page, in declaration order (a copy).
func Pages() []Page { return slices.Clone(pages) }

// PageByKey returns the page declared under key.
func PageByKey(key string) (Page, bool) {
	i, ok := pageByKey[key]
	if !ok {
		return Page{}, false
	}
	return pages[i], true
}

// MustPage is PageByKey for keys written in code: an unknown key panics.
func MustPage(key string) Page {
	p, ok := PageByKey(key)
	if !ok {
		panic("access: unknown page " + key)
	}
	return p
}
