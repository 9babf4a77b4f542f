package orgs

import (
	"strconv"
	"time"

	"gatehouse/views/components"
	"gatehouse/views/layout"
)

func subtitle(orgs []layout.OrgRef) string {
	switch len(orgs) {
	case 0:
		return "Organizations you belong to appear here."
	case 1:
		return "You belong to 1 organization."
	}
	return "You belong to " + strconv.Itoa(len(orgs)) + " organizations."
}

// Invitation is a pending invitation of the signed-in account's address.
type Invitation struct {
	ID      int64
	OrgName string
	Role    string
	Inviter string
	Expires time.Time
}

// AcceptURL is where the Accept form posts.
func (i Invitation) AcceptURL() string {
	return "/orgs/invitations/" + strconv.FormatInt(i.ID, 10) + "/accept"
}

// DeclineURL is where the Decline form posts.
func (i Invitation) DeclineURL() string {
	return "/orgs/invitations/" + strconv.FormatInt(i.ID, 10) + "/decline"
}

// Invitations is the pending invitations section of /orgs. Error is a
// refused accept or decline; NeedsVerify adds the "send a new link" form.
type Invitations struct {
	List        []Invitation
	Error       string
	NeedsVerify bool
}

func expiresText(t time.Time) string { return "Expires " + t.UTC().Format("2 Jan 2006") }

func inviteMeta(i Invitation) string {
	s := "as " + components.RoleLabel(i.Role)
	if i.Inviter != "" {
		s += " · invited by " + i.Inviter
	}
	return s
}
