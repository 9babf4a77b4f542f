package membership

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// The service refuses with *domain.Error (ARCHITECTURE.md, Errors); these
// word its refusals.

func invalid(field, format string, args ...any) *domain.Error {
	return domain.Invalid(field, format, args...)
}

// forbidden refuses an anti-escalation or owner-safety violation: every one
// wraps access.ErrEscalation.
func forbidden(field, format string, args ...any) *domain.Error {
	return domain.Escalation(field, access.Set{}, format, args...)
}

func notFound(format string, args ...any) *domain.Error {
	return domain.NotFound(format, args...)
}

// escalation words an access.Check* refusal as one sentence.
func escalation(field, prefix string, err error) *domain.Error {
	msg := strings.TrimPrefix(err.Error(), access.ErrEscalation.Error()+": ")
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	return forbidden(field, "%s", sentence(msg))
}

// sentence capitalizes the first letter and ends with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
