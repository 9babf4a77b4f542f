package orgs

import (
	"github.com/labstack/echo/v4"

	"gatehouse/views/orgs"
	"gatehouse/web/app"
)

// maxInvitationsListed bounds the pending invitations /orgs shows.
const maxInvitationsListed = 50

// InvitationAccept accepts a pending invitation of the signed-in account's
// address from /orgs: the invited role and groups at once. An unconfirmed
// address is refused (403) with a way to get a new link; another address's
// invitation, or an id that does not exist, is a 404.
func (s *Handlers) InvitationAccept(c echo.Context) error {
	id, err := app.PathID(c, "id")
	if err != nil {
		return err
	}
	res, err := s.Members().AcceptInvitation(c.Request().Context(), app.AuthOf(c).User.ID, id, c.RealIP())
	if err != nil {
		return s.invitationRefused(c, err)
	}
	if res.AlreadyMember {
		s.Flash(c, "info", "You are already a member of "+res.Org.Name+".")
	} else {
		s.Flash(c, "success", "Welcome to "+res.Org.Name+". You joined as "+res.Role.Label()+".")
	}
	return app.Redirect(c, "/o/"+res.Org.Slug)
}

// InvitationDecline declines a pending invitation of the signed-in
// account's address; its seat frees.
func (s *Handlers) InvitationDecline(c echo.Context) error {
	id, err := app.PathID(c, "id")
	if err != nil {
		return err
	}
	org, err := s.Members().DeclineInvitation(c.Request().Context(), app.AuthOf(c).User.ID, id, c.RealIP())
	if err != nil {
		return s.invitationRefused(c, err)
	}
	s.Flash(c, "success", "You declined the invitation to "+org.Name+".")
	return app.Redirect(c, "/orgs")
}

// invitationRefused answers a refused accept or decline: 404 for an
// invitation that is not the account's, else /orgs with the reason.
func (s *Handlers) invitationRefused(c echo.Context, err error) error {
	e, err := app.Refusal(err)
	if err != nil {
		return err
	}
	return s.orgsPage(c, e.Status(), orgs.Invitations{Error: e.Message, NeedsVerify: e.Field == "verify"})
}
