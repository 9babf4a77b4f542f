package app

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/internal/mail"
)

// Free-text query parameters (searches, filters) reach SQL as bound values,
// so nothing in them is dangerous there; but a NUL byte or invalid UTF-8
// cannot be compared, shown or logged faithfully, and used to end in a 500.
// Every handler that reads one checks it here first and answers 422 with a
// message next to the field instead, before any query runs.

// QueryProblem is the message for a free-text value that cannot be searched
// for, or "" when it can.
func QueryProblem(v string) string {
	switch {
	case !utf8.ValidString(v):
		return "The search contains bytes that are not text (invalid UTF-8). Type it again."
	case strings.ContainsFunc(v, unicode.IsControl):
		return "The search contains a control character (such as a NUL byte). Remove it and try again."
	}
	return ""
}

// QueryErrors records, for each named field, the problem of its value in
// errs (the form's per-field messages) and reports whether there was one.
func QueryErrors(errs map[string]string, fields map[string]string) bool {
	bad := false
	for name, v := range fields {
		if msg := QueryProblem(v); msg != "" {
			if _, taken := errs[name]; !taken {
				errs[name] = msg
			}
			bad = true
		}
	}
	return bad
}

// CheckQuery answers 422 for a handler whose page has no field for the
// message: the error page shows it.
func CheckQuery(c echo.Context, params ...string) error {
	for _, p := range params {
		if msg := QueryProblem(c.QueryParam(p)); msg != "" {
			return domain.Invalid("", "%s", msg)
		}
	}
	return nil
}

// SearchParam is the trimmed ?q=, "" when it is not text and cut to max
// characters, so a pasted novel cannot become a query.
func SearchParam(c echo.Context, max int) string {
	q := strings.TrimSpace(c.QueryParam("q"))
	if !utf8.ValidString(q) {
		return ""
	}
	if utf8.RuneCountInString(q) > max {
		q = string([]rune(q)[:max])
	}
	return q
}

// PageParam is ?page=, 1 when absent or not a positive number.
func PageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// redactedParam reports a query parameter whose value is a secret: a
// mailed link's token (mail.SecretParam), or a password or CSRF token.
func redactedParam(name string) bool {
	switch strings.ToLower(name) {
	case "password", "_csrf":
		return true
	}
	return mail.SecretParam(name)
}

// RedactURI is a request URI fit for the log: the values of secret query
// parameters, the token segment of /invite/:token and the like, and any
// segment or value that looks like a generated token are replaced.
func RedactURI(uri string) string {
	path, query, hasQuery := strings.Cut(uri, "?")
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if seg != "" && ((i > 0 && mail.TokenRoute(segs[i-1]) && !isRouteWord(seg)) || mail.LooksRandom(seg)) {
			segs[i] = mail.Mask
		}
	}
	path = strings.Join(segs, "/")
	if !hasQuery {
		return path
	}
	parts := strings.Split(query, "&")
	for i, kv := range parts {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if redactedParam(name) || mail.LooksRandom(v) {
			parts[i] = k + "=" + mail.Mask
		}
	}
	return path + "?" + strings.Join(parts, "&")
}

// isRouteWord tells a fixed route segment after "invite" (the members
// screen's /invite form) from a token.
func isRouteWord(seg string) bool {
	switch seg {
	case "accept", "decline", "new":
		return true
	}
	return false
}
