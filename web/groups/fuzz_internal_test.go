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
	for _, s := range []string{"Night shift", "", " ", "a\x00b", "\xff\xfe", "a\tb", strings.Repeat("é", 61)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validateGroupName(s) == "" {
			if n := utf8.RuneCountInString(s); n < 1 || n > groupNameMax || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
				t.Errorf("validateGroupName accepted %q", s)
			}
		}
	})
}
