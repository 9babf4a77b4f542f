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
func (s *Server) registerRoutes(assets echo.MiddlewareFunc) {
	get, post := http.MethodGet, http.MethodPost
	v, c, ed, del, exp := access.View, access.Create, access.Edit, access.Delete, access.Export
	_, _, _, _ = c, ed, del, exp

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

	// Organization pages: membership of that organization plus a module action.
	s.handle(get, "/o/:slug", s.dashboard, s.module("dashboard", v))

	// Customers (reference module) and module pages.
	s.handle(get, "/o/:slug/customers", s.customersHome, s.module("customers", v))
	s.handle(get, "/o/:slug/customers/mine", s.customersMine, s.module("customers", v))
	s.handle(get, "/o/:slug/customers/all", s.customersAll, s.moduleScope("customers", v, access.ScopeAll))
	s.handle(get, "/o/:slug/customers/export.csv", s.customersExport, s.module("customers", exp))
	s.handle(get, "/o/:slug/customers/new", s.customerNew, s.module("customers", c))
	s.handle(post, "/o/:slug/customers", s.customerCreate, s.module("customers", c))
	s.handle(get, "/o/:slug/customers/:id", s.customerShow, s.module("customers", v))
	s.handle(get, "/o/:slug/customers/:id/edit", s.customerEdit, s.module("customers", ed))
	s.handle(post, "/o/:slug/customers/:id", s.customerUpdate, s.module("customers", ed))
	s.handle(post, "/o/:slug/customers/:id/delete", s.customerDelete, s.module("customers", del))
	for _, p := range modulePages() { // every other module's page, paths taken from the catalog's menu
		g := s.module(p.Module, v)
		if p.Flag != "" {
			g = s.moduleFlag(p.Module, v, p.Flag)
		}
		s.handle(get, p.Path, s.moduleHandler(p), g)
	}

	// Organization wizard and settings.
	s.handle(get, "/orgs/new", s.wizardGet, s.signedIn())
	s.handle(post, "/orgs/new", s.wizardPost, s.signedIn())
	s.handle(post, "/orgs/new/discard", s.wizardDiscard, s.signedIn())
	s.handle(get, "/orgs/new/check-name", s.wizardCheckName, s.signedIn())
	s.handle(get, "/orgs/new/check-slug", s.wizardCheckSlug, s.signedIn())
	s.handle(get, "/orgs/new/quote", s.quoteForm, s.signedIn())
	s.handle(post, "/orgs/new/quote", s.quoteSubmit, s.signedIn())
	s.handle(get, "/o/:slug/settings/organization", s.orgSettings, s.module("settings", v))
	s.handle(post, "/o/:slug/settings/organization", s.orgSettingsSave, s.module("settings", ed))

	// Groups.
	s.handle(get, "/o/:slug/settings/groups", s.groupsList, s.module("groups", v))
	s.handle(get, "/o/:slug/settings/groups/new", s.groupNew, s.module("groups", c))
	s.handle(post, "/o/:slug/settings/groups", s.groupCreate, s.module("groups", c))
	s.handle(get, "/o/:slug/settings/groups/:id", s.groupDetail, s.module("groups", v))
	s.handle(get, "/o/:slug/settings/groups/:id/candidates", s.groupCandidates, s.module("groups", ed))
	s.handle(post, "/o/:slug/settings/groups/:id", s.groupUpdate, s.module("groups", ed))
	s.handle(post, "/o/:slug/settings/groups/:id/reset", s.groupReset, s.module("groups", ed))
	s.handle(post, "/o/:slug/settings/groups/:id/delete", s.groupDelete, s.module("groups", del))
	s.handle(post, "/o/:slug/settings/groups/:id/members", s.groupMemberAdd, s.module("groups", ed))
	s.handle(post, "/o/:slug/settings/groups/:id/members/:mid/remove", s.groupMemberRemove, s.module("groups", ed))

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
	s.handle(get, "/o/:slug/settings/audit", s.auditLog, s.module("audit", v))
	s.handle(get, "/o/:slug/settings/audit/export.csv", s.auditExport, s.module("audit", exp))

	// Members and invitations.
	s.handle(get, "/o/:slug/settings/members", s.membersList, s.module("members", v))
	s.handle(get, "/o/:slug/settings/members/invite", s.inviteForm, s.module("members", c))
	s.handle(post, "/o/:slug/settings/members/invite", s.inviteCreate, s.module("members", c))
	s.handle(get, "/o/:slug/settings/members/import", s.bulkForm, s.module("members", c))
	s.handle(post, "/o/:slug/settings/members/import", s.bulkPreview, s.module("members", c))
	s.handle(post, "/o/:slug/settings/members/import/confirm", s.bulkConfirm, s.module("members", c))
	s.handle(post, "/o/:slug/settings/members/invites/:inv/resend", s.inviteResend, s.module("members", c))
	s.handle(post, "/o/:slug/settings/members/invites/:inv/revoke", s.inviteRevoke, s.module("members", c))
	s.handle(get, "/o/:slug/settings/members/:id", s.memberDetail, s.module("members", v))
	s.handle(post, "/o/:slug/settings/members/:id/role", s.memberRole, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/groups", s.memberGroups, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/suspend", s.memberSuspend, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/reenable", s.memberReenable, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/force-reset", s.memberForceReset, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/sessions/revoke-all", s.memberSessionsRevokeAll, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/sessions/:sid/revoke", s.memberSessionRevoke, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/signout", s.memberSignOut, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/remove", s.memberRemove, s.module("members", del))

	// Member permissions tab.
	s.handle(get, "/o/:slug/settings/members/:id/permissions", s.memberPerms, s.module("members", v))
	s.handle(post, "/o/:slug/settings/members/:id/permissions", s.memberPermsSave, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/permissions/preview", s.memberPermsPreview, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/permissions/custom/enable", s.memberPermsEnable, s.module("members", ed))
	s.handle(post, "/o/:slug/settings/members/:id/permissions/custom/disable", s.memberPermsDisable, s.module("members", ed))
	s.handle(get, "/invite/:token", s.inviteLanding, public())
	s.handle(post, "/invite/:token/accept", s.inviteAccept, s.signedIn())
}
