package web

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Paths that stay global on an organization's subdomain; everything else
// is that organization's page (acme.example.com/customers → /o/acme/customers).
var globalPrefixes = []string{"/o/", "/static/", "/healthz", "/login", "/logout", "/signup", "/forgot", "/reset",
	"/orgs", "/me/", "/admin/", "/invite"}

// subdomainRewrite maps {slug}.{base host} onto /o/{slug}/… before routing.
func (s *Server) subdomainRewrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		slug := s.subdomainOf(c.Request().Host)
		if slug == "" {
			return next(c)
		}
		r := c.Request()
		path := r.URL.Path
		for _, p := range globalPrefixes {
			if path == strings.TrimSuffix(p, "/") || strings.HasPrefix(path, p) {
				if p == "/login" || p == "/signup" {
					// The organization's login page: an unknown subdomain is a 404.
					if taken, err := s.db.OrgSlugTaken(r.Context(), slug); err != nil {
						return err
					} else if !taken {
						return errNotFound
					}
					if r.URL.Query().Get("next") == "" && r.Method == http.MethodGet {
						q := r.URL.Query()
						q.Set("next", "/o/"+slug)
						r.URL.RawQuery = q.Encode()
					}
				}
				return next(c)
			}
		}
		if path == "/" {
			path = ""
		}
		r.URL.Path = "/o/" + slug + path
		r.URL.RawPath = ""
		return next(c)
	}
}

// subdomainOf returns the organization slug of host, or "" when host is the
// base host itself (or unrelated). localhost gets the same treatment, so
// acme.localhost:8080 works on a local run.
func (s *Server) subdomainOf(host string) string {
	h := strings.ToLower(host)
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	base := strings.ToLower(s.base.Hostname())
	for _, parent := range []string{base, "localhost"} {
		if parent == "" || isIP(parent) {
			continue
		}
		if sub, ok := strings.CutSuffix(h, "."+parent); ok && sub != "" && !strings.Contains(sub, ".") {
			return sub
		}
	}
	return ""
}
