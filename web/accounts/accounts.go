package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"gatehouse/internal/domain"
	"gatehouse/web/app"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/password"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/views/auth"

	gmail "gatehouse/internal/mail"
)

const resetTTL = time.Hour

// Messages that must not reveal whether an email is registered.
const (
	msgBadLogin  = "Email or password is incorrect."
	msgThrottled = "Too many attempts. Wait %d minutes, or reset your password."
)

func (s *Handlers) SignupForm(c echo.Context) error {
	if app.AuthOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/orgs")
	}
	f := auth.SignupForm{Next: safeNext(c.QueryParam("next")), Email: strings.TrimSpace(c.QueryParam("email")),
		Name: strings.TrimSpace(c.QueryParam("name"))} // an invitation link passes the invitee's name
	return app.Render(c, http.StatusOK, auth.Signup(s.Page(c, "Sign up"), f), nil)
}

// Signup creates an account, signs it in and mails a confirmation link.
// An address that is already registered gets the same redirect (to the
// same page) but no session, and its owner gets a mail instead: the
// answer never says whether an address has an account.
func (s *Handlers) Signup(c echo.Context) error {
	f := auth.SignupForm{
		Name:   strings.TrimSpace(c.FormValue("name")),
		Email:  strings.TrimSpace(c.FormValue("email")),
		Next:   safeNext(c.FormValue("next")),
		Errors: map[string]string{},
	}
	ipKey := "signup:" + c.RealIP()
	if blocked, wait := s.SignupPerIP.Blocked(ipKey); blocked {
		f.Errors["form"] = "Too many sign-ups from your network. Try again in a few minutes."
		return app.Render(c, app.Throttled(c, wait), auth.Signup(s.Page(c, "Sign up"), f), nil)
	}
	pw := c.FormValue("password")
	checkAccountFields(&f, pw)
	if len(f.Errors) > 0 {
		return app.Render(c, domain.CodeInvalid.Status(), auth.Signup(s.Page(c, "Sign up"), f), nil)
	}
	s.SignupPerIP.Fail(ipKey) // every accepted form counts, new address or not
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.DB.CreateUser(ctx, f.Email, f.Name, hash)
	if errors.Is(err, store.ErrConflict) {
		s.mailSignupAttempt(f.Email)
		return app.Redirect(c, checkEmailURL(f.Next))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	if err := s.sendConfirmation(ctx, u); err != nil {
		return err
	}
	return app.Redirect(c, checkEmailURL(f.Next))
}

func (s *Handlers) LoginForm(c echo.Context) error {
	if app.AuthOf(c) != nil && !s.signedOutOf(c, safeNext(c.QueryParam("next"))) {
		return c.Redirect(http.StatusSeeOther, cmp.Or(safeNext(c.QueryParam("next")), "/orgs"))
	}
	f := auth.LoginForm{Next: safeNext(c.QueryParam("next")), Returning: returning(c)}
	return app.Render(c, http.StatusOK, auth.Login(s.Page(c, "Log in"), f), nil)
}

func (s *Handlers) Login(c echo.Context) error {
	ctx := c.Request().Context()
	f := auth.LoginForm{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next")), Returning: returning(c)}
	pw := c.FormValue("password")
	accountKey := "acct:" + store.NormalizeEmail(f.Email)
	ipKey := "ip:" + c.RealIP()
	if wait := s.loginBlocked(accountKey, ipKey); wait > 0 {
		f.Error = fmt.Sprintf(msgThrottled, max(1, int(wait.Round(time.Minute)/time.Minute)))
		return app.Render(c, app.Throttled(c, wait), auth.Login(s.Page(c, "Log in"), f), nil)
	}
	u, err := s.DB.UserByEmail(ctx, f.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		password.Equalize(pw) // same cost as a real check: timing reveals nothing
	case err != nil:
		return err
	}
	if err != nil || !password.Check(u.PasswordHash, pw) {
		s.LoginPerAccount.Fail(accountKey)
		s.LoginPerIP.Fail(ipKey)
		f.Error = msgBadLogin
		return app.Render(c, domain.CodeUnauthenticated.Status(), auth.Login(s.Page(c, "Log in"), f), nil)
	}
	s.LoginPerAccount.Reset(accountKey)
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	if u.MustResetPassword {
		return app.Redirect(c, app.ForcedResetPath(f.Next))
	}
	if f.Next != "" {
		return app.Redirect(c, f.Next)
	}
	to, err := s.landing(ctx, u.ID)
	if err != nil {
		return err
	}
	return app.Redirect(c, to)
}

// landing is where a sign-in without a next page goes: with exactly one
// active membership, the first page the member may open there (the
// dashboard if they may view it, else the first entry of their sidebar, as
// the nav builder gives it); otherwise, or with nothing to open, /orgs.
func (s *Handlers) landing(ctx context.Context, userID int64) (string, error) {
	orgs, err := s.DB.OrgsOfUser(ctx, userID)
	if err != nil {
		return "", err
	}
	var only *store.UserOrg
	for i := range orgs {
		if orgs[i].Status != domain.StatusActive {
			continue
		}
		if only != nil {
			return "/orgs", nil // more than one: the member chooses
		}
		only = &orgs[i]
	}
	if only == nil {
		return "/orgs", nil
	}
	m, err := s.DB.MembershipOfUser(ctx, only.Org.ID, userID)
	if err != nil {
		return "", err
	}
	eff, err := s.Effective(ctx, only.Org, m)
	if err != nil {
		return "", err
	}
	if href, _, ok := app.FirstPage(only.Org.Slug, eff, false); ok {
		return href, nil
	}
	return "/orgs", nil
}

func (s *Handlers) loginBlocked(keys ...string) time.Duration {
	var wait time.Duration
	for i, k := range keys {
		l := s.LoginPerAccount
		if i > 0 {
			l = s.LoginPerIP
		}
		if blocked, d := l.Blocked(k); blocked && d > wait {
			wait = d
		}
	}
	return wait
}

// startSession ends the request's current session (if any) and opens a new
// one with a fresh id: a session id known before login is worthless after it.
func (s *Handlers) startSession(c echo.Context, userID int64) error {
	r := c.Request()
	if old, err := s.Sessions.Get(r, session.CookieName); err == nil && !old.IsNew {
		old.Options.MaxAge = -1
		if err := old.Save(r, c.Response()); err != nil {
			return err
		}
	}
	sess := sessions.NewSession(s.Sessions, session.CookieName)
	sess.Options = s.Sessions.Options()
	sess.Values[session.UserKey] = userID
	if err := s.Sessions.Save(r, c.Response(), sess); err != nil {
		return err
	}
	s.markReturning(c)
	// The CSRF token rotates with the session: one seen before sign-in
	// (or of another session) is refused from now on.
	s.SetCSRF(c, app.CSRFForSession(sess.ID))
	return nil
}

// returningCookie marks a browser that has signed in before, so the log-in
// page greets it with "Welcome back" and a first visit without. It holds
// no identity: only that a sign-in happened here.
const returningCookie = "gh_returning"

func returning(c echo.Context) bool {
	_, err := c.Cookie(returningCookie)
	return err == nil
}

func (s *Handlers) markReturning(c echo.Context) {
	o := s.Sessions.Options()
	c.SetCookie(&http.Cookie{Name: returningCookie, Value: "1", Path: "/", Domain: o.Domain, MaxAge: 400 * 24 * 3600,
		Secure: o.Secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (s *Handlers) Logout(c echo.Context) error {
	r := c.Request()
	if sess, err := s.Sessions.Get(r, session.CookieName); err == nil && !sess.IsNew {
		sess.Options.MaxAge = -1
		if err := sess.Save(r, c.Response()); err != nil {
			return err
		}
	} else {
		s.ClearSessionCookie(c)
	}
	s.SetCSRF(c, session.NewToken()) // the ended session's token dies with it
	return app.Redirect(c, "/login")
}

func (s *Handlers) ForgotForm(c echo.Context) error {
	return app.Render(c, http.StatusOK, auth.Forgot(s.Page(c, "Reset your password"), auth.ForgotForm{Email: c.QueryParam("email")}), nil)
}

func (s *Handlers) Forgot(c echo.Context) error {
	ctx := c.Request().Context()
	f := auth.ForgotForm{Email: strings.TrimSpace(c.FormValue("email"))}
	if msg := app.ValidateEmail(f.Email); msg != "" {
		f.Error = msg
		return app.Render(c, domain.CodeInvalid.Status(), auth.Forgot(s.Page(c, "Reset your password"), f), nil)
	}
	ipKey := "forgot:" + c.RealIP()
	if blocked, wait := s.ResetPerIP.Blocked(ipKey); blocked {
		f.Error = "Too many requests from your network. Try again later."
		return app.Render(c, app.Throttled(c, wait), auth.Forgot(s.Page(c, "Reset your password"), f), nil)
	}
	s.ResetPerIP.Fail(ipKey) // every request counts: this endpoint sends mail
	u, err := s.DB.UserByEmail(ctx, f.Email)
	if err == nil {
		if err := s.sendReset(c, u); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	f.Sent = true // the same answer whether or not the account exists
	return app.Render(c, http.StatusOK, auth.Forgot(s.Page(c, "Reset your password"), f), nil)
}

// sendReset creates a single-use reset token and mails its link.
func (s *Handlers) sendReset(c echo.Context, u domain.User) error {
	token := session.NewToken()
	exp := time.Now().Add(resetTTL).Unix()
	if err := s.DB.CreatePasswordReset(c.Request().Context(), u.ID, session.HashToken(token), exp); err != nil {
		return err
	}
	link := s.AbsURL("/reset?token=" + token)
	s.SendMail(gmail.Message{To: u.Email, Subject: "Reset your Gatehouse password",
		Text: "Hello " + u.Name + ",\n\nSomeone (hopefully you) asked to reset the password of your Gatehouse account.\n" +
			"Open this link within an hour to choose a new password:\n\n" + link + "\n\n" +
			"If you did not ask for this, ignore this mail: your password stays as it is.\n"})
	return nil
}

func (s *Handlers) ResetForm(c echo.Context) error {
	a := app.AuthOf(c)
	f := auth.ResetForm{Token: c.QueryParam("token"), Next: safeNext(c.QueryParam("next"))}
	if f.Token == "" {
		if a == nil || !a.User.MustResetPassword {
			return c.Redirect(http.StatusSeeOther, "/forgot")
		}
		f.Forced = true
	} else if _, err := s.DB.ResetUser(c.Request().Context(), session.HashToken(f.Token)); err != nil {
		f.Error = "This link is invalid, already used or expired. Ask for a new one."
		return app.Render(c, http.StatusNotFound, auth.Reset(s.Page(c, "Set a new password"), f), nil)
	}
	return app.Render(c, http.StatusOK, auth.Reset(s.Page(c, "Set a new password"), f), nil)
}

func (s *Handlers) Reset(c echo.Context) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	f := auth.ResetForm{Token: c.FormValue("token"), Next: safeNext(c.FormValue("next"))}
	forced := f.Token == "" && a != nil && a.User.MustResetPassword
	f.Forced = forced
	if f.Token == "" && !forced {
		return c.Redirect(http.StatusSeeOther, "/forgot")
	}
	pw := c.FormValue("password")
	if err := password.Validate(pw); err != nil {
		f.Error = err.Error()
	} else if pw != c.FormValue("password_confirm") {
		f.Error = "The two passwords do not match."
	}
	if f.Error != "" {
		return app.Render(c, domain.CodeInvalid.Status(), auth.Reset(s.Page(c, "Set a new password"), f), nil)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	if forced {
		// Keep this browser signed in; every other session already ended at the forced reset.
		if err := s.DB.SetPassword(ctx, a.User.ID, hash, a.Session.ID); err != nil {
			return err
		}
		s.Flash(c, "success", "Your new password is set.")
		if f.Next != "" {
			return app.Redirect(c, f.Next) // back where the reset stopped them
		}
		to, err := s.landing(ctx, a.User.ID)
		if err != nil {
			return err
		}
		return app.Redirect(c, to)
	}
	if uid, err := s.DB.UsePasswordReset(ctx, session.HashToken(f.Token), hash); errors.Is(err, store.ErrNotFound) {
		f.Error = "This link is invalid, already used or expired. Ask for a new one."
		return app.Render(c, http.StatusNotFound, auth.Reset(s.Page(c, "Set a new password"), f), nil)
	} else if err != nil {
		return err
	} else {
		s.markVerifiedByReset(ctx, uid) // the link was mailed to the address: it is confirmed
	}
	s.ClearSessionCookie(c)
	return app.Redirect(c, "/login?reset=1")
}

// checkAccountFields puts the messages of a new account's name, address and
// password on the form (sign-up and the instance-admin setup share them).
func checkAccountFields(f *auth.SignupForm, pw string) {
	if msg := app.ValidateName(f.Name); msg != "" {
		f.Errors["name"] = msg
	}
	if msg := app.ValidateEmail(f.Email); msg != "" {
		f.Errors["email"] = msg
	}
	if err := password.Validate(pw); err != nil {
		f.Errors["password"] = err.Error()
	}
}

// safeNext accepts only local paths, so ?next= cannot send users off-site.
// No control character at all: browsers drop tabs and newlines from a URL,
// so "/\t/evil.example" would become "//evil.example".
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, unicode.IsControl) {
		return ""
	}
	return next
}
