package app

import "github.com/labstack/echo/v4"

// Route is one registered route and its guard (the authorization matrix
// test walks these, so a route added without a guard cannot slip through).
type Route struct {
	Method string
	Path   string
	Guard  Guard
}

// Handle registers a route with its guard; web/routes.go is the one place
// that calls it (directly or through the page registry).
func (k *Kernel) Handle(method, path string, h echo.HandlerFunc, g Guard) {
	k.Echo.Add(method, path, h, g.mw...)
	k.routes = append(k.routes, Route{Method: method, Path: path, Guard: g})
}

// Routes lists every application route with its guard, in registration order.
func (k *Kernel) Routes() []Route { return append([]Route(nil), k.routes...) }
