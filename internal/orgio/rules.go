package orgio

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The field rules of the import. Each returns "" or a message that reads
// after the field's path ("organization.slug: …").

// reservedSlugs are subdomains an organization may not take (DESIGN §5:
// www, admin, api, app, mail, static, …) and the app's own path names.
var reservedSlugs = map[string]bool{
	"www": true, "admin": true, "api": true, "app": true, "mail": true, "static": true,
	"smtp": true, "imap": true, "pop": true, "ftp": true, "cdn": true, "assets": true, "img": true,
	"login": true, "logout": true, "signup": true, "forgot": true, "reset": true, "invite": true,
	"orgs": true, "org": true, "me": true, "healthz": true, "status": true, "help": true, "support": true,
	"docs": true, "blog": true, "root": true, "system": true, "gatehouse": true, "localhost": true,
}

func checkSlug(s string) string {
	n := len(s)
	switch {
	case n == 0:
		return "required"
	case n < 3 || n > 40:
		return fmt.Sprintf("%q must be 3 to 40 characters long", s)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Sprintf("%q may only contain lowercase letters a-z, digits and hyphens", s)
		}
	}
	if s[0] == '-' || s[n-1] == '-' {
		return fmt.Sprintf("%q may not start or end with a hyphen", s)
	}
	if reservedSlugs[s] {
		return fmt.Sprintf("%q is reserved; choose another subdomain", s)
	}
	return ""
}

// checkName applies to organization, group and person names.
func checkName(s string, max int) string {
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
	bad := fmt.Sprintf("%q is not a valid email address (like name@example.com)", s)
	if s == "" {
		return "required"
	}
	if len(s) > 254 {
		return "email address too long (at most 254 characters)"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return bad
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return bad
	}
	return ""
}
