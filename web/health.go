package web

import (
	"context"
	"gatehouse/web/app"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
)

// healthz answers "ok" once the database answers.
func (s *Server) healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.k.DB.Ping(ctx); err != nil {
		if app.ClientGone(c) {
			// The prober hung up (its own timeout, say while the server was
			// still starting): nobody to answer, and not a database fault.
			return c.NoContent(app.StatusClientClosed)
		}
		s.k.Log.Warn("healthz: database ping failed", "err", err)
		// Plain text for the prober, with the status and Retry-After of
		// unavailable.
		e := domain.Unavailable(5*time.Second, "database unavailable")
		app.SetRetryAfter(c, e)
		return c.String(e.Status(), e.Message)
	}
	return c.String(http.StatusOK, "ok")
}

// home sends visitors to their organizations or to the login page.
func (s *Server) home(c echo.Context) error {
	if app.AuthOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/orgs")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}
