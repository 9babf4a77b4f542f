package members

// DetailPage is a member's page: DetailProps plus how far the viewer's
// reach goes beyond this organization (managed accounts). An account that
// also belongs to other organizations, where the viewer does not manage
// members, is not this organization's to manage as a whole: the page then
// shows no sessions (IP, device) and no force reset, only "Sign out of
// this organization".
type DetailPage struct {
	DetailProps
	// Managed: the account belongs to no other active organization, or the
	// viewer holds members_edit in every one (or it is their own account).
	// The other organizations are never named: that is theirs to tell.
	Managed bool
}
