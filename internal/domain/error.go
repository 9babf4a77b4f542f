package domain

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"gatehouse/internal/access"
)

// Code classifies a refusal. The seven codes are the whole vocabulary: a
// caller picks one, Status turns it into HTTP, and nothing else does.
type Code string

const (
	CodeUnauthenticated Code = "unauthenticated" // no or dead session or token
	CodeForbidden       Code = "forbidden"       // a guard, anti-escalation, a policy, a refused action
	CodeNotFound        Code = "not_found"       // another organization's object, out of scope, missing
	CodeConflict        Code = "conflict"        // a name taken, a stale edit, an invitation already used
	CodeInvalid         Code = "invalid"         // input that fails validation (with per-field messages)
	CodeRateLimited     Code = "rate_limited"    // throttles (with Retry-After)
	CodeUnavailable     Code = "unavailable"     // the admission queue, a database that is down (with Retry-After)
)

// Status is the HTTP status of a code: the one place a refusal's status is
// decided (ARCHITECTURE.md, Errors). Pages answer unauthenticated with a
// redirect to the login page instead; an unknown code is the server's fault.
func (c Code) Status() int {
	switch c {
	case CodeUnauthenticated:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case CodeNotFound:
		return http.StatusNotFound
	case CodeConflict:
		return http.StatusConflict
	case CodeInvalid:
		return http.StatusUnprocessableEntity
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is a refusal meant for the user: nothing was written. Message is
// always a sentence to show; Field names the form field it belongs to ("" =
// the form as a whole) and Fields holds every field's message when a form
// has several problems at once. Missing is what an anti-escalation refusal
// would have given that the actor lacks (for a grid to mark), RetryAfter
// how long a rate_limited or unavailable caller should wait, Title a
// heading for a refusal that is the whole page. Problems lists, in order,
// every problem of an input document (an import file: each locates itself
// by its JSON path, as access.FieldError does). Err is the cause, if any:
// errors.Is(err, access.ErrEscalation) holds for anti-escalation refusals.
type Error struct {
	Code       Code
	Message    string
	Field      string
	Fields     map[string]string
	Missing    access.Set
	RetryAfter time.Duration
	Title      string
	Problems   []error
	Err        error
}

func (e *Error) Error() string { return e.Message }

func (e *Error) Unwrap() error { return e.Err }

// Status is the HTTP status of the refusal (its code's).
func (e *Error) Status() int { return e.Code.Status() }

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

// Text is the whole sentence, with describe naming the missing permissions
// after the message (the message alone when nothing is missing).
func (e *Error) Text(describe func(access.Set) string) string {
	if e.Missing.IsEmpty() {
		return e.Message
	}
	msg := e.Message
	if n := len(msg); n > 0 && msg[n-1] == '.' {
		msg = msg[:n-1]
	}
	return msg + ": " + describe(e.Missing) + "."
}

// AsError extracts an *Error (nil when err is something else: a real failure).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// HasCode reports whether err is an *Error with code c.
func HasCode(err error, c Code) bool {
	e := AsError(err)
	return e != nil && e.Code == c
}

// New is an error of any code, for the form as a whole.
func New(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// Forbidden refuses an action (a policy, an account beyond reach).
func Forbidden(format string, args ...any) *Error { return New(CodeForbidden, format, args...) }

// Escalation refuses an anti-escalation violation: forbidden, naming the
// field it concerns and what the actor lacks; errors.Is(err,
// access.ErrEscalation) holds.
func Escalation(field string, missing access.Set, format string, args ...any) *Error {
	return &Error{Code: CodeForbidden, Field: field, Missing: missing, Message: fmt.Sprintf(format, args...), Err: access.ErrEscalation}
}

// Invalid refuses input: field is the form field ("" = the form).
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound says something is not there (or not the caller's to see).
func NotFound(format string, args ...any) *Error { return New(CodeNotFound, format, args...) }

// Conflict refuses what clashes with the state: a name taken (field names
// it), a stale edit, an invitation already used.
func Conflict(field, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// RateLimited refuses a throttled caller, who may try again after retry.
func RateLimited(retry time.Duration, format string, args ...any) *Error {
	return &Error{Code: CodeRateLimited, RetryAfter: retry, Message: fmt.Sprintf(format, args...)}
}

// Unavailable refuses while the server cannot serve (busy, database down).
func Unavailable(retry time.Duration, format string, args ...any) *Error {
	return &Error{Code: CodeUnavailable, RetryAfter: retry, Message: fmt.Sprintf(format, args...)}
}
