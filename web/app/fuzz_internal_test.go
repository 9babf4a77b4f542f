package app

// Fuzz tests of the kernel's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/app
// -run '^$' -fuzz FuzzValidateEmail` explores further.

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/orgsetup"
)

// FuzzValidateEmail: an accepted address is a bare, short addr-spec with
// a dotted domain; sign-up and the organization wizard agree on it.
func FuzzValidateEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "A.B+c@sub.example.co", "", "a", "a@b", "a@b.", "@b.co", "a@@b.co", "Ann <a@b.co>",
		"a b@c.co", `"a b"@c.co`, "a@b.co ", "a@[127.0.0.1]", "a@b.co\n", strings.Repeat("a", 250) + "@b.co", "é@b.co", "a@b..co"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		msg := ValidateEmail(email)
		if (msg == "") != (orgsetup.CheckEmail(email) == "") {
			t.Fatalf("sign-up says %q, the wizard says %q for %q", msg, orgsetup.CheckEmail(email), email)
		}
		if msg != "" {
			return
		}
		at := strings.LastIndexByte(email, '@')
		if len(email) > 254 || at < 1 || !strings.Contains(email[at+1:], ".") || strings.HasSuffix(email, ".") ||
			!utf8.ValidString(email) || strings.ContainsAny(email, "<>\r\n\t") {
			t.Fatalf("accepted %q", email)
		}
	})
}

// FuzzPersonName: an accepted name is valid text of 1 to 100 characters,
// without control characters or markup.
func FuzzPersonName(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "Zoë", "<b>x</b>", "a\x00b", "\xff\xfe", strings.Repeat("é", 101)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateName(s) == "" {
			if n := utf8.RuneCountInString(s); n < 1 || n > 100 || strings.ContainsAny(s, "<>") || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
				t.Errorf("ValidateName accepted %q", s)
			}
		}
	})
}
