package membership

import (
	"gatehouse/internal/emailaddr"
	"gatehouse/internal/names"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// plural: plural(1, "seat is", "seats are") = "1 seat is".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// checkEmail validates an address the way sign-up does: a bare addr-spec
// with a dot in the domain. Returns "" when it is fine.
func checkEmail(email string) string { return emailaddr.FormMessage(email) }

// checkName validates an optional invitee name.
func checkName(name string) string {
	if utf8.RuneCountInString(name) > 100 {
		return "Use at most 100 characters."
	}
	if msg := names.HiddenCharacter(name); msg != "" {
		return msg
	}
	if !utf8.ValidString(name) || strings.ContainsAny(name, "<>") || strings.ContainsFunc(name, unicode.IsControl) {
		return "Use letters, spaces and common punctuation only."
	}
	return ""
}

// compareFold orders names case-insensitively.
func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
