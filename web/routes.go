package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/static"
)

// Route is one registered route and its guard (the authorization matrix
// test walks these, so a route added without a guard cannot slip through).
type Route struct {
	Method string
	Path   string
	Guard  Guard
}

// Routes lists every application route with its guard.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

func (s *Server) handle(method, path string, h echo.HandlerFunc, g Guard) {
	s.echo.Add(method, path, h, g.mw...)
	s.routes = append(s.routes, Route{Method: method, Path: path, Guard: g})
}

// registerRoutes is the one place that lists every route and who may use it.
func (s *Server) registerRoutes() {
	get, post := http.MethodGet, http.MethodPost
	v, c, ed, del, exp := access.View, access.Create, access.Edit, access.Delete, access.Export
	_, _, _, _ = c, ed, del, exp

	s.echo.StaticFS("/static", static.FS) // assets: public, embedded
	s.handle(get, "/healthz", s.healthz, public())
	s.handle(get, "/", s.home, public())

	// Accounts.
	s.handle(get, "/signup", s.signupForm, public())
	s.handle(post, "/signup", s.signup, public())
	s.handle(get, "/login", s.loginForm, public())
	s.handle(post, "/login", s.login, public())
	s.handle(post, "/logout", s.logout, public())
	s.handle(get, "/forgot", s.forgotForm, public())
	s.handle(post, "/forgot", s.forgot, public())
	s.handle(get, "/reset", s.resetForm, public())
	s.handle(post, "/reset", s.reset, public())

	// Signed-in areas outside an organization.
	s.handle(get, "/orgs", s.orgsList, s.signedIn())
	s.handle(get, "/admin/outbox", s.outbox, s.instanceAdmin())

	// Organization pages: membership of that organization plus a module action.
	s.handle(get, "/o/:slug", s.dashboard, s.module("dashboard", v))
}
