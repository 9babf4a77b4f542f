package app

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// ModuleFlag: an active member holding module_action and the module's flag
// (e.g. customers_view + customers.canAccessAll for /customers/all). The
// flag is checked after the action, with the same effective set. A scope
// flag (canAccessAll) is a minimum scope: the guard is ModuleScope's.
func ModuleFlag(key string, act access.Action, fullFlagKey string) Guard {
	f := access.MustFlag(fullFlagKey)
	if f.Def().Module != key { // a flag of another module is a wiring mistake: fail at start-up
		panic(fmt.Sprintf("web: flag %q does not belong to module %q", fullFlagKey, key))
	}
	if sc := f.Def().Scope; sc != 0 {
		return ModuleScope(key, act, sc)
	}
	g := Module(key, act)
	g.Flag = fullFlagKey
	g.mw = append(g.mw, requireFlag(f))
	return g
}

// ModuleScope: an active member holding module_action whose scope on the
// module reaches min (access.Effective.Scope: e.g. all for /customers/all).
// The guard names the flag that grants that scope, as routes always have.
func ModuleScope(key string, act access.Action, min access.Scope) Guard {
	g := Module(key, act)
	f, ok := access.ScopeFlag(access.MustModule(key), min)
	if !ok { // own needs no guard of its own; a module without scope has none
		panic(fmt.Sprintf("web: module %q has no flag for scope %q", key, min))
	}
	g.Flag, g.Scope = f.FullKey, min
	g.mw = append(g.mw, requireScope(access.MustModule(key), min))
	return g
}

func requireFlag(f access.FlagID) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := AuthOf(c)
			if a == nil || a.Membership == nil || !a.Eff.CanFlag(f) {
				return forbiddenFor(f.Def().Label)
			}
			return next(c)
		}
	}
}

func requireScope(m access.ModuleID, min access.Scope) echo.MiddlewareFunc {
	f, _ := access.ScopeFlag(m, min) // ModuleScope checked it exists
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !AuthOf(c).Scope(m).AtLeast(min) {
				return forbiddenFor(f.Label)
			}
			return next(c)
		}
	}
}

// WithTeams is g that also needs the organization to have at least one team
// (Auth.HasTeams): the "My teams" lists answer 403 in one without.
func WithTeams(g Guard) Guard {
	g.Teams = true
	g.mw = append(g.mw[:len(g.mw):len(g.mw)], requireTeams)
	return g
}

func requireTeams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !AuthOf(c).HasTeams {
			return domain.Forbidden("The “My teams” lists open once %s has a service team.", AuthOf(c).Org.Name)
		}
		return next(c)
	}
}
