// Package emailaddr is the one rule for what Gatehouse accepts as an email
// address (sign-up, invitations, the wizard's billing contact, imports):
// a bare addr-spec of at most 254 bytes with a dot in the domain. Callers
// word the message for their own screen or file format.
package emailaddr

import (
	"errors"
	"net/mail"
	"strings"
)

// The ways an address can fail.
var (
	ErrEmpty   = errors.New("empty")
	ErrTooLong = errors.New("too long")
	ErrInvalid = errors.New("invalid")
)

// MaxLen is the longest address accepted (RFC 5321's path limit).
const MaxLen = 254

// Check returns nil for an acceptable address, else one of the errors above.
func Check(s string) error {
	switch {
	case s == "":
		return ErrEmpty
	case len(s) > MaxLen:
		return ErrTooLong
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return ErrInvalid
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return ErrInvalid
	}
	return nil
}

// FormMessage is Check worded for a form field ("" when fine).
func FormMessage(s string) string {
	switch Check(s) {
	case nil:
		return ""
	case ErrEmpty:
		return "Enter an email address."
	case ErrTooLong:
		return "This email address is too long."
	}
	return "Enter a valid email address, like name@example.com."
}
