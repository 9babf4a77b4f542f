package app

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/orgsetup"
	"gatehouse/internal/session"
)

// Paths that stay global on an organization's subdomain; everything else
// is that organization's page (acme.example.com/customers → /o/acme/customers).
// Each matches itself and what lies below it ("/login", "/login/…"), never
// a longer name ("/loginfoo" is the organization's).
var globalPaths = []string{"/o", "/static", "/healthz", "/login", "/logout", "/signup", "/forgot", "/reset",
	"/orgs", "/me", "/admin", "/invite", "/invites"}

func isGlobalPath(path string) bool {
	for _, p := range globalPaths {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// subdomainRewrite maps {slug}.{base host} onto /o/{slug}/… before routing.
// An unknown organization answers 404 on every page of its subdomain. With a
// session cookie that costs nothing extra: the auth query finds no
// organization and the member guard answers 404. Without one, a cheap
// existence check runs here, because the guard would otherwise send the
// visitor to a login page for an organization that does not exist.
func (k *Kernel) SubdomainRewrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		slug := k.subdomainOf(c.Request().Host)
		if slug == "" {
			return next(c)
		}
		r := c.Request()
		path := r.URL.Path
		if isGlobalPath(path) {
			switch {
			case path == "/login" || path == "/signup":
				// The organization's own login page.
				if err := k.requireOrgExists(c, slug); err != nil {
					return err
				}
				if r.URL.Query().Get("next") == "" && r.Method == http.MethodGet {
					q := r.URL.Query()
					q.Set("next", "/o/"+slug)
					r.URL.RawQuery = q.Encode()
				}
			}
			return next(c)
		}
		if ck, err := r.Cookie(session.CookieName); err != nil || ck.Value == "" {
			if err := k.requireOrgExists(c, slug); err != nil {
				return err
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

func (k *Kernel) requireOrgExists(c echo.Context, slug string) error {
	taken, err := k.DB.OrgSlugTaken(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	if !taken {
		return ErrNotFound
	}
	return nil
}

// subdomainOf returns the organization slug of host, or "" when host is the
// base host itself, a reserved name such as www, or unrelated. localhost
// gets the same treatment, so acme.localhost:8080 works on a local run.
func (k *Kernel) subdomainOf(host string) string {
	h := strings.ToLower(host)
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(h, ".")
	base := strings.ToLower(k.Base.Hostname())
	for _, parent := range []string{base, "localhost"} {
		if parent == "" || isIP(parent) {
			continue
		}
		if sub, ok := strings.CutSuffix(h, "."+parent); ok && sub != "" && !strings.Contains(sub, ".") {
			if orgsetup.IsReserved(sub) {
				return ""
			}
			return sub
		}
	}
	return ""
}

// orgAddress is where an organization is reached: its subdomain of the base
// host (with the base's port), or /o/{slug} under the base URL when the base
// host is an IP address, which cannot have subdomains.
func (k *Kernel) OrgAddress(slug string) string {
	if isIP(k.Base.Hostname()) {
		return k.Base.Host + "/o/" + slug
	}
	return slug + "." + k.Base.Host
}
