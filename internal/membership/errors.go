package membership

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/access"
)

// Code classifies a refusal so the web layer picks the status; the message
// is always meant for the user.
type Code string

const (
	Invalid   Code = "invalid"   // bad input or a rule of the organization (seats, last owner): 422
	Forbidden Code = "forbidden" // anti-escalation and owner safety: shown in place, nothing changed
	NotFound  Code = "not_found" // no such member, invitation or link in this organization: 404
	Gone      Code = "gone"      // an invitation link that was used, revoked or has expired: 410
	Denied    Code = "denied"    // the account is beyond this organization's reach (managed accounts): 403
)

// Error is a user-facing refusal. Field names the form field it belongs to
// ("" = the form as a whole); Fields holds every field's message when a
// form has several problems at once.
type Error struct {
	Code    Code
	Field   string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Message }

// Is lets errors.Is(err, access.ErrEscalation) match anti-escalation refusals.
func (e *Error) Is(target error) bool { return e.Code == Forbidden && target == access.ErrEscalation }

// For is the message of one field ("" when it has none).
func (e *Error) For(field string) string {
	if e == nil {
		return ""
	}
	if m, ok := e.Fields[field]; ok {
		return m
	}
	if e.Field == field {
		return e.Message
	}
	return ""
}

// AsError extracts an *Error (nil when err is something else: a real failure).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

func forbidden(field, format string, args ...any) *Error {
	return &Error{Code: Forbidden, Field: field, Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// escalation words an access.Check* refusal as one sentence.
func escalation(field, prefix string, err error) *Error {
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
