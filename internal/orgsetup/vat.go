package orgsetup

import (
	"strings"
	"unicode/utf8"
)

// vatMaxInput bounds what we even try to read as a VAT id.
const vatMaxInput = 32

// NormalizeVAT uppercases a VAT id and drops the separators people type
// (spaces, dots, hyphens): "de 123.456-789" → "DE123456789".
func NormalizeVAT(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch r {
		case ' ', '.', '-', '\t', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckVAT validates a VAT id for a country and returns it normalized, with
// the message to show ("" when fine). noVAT is the "No VAT id" checkbox:
// allowed everywhere, and then the field must be empty. A country without
// VAT takes no id. A missing country prefix is added ("123456789" for
// Germany → "DE123456789").
func CheckVAT(countryCode, raw string, noVAT bool) (string, string) {
	c, ok := CountryByCode(countryCode)
	if !ok {
		return "", "Choose the country first."
	}
	raw = strings.TrimSpace(raw)
	if noVAT {
		if raw != "" {
			return "", "Either enter a VAT id or tick “No VAT id”, not both."
		}
		return "", ""
	}
	if !c.HasVAT() {
		if raw != "" {
			return "", c.Name + " has no VAT ids. Leave this empty."
		}
		return "", ""
	}
	if raw == "" {
		return "", "Enter the VAT id, or tick “No VAT id”."
	}
	if utf8.RuneCountInString(raw) > vatMaxInput || !utf8.ValidString(raw) {
		return "", "This is too long for a VAT id of " + c.Name + ": " + c.Format + ", like " + c.Example + "."
	}
	v := NormalizeVAT(raw)
	v = withPrefix(v, c.Prefix)
	if c.Pattern.MatchString(v) {
		return v, ""
	}
	if other := vatCountryOf(v); other != nil && other.Code != c.Code {
		return "", "This looks like a VAT id of " + other.Name + ". For " + c.Name + " it is " + c.Format + ", like " + c.Example + "."
	}
	return "", "This is not a valid VAT id for " + c.Name + ": " + c.Format + ", like " + c.Example + "."
}

// withPrefix adds the country prefix to an id typed without it; for
// prefixes with a letter after the country code (ATU, CHE) that letter may
// have been typed already ("U12345678" → "ATU12345678").
func withPrefix(v, prefix string) string {
	if v == "" || strings.HasPrefix(v, prefix) {
		return v
	}
	if isDigit(v[0]) {
		return prefix + v
	}
	if len(prefix) == 3 && len(v) > 1 && v[0] == prefix[2] && isDigit(v[1]) {
		return prefix[:2] + v
	}
	return v
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// vatCountryOf guesses the country of a well-formed id of another country.
func vatCountryOf(v string) *Country {
	for i := range vatRules {
		c := &vatRules[i]
		if c.HasVAT() && c.Pattern.MatchString(v) {
			return c
		}
	}
	return nil
}
