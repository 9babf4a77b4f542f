package web

import "gatehouse/web/app"

// The settings screens (organization, members, groups, audit), bound to the
// pages those modules declare (internal/access/modules.go). They live in
// several files (orgsettings.go, members.go, invites.go, memberperms.go,
// membersessions.go, groups.go, audit.go); the bindings are kept here, in
// one place per module.
func (s *Server) screens() app.Screens {
	sc := app.Screens{}
	sc.Bind(app.Screens{
		"settings.home": s.orgSettings,
		"settings.save": s.orgSettingsSave,
	})
	sc.Bind(app.Screens{
		"members.home":                s.membersList,
		"members.invite":              s.inviteForm,
		"members.invite.create":       s.inviteCreate,
		"members.import":              s.bulkForm,
		"members.import.preview":      s.bulkPreview,
		"members.import.confirm":      s.bulkConfirm,
		"members.invite.resend":       s.inviteResend,
		"members.invite.revoke":       s.inviteRevoke,
		"members.show":                s.memberDetail,
		"members.role":                s.memberRole,
		"members.groups":              s.memberGroups,
		"members.suspend":             s.memberSuspend,
		"members.reenable":            s.memberReenable,
		"members.force-reset":         s.memberForceReset,
		"members.sessions.revoke-all": s.memberSessionsRevokeAll,
		"members.sessions.revoke":     s.memberSessionRevoke,
		"members.signout":             s.memberSignOut,
		"members.remove":              s.memberRemove,
		"members.permissions":         s.memberPerms,
		"members.permissions.save":    s.memberPermsSave,
		"members.permissions.preview": s.memberPermsPreview,
		"members.permissions.enable":  s.memberPermsEnable,
		"members.permissions.disable": s.memberPermsDisable,
	})
	sc.Bind(s.audit.Screens())
	sc.Bind(s.customers.Screens())
	sc.Bind(s.dashboard.Screens())
	sc.Bind(s.groups.Screens())
	return sc
}
