package access

import (
	"net/http"
	"strings"
	"testing"
)

// Every declared page is well formed and the menu links only to declared
// GET pages, taking their paths and flags from them.
func TestPagesDeclared(t *testing.T) {
	ps := Pages()
	if len(ps) < 40 {
		t.Fatalf("only %d pages", len(ps))
	}
	for _, p := range ps {
		if got := MustPage(p.Key); got != p {
			t.Errorf("PageByKey(%s) = %+v", p.Key, got)
		}
	}
	for _, m := range Modules() {
		if _, ok := PageByKey(m.Key + ".home"); !ok {
			t.Errorf("module %s has no landing page", m.Key)
		}
	}
	if _, ok := PageByKey("customers.nope"); ok {
		t.Error("an undeclared key resolves")
	}
	show := MustPage("customers.show")
	if show.Method != http.MethodGet || show.Path != "/customers/:id" || show.Action != View || show.Name() != "show" {
		t.Errorf("customers.show = %+v", show)
	}
	if all := MustPage("chats.all"); all.Scope != ScopeAll || all.Flag != "" {
		t.Errorf("chats.all = %+v", all)
	}
	ps[0].Path = "/hacked"
	if MustPage(ps[0].Key).Path == "/hacked" {
		t.Error("Pages() exposes the declarations")
	}

	var walk func([]MenuNode)
	walk = func(ns []MenuNode) {
		for _, n := range ns {
			walk(n.Children)
			if n.Page == "" {
				if n.Module != "" {
					t.Errorf("menu node %s has a module but no page", n.Key)
				}
				continue
			}
			p := MustPage(n.Page)
			if n.Path != p.Path || p.Module != n.Module {
				t.Errorf("menu node %s: path %q module %q, page %s has %q %q", n.Key, n.Path, n.Module, p.Key, p.Path, p.Module)
			}
		}
	}
	walk(Menu())
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic, want %q", want)
			return
		}
		if msg, _ := r.(string); !strings.Contains(msg, want) {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	f()
}

// A bad page declaration fails at start-up.
func TestCheckPagesRefuses(t *testing.T) {
	ok := getPage("flows", "home", "/flows", View)
	checkPages([]Page{ok, getPage("flows", "report", "/flows/report", Export)})
	bad := map[string][]Page{
		"unknown module":         {getPage("nope", "home", "/nope", View)},
		"key must be":            {{Key: "flowshome", Module: "flows", Method: http.MethodGet, Path: "/flows"}},
		"method":                 {{Key: "flows.home", Module: "flows", Method: http.MethodPut, Path: "/flows"}},
		"must start with /":      {getPage("flows", "home", "flows", View)},
		"does not offer":         {getPage("dashboard", "new", "/new", Create)},
		"declared twice":         {ok, getPage("flows", "home", "/flows/2", View)},
		"are both":               {ok, getPage("flows", "other", "/flows", View)},
		"has no flag for scope":  {{Key: "flows.all", Module: "flows", Method: http.MethodGet, Path: "/flows/all", Scope: ScopeAll}},
		"is not a flag of flows": {{Key: "flows.x", Module: "flows", Method: http.MethodGet, Path: "/flows/x", Flag: "chats.canAssignToOthers"}},
	}
	for want, ps := range bad {
		mustPanic(t, want, func() { checkPages(ps) })
	}
}

// A menu node naming an undeclared page, or a page it cannot link to, fails
// at start-up.
func TestMenuNeedsDeclaredPages(t *testing.T) {
	mustPanic(t, "no page flows.nope", func() {
		linkPages(PageByKey, []MenuNode{{Key: "flows", Module: "flows", Page: "flows.nope"}})
	})
	mustPanic(t, "is not a GET page", func() {
		linkPages(PageByKey, []MenuNode{{Key: "customers", Module: "customers", Page: "customers.show"}})
	})
	mustPanic(t, "is not a GET page", func() {
		linkPages(PageByKey, []MenuNode{{Key: "flows", Module: "flows", Page: "customers.home"}})
	})
	got := linkPages(PageByKey, []MenuNode{{Key: "crm.all", Module: "crm", Page: "crm.all"}})
	if got[0].Path != "/crm/all" || got[0].Flag != "crm.canAccessAll" {
		t.Errorf("linked node = %+v", got[0])
	}
}
