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
	// MenuLabel, if set, makes the page a child of its module's sidebar
	// entry under this label (a scoped module's lists: "Those I serve").
	MenuLabel string
	// Teams: the page also needs the organization to have at least one
	// team (the "My teams" lists, ARCHITECTURE.md, Teams).
	Teams bool
}

// Name is the page's name within its module ("show" for "customers.show").
func (p Page) Name() string { return strings.TrimPrefix(p.Key, p.Module+".") }

// pages are every module's pages in the order the routes are registered
// (and listed by Routes()): a module's pages together, modules in menu
// order; pageByKey indexes them. Both are built by install from the
// declarations (modules.go).
var (
	pages     []Page
	pageByKey map[string]int
)

// checkPages indexes ps by key, refusing a bad declaration.
func checkPages(ps []Page) (map[string]int, error) {
	byKey := make(map[string]int, len(ps))
	routes := map[string]string{}
	for i, p := range ps {
		m, ok := ModuleByKey(p.Module)
		switch {
		case !ok:
			return nil, fmt.Errorf("page %s: unknown module %q", p.Key, p.Module)
		case !strings.HasPrefix(p.Key, p.Module+".") || p.Name() == "":
			return nil, fmt.Errorf("page %s: key must be %q followed by a name", p.Key, p.Module+".")
		case p.Method != http.MethodGet && p.Method != http.MethodPost:
			return nil, fmt.Errorf("page %s: method %q", p.Key, p.Method)
		case p.Path != "" && !strings.HasPrefix(p.Path, "/"):
			return nil, fmt.Errorf("page %s: path %q must start with /", p.Key, p.Path)
		case !m.Offers(p.Action):
			return nil, fmt.Errorf("page %s: module %s does not offer %s", p.Key, p.Module, m.ActionKey(p.Action))
		}
		if _, dup := byKey[p.Key]; dup {
			return nil, fmt.Errorf("page %s declared twice", p.Key)
		}
		if other, dup := routes[p.Method+" "+p.Path]; dup {
			return nil, fmt.Errorf("pages %s and %s are both %s %s", other, p.Key, p.Method, p.Path)
		}
		if p.Scope != 0 {
			if _, ok := ScopeFlag(m.ID, p.Scope); !ok {
				return nil, fmt.Errorf("page %s: module %s has no flag for scope %s", p.Key, p.Module, p.Scope)
			}
		}
		if p.Flag != "" {
			f, ok := FlagByFullKey(p.Flag)
			if !ok || f.Module != p.Module {
				return nil, fmt.Errorf("page %s: flag %q is not a flag of %s", p.Key, p.Flag, p.Module)
			}
		}
		byKey[p.Key] = i
		routes[p.Method+" "+p.Path] = p.Key
	}
	return byKey, nil
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
