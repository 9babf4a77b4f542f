package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
)

// moduleFlag: an active member holding module_action and the module's flag
// (e.g. customers_view + customers.canAccessAll for /customers/all). The
// flag is checked after the action, with the same effective set.
func (s *Server) moduleFlag(key string, act access.Action, fullFlagKey string) Guard {
	g := s.module(key, act)
	f := access.MustFlag(fullFlagKey)
	if f.Def().Module != key { // a flag of another module is a wiring mistake: fail at start-up
		panic(fmt.Sprintf("web: flag %q does not belong to module %q", fullFlagKey, key))
	}
	g.Flag = fullFlagKey
	g.mw = append(g.mw, requireFlag(f))
	return g
}

func requireFlag(f access.FlagID) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := authOf(c)
			if a == nil || a.Membership == nil || !a.Eff.CanFlag(f) {
				return errForbidden
			}
			return next(c)
		}
	}
}
