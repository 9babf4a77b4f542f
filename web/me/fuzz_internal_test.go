package me

// Fuzz tests of me's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/me
// -run '^$' -fuzz FuzzProfileFields` explores further.

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzProfileFields: the profile form's phone and free lines. An accepted
// value is valid text within its limits, without control characters or markup.
func FuzzProfileFields(f *testing.F) {
	for _, s := range []string{"+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234", "123456789012345678", "Sales lead", "<b>x</b>", "a\x1bb", "line\nbreak"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validatePhone(s) == "" && s != "" {
			digits := 0
			for _, r := range s {
				if r >= '0' && r <= '9' {
					digits++
				} else if !strings.ContainsRune(" +()-./", r) {
					t.Errorf("validatePhone accepted %q", s)
				}
			}
			if digits < 5 || digits > 17 || utf8.RuneCountInString(s) > 32 || strings.LastIndexByte(s, '+') > 0 {
				t.Errorf("validatePhone accepted %q", s)
			}
		}
		if validateLine(s, "job title", 100) == "" {
			if utf8.RuneCountInString(s) > 100 || strings.ContainsAny(s, "<>") || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
				t.Errorf("validateLine accepted %q", s)
			}
		}
	})
}
