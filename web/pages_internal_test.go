package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/web/app"
)

func newPagesServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{BaseURL: "http://localhost:8080", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newPanics reports what New panicked with ("" if it did not).
func newPanics(t *testing.T) (msg string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	newPagesServer(t)
	return ""
}

// Every screen is bound to a declared page, and every declared page has a
// screen or the generic module page.
func TestScreensMatchDeclaredPages(t *testing.T) {
	if err := app.CheckScreens(access.Pages(), newPagesServer(t).screens()); err != nil {
		t.Fatal(err)
	}
	routes := map[string]string{}
	for _, rt := range newPagesServer(t).Routes() {
		routes[rt.Method+" "+rt.Path] = rt.Guard.String()
	}
	for _, p := range access.Pages() {
		want := p.Module + "_" + p.Action.String()
		if p.Scope != 0 || p.Flag != "" {
			want += "+"
		}
		if g, ok := routes[p.Method+" "+app.PageRoute(p)]; !ok || !strings.HasPrefix(g, want) {
			t.Errorf("page %s: route %s %s guard %q, want %q…", p.Key, p.Method, app.PageRoute(p), g, want)
		}
	}
}

// A screen bound to an undeclared page is refused (New panics with this).
func TestScreenOfUndeclaredPageIsRefused(t *testing.T) {
	sc := newPagesServer(t).screens()
	sc.Bind(app.Screens{"flows.nope": sc["dashboard.home"]})
	if err := app.CheckScreens(access.Pages(), sc); err == nil || !strings.Contains(err.Error(), "bound to page flows.nope, which is not declared") {
		t.Fatalf("CheckScreens = %v", err)
	}
}

// A declared page with no screen of its own and no generic page (a form
// post, a page of one record) fails at start-up.
func TestNewRefusesPageWithoutScreen(t *testing.T) {
	for _, p := range []access.Page{
		{Key: "flows.run", Module: "flows", Method: http.MethodPost, Path: "/flows/run", Action: access.Edit},
		{Key: "flows.show", Module: "flows", Method: http.MethodGet, Path: "/flows/:id", Action: access.View},
	} {
		DeclarePages(t, append(access.Pages(), p))
		if msg := newPanics(t); !strings.Contains(msg, "page "+p.Key+" ("+p.Method+" "+p.Path+") has no screen and no generic page") {
			t.Errorf("%s: New panicked with %q", p.Key, msg)
		}
	}
}

// A page declared in a test, with no screen, is routed with its guard, in
// declaration order, and answered by the generic module page.
func TestDeclaredPageGetsGenericPage(t *testing.T) {
	ps := access.Pages()
	i := slices.IndexFunc(ps, func(p access.Page) bool { return p.Key == "flows.home" })
	extra := access.Page{Key: "flows.report", Module: "flows", Method: http.MethodGet, Path: "/flows/report", Action: access.Export}
	DeclarePages(t, slices.Insert(ps, i+1, extra))
	rs := newPagesServer(t).Routes()
	j := slices.IndexFunc(rs, func(r Route) bool { return r.Path == "/o/:slug/flows/report" })
	if j < 1 || rs[j].Method != http.MethodGet || rs[j].Guard.String() != "flows_export" || rs[j-1].Path != "/o/:slug/flows" {
		t.Fatalf("routes around the new page: %v", rs[max(j-1, 0):j+1])
	}
}
