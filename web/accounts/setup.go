package accounts

import (
	"context"
	"errors"
	"gatehouse/web/app"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/internal/password"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/views/auth"
)

// The first instance admin: `serve` prints a one-time setup link on a
// database without an instance admin; the account created through it is
// the instance admin. Being the first to sign up grants nothing.

// msgSetupDead refuses a setup link that is unknown or already used.
const msgSetupDead = "This setup link is invalid or was already used. Ask the operator for a new one (gatehouse admin --email grants the role from the command line)."

// NewSetupLink makes the one-time setup link when the instance has no
// admin yet ("" when it has one). Only the token's hash is stored; the link
// exists only in what the caller prints.
func NewSetupLink(ctx context.Context, db *store.Store, baseURL string) (string, error) {
	token := session.NewToken()
	made, err := db.NewSetupToken(ctx, session.HashToken(token))
	if err != nil || !made {
		return "", err
	}
	return strings.TrimRight(baseURL, "/") + "/setup?token=" + token, nil
}

func (s *Handlers) SetupForm(c echo.Context) error {
	// The token is in the URL: it must not travel to other sites in a Referer.
	// "no-referrer" would also make the browser send "Origin: null" with the
	// page's own forms, which the cross-site rule refuses.
	c.Response().Header().Set("Referrer-Policy", "same-origin")
	token := c.QueryParam("token")
	if token != "" {
		if ok, err := s.DB.SetupTokenLive(c.Request().Context(), session.HashToken(token)); err != nil {
			return err
		} else if ok {
			return app.Render(c, http.StatusOK, auth.Signup(s.Page(c, "Set up Gatehouse"), auth.SignupForm{SetupToken: token}), nil)
		}
	}
	return app.Render(c, http.StatusNotFound, auth.Confirm(s.Page(c, "Set up Gatehouse"),
		auth.ConfirmProps{Error: msgSetupDead, SignedIn: app.AuthOf(c) != nil}), nil)
}

// Setup creates the instance admin's account through the setup link and
// signs it in; the link dies in the same transaction.
func (s *Handlers) Setup(c echo.Context) error {
	f := auth.SignupForm{
		Name:       strings.TrimSpace(c.FormValue("name")),
		Email:      strings.TrimSpace(c.FormValue("email")),
		SetupToken: c.FormValue("token"),
		Errors:     map[string]string{},
	}
	ctx := c.Request().Context()
	hash := session.HashToken(f.SetupToken)
	if ok, err := s.DB.SetupTokenLive(ctx, hash); err != nil {
		return err
	} else if !ok || f.SetupToken == "" {
		return app.Render(c, http.StatusNotFound, auth.Confirm(s.Page(c, "Set up Gatehouse"),
			auth.ConfirmProps{Error: msgSetupDead, SignedIn: app.AuthOf(c) != nil}), nil)
	}
	pw := c.FormValue("password")
	checkAccountFields(&f, pw)
	if len(f.Errors) > 0 {
		return app.Render(c, domain.CodeInvalid.Status(), auth.Signup(s.Page(c, "Set up Gatehouse"), f), nil)
	}
	pwHash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	u, err := s.DB.CreateSetupAdmin(ctx, hash, f.Email, f.Name, pwHash)
	switch {
	case errors.Is(err, store.ErrNotFound): // used meanwhile
		return app.Render(c, http.StatusNotFound, auth.Confirm(s.Page(c, "Set up Gatehouse"),
			auth.ConfirmProps{Error: msgSetupDead, SignedIn: app.AuthOf(c) != nil}), nil)
	case errors.Is(err, store.ErrConflict):
		// Only the holder of the setup link sees this: no one to hide it from.
		f.Errors["email"] = "This address already has an account. Use another one, or grant it the role with gatehouse admin --email."
		return app.Render(c, domain.CodeInvalid.Status(), auth.Signup(s.Page(c, "Set up Gatehouse"), f), nil)
	case err != nil:
		return err
	}
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	if err := s.sendConfirmation(ctx, u); err != nil {
		return err
	}
	return app.Redirect(c, "/orgs")
}
