package emailaddr

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for s, want := range map[string]error{
		"name@example.com":                 nil,
		"a.b+tag@sub.example.co.uk":        nil,
		"":                                 ErrEmpty,
		"a@b":                              ErrInvalid,
		"not-an-email":                     ErrInvalid,
		"Name <name@example.com>":          ErrInvalid,
		"name@example.com.":                ErrInvalid,
		"@example.com":                     ErrInvalid,
		strings.Repeat("a", 250) + "@e.co": ErrTooLong,
	} {
		if got := Check(s); !errors.Is(got, want) || (want == nil) != (got == nil) {
			t.Errorf("Check(%q) = %v, want %v", s, got, want)
		}
	}
}
