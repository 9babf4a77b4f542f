package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
)

// Guard is a route's access rule. routes.go attaches exactly one to every
// route; the authorization matrix test reads them back.
type Guard struct {
	Name   string // "public", "signed-in", "instance-admin", "member", "module"
	Module string // for "module": the module key
	Action access.Action
	Flag   string       // for "module": a full flag key also required ("" = none; see guards_flag.go)
	Scope  access.Scope // for "module": a minimum scope also required, granted by Flag (0 = none)
	mw     []echo.MiddlewareFunc
}

func (g Guard) String() string {
	if g.Name == "module" {
		perm := access.PermissionName(access.MustModule(g.Module), g.Action) // own actions by their key
		if g.Flag != "" {
			return perm + "+" + g.Flag
		}
		return perm
	}
	return g.Name
}

// public: anyone.
func public() Guard { return Guard{Name: "public"} }

// signedIn: any signed-in user (with no forced password reset pending).
func (s *Server) signedIn() Guard {
	return Guard{Name: "signed-in", mw: []echo.MiddlewareFunc{s.requireUser}}
}

// instanceAdmin: the instance's administrators.
func (s *Server) instanceAdmin() Guard {
	return Guard{Name: "instance-admin", mw: []echo.MiddlewareFunc{s.requireUser, requireInstanceAdmin}}
}

// member: an active member of the organization in the URL.
func (s *Server) member() Guard {
	return Guard{Name: "member", mw: []echo.MiddlewareFunc{s.requireUser, requireMember}}
}

// module: an active member holding module_action.
func (s *Server) module(key string, act access.Action) Guard {
	id := access.MustModule(key) // unknown keys fail at startup, not at request time
	return Guard{Name: "module", Module: key, Action: act,
		mw: []echo.MiddlewareFunc{s.requireUser, requireMember, requireModule(id, act)}}
}

func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := authOf(c)
		if a == nil {
			return redirectToLogin(c)
		}
		if a.User.MustResetPassword {
			return redirect(c, "/reset")
		}
		return next(c)
	}
}

func redirectToLogin(c echo.Context) error {
	target := "/login"
	if c.Request().Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	return redirect(c, target)
}

// redirect sends a 303, or HX-Redirect for htmx so the whole page moves.
func redirect(c echo.Context, to string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func requireInstanceAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !authOf(c).User.IsInstanceAdmin {
			return errForbidden
		}
		return next(c)
	}
}

// requireMember: a non-member (or a missing organization) gets 404, exactly
// as if the organization did not exist; a suspended member gets the
// suspended page for this organization only.
func requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := authOf(c)
		if a.Org == nil || a.Membership == nil {
			return errNotFound
		}
		if a.Membership.Suspended() {
			return suspended(a.Org.Name)
		}
		return next(c)
	}
}

func requireModule(m access.ModuleID, act access.Action) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !authOf(c).Can(m, act) {
				return errForbidden
			}
			return next(c)
		}
	}
}
