package web

import (
	"io"
	"log/slog"
	"testing"
)

func TestOrgAddress(t *testing.T) {
	for base, want := range map[string]string{
		"https://example.com":       "acme.example.com",
		"http://localhost:8080":     "acme.localhost:8080",
		"http://127.0.0.1:8080":     "127.0.0.1:8080/o/acme",
		"http://[::1]:8080":         "[::1]:8080/o/acme",
		"https://gatehouse.example": "acme.gatehouse.example",
	} {
		s, err := New(Config{BaseURL: base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.orgAddress("acme"); got != want {
			t.Errorf("base %s: orgAddress = %q, want %q", base, got, want)
		}
	}
}
