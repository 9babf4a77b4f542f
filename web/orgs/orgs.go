package orgs

import (
	"gatehouse/web/app"

	"github.com/labstack/echo/v4"

	"gatehouse/views/admin"
	"gatehouse/views/layout"
	"gatehouse/views/orgs"
	"net/http"
	"time"
)

// List is "My organizations", with the account's pending invitations.
func (s *Handlers) List(c echo.Context) error {
	return s.orgsPage(c, http.StatusOK, orgs.Invitations{})
}

// orgsPage draws /orgs with status and a refusal (if any) above the
// invitations.
func (s *Handlers) orgsPage(c echo.Context, status int, inv orgs.Invitations) error {
	p := s.Page(c, "My organizations")
	list, err := s.DB.InvitationsFor(c.Request().Context(), app.AuthOf(c).User.Email, maxInvitationsListed)
	if err != nil {
		return err
	}
	for _, l := range list {
		inv.List = append(inv.List, orgs.Invitation{ID: l.ID, OrgName: l.OrgName, Role: string(l.Role),
			Inviter: l.InviterName, Expires: time.Unix(l.ExpiresAt, 0)})
	}
	return app.Render(c, status, orgs.ListWithInvitations(p, p.Orgs, inv), nil)
}

// Outbox shows mails kept in the database when no SMTP server is configured.
func (s *Handlers) Outbox(c echo.Context) error {
	mails, err := s.DB.Outbox(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	view := make([]admin.OutboxMail, len(mails))
	for i, m := range mails {
		view[i] = admin.OutboxMail{ID: m.ID, To: m.To, Subject: m.Subject, Body: m.Body, CreatedAt: time.Unix(m.CreatedAt, 0)}
	}
	return app.Render(c, http.StatusOK, admin.Outbox(s.Page(c, "Outbox"), view), nil)
}

var _ = layout.Page{}
