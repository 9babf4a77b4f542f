// Package profile holds "My Profile" (/me/profile): photo, details, email,
// password, groups per organization, recent logins and active sessions.
package profile

import (
	"strconv"
	"time"
)

// Props is everything the page shows.
type Props struct {
	CSRF     string
	Name     string // as saved (the details form may hold unsaved input)
	Email    string
	PhotoURL string // "" → initials
	Photo    PhotoForm
	Details  DetailsForm
	EmailF   EmailForm
	// PendingEmail is a new address waiting for its confirmation link ("" if none).
	PendingEmail string
	Password     PasswordForm
	Orgs         []Org
	Logins       []Login
	Sessions     []Session
}

// PhotoForm carries the upload's error.
type PhotoForm struct{ Error string }

// DetailsForm is name and contact details.
type DetailsForm struct {
	Name, Phone, JobTitle, Location string
	Errors                          map[string]string
}

// EmailForm changes the sign-in address.
type EmailForm struct {
	Email  string
	Errors map[string]string
}

// PasswordForm changes the password (values are never echoed back).
type PasswordForm struct{ Errors map[string]string }

// Org is one organization of the user with their role and groups there.
type Org struct {
	Name, Slug, Role string
	Suspended        bool
	Groups           []string
}

// Login is one successful sign-in.
type Login struct {
	At       time.Time
	IP       string
	Location string // "" → unknown: the IP is shown alone
	Browser  string // "Chrome 126 on macOS"
	Device   string // "Desktop", "Phone"… with the model when known
}

// Session is one live session of the user.
type Session struct {
	ID       string
	IP       string
	Location string
	Browser  string
	Device   string
	Created  time.Time
	LastSeen time.Time
	Current  bool // the session of this request: "This device"
}

// Field ids of the forms (htmx swaps each card whole).
const (
	PhotoID    = "profile-photo"
	DetailsID  = "profile-details"
	EmailID    = "profile-email"
	PasswordID = "profile-password"
)

func errOf(m map[string]string, k string) string { return m[k] }

// when is an absolute UTC time; exact and unambiguous across time zones.
func when(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func otherSessions(ss []Session) int {
	n := 0
	for _, s := range ss {
		if !s.Current {
			n++
		}
	}
	return n
}

func revokeURL(id string) string { return "/me/sessions/" + id + "/revoke" }

func permissionsURL(slug string) string { return "/o/" + slug + "/me/permissions" }

func revokeOthersLabel(n int) string {
	if n == 1 {
		return "Sign out the other session"
	}
	return "Sign out all " + strconv.Itoa(n) + " other sessions"
}
