package groups

// Fuzz tests of groups's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/groups
// -run '^$' -fuzz FuzzGroupName` explores further.

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzGroupName: an accepted group name is valid text within its limit,
// without control characters.
func FuzzGroupName(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234",
		"123456789012345678", "<b>x</b>", "a\x00b", "a\x1bb", "\xff\xfe", "Zoë", "a\tb", "line\nbreak", strings.Repeat("é", 101)} {
		f.Add(s)
	}
	plain := func(s string) bool {
		return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validateGroupName(s) == "" {
			if n := utf8.RuneCountInString(s); n < 1 || n > groupNameMax || !plain(s) {
				t.Errorf("validateGroupName accepted %q", s)
			}
		}
	})
}
