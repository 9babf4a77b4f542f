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
	Managed bool
	// Elsewhere names the other organizations the viewer does not manage
	// members of (empty when Managed).
	Elsewhere []string
}

// elsewhereText is "Globex" or "Globex and Initech" for the explanation.
func (p DetailPage) elsewhereText() string {
	n := len(p.Elsewhere)
	switch {
	case n == 0:
		return "another organization"
	case n == 1:
		return p.Elsewhere[0]
	case n <= 3:
		out := p.Elsewhere[0]
		for _, s := range p.Elsewhere[1 : n-1] {
			out += ", " + s
		}
		return out + " and " + p.Elsewhere[n-1]
	}
	return p.Elsewhere[0] + ", " + p.Elsewhere[1] + " and other organizations"
}
