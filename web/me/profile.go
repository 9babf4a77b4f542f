package me

import (
	"errors"
	"gatehouse/web/app"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/internal/password"
	"gatehouse/internal/photo"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/useragent"
	"gatehouse/views/profile"

	gmail "gatehouse/internal/mail"
)

// recentLogins is how many logins the profile lists.
const recentLogins = 10

// emailChangeTTL is how long the link confirming a new address works.
const emailChangeTTL = 24 * time.Hour

// Profile is My Profile.
func (s *Handlers) Profile(c echo.Context) error {
	p, err := s.profileProps(c)
	if err != nil {
		return err
	}
	return s.OK(c, "My Profile", profile.Page(p))
}

// profileProps loads what every version of the page shows.
func (s *Handlers) profileProps(c echo.Context) (profile.Props, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	p := profile.Props{CSRF: app.CSRFToken(c), Name: a.User.Name, Email: a.User.Email}
	// The auth context carries no contact details; this page shows them.
	u, err := s.DB.UserByID(ctx, a.User.ID)
	if err != nil {
		return p, err
	}
	p.Details = detailsOf(u)
	if p.PendingEmail, err = s.DB.PendingEmail(ctx, a.User.ID); err != nil {
		return p, err
	}
	if a.User.PhotoVersion > 0 {
		p.PhotoURL = app.PhotoURL(a.User.ID, a.User.PhotoVersion)
	}
	orgs, err := s.DB.GroupsByOrg(ctx, a.User.ID)
	if err != nil {
		return p, err
	}
	for _, o := range orgs {
		p.Orgs = append(p.Orgs, profile.Org{Name: o.Org.Name, Slug: o.Org.Slug, Role: string(o.Role),
			Suspended: o.Status == domain.StatusSuspended, Groups: o.Groups})
	}
	logins, err := s.DB.RecentLogins(ctx, a.User.ID, recentLogins)
	if err != nil {
		return p, err
	}
	for _, l := range logins {
		ua := useragent.Parse(l.UserAgent)
		p.Logins = append(p.Logins, profile.Login{At: time.Unix(l.At, 0), IP: l.IP, Location: s.Geo.Locate(l.IP),
			Browser: ua.String(), Device: app.DeviceLabel(ua)})
	}
	sessions, err := s.DB.UserSessions(ctx, a.User.ID)
	if err != nil {
		return p, err
	}
	for _, ss := range sessions {
		ua := useragent.Parse(ss.UserAgent)
		p.Sessions = append(p.Sessions, profile.Session{ID: ss.ID, IP: ss.IP, Location: s.Geo.Locate(ss.IP),
			Browser: ua.String(), Device: app.DeviceLabel(ua), Created: time.Unix(ss.CreatedAt, 0),
			LastSeen: time.Unix(ss.LastSeenAt, 0), Current: ss.ID == a.Session.ID})
	}
	return p, nil
}

// ProfileSave updates name and contact details.
func (s *Handlers) ProfileSave(c echo.Context) error {
	a := app.AuthOf(c)
	f := profile.DetailsForm{
		Name:     strings.TrimSpace(c.FormValue("name")),
		Phone:    strings.TrimSpace(c.FormValue("phone")),
		JobTitle: strings.TrimSpace(c.FormValue("job_title")),
		Location: strings.TrimSpace(c.FormValue("location")),
		Errors:   map[string]string{},
	}
	if msg := app.ValidateName(f.Name); msg != "" {
		f.Errors["name"] = msg
	}
	if msg := validatePhone(f.Phone); msg != "" {
		f.Errors["phone"] = msg
	}
	if msg := validateLine(f.JobTitle, "job title", 100); msg != "" {
		f.Errors["job_title"] = msg
	}
	if msg := validateLine(f.Location, "location", 100); msg != "" {
		f.Errors["location"] = msg
	}
	if len(f.Errors) > 0 {
		p, err := s.profileProps(c)
		if err != nil {
			return err
		}
		p.Details = f
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "My Profile", profile.Page(p)), profile.DetailsCard(p))
	}
	err := s.DB.UpdateProfile(c.Request().Context(), a.User.ID,
		store.Profile{Name: f.Name, Phone: f.Phone, JobTitle: f.JobTitle, Location: f.Location})
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Your details are saved.")
	return app.Redirect(c, "/me/profile")
}

// ProfileEmail asks to change the sign-in email. It needs the current
// password; nothing changes until the new address follows the link mailed
// to it, and the old address is told. An address of another account is
// refused without saying whose.
func (s *Handlers) ProfileEmail(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	f := profile.EmailForm{Email: strings.TrimSpace(c.FormValue("email")), Errors: map[string]string{}}
	pw := c.FormValue("password")
	if msg := app.ValidateEmail(f.Email); msg != "" {
		f.Errors["email"] = msg
	} else if store.NormalizeEmail(f.Email) == store.NormalizeEmail(a.User.Email) {
		f.Errors["email"] = "This is already your email address."
	}
	if msg := s.checkCurrentPassword(c, a, pw); msg != "" {
		f.Errors["password"] = msg
	}
	newEmail := store.NormalizeEmail(f.Email)
	if len(f.Errors) == 0 {
		if _, err := s.DB.UserByEmail(ctx, newEmail); err == nil {
			f.Errors["email"] = "You can't use this email address. Choose another one."
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if len(f.Errors) > 0 {
		p, err := s.profileProps(c)
		if err != nil {
			return err
		}
		p.EmailF = f
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "My Profile", profile.Page(p)), profile.EmailCard(p))
	}
	token := session.NewToken()
	if err := s.DB.CreateEmailToken(ctx, a.User.ID, newEmail, store.EmailChange, session.HashToken(token),
		s.DB.Now()+int64(emailChangeTTL/time.Second)); err != nil {
		return err
	}
	s.SendMail(gmail.Message{To: newEmail, Subject: "Confirm your new Gatehouse email address",
		Text: "Hello " + a.User.Name + ",\n\nYou asked to sign in to Gatehouse with this address from now on.\n" +
			"Open this link within 24 hours to confirm it:\n\n" + s.AbsURL("/verify?token="+token) + "\n\n" +
			"Until you do, your account keeps its current address. If you did not ask for this, ignore this mail.\n"})
	// Tell the old address, so a hijacked session cannot quietly take the account.
	s.SendMail(gmail.Message{To: a.User.Email, Subject: "A change of your Gatehouse email was requested",
		Text: "Hello " + a.User.Name + ",\n\nSomeone signed in to your Gatehouse account asked to change its email from " +
			a.User.Email + " to " + newEmail + ".\nNothing changes until the new address confirms it.\n\n" +
			"If you did not do this, change your password right away and contact an administrator.\n"})
	s.Flash(c, "success", "We sent a confirmation link to "+newEmail+". Your email changes when you open it; until then you sign in with "+a.User.Email+".")
	return app.Redirect(c, "/me/profile")
}

// ProfilePassword changes the password and ends every other session.
func (s *Handlers) ProfilePassword(c echo.Context) error {
	a := app.AuthOf(c)
	f := profile.PasswordForm{Errors: map[string]string{}}
	cur, pw, confirm := c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("confirm_password")
	if msg := s.checkCurrentPassword(c, a, cur); msg != "" {
		f.Errors["current_password"] = msg
	}
	if err := password.Validate(pw); err != nil {
		f.Errors["new_password"] = err.Error()
	} else if pw != confirm {
		f.Errors["confirm_password"] = "The two passwords do not match."
	} else if cur != "" && pw == cur {
		f.Errors["new_password"] = "Choose a password different from the current one."
	}
	if len(f.Errors) > 0 {
		p, err := s.profileProps(c)
		if err != nil {
			return err
		}
		p.Password = f
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "My Profile", profile.Page(p)), profile.PasswordCard(p))
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	if err := s.DB.SetPassword(c.Request().Context(), a.User.ID, hash, a.Session.ID); err != nil {
		return err
	}
	s.Flash(c, "success", "Your password is changed. Every other session of your account has been signed out.")
	return app.Redirect(c, "/me/profile")
}

// checkCurrentPassword verifies the password of the signed-in user, with
// the login throttle: a stolen session must not become a password oracle.
func (s *Handlers) checkCurrentPassword(c echo.Context, a *app.Auth, pw string) string {
	key := "acct:" + store.NormalizeEmail(a.User.Email)
	if blocked, _ := s.LoginPerAccount.Blocked(key); blocked {
		return "Too many wrong passwords. Wait a few minutes and try again."
	}
	if pw == "" {
		return "Enter your current password."
	}
	// The auth context carries no password hash: read it when it is needed.
	u, err := s.DB.UserByID(c.Request().Context(), a.User.ID)
	if err != nil || !password.Check(u.PasswordHash, pw) {
		s.LoginPerAccount.Fail(key)
		return "Your current password is not correct."
	}
	return ""
}

func detailsOf(u domain.User) profile.DetailsForm {
	return profile.DetailsForm{Name: u.Name, Phone: u.Phone, JobTitle: u.JobTitle, Location: u.Location}
}

// ProfilePhoto stores an uploaded photo after decoding and re-encoding it;
// any refusal leaves the current photo as it was.
func (s *Handlers) ProfilePhoto(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	var ph photo.Photo
	fh, err := c.FormFile("photo")
	switch {
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && fh.Size == 0):
		err = photo.ErrEmpty
	case err != nil: // a broken multipart body
		err = photo.ErrUpload
	default:
		if fh.Size > photo.MaxBytes {
			err = photo.ErrTooLarge
			break
		}
		f, oerr := fh.Open()
		if oerr != nil {
			return oerr
		}
		ph, err = photo.Process(ctx, f)
		f.Close()
	}
	if err != nil {
		if !photo.IsRejection(err) {
			return err
		}
		msg := err.Error()
		p, perr := s.profileProps(c)
		if perr != nil {
			return perr
		}
		p.Photo.Error = msg
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "My Profile", profile.Page(p)), profile.PhotoCard(p))
	}
	if _, err := s.DB.SetPhoto(ctx, a.User.ID, ph.Data); err != nil {
		return err
	}
	s.Flash(c, "success", "Your photo is updated.")
	return app.Redirect(c, "/me/profile")
}

// ProfilePhotoRemove deletes the photo; initials are shown instead.
func (s *Handlers) ProfilePhotoRemove(c echo.Context) error {
	if err := s.DB.RemovePhoto(c.Request().Context(), app.AuthOf(c).User.ID); err != nil {
		return err
	}
	s.Flash(c, "success", "Your photo is removed.")
	return app.Redirect(c, "/me/profile")
}

// UserPhoto serves a stored (re-encoded) photo to the user, to instance
// admins and to anyone active in an organization where the owner is active
// too; others (a suspended member included) get 404, as for no photo.
func (s *Handlers) UserPhoto(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	id, err := app.PathID(c, "id")
	if err != nil {
		return err
	}
	if id != a.User.ID && !a.User.IsInstanceAdmin {
		ok, err := s.DB.PhotoVisible(ctx, a.User.ID, id)
		if err != nil {
			return err
		}
		if !ok {
			return app.ErrNotFound
		}
	}
	data, version, err := s.DB.Photo(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	etag := `"p` + strconv.FormatInt(version, 10) + `"`
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	// A versioned URL never changes content: cache it for good. Others
	// (an old or missing ?v=) must revalidate.
	if c.QueryParam("v") == strconv.FormatInt(version, 10) {
		h.Set("Cache-Control", "private, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, photo.ContentType(data), data)
}

// SessionRevoke ends one session of the user (scoped by user in the store).
// Ending this browser's own session is a log out.
func (s *Handlers) SessionRevoke(c echo.Context) error {
	a := app.AuthOf(c)
	id := c.Param("id")
	err := s.DB.RevokeSession(c.Request().Context(), a.User.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	if id == a.Session.ID {
		s.ClearSessionCookie(c)
		return app.Redirect(c, "/login")
	}
	s.Flash(c, "success", "That session is signed out.")
	return app.Redirect(c, "/me/profile")
}

// SessionsRevokeOthers ends every session of the user but this one.
func (s *Handlers) SessionsRevokeOthers(c echo.Context) error {
	a := app.AuthOf(c)
	n, err := s.DB.RevokeOtherSessions(c.Request().Context(), a.User.ID, a.Session.ID)
	if err != nil {
		return err
	}
	switch n {
	case 0:
		s.Flash(c, "info", "There was no other session to sign out.")
	case 1:
		s.Flash(c, "success", "1 other session is signed out.")
	default:
		s.Flash(c, "success", strconv.FormatInt(n, 10)+" other sessions are signed out.")
	}
	return app.Redirect(c, "/me/profile")
}

// validatePhone accepts an optional international number in common notation.
func validatePhone(p string) string {
	if p == "" {
		return ""
	}
	if utf8.RuneCountInString(p) > 32 {
		return "Use at most 32 characters."
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-./", r):
		default:
			return "Use digits, spaces and + ( ) - . only, e.g. +44 20 7946 0958."
		}
	}
	if digits < 5 || digits > 17 {
		return "Enter a phone number with 5 to 17 digits, e.g. +44 20 7946 0958."
	}
	if i := strings.IndexByte(p, '+'); i > 0 || strings.Count(p, "+") > 1 {
		return "A + may only start the number."
	}
	return ""
}

// validateLine checks an optional single line of text.
func validateLine(v, what string, max int) string {
	if utf8.RuneCountInString(v) > max {
		return "Use at most " + strconv.Itoa(max) + " characters."
	}
	if !utf8.ValidString(v) {
		return "The " + what + " contains invalid characters."
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '<' || r == '>' {
			return "Use letters, digits, spaces and common punctuation only."
		}
	}
	return ""
}
