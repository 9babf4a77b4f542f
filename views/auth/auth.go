// Package auth holds the signed-out pages: log in, sign up, forgot and reset password.
package auth

import (
	"net/url"

	"github.com/a-h/templ"
)

// LoginForm is the state of the login page. Error is one generic message
// (never say whether the email exists).
type LoginForm struct {
	Email     string
	Next      string
	Error     string
	Returning bool // this browser signed in before: "Welcome back"
}

func (f LoginForm) subtitle() string {
	if f.Returning {
		return "Welcome back. Enter your email and password."
	}
	return "Enter your email and password to continue."
}

// SignupForm is the state of the sign-up page. Errors keys: "name", "email",
// "password"; the key "form" (or "") is shown as a message above the form.
type SignupForm struct {
	Name   string
	Email  string
	Errors map[string]string
	Next   string
	// SetupToken, when set, makes this the setup page: the account created
	// becomes the instance admin (POST /setup with the token).
	SetupToken string
}

// ConfirmProps is the page of a confirmation link: confirmed (Email, Changed
// for an email change) or refused (Error).
type ConfirmProps struct {
	Email      string
	Changed    bool
	Error      string
	SignedIn   bool
	Unverified bool // signed in and still unconfirmed: offer a new link
}

// ForgotForm is the state of the forgot-password page. When Sent, the same
// confirmation is shown whether or not the account exists.
type ForgotForm struct {
	Email string
	Sent  bool
	Error string
}

// ResetForm is the state of the reset-password page. Forced means the user
// must set a new password before continuing (Token may then be empty).
type ResetForm struct {
	Token  string
	Error  string
	Forced bool
	Next   string // a forced reset returns the member here (a local path)
}

// withNext appends ?next=… to path when next is a local path.
func withNext(path, next string) string {
	if next == "" || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

func (f SignupForm) err(key string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors[key]
}

func (f SignupForm) formError() string {
	if e := f.err("form"); e != "" {
		return e
	}
	return f.err("")
}

func autofocusIf(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"autofocus": true}
	}
	return nil
}

func (f SignupForm) action() string {
	if f.SetupToken != "" {
		return "/setup"
	}
	return "/signup"
}

func (f SignupForm) title() string {
	if f.SetupToken != "" {
		return "Set up Gatehouse"
	}
	return "Create your account"
}

func (f SignupForm) subtitle() string {
	if f.SetupToken != "" {
		return "Create the first account: it administers this Gatehouse instance."
	}
	return "Manage organizations, members and permissions in one place."
}

func confirmedText(f ConfirmProps) string {
	if f.Changed {
		return "Your account's email is now " + f.Email + ". Use it the next time you sign in."
	}
	return "Thank you: " + f.Email + " is confirmed."
}

func resetSubtitle(forced bool) string {
	if forced {
		return "An administrator of one of your organizations asked you to choose a new password."
	}
	return "Choose a strong password you don't use anywhere else."
}

// focus is the field to autofocus: the first one with an error, else "name".
func (f SignupForm) focus() string {
	for _, k := range []string{"name", "email", "password"} {
		if f.err(k) != "" {
			return k
		}
	}
	return "name"
}

func passwordAttrs(focus bool) templ.Attributes {
	a := templ.Attributes{"minlength": "10"}
	if focus {
		a["autofocus"] = true
	}
	return a
}
