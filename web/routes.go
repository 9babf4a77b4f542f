package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

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
func (s *Server) registerRoutes(assets echo.MiddlewareFunc) {
	get, post := http.MethodGet, http.MethodPost

	// Assets: public, embedded, revalidated by ETag.
	s.echo.GET("/static/*", echo.StaticDirectoryHandler(static.FS, !s.echo.EnablePathUnescapingStaticFiles), assets)
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
	s.handle(get, "/signup/check-email", s.signupCheckEmailPage, public())
	s.handle(get, "/verify", s.verifyEmail, public())
	s.handle(post, "/verify/resend", s.verifyResend, s.signedIn())
	s.handle(get, "/setup", s.setupForm, public())
	s.handle(post, "/setup", s.setup, public())

	// Signed-in areas outside an organization.
	s.handle(get, "/orgs", s.orgsList, s.signedIn())
	s.handle(post, "/orgs/invitations/:id/accept", s.invitationAccept, s.signedIn())
	s.handle(post, "/orgs/invitations/:id/decline", s.invitationDecline, s.signedIn())
	s.handle(get, "/admin/outbox", s.outbox, s.instanceAdmin())

	// Organization pages: membership of that organization plus a module
	// action, registered from the pages each module declares
	// (internal/access/modules.go); the settings screens come further down.
	pages := s.pageRegistry()
	pages.rest("settings", "groups", "audit", "members")

	// Organization wizard and settings.
	s.handle(get, "/orgs/new", s.wizardGet, s.signedIn())
	s.handle(post, "/orgs/new", s.wizardPost, s.signedIn())
	s.handle(post, "/orgs/new/discard", s.wizardDiscard, s.signedIn())
	s.handle(get, "/orgs/new/check-name", s.wizardCheckName, s.signedIn())
	s.handle(get, "/orgs/new/check-slug", s.wizardCheckSlug, s.signedIn())
	s.handle(get, "/orgs/new/quote", s.quoteForm, s.signedIn())
	s.handle(post, "/orgs/new/quote", s.quoteSubmit, s.signedIn())
	pages.modules("settings")

	// Groups.
	pages.modules("groups")

	// Profile, My Permissions and the audit log.
	s.handle(get, "/me/profile", s.profile, s.signedIn())
	s.handle(post, "/me/profile", s.profileSave, s.signedIn())
	s.handle(post, "/me/profile/email", s.profileEmail, s.signedIn())
	s.handle(post, "/me/profile/password", s.profilePassword, s.signedIn())
	s.handle(post, "/me/profile/photo", s.profilePhoto, s.signedIn())
	s.handle(post, "/me/profile/photo/remove", s.profilePhotoRemove, s.signedIn())
	s.handle(get, "/me/photo/:id", s.userPhoto, s.signedIn())
	s.handle(post, "/me/sessions/revoke-others", s.sessionsRevokeOthers, s.signedIn())
	s.handle(post, "/me/sessions/:id/revoke", s.sessionRevoke, s.signedIn())
	s.handle(get, "/o/:slug/me/permissions", s.myPermissions, s.member())
	s.handle(get, "/o/:slug/me/permissions.json", s.myPermissionsJSON, s.member())
	pages.modules("audit")

	// Members, invitations and the member permissions tab.
	pages.modules("members")
	s.handle(get, "/invite/:token", s.inviteLanding, public())
	s.handle(post, "/invite/:token/accept", s.inviteAccept, s.signedIn())
	pages.finish()
}
