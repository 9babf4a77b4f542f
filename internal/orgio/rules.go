package orgio

import (
	"fmt"
	"gatehouse/internal/emailaddr"
	"gatehouse/internal/names"
	"gatehouse/internal/orgsetup"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The field rules of the import. Each returns "" or a message that reads
// after the field's path ("organization.slug: …").

// checkSlug uses the wizard's subdomain rules (one list of reserved words
// for every way an organization can come to be).
func checkSlug(s string) string {
	if s == "" {
		return "required"
	}
	if msg := orgsetup.CheckSlug(s); msg != "" {
		return fmt.Sprintf("%q is not a valid subdomain: %s", s, msg)
	}
	return ""
}

// checkName applies to organization, group and person names (at most 100
// characters).
func checkName(s string) string {
	const max = 100
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case n > max:
		return fmt.Sprintf("use at most %d characters (got %d)", max, n)
	case strings.TrimSpace(s) != s:
		return fmt.Sprintf("%q has leading or trailing spaces", s)
	case strings.ContainsAny(s, "<>"):
		return fmt.Sprintf("%q may not contain < or >", s)
	}
	if msg := names.HiddenCharacter(s); msg != "" {
		return fmt.Sprintf("%+q: %s", s, msg)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("%q contains a control character", s)
		}
	}
	return ""
}

func checkDescription(s string) string {
	if n := utf8.RuneCountInString(s); n > 500 {
		return fmt.Sprintf("use at most 500 characters (got %d)", n)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' {
			return "contains a control character"
		}
	}
	return ""
}

// checkEmail accepts a bare address with a dot in the domain, as sign-up does.
func checkEmail(s string) string {
	switch emailaddr.Check(s) {
	case nil:
		return ""
	case emailaddr.ErrEmpty:
		return "required"
	case emailaddr.ErrTooLong:
		return "email address too long (at most 254 characters)"
	}
	return fmt.Sprintf("%q is not a valid email address (like name@example.com)", s)
}
