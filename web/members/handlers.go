// Package members is the organization's members: the list (and its caches), a member's page,
// sessions and permissions, invitations and bulk invites.
package members

import "gatehouse/web/app"

// Handlers answers the members pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	// lists: pages of the members list and its extras, per members_version.
	lists     listCaches
	groupRefs groupRefCache // the organization's groups, per permission version
}

// New makes the members handlers.
func New(k *app.Kernel) *Handlers {
	return &Handlers{Kernel: k, lists: newListCaches(), groupRefs: newGroupRefCache()}
}

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"members.home":                s.membersList,
		"members.invite":              s.inviteForm,
		"members.export":              s.membersExport,
		"members.invite.create":       s.inviteCreate,
		"members.invite.preview":      s.inviteFormPreview,
		"members.import":              s.bulkForm,
		"members.import.preview":      s.bulkPreview,
		"members.import.confirm":      s.bulkConfirm,
		"members.import.template":     s.bulkTemplate,
		"members.import.problems":     s.bulkProblems,
		"members.invite.resend":       s.inviteResend,
		"members.invite.revoke":       s.inviteRevoke,
		"members.invites.resend":      s.invitesResend,
		"members.invites.preview":     s.invitesResendPreview,
		"members.bulk":                s.membersBulk,
		"members.bulk.preview":        s.membersBulkPreview,
		"members.show":                s.memberDetail,
		"members.role":                s.memberRole,
		"members.grant-end":           s.memberGrantEnd,
		"members.grant-end.preview":   s.memberGrantEndPreview,
		"members.groups":              s.memberGroups,
		"members.preview":             s.memberPreview,
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
	}
}
