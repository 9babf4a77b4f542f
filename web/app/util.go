package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/emailaddr"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/internal/useragent"
)

// The helpers more than one feature needs, written once.

func isIP(h string) bool { return net.ParseIP(h) != nil }

// PathID reads a positive id from the route parameter name; a malformed
// one is a 404, like an id that does not exist.
func PathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// InOrg reads the object whose id is the route parameter name in the
// request's organization with read: a malformed id, or one of another
// organization, is a 404 like an id that does not exist.
func InOrg[T any](c echo.Context, name string, read func(ctx context.Context, orgID, id int64) (T, error)) (T, error) {
	id, err := PathID(c, name)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := read(c.Request().Context(), AuthOf(c).Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return v, ErrNotFound
	}
	return v, err
}

// ValidateName checks a person's name.
func ValidateName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Enter your name."
	case n > 100:
		return "Use at most 100 characters."
	case names.HiddenCharacter(name) != "":
		return names.HiddenCharacter(name)
	case strings.ContainsAny(name, "<>") || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return "Use letters, spaces and common punctuation only."
	}
	return ""
}

// ValidateEmail checks an address: a bare addr-spec with a dot in the domain.
func ValidateEmail(email string) string {
	switch emailaddr.Check(email) {
	case nil:
		return ""
	case emailaddr.ErrEmpty:
		return "Enter your email address."
	case emailaddr.ErrTooLong:
		return "This email address is too long."
	}
	return "Enter a valid email address, like name@example.com."
}

// DeviceLabel is "Phone · iPhone", or the class alone.
func DeviceLabel(i useragent.Info) string {
	if i.Device != "" {
		return i.ClassLabel() + " · " + i.Device
	}
	return i.ClassLabel()
}

// ListSome joins the first few of xs and counts the rest.
func ListSome(xs []string) string {
	const max = 8
	if len(xs) > max {
		return strings.Join(xs[:max], ", ") + fmt.Sprintf(" and %d more", len(xs)-max)
	}
	return strings.Join(xs, ", ")
}

// Clip shortens a value echoed back in a message to 30 characters.
func Clip(s string) string {
	if utf8.RuneCountInString(s) > 30 {
		return string([]rune(s)[:30]) + "…"
	}
	return s
}

// CSVCell defuses spreadsheet formulas: a cell starting with = + - @ (or a
// tab or carriage return, which some spreadsheets strip first) gets a
// leading quote so it is read as text.
func CSVCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
