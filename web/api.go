package web

import "gatehouse/web/app"

// The kernel's types under their old names, for cmd and the tests.
type (
	// Route is one registered route and its guard.
	Route = app.Route
	// Guard is a route's access rule.
	Guard = app.Guard
	// Auth is the request's authentication and authorization context.
	Auth = app.Auth
	// PermForm is a permission grid as submitted, decoded.
	PermForm = app.PermForm
)

// DecodePermForm reads a submitted permission grid strictly (app.DecodePermForm).
var DecodePermForm = app.DecodePermForm

// PermGrantable is what the actor may put in a grid (app.PermGrantable).
var PermGrantable = app.PermGrantable

// CheckGridGrant applies anti-escalation to a submitted grid (app.CheckGridGrant).
var CheckGridGrant = app.CheckGridGrant
