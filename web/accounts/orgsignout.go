package accounts

import (
	"gatehouse/web/app"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/session"
)

// An admin may sign a member out of one organization (managed accounts):
// the auth query then answers SignedOut for that organization, and the
// request runs as signed out there (the guards send it to sign in), while
// the same cookie keeps working for every other organization, /orgs and
// the profile. The sign-in page must not bounce such a session straight
// back to the page it came from: signedOutOf tells it.

// signedOutOf reports whether next is a page of an organization the
// request's session was signed out of, so that /login?next=… shows its
// form instead of redirecting a signed-in user back to it (a loop).
func (s *Handlers) signedOutOf(c echo.Context, next string) bool {
	a := app.AuthOf(c)
	slug := orgSlugOfPath(next)
	if a == nil || slug == "" {
		return false
	}
	cutoff := time.Now().Add(-session.MaxAge * time.Second).Unix()
	row, err := s.DB.LoadAuth(c.Request().Context(), a.Session.ID, slug, cutoff)
	return err == nil && row.SignedOut
}

// orgSlugOfPath is the slug of a path under /o/{slug} ("" otherwise).
func orgSlugOfPath(p string) string {
	rest, ok := strings.CutPrefix(p, "/o/")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
