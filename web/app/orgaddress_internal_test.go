package app

import (
	"io"
	"log/slog"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestOrgAddress(t *testing.T) {
	for base, want := range map[string]string{
		"https://example.com":       "acme.example.com",
		"http://localhost:8080":     "acme.localhost:8080",
		"http://127.0.0.1:8080":     "127.0.0.1:8080/o/acme",
		"http://[::1]:8080":         "[::1]:8080/o/acme",
		"https://gatehouse.example": "acme.gatehouse.example",
	} {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		k := New(u, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), echo.New(), nil)
		if got := k.OrgAddress("acme"); got != want {
			t.Errorf("base %s: orgAddress = %q, want %q", base, got, want)
		}
	}
}
