package orgsetup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/names"
)

// Name length limits, in characters.
const (
	NameMin = 2
	NameMax = 100
)

// NormalizeName trims a company name and collapses every run of whitespace
// into one space ("  ACME \t Ltd " → "ACME Ltd").
func NormalizeName(name string) string {
	return strings.Join(strings.Fields(name), " ")
}

// CheckName normalizes a company name and returns it with the message to
// show when it breaks a rule ("" when it is fine). Uniqueness is compared on
// NameKey, which the caller checks against the store.
func CheckName(raw string) (string, string) {
	if !utf8.ValidString(raw) {
		return "", "Use letters, digits, spaces and common punctuation only."
	}
	name := NormalizeName(raw)
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return name, "Enter the company name."
	case n > NameMax:
		return name, "Use at most 100 characters."
	case strings.ContainsAny(name, "<>"):
		return name, "Use letters, digits, spaces and common punctuation only."
	}
	if msg := names.HiddenCharacter(name); msg != "" {
		return name, msg
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) {
			return name, "Use letters, digits, spaces and common punctuation only."
		}
	}
	if n < NameMin {
		return name, "Use at least 2 characters."
	}
	if !hasAlnum(NameKey(name)) {
		return name, "The name needs at least one letter or digit."
	}
	return name, ""
}

// NameKey is the uniqueness key of a name: "ACME  Ltd", "acme ltd" and
// "Acmé Ltd" share one.
func NameKey(name string) string { return names.FoldOrgName(name) }

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
