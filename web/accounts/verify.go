package accounts

import (
	"cmp"
	"context"
	"errors"
	"gatehouse/web/app"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/views/auth"
	"gatehouse/views/layout"

	gmail "gatehouse/internal/mail"
)

// Verified addresses (docs/ARCHITECTURE.md): an account proves it reads its
// address by following a link mailed there. Until then it is unverified: a
// banner says so and it cannot accept invitations. The links are random,
// stored hashed, single-use, expiring and bound to the address they were
// sent to.

const (
	// verifyTTL is how long a sign-up confirmation link works.
	verifyTTL = 7 * 24 * time.Hour
)

// signupCheckEmail is where every accepted sign-up form lands, new address
// or registered one, so the answer reads the same either way.
const signupCheckEmail = "/signup/check-email"

// checkEmailURL is the page every accepted sign-up is sent to, carrying
// where to go next.
func checkEmailURL(next string) string {
	if next == "" {
		return signupCheckEmail
	}
	return signupCheckEmail + "?next=" + url.QueryEscape(next)
}

// SignupCheckEmailPage reads the same whoever opens it, signed in (a new
// account) or not (a sign-up with a registered address): it is drawn
// without the signed-in chrome.
func (s *Handlers) SignupCheckEmailPage(c echo.Context) error {
	p := layout.Page{Title: "Check your email", CSRF: app.CSRFToken(c)}
	return app.Render(c, http.StatusOK, auth.CheckEmail(p, cmp.Or(safeNext(c.QueryParam("next")), "/orgs")), nil)
}

// sendConfirmation mails u a link confirming their current address.
func (s *Handlers) sendConfirmation(ctx context.Context, u domain.User) error {
	token := session.NewToken()
	if err := s.DB.CreateEmailToken(ctx, u.ID, u.Email, store.EmailVerify, session.HashToken(token),
		s.DB.Now()+int64(verifyTTL/time.Second)); err != nil {
		return err
	}
	s.SendMail(gmail.Message{To: u.Email, Subject: "Confirm your Gatehouse email address",
		Text: "Hello " + u.Name + ",\n\nWelcome to Gatehouse. Confirm that this address is yours by opening this link:\n\n" +
			s.AbsURL("/verify?token="+token) + "\n\n" +
			"The link works once, for 7 days. Until you confirm, you can use Gatehouse but not accept invitations.\n" +
			"If you did not create this account, ignore this mail.\n"})
	return nil
}

// mailSignupAttempt tells the owner of a registered address that someone
// tried to sign up with it (that sign-up got the same answer as a new one).
func (s *Handlers) mailSignupAttempt(to string) {
	s.SendMail(gmail.Message{To: store.NormalizeEmail(to), Subject: "Someone tried to sign up with your address",
		Text: "Hello,\n\nSomeone tried to create a Gatehouse account with this address, which already has one.\n" +
			"If it was you, log in here:\n\n" + s.AbsURL("/login") + "\n\n" +
			"or, if you forgot your password, reset it here:\n\n" + s.AbsURL("/forgot") + "\n\n" +
			"If it was not you, ignore this mail: nothing changed.\n"})
}

// VerifyEmail follows a confirmation link: a sign-up's (the address is
// confirmed) or an email change's (the account moves to the new address,
// confirmed, and the old address is told).
func (s *Handlers) VerifyEmail(c echo.Context) error {
	// The token is in the URL: it must not travel to other sites in a Referer.
	// "no-referrer" would also make the browser send "Origin: null" with the
	// page's own forms, which the cross-site rule refuses.
	c.Response().Header().Set("Referrer-Policy", "same-origin")
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	p := auth.ConfirmProps{SignedIn: a != nil}
	if a != nil {
		p.Unverified = app.AddressUnverified(c)
	}
	token := c.QueryParam("token")
	if token == "" {
		p.Error = "This confirmation link is incomplete. Open the link from the mail again."
		return app.Render(c, http.StatusNotFound, auth.Confirm(s.Page(c, "Confirm your address"), p), nil)
	}
	use, err := s.DB.UseEmailToken(ctx, session.HashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.Error = "This confirmation link is invalid, already used or expired."
		return app.Render(c, http.StatusNotFound, auth.Confirm(s.Page(c, "Confirm your address"), p), nil)
	case errors.Is(err, store.ErrConflict):
		p.Error = "This address is now used by another account, so your address did not change."
		return app.Render(c, domain.CodeConflict.Status(), auth.Confirm(s.Page(c, "Confirm your address"), p), nil)
	case err != nil:
		return err
	}
	p.Email, p.Changed = use.Email, use.Kind == store.EmailChange
	if p.Changed {
		// Tell the old address, so a hijacked session cannot quietly take the account.
		s.SendMail(gmail.Message{To: use.OldEmail, Subject: "Your Gatehouse email was changed",
			Text: "Hello " + use.Name + ",\n\nThe email address of your Gatehouse account was changed from " + use.OldEmail +
				" to " + use.Email + ".\nYou now sign in with the new address.\n\n" +
				"If you did not do this, reset your password right away and contact an administrator.\n"})
	}
	if a != nil && a.User.ID == use.UserID {
		if p.Changed {
			s.Flash(c, "success", "Your email is now "+use.Email+". Use it the next time you sign in.")
			return app.Redirect(c, "/me/profile")
		}
		s.Flash(c, "success", "Thank you: your address "+use.Email+" is confirmed.")
		return app.Redirect(c, "/orgs")
	}
	p.Unverified = false
	return app.Render(c, http.StatusOK, auth.Confirm(s.Page(c, "Address confirmed"), p), nil)
}

// VerifyResend mails a new confirmation link to the signed-in account's
// address (the previous link stops working).
func (s *Handlers) VerifyResend(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	back := cmp.Or(safeNext(c.FormValue("next")), "/orgs")
	u, err := s.DB.UserByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	if u.Verified() {
		s.Flash(c, "info", "Your address "+u.Email+" is already confirmed.")
		return app.Redirect(c, back)
	}
	key := "resend:" + strconv.FormatInt(u.ID, 10)
	if blocked, _ := s.SignupPerIP.Blocked(key); blocked {
		s.Flash(c, "error", "Too many confirmation mails were sent. Try again in a few minutes.")
		return app.Redirect(c, back)
	}
	s.SignupPerIP.Fail(key)
	if err := s.sendConfirmation(ctx, u); err != nil {
		return err
	}
	s.Flash(c, "success", "We sent a new confirmation link to "+u.Email+". The previous link no longer works.")
	return app.Redirect(c, back)
}

// markVerifiedByReset counts a used reset link as proof of the address it
// was mailed to.
func (s *Handlers) markVerifiedByReset(ctx context.Context, userID int64) {
	u, err := s.DB.UserByID(ctx, userID)
	if err != nil || u.Verified() {
		return
	}
	if err := s.DB.MarkVerified(ctx, userID, u.Email); err != nil {
		s.Log.Warn("verify after reset", "err", err)
		return
	}
}
