package web

import (
	"github.com/labstack/echo/v4"

	"gatehouse/views/admin"
	"gatehouse/views/layout"
	"gatehouse/views/orgs"
	"net/http"
	"time"
)

// orgsList is "My organizations".
func (s *Server) orgsList(c echo.Context) error {
	p := s.page(c, "My organizations")
	return render(c, http.StatusOK, orgs.List(p, p.Orgs), nil)
}

// outbox shows mails kept in the database when no SMTP server is configured.
func (s *Server) outbox(c echo.Context) error {
	mails, err := s.db.Outbox(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	view := make([]admin.OutboxMail, len(mails))
	for i, m := range mails {
		view[i] = admin.OutboxMail{ID: m.ID, To: m.To, Subject: m.Subject, Body: m.Body, CreatedAt: time.Unix(m.CreatedAt, 0)}
	}
	return render(c, http.StatusOK, admin.Outbox(s.page(c, "Outbox"), view), nil)
}

var _ = layout.Page{}
