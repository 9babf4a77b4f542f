package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"gatehouse/internal/access"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
)

// Auth is the request's authentication and authorization context, built
// once per request by loadAuth from a single query plus the permission cache.
type Auth struct {
	User    store.User
	Session store.Session
	Token   string // the cookie token (its hash is Session.ID)

	Org        *store.Org        // set on /o/{slug} routes when the organization exists
	Membership *store.Membership // the user's membership in Org, if any
	Eff        access.Effective  // effective permissions in Org (zero outside one)
	IsOwner    bool
	IsAdmin    bool

	DirectoryVersion int64 // keys the cached organization switcher (orgswitcher.go)
}

// Can reports a module action in the current organization.
func (a *Auth) Can(module access.ModuleID, act access.Action) bool {
	return a != nil && a.Membership != nil && a.Eff.Can(module, act)
}

const authKey = "gatehouse.auth"

// authOf returns the auth context, nil when signed out.
func authOf(c echo.Context) *Auth {
	a, _ := c.Get(authKey).(*Auth)
	return a
}

func (s *Server) middleware() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Pre(s.subdomainRewrite)
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP)}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(s.admission.middleware)
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            0,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
	}))
	e.Use(middleware.BodyLimit("8M"))
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper:        func(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/static/") || c.Path() == "/healthz" },
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     "gatehouse_csrf",
		CookiePath:     "/",
		CookieDomain:   s.cookieDomain(),
		CookieHTTPOnly: true,
		CookieSecure:   s.base.Scheme == "https",
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "The form has expired or did not come from this site. Reload the page and try again.", Internal: err}
		},
	}))
	e.Use(s.loadAuth)
}

// csrfToken is the token forms carry in their hidden _csrf input.
func csrfToken(c echo.Context) string {
	t, _ := c.Get("csrf").(string)
	return t
}

// loadAuth resolves the session cookie into the auth context with one query
// (session, user, and for /o/{slug} routes the organization and membership).
func (s *Server) loadAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(session.CookieName)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		ctx := c.Request().Context()
		now := time.Now()
		load := s.db.LoadAuth
		if mayWrite(c.Request()) {
			load = s.db.LoadAuthForWrite // see there: a save's auth is cheaper on the writer
		}
		row, err := load(ctx, session.HashToken(ck.Value), c.Param("slug"), now.Add(-session.MaxAge*time.Second).Unix())
		if errors.Is(err, store.ErrNotFound) {
			clearSessionCookie(c, s)
			return next(c)
		}
		if err != nil {
			return err
		}
		a := &Auth{User: row.User, Session: row.Session, Token: ck.Value, Org: row.Org, Membership: row.Membership,
			DirectoryVersion: row.DirectoryVersion}
		if a.Membership != nil {
			a.IsOwner = a.Membership.Role == access.RoleOwner
			a.IsAdmin = a.Membership.Role == access.RoleAdmin
			if a.Membership.Suspended() {
				a.Eff = access.Resolve(access.Input{Role: a.Membership.Role, Suspended: true, Products: a.Org.Products})
			} else if a.Eff, err = s.perms.effective(ctx, s.db, *a.Org, *a.Membership); err != nil {
				return err
			}
		}
		// The gorilla store reuses this row instead of querying it again.
		c.SetRequest(c.Request().WithContext(session.WithPreloaded(ctx, row.Session)))
		c.Set(authKey, a)
		s.touch(ctx, a, now, c.RealIP())
		return next(c)
	}
}

// touchWait bounds how long a page waits to record activity: the writer
// may be busy (a burst of saves, a long import), and the page need not
// wait for bookkeeping that its next request can do instead.
const touchWait = 250 * time.Millisecond

// touch records "last seen" at most once a minute so reads stay read-only.
func (s *Server) touch(ctx context.Context, a *Auth, now time.Time, ip string) {
	ctx, cancel := context.WithTimeout(ctx, touchWait)
	defer cancel()
	if now.Unix()-a.Session.LastSeenAt >= 60 || a.Session.IP != ip {
		if err := s.db.TouchSession(ctx, a.Session.ID, ip); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	if a.Membership != nil && now.Unix()-a.Membership.LastActiveAt >= 300 {
		if err := s.db.TouchMembership(ctx, a.Membership.ID); err != nil {
			s.log.Warn("touch membership", "err", err)
		}
	}
}

func clearSessionCookie(c echo.Context, s *Server) {
	c.SetCookie(&http.Cookie{Name: session.CookieName, Value: "", Path: "/", Domain: s.cookieDomain(), MaxAge: -1,
		HttpOnly: true, Secure: s.base.Scheme == "https", SameSite: http.SameSiteLaxMode})
}

// isHTMX reports a request made by htmx that wants a fragment (boosted
// navigations and history restores after a cache miss want the whole page).
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}
