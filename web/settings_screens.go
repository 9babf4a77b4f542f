package web

// The settings screens (organization, members, groups, audit), bound to the
// pages those modules declare (internal/access/modules.go). They live in
// several files (orgsettings.go, members.go, invites.go, memberperms.go,
// membersessions.go, groups.go, audit.go); the bindings are kept here, in
// one place per module.
func init() {
	bindScreens(map[string]screenFunc{
		"settings.home": (*Server).orgSettings,
		"settings.save": (*Server).orgSettingsSave,
	})
	bindScreens(map[string]screenFunc{
		"members.home":                (*Server).membersList,
		"members.invite":              (*Server).inviteForm,
		"members.invite.create":       (*Server).inviteCreate,
		"members.import":              (*Server).bulkForm,
		"members.import.preview":      (*Server).bulkPreview,
		"members.import.confirm":      (*Server).bulkConfirm,
		"members.invite.resend":       (*Server).inviteResend,
		"members.invite.revoke":       (*Server).inviteRevoke,
		"members.show":                (*Server).memberDetail,
		"members.role":                (*Server).memberRole,
		"members.groups":              (*Server).memberGroups,
		"members.suspend":             (*Server).memberSuspend,
		"members.reenable":            (*Server).memberReenable,
		"members.force-reset":         (*Server).memberForceReset,
		"members.sessions.revoke-all": (*Server).memberSessionsRevokeAll,
		"members.sessions.revoke":     (*Server).memberSessionRevoke,
		"members.signout":             (*Server).memberSignOut,
		"members.remove":              (*Server).memberRemove,
		"members.permissions":         (*Server).memberPerms,
		"members.permissions.save":    (*Server).memberPermsSave,
		"members.permissions.preview": (*Server).memberPermsPreview,
		"members.permissions.enable":  (*Server).memberPermsEnable,
		"members.permissions.disable": (*Server).memberPermsDisable,
	})
	bindScreens(map[string]screenFunc{
		"groups.home":           (*Server).groupsList,
		"groups.new":            (*Server).groupNew,
		"groups.create":         (*Server).groupCreate,
		"groups.show":           (*Server).groupDetail,
		"groups.candidates":     (*Server).groupCandidates,
		"groups.update":         (*Server).groupUpdate,
		"groups.reset":          (*Server).groupReset,
		"groups.delete":         (*Server).groupDelete,
		"groups.members.add":    (*Server).groupMemberAdd,
		"groups.members.remove": (*Server).groupMemberRemove,
	})
	bindScreens(map[string]screenFunc{
		"audit.home":   (*Server).auditLog,
		"audit.export": (*Server).auditExport,
	})
}
