package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
)

// Guard is a route's access rule. web/routes.go attaches exactly one to every
// route; the authorization matrix test reads them back.
type Guard struct {
	Name   string // "public", "signed-in", "instance-admin", "member", "module"
	Module string // for "module": the module key
	Action access.Action
	Flag   string       // for "module": a full flag key also required ("" = none; see guards_flag.go)
	Scope  access.Scope // for "module": a minimum scope also required, granted by Flag (0 = none)
	Teams  bool         // for "module": the organization must also have a team ("My teams")
	mw     []echo.MiddlewareFunc
}

func (g Guard) String() string {
	if g.Name == "module" {
		perm := access.PermissionName(access.MustModule(g.Module), g.Action) // own actions by their key
		if g.Flag != "" {
			perm += "+" + g.Flag
		}
		if g.Teams {
			perm += "+teams"
		}
		return perm
	}
	return g.Name
}

// Public: anyone.
func Public() Guard { return Guard{Name: "public"} }

// SignedIn: any signed-in user (with no forced password reset pending).
func SignedIn() Guard {
	return Guard{Name: "signed-in", mw: []echo.MiddlewareFunc{requireUser}}
}

// InstanceAdmin: the instance's administrators.
func InstanceAdmin() Guard {
	return Guard{Name: "instance-admin", mw: []echo.MiddlewareFunc{requireUser, requireInstanceAdmin}}
}

// Member: an active member of the organization in the URL.
func Member() Guard {
	return Guard{Name: "member", mw: []echo.MiddlewareFunc{requireUser, requireMember}}
}

// Module: an active member holding module_action.
func Module(key string, act access.Action) Guard {
	id := access.MustModule(key) // unknown keys fail at startup, not at request time
	return Guard{Name: "module", Module: key, Action: act,
		mw: []echo.MiddlewareFunc{requireUser, requireMember, requireModule(id, act)}}
}

func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := AuthOf(c)
		if a == nil {
			return redirectToLogin(c)
		}
		if a.User.MustResetPassword {
			next := ""
			if c.Request().Method == http.MethodGet {
				next = c.Request().URL.RequestURI()
			}
			return Redirect(c, ForcedResetPath(next))
		}
		return next(c)
	}
}

// ForcedResetPath is the page of a forced password reset, returning the
// member to next (a local path, or "") once it is done.
func ForcedResetPath(next string) string {
	if next == "" {
		return "/reset"
	}
	return "/reset?next=" + url.QueryEscape(next)
}

func redirectToLogin(c echo.Context) error {
	target := "/login"
	if c.Request().Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	return Redirect(c, target)
}

// Redirect sends a 303, or HX-Redirect for htmx so the whole page moves.
func Redirect(c echo.Context, to string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func requireInstanceAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !AuthOf(c).User.IsInstanceAdmin {
			return ErrForbidden
		}
		return next(c)
	}
}

// requireMember: a non-member (or a missing organization) gets 404, exactly
// as if the organization did not exist; a suspended member gets the
// Suspended page for this organization only.
func requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := AuthOf(c)
		if a.Org == nil || a.Membership == nil {
			return ErrNotFound
		}
		if a.Membership.Suspended() {
			return Suspended(a.Org.Name)
		}
		return next(c)
	}
}

func requireModule(m access.ModuleID, act access.Action) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !AuthOf(c).Can(m, act) {
				return forbiddenFor(actionWords(m, act))
			}
			return next(c)
		}
	}
}
