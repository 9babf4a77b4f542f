package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/static"
	"gatehouse/web/app"
)

// Routes lists every application route with its guard, in registration order.
func (s *Server) Routes() []Route { return s.k.Routes() }

// declaredPages are the pages to register: the catalog's (a variable so a
// test can declare a page of its own).
var declaredPages = access.Pages

// registerRoutes is the one place that lists every route and who may use it.
func (s *Server) registerRoutes(assets echo.MiddlewareFunc) {
	get, post := http.MethodGet, http.MethodPost

	// Assets: public, embedded, revalidated by ETag.
	s.echo.GET("/static/*", echo.StaticDirectoryHandler(static.FS, !s.echo.EnablePathUnescapingStaticFiles), assets)
	s.k.Handle(get, "/healthz", s.healthz, app.Public())
	s.k.Handle(get, "/", s.home, app.Public())

	// Accounts.
	s.k.Handle(get, "/signup", s.accounts.SignupForm, app.Public())
	s.k.Handle(post, "/signup", s.accounts.Signup, app.Public())
	s.k.Handle(get, "/login", s.accounts.LoginForm, app.Public())
	s.k.Handle(post, "/login", s.accounts.Login, app.Public())
	s.k.Handle(post, "/logout", s.accounts.Logout, app.Public())
	s.k.Handle(get, "/forgot", s.accounts.ForgotForm, app.Public())
	s.k.Handle(post, "/forgot", s.accounts.Forgot, app.Public())
	s.k.Handle(get, "/reset", s.accounts.ResetForm, app.Public())
	s.k.Handle(post, "/reset", s.accounts.Reset, app.Public())
	s.k.Handle(get, "/signup/check-email", s.accounts.SignupCheckEmailPage, app.Public())
	s.k.Handle(get, "/verify", s.accounts.VerifyEmail, app.Public())
	s.k.Handle(post, "/verify/resend", s.accounts.VerifyResend, app.SignedIn())
	s.k.Handle(get, "/setup", s.accounts.SetupForm, app.Public())
	s.k.Handle(post, "/setup", s.accounts.Setup, app.Public())

	// Signed-in areas outside an organization.
	s.k.Handle(get, "/orgs", s.orgs.List, app.SignedIn())
	s.k.Handle(post, "/orgs/invitations/:id/accept", s.orgs.InvitationAccept, app.SignedIn())
	s.k.Handle(post, "/orgs/invitations/:id/decline", s.orgs.InvitationDecline, app.SignedIn())
	s.k.Handle(get, "/admin/outbox", s.orgs.Outbox, app.InstanceAdmin())

	// Organization pages: membership of that organization plus a module
	// action, registered from the pages each module declares
	// (internal/access/modules.go); the settings screens come further down.
	pages := s.k.Pages(declaredPages(), s.screens(), s.dashboard.GenericPage)
	pages.Rest("settings", "groups", "audit", "members")

	// Organization wizard and settings.
	s.k.Handle(get, "/orgs/new", s.orgs.WizardGet, app.SignedIn())
	s.k.Handle(post, "/orgs/new", s.orgs.WizardPost, app.SignedIn())
	s.k.Handle(post, "/orgs/new/discard", s.orgs.WizardDiscard, app.SignedIn())
	s.k.Handle(get, "/orgs/new/check-name", s.orgs.WizardCheckName, app.SignedIn())
	s.k.Handle(get, "/orgs/new/check-slug", s.orgs.WizardCheckSlug, app.SignedIn())
	s.k.Handle(get, "/orgs/new/quote", s.orgs.QuoteForm, app.SignedIn())
	s.k.Handle(post, "/orgs/new/quote", s.orgs.QuoteSubmit, app.SignedIn())
	pages.Modules("settings")

	// Groups.
	pages.Modules("groups")

	// Profile, My Permissions and the audit log.
	s.k.Handle(get, "/me/profile", s.me.Profile, app.SignedIn())
	s.k.Handle(post, "/me/profile", s.me.ProfileSave, app.SignedIn())
	s.k.Handle(post, "/me/profile/email", s.me.ProfileEmail, app.SignedIn())
	s.k.Handle(post, "/me/profile/password", s.me.ProfilePassword, app.SignedIn())
	s.k.Handle(post, "/me/profile/photo", s.me.ProfilePhoto, app.SignedIn())
	s.k.Handle(post, "/me/profile/photo/remove", s.me.ProfilePhotoRemove, app.SignedIn())
	s.k.Handle(get, "/me/photo/:id", s.me.UserPhoto, app.SignedIn())
	s.k.Handle(post, "/me/sessions/revoke-others", s.me.SessionsRevokeOthers, app.SignedIn())
	s.k.Handle(post, "/me/sessions/:id/revoke", s.me.SessionRevoke, app.SignedIn())
	s.k.Handle(get, "/o/:slug/me/permissions", s.me.MyPermissions, app.Member())
	s.k.Handle(get, "/o/:slug/me/permissions.json", s.me.MyPermissionsJSON, app.Member())
	pages.Modules("audit")

	// Members, invitations and the member permissions tab.
	pages.Modules("members")
	s.k.Handle(get, "/invite/:token", s.members.InviteLanding, app.Public())
	s.k.Handle(post, "/invite/:token/accept", s.members.InviteAccept, app.SignedIn())
	pages.Finish()
}
