package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/membership"
	"gatehouse/views/layout"
)

var (
	errForbidden = echo.NewHTTPError(http.StatusForbidden)
	errNotFound  = echo.NewHTTPError(http.StatusNotFound)
)

// suspendedError answers every request of a suspended member to that organization.
type suspendedError struct{ org string }

func (e *suspendedError) Error() string { return "access to " + e.org + " is suspended" }

// handleError renders every error as a proper page (or fragment for htmx):
// never a blank page, never a stack trace.
// clientGone reports whether the request's client has hung up.
func clientGone(c echo.Context) bool { return c.Request().Context().Err() != nil }

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if clientGone(c) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client hung up while the request waited (for the writer, say):
		// nobody to answer, and not the server's fault.
		_ = c.NoContent(statusClientClosed)
		return
	}
	info := layout.ErrorInfo{Status: http.StatusInternalServerError}
	var he *echo.HTTPError
	var se *suspendedError
	switch {
	case errors.As(err, &se):
		info = layout.ErrorInfo{Status: http.StatusForbidden, Title: "Your access to " + se.org + " is suspended",
			Message: "An administrator of " + se.org + " has suspended your membership. Your other organizations are not affected. Contact an administrator of " + se.org + " if you think this is a mistake."}
	case errors.As(err, &he):
		info.Status = he.Code
		if msg, ok := he.Message.(string); ok && he.Code != http.StatusNotFound && msg != http.StatusText(he.Code) {
			info.Message = msg
		}
	}
	if info.Status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "uri", redactURI(c.Request().RequestURI), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(info.Status)
		return
	}
	var rerr error
	if isHTMX(c) {
		// htmx does not swap 4xx/5xx by default; retarget the fragment so the
		// user sees the reason instead of nothing happening.
		c.Response().Header().Set("HX-Retarget", "#main")
		c.Response().Header().Set("HX-Reswap", "innerHTML")
		rerr = render(c, info.Status, layout.ErrorFragment(info), nil)
	} else {
		p := s.page(c, errorTitle(info))
		if info.Status == http.StatusNotFound || info.Status == http.StatusForbidden && se != nil {
			p.Sidebar = nil // reveal nothing of an organization the user cannot enter
			p.Org = nil
		}
		rerr = render(c, info.Status, layout.ErrorPage(p, info), nil)
	}
	if rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(info.Status, http.StatusText(info.Status))
	}
}

func errorTitle(e layout.ErrorInfo) string {
	if e.Title != "" {
		return e.Title
	}
	return http.StatusText(e.Status)
}

// membershipStatus is the HTTP status of a membership service's refusal
// (groups.go has the groups service's: refusalStatus).
func membershipStatus(e *membership.Error) int {
	switch e.Code {
	case membership.NotFound:
		return http.StatusNotFound
	case membership.Forbidden, membership.Denied:
		return http.StatusForbidden
	case membership.Gone:
		return http.StatusGone
	}
	return http.StatusUnprocessableEntity
}
