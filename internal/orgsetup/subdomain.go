package orgsetup

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Subdomain length limits.
const (
	SlugMin = 3
	SlugMax = 40
)

// reserved are subdomains that name a part of the service (or could be
// mistaken for one), so no organization may take them.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		www admin administrator api app apps mail email webmail static login logout signin signup register
		orgs org o me my help support status docs doc blog ftp sftp smtp imap pop pop3 ns ns1 ns2 ns3 ns4
		mx dns cdn assets asset dashboard billing invoice invoices payment payments auth oauth sso id
		account accounts reset forgot invite invites new settings root system security abuse postmaster
		hostmaster webmaster dev test staging demo internal gatehouse healthz health metrics public media
		files img images js css secure portal localhost example home about contact sales pricing
		terms privacy legal news shop store`) {
		reserved[w] = true
	}
}

// IsReserved reports whether s is a reserved subdomain.
func IsReserved(s string) bool { return reserved[strings.ToLower(s)] }

// NormalizeSlug trims and lowercases a subdomain as typed.
func NormalizeSlug(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckSlug returns the message for a subdomain that breaks a rule ("" when
// it is fine). s should be normalized first; upper case is refused here.
func CheckSlug(s string) string {
	switch {
	case s == "":
		return "Choose a subdomain."
	case len(s) > SlugMax:
		return "Use at most 40 characters."
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "Use only lowercase letters a–z, digits and hyphens."
		}
	}
	switch {
	case len(s) < SlugMin:
		return "Use at least 3 characters."
	case s[0] == '-' || s[len(s)-1] == '-':
		return "A subdomain cannot start or end with a hyphen."
	case strings.Contains(s, "--"):
		return "A subdomain cannot contain two hyphens in a row."
	case reserved[s]:
		return "“" + s + "” is reserved. Choose another subdomain."
	}
	return ""
}

// translit spells out letters that lose more than an accent in ASCII.
var translit = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe", "ø", "o", "Ø", "o",
	"ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ð", "d", "Ð", "d", "þ", "th", "Þ", "th", "&", " and ")

// SuggestSlug proposes a subdomain for a company name: accents stripped,
// lowercase, every run of other characters turned into one hyphen, at most
// 40 characters ("Café Müller & Söhne" → "cafe-muller-and-sohne"). A result
// too short or reserved gets "-org" appended; a name without any Latin
// letter or digit gives "" (the user picks one).
func SuggestSlug(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, err := transform.String(t, translit.Replace(name))
	if err != nil {
		s = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	slug := b.String()
	if slug == "" {
		return ""
	}
	if len(slug) > SlugMax {
		slug = strings.TrimRight(slug[:SlugMax], "-")
	}
	if len(slug) < SlugMin || reserved[slug] {
		slug += "-org"
	}
	return slug
}

// NumberedSlug is the n-th alternative of a taken suggestion ("acme" →
// "acme-2"), kept within the length limit.
func NumberedSlug(base string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > SlugMax {
		base = strings.TrimRight(base[:SlugMax-len(suffix)], "-")
	}
	return base + suffix
}
