package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
)

// Screens binds declared page keys (internal/access/modules.go) to the
// handlers of their own screens. Each feature returns its own; every other
// declared page gets the generic module page (web/dashboard).
type Screens map[string]echo.HandlerFunc

// Bind adds m's bindings to s; binding a key twice panics.
func (s Screens) Bind(m Screens) {
	for k, h := range m {
		if _, dup := s[k]; dup {
			panic("web: page " + k + " bound to two screens")
		}
		s[k] = h
	}
}

// CheckScreens reports every screen bound to an undeclared page and every
// declared page with neither a screen nor the generic module page.
func CheckScreens(pages []access.Page, bound Screens) error {
	var errs []error
	declared := make(map[string]bool, len(pages))
	for _, p := range pages {
		declared[p.Key] = true
		if _, ok := bound[p.Key]; ok {
			continue
		}
		if !IsGeneric(p) {
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

// IsGeneric reports whether the generic module page can answer p: a GET
// page whose only parameter is the organization.
func IsGeneric(p access.Page) bool {
	return p.Method == http.MethodGet && !strings.Contains(p.Path, "/:")
}

// PageRoute is a declared page's route path.
func PageRoute(p access.Page) string { return "/o/:slug" + p.Path }

// PageGuard is a declared page's guard: its module action, the minimum
// scope or the flag it also needs, and an organization with a team when the
// page asks for one.
func PageGuard(p access.Page) Guard {
	g := Module(p.Module, p.Action)
	switch {
	case p.Scope != 0:
		g = ModuleScope(p.Module, p.Action, p.Scope)
	case p.Flag != "":
		g = ModuleFlag(p.Module, p.Action, p.Flag)
	}
	if p.Teams {
		g = WithTeams(g)
	}
	return g
}

// PageRegistry registers the declared pages, module by module, at the place
// web/routes.go names them, and checks at the end that each was registered
// once.
type PageRegistry struct {
	k       *Kernel
	pages   []access.Page
	screens Screens
	generic func(access.Page) echo.HandlerFunc
	done    map[string]bool
}

// Pages starts registering pages: each is answered by its screen, or by
// generic (the generic module page). A binding that does not match the
// declarations panics (CheckScreens), so the server does not start.
func (k *Kernel) Pages(pages []access.Page, screens Screens, generic func(access.Page) echo.HandlerFunc) *PageRegistry {
	if err := CheckScreens(pages, screens); err != nil {
		panic(err)
	}
	return &PageRegistry{k: k, pages: pages, screens: screens, generic: generic, done: map[string]bool{}}
}

// of registers the pages of the modules keep selects, in declaration order.
func (r *PageRegistry) of(keep func(module string) bool) {
	for _, p := range r.pages {
		if !keep(p.Module) {
			continue
		}
		if r.done[p.Key] {
			panic("web: page " + p.Key + " registered twice")
		}
		r.done[p.Key] = true
		h, ok := r.screens[p.Key]
		if !ok {
			h = r.generic(p)
		}
		r.k.Handle(p.Method, PageRoute(p), h, PageGuard(p))
	}
}

// Modules registers the pages of the named modules.
func (r *PageRegistry) Modules(keys ...string) {
	set := map[string]bool{}
	for _, k := range keys {
		access.MustModule(k)
		set[k] = true
	}
	r.of(func(m string) bool { return set[m] })
}

// Rest registers the pages of every module not in except.
func (r *PageRegistry) Rest(except ...string) {
	set := map[string]bool{}
	for _, k := range except {
		access.MustModule(k)
		set[k] = true
	}
	r.of(func(m string) bool { return !set[m] })
}

// Finish fails if a declared page was never registered.
func (r *PageRegistry) Finish() {
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
