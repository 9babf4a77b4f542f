package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/views/layout"
)

// The guards' refusals: a page without a message of its own.
var (
	ErrForbidden = domain.Forbidden("")
	ErrNotFound  = domain.NotFound("")
)

// orgHome is the route of an organization's home (its dashboard).
const orgHome = "/o/:slug"

// errSuspended marks the refusal of a suspended member (Suspended).
var errSuspended = errors.New("membership suspended")

// Suspended answers every request of a suspended member to that
// organization: forbidden, with a page of its own that shows nothing of it.
func Suspended(org string) *domain.Error {
	return &domain.Error{Code: domain.CodeForbidden, Err: errSuspended,
		Title:   "Your access to " + org + " is suspended",
		Message: "An administrator of " + org + " has suspended your membership. Your other organizations are not affected. Contact an administrator of " + org + " if you think this is a mistake."}
}

// Throttled is the status of a form re-rendered because a throttle refused
// it: rate_limited, with Retry-After set from wait.
func Throttled(c echo.Context, wait time.Duration) int {
	e := domain.RateLimited(wait, "")
	SetRetryAfter(c, e)
	return e.Status()
}

// SetRetryAfter sets the Retry-After header (whole seconds, at least one)
// of a rate_limited or unavailable refusal.
func SetRetryAfter(c echo.Context, e *domain.Error) {
	if e.RetryAfter <= 0 {
		return
	}
	secs := int64((e.RetryAfter + time.Second - 1) / time.Second)
	c.Response().Header().Set("Retry-After", strconv.FormatInt(secs, 10))
}

// Refusal is the refusal in err that a page shows by its form: nil and err
// itself when err is no domain.Error (nil for nil), nil and ErrNotFound
// for a not_found one (the error page answers it and shows nothing of what
// is missing).
func Refusal(err error) (*domain.Error, error) {
	e := domain.AsError(err)
	switch {
	case e == nil:
		return nil, err
	case e.Code == domain.CodeNotFound:
		return nil, ErrNotFound
	}
	return e, nil
}

// ClientGone reports whether the request's client has hung up.
func ClientGone(c echo.Context) bool { return c.Request().Context().Err() != nil }

// HandleError is Echo's error handler, the one place a refusal becomes an
// answer: every error is rendered as a proper page (or fragment for htmx),
// never a blank page, never a stack trace; a domain.Error answers with its
// code's status (ARCHITECTURE.md, Errors).
func (k *Kernel) HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if ClientGone(c) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client hung up while the request waited (for the writer, say):
		// nobody to answer, and not the server's fault.
		_ = c.NoContent(StatusClientClosed)
		return
	}
	// A domain error's status is its code's (ARCHITECTURE.md, Errors);
	// echo.HTTPError is left for Echo's own answers (404, 405, 400 for a
	// body it cannot read).
	info := layout.ErrorInfo{Status: http.StatusInternalServerError}
	var he *echo.HTTPError
	de := domain.AsError(err)
	switch {
	case de != nil:
		info = layout.ErrorInfo{Status: de.Status(), Title: de.Title}
		if de.Code != domain.CodeNotFound {
			info.Message = de.Message
		}
		SetRetryAfter(c, de)
		explainRefusal(c.Request().Context(), k.DB, AuthOf(c), err, &info)
		if info.ForwardHref != "" && c.Request().Method == http.MethodGet && c.Path() == orgHome {
			// The organization's link never dead-ends: a member who may not
			// view the dashboard goes to the first page open to them.
			_ = Redirect(c, info.ForwardHref)
			return
		}
	case errors.As(err, &he):
		info.Status = he.Code
		if msg, ok := he.Message.(string); ok && he.Code != http.StatusNotFound && msg != http.StatusText(he.Code) {
			info.Message = msg
		}
	}
	if info.Status >= 500 {
		k.Log.Error("request failed", "method", c.Request().Method, "uri", RedactURI(c.Request().RequestURI), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(info.Status)
		return
	}
	var rerr error
	if IsHTMX(c) {
		// htmx does not swap 4xx/5xx by default; retarget the fragment so the
		// user sees the reason instead of nothing happening.
		c.Response().Header().Set("HX-Retarget", "#main")
		c.Response().Header().Set("HX-Reswap", "innerHTML")
		rerr = Render(c, info.Status, layout.ErrorFragment(info), nil)
	} else {
		p := k.Page(c, errorTitle(info))
		if info.Status == http.StatusNotFound || errors.Is(err, errSuspended) {
			p.Sidebar = nil // reveal nothing of an organization the user cannot enter
			p.Org = nil
		}
		rerr = Render(c, info.Status, layout.ErrorPage(p, info), nil)
	}
	if rerr != nil {
		k.Log.Error("render error page", "err", rerr)
		_ = c.String(info.Status, http.StatusText(info.Status))
	}
}

func errorTitle(e layout.ErrorInfo) string {
	if e.Title != "" {
		return e.Title
	}
	return http.StatusText(e.Status)
}
