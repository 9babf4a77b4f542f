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

func wantErr(t *testing.T, want string, err error) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func page(module, name, path string, act Action) Page {
	p := GetPage(name, path, act)
	p.Module, p.Key = module, module+"."+name
	return p
}

// A bad page declaration is refused.
func TestCheckPagesRefuses(t *testing.T) {
	ok := page("flows", "home", "/flows", View)
	if _, err := checkPages([]Page{ok, page("flows", "report", "/flows/report", Export)}); err != nil {
		t.Fatal(err)
	}
	bad := map[string][]Page{
		"unknown module":         {page("nope", "home", "/nope", View)},
		"key must be":            {{Key: "flowshome", Module: "flows", Method: http.MethodGet, Path: "/flows"}},
		"method":                 {{Key: "flows.home", Module: "flows", Method: http.MethodPut, Path: "/flows"}},
		"must start with /":      {page("flows", "home", "flows", View)},
		"does not offer":         {page("dashboard", "new", "/new", Create)},
		"declared twice":         {ok, page("flows", "home", "/flows/2", View)},
		"are both":               {ok, page("flows", "other", "/flows", View)},
		"has no flag for scope":  {{Key: "flows.all", Module: "flows", Method: http.MethodGet, Path: "/flows/all", Scope: ScopeAll}},
		"is not a flag of flows": {{Key: "flows.x", Module: "flows", Method: http.MethodGet, Path: "/flows/x", Flag: "chats.canAssignToOthers"}},
	}
	for want, ps := range bad {
		_, err := checkPages(ps)
		wantErr(t, want, err)
	}
}

// A menu node naming an undeclared page, or a page it cannot link to, is refused.
func TestMenuNeedsDeclaredPages(t *testing.T) {
	wantErr(t, "no page flows.nope", linkPages(PageByKey, []MenuNode{{Key: "flows", Module: "flows", Page: "flows.nope"}}))
	wantErr(t, "is not a GET page", linkPages(PageByKey, []MenuNode{{Key: "customers", Module: "customers", Page: "customers.show"}}))
	wantErr(t, "is not a GET page", linkPages(PageByKey, []MenuNode{{Key: "flows", Module: "flows", Page: "customers.home"}}))
	got := []MenuNode{{Key: "crm.all", Module: "crm", Page: "crm.all"}}
	if err := linkPages(PageByKey, got); err != nil || got[0].Path != "/crm/all" || got[0].Flag != "crm.canAccessAll" {
		t.Errorf("linked node = %+v, %v", got[0], err)
	}
}
