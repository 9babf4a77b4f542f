package orgsetup

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var validSlug = regexp.MustCompile(`^[a-z0-9]([a-z0-9]|-[a-z0-9])*$`)

// FuzzValidateSubdomain: whatever is typed, an accepted subdomain is a
// DNS-safe label of 3–40 characters, not reserved; and the suggestion for
// any name is either empty or accepted.
func FuzzValidateSubdomain(f *testing.F) {
	for _, s := range []string{"acme", "a", "www", "admin", "-acme", "acme-", "ac--me", "xn--abc", "ACME", "ac_me",
		"acmé", "ac.me", strings.Repeat("a", 40), strings.Repeat("a", 41), "", " acme ", "123", "a\x00b", "Café Müller"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := NormalizeSlug(s)
		if CheckSlug(norm) == "" {
			if !validSlug.MatchString(norm) || len(norm) < SlugMin || len(norm) > SlugMax || IsReserved(norm) {
				t.Fatalf("accepted %q (from %q)", norm, s)
			}
		} else if validSlug.MatchString(norm) && len(norm) >= SlugMin && len(norm) <= SlugMax && !IsReserved(norm) {
			t.Fatalf("refused well-formed %q: %s", norm, CheckSlug(norm))
		}
		if sug := SuggestSlug(s); sug != "" && CheckSlug(sug) != "" {
			t.Fatalf("SuggestSlug(%q) = %q, refused: %s", s, sug, CheckSlug(sug))
		}
	})
}

// FuzzVAT: an accepted id matches its country's pattern, is normalized (no
// separators, upper case) and checks again unchanged; nothing panics.
func FuzzVAT(f *testing.F) {
	for _, c := range vatRules {
		f.Add(c.Code, c.Example, false)
		f.Add(c.Code, "", true)
	}
	for _, s := range []string{"de 123.456-789", "123456789", "U12345678", "FR12345678901", "\xff", "DE" + strings.Repeat("9", 40)} {
		f.Add("DE", s, false)
	}
	f.Fuzz(func(t *testing.T, country, raw string, noVAT bool) {
		got, msg := CheckVAT(country, raw, noVAT)
		if msg != "" {
			if got != "" {
				t.Fatalf("message %q with a value %q", msg, got)
			}
			return
		}
		c, ok := CountryByCode(country)
		if !ok {
			t.Fatalf("accepted unknown country %q", country)
		}
		if got == "" {
			if !noVAT && c.HasVAT() {
				t.Fatalf("empty id accepted for %s without the checkbox", country)
			}
			return
		}
		if noVAT || !c.HasVAT() || !c.Pattern.MatchString(got) || got != NormalizeVAT(got) {
			t.Fatalf("CheckVAT(%q, %q, %v) = %q", country, raw, noVAT, got)
		}
		if again, msg := CheckVAT(country, got, false); again != got || msg != "" {
			t.Fatalf("not stable: %q → %q, %q", got, again, msg)
		}
	})
}

// FuzzOrgName: an accepted name is valid UTF-8, trimmed with single spaces,
// 2–100 characters, free of control and markup characters, has a non-empty
// key, and checks again unchanged.
func FuzzOrgName(f *testing.F) {
	for _, s := range []string{"Acme Ltd", "  ACME \t Ltd ", "Acmé", "A", "", "<b>", "x\x00y", "\xff", "東京株式会社",
		strings.Repeat("ab", 60), "!!", "Zero\u200bWidth", "O'Brien & Sons, Inc."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, msg := CheckName(s)
		if msg != "" {
			return
		}
		n := utf8.RuneCountInString(name)
		if !utf8.ValidString(name) || n < NameMin || n > NameMax || name != strings.TrimSpace(name) ||
			strings.Contains(name, "  ") || strings.ContainsAny(name, "<>") || NameKey(name) == "" {
			t.Fatalf("accepted %q (from %q)", name, s)
		}
		for _, r := range name {
			if unicode.IsControl(r) {
				t.Fatalf("control character in %q", name)
			}
		}
		if again, msg := CheckName(name); again != name || msg != "" {
			t.Fatalf("not stable: %q → %q, %q", name, again, msg)
		}
	})
}
