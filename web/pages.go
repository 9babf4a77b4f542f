package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
)

// screenFunc is the handler of a page with a screen of its own, as a method
// expression ((*Server).customerShow).
type screenFunc = func(*Server, echo.Context) error

// screens binds declared page keys (internal/access/modules.go) to the
// handlers of their own screens. Each file with such handlers fills it in
// an init function (bindScreens); every other declared page gets the
// generic module page (modules.go).
var screens = map[string]screenFunc{}

// bindScreens adds bindings to screens; binding a key twice panics.
func bindScreens(m map[string]screenFunc) {
	for k, h := range m {
		if _, dup := screens[k]; dup {
			panic("web: page " + k + " bound to two screens")
		}
		screens[k] = h
	}
}

// declaredPages are the pages to register: the catalog's (a variable so a
// test can declare a page of its own).
var declaredPages = access.Pages

// checkScreens reports every screen bound to an undeclared page and every
// declared page with neither a screen nor the generic module page.
func checkScreens(pages []access.Page, bound map[string]screenFunc) error {
	var errs []error
	declared := make(map[string]bool, len(pages))
	for _, p := range pages {
		declared[p.Key] = true
		if _, ok := bound[p.Key]; ok {
			continue
		}
		if _, ok := genericPage(p); !ok {
			errs = append(errs, fmt.Errorf("web: page %s (%s %s) has no screen and no generic page", p.Key, p.Method, p.Path))
		}
	}
	for k := range bound {
		if !declared[k] {
			errs = append(errs, fmt.Errorf("web: a screen is bound to page %s, which is not declared", k))
		}
	}
	return errors.Join(errs...)
}

// pageRoute is a declared page's route path.
func pageRoute(p access.Page) string { return "/o/:slug" + p.Path }

// pageGuard is a declared page's guard: its module action, and the minimum
// scope or the flag it also needs.
func (s *Server) pageGuard(p access.Page) Guard {
	switch {
	case p.Scope != 0:
		return s.moduleScope(p.Module, p.Action, p.Scope)
	case p.Flag != "":
		return s.moduleFlag(p.Module, p.Action, p.Flag)
	}
	return s.module(p.Module, p.Action)
}

// pageRegistry registers the declared pages, module by module, at the place
// routes.go names them, and checks at the end that each was registered once.
type pageRegistry struct {
	s     *Server
	pages []access.Page
	done  map[string]bool
}

func (s *Server) pageRegistry() *pageRegistry {
	pages := declaredPages()
	if err := checkScreens(pages, screens); err != nil {
		panic(err)
	}
	return &pageRegistry{s: s, pages: pages, done: map[string]bool{}}
}

// of registers the pages of the modules keep selects, in declaration order.
func (r *pageRegistry) of(keep func(module string) bool) {
	for _, p := range r.pages {
		if !keep(p.Module) {
			continue
		}
		if r.done[p.Key] {
			panic("web: page " + p.Key + " registered twice")
		}
		r.done[p.Key] = true
		r.s.handle(p.Method, pageRoute(p), r.s.pageHandler(p), r.s.pageGuard(p))
	}
}

// modules registers the pages of the named modules.
func (r *pageRegistry) modules(keys ...string) {
	set := map[string]bool{}
	for _, k := range keys {
		access.MustModule(k)
		set[k] = true
	}
	r.of(func(m string) bool { return set[m] })
}

// rest registers the pages of every module not in except.
func (r *pageRegistry) rest(except ...string) {
	set := map[string]bool{}
	for _, k := range except {
		access.MustModule(k)
		set[k] = true
	}
	r.of(func(m string) bool { return !set[m] })
}

// finish fails if a declared page was never registered.
func (r *pageRegistry) finish() {
	var missing []string
	for _, p := range r.pages {
		if !r.done[p.Key] {
			missing = append(missing, p.Key)
		}
	}
	if len(missing) > 0 {
		panic("web: declared pages without a route: " + strings.Join(missing, ", "))
	}
}

// pageHandler is the page's own screen, or the generic module page.
func (s *Server) pageHandler(p access.Page) echo.HandlerFunc {
	if h, ok := screens[p.Key]; ok {
		return func(c echo.Context) error { return h(s, c) }
	}
	mp, ok := genericPage(p)
	if !ok { // checkScreens has already refused this
		panic("web: page " + p.Key + " has no screen")
	}
	return s.moduleHandler(mp)
}

// isGeneric reports whether the generic module page can answer p: a GET
// page whose only parameter is the organization.
func isGeneric(p access.Page) bool {
	return p.Method == http.MethodGet && !strings.Contains(p.Path, "/:")
}
