package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
)

// Auth is the request's authentication and authorization context, built
// once per request by loadAuth from a single query plus the permission cache.
type Auth struct {
	User    domain.User
	Session store.Session
	Token   string // the cookie token (its hash is Session.ID)

	Org        *domain.Org        // set on /o/{slug} routes when the organization exists
	Membership *domain.Membership // the user's membership in Org, if any
	Eff        access.Effective   // effective permissions in Org (zero outside one)
	IsOwner    bool
	IsAdmin    bool

	DirectoryVersion int64 // keys the cached organization switcher (orgswitcher.go)
}

// Can reports a module action in the current organization.
func (a *Auth) Can(module access.ModuleID, act access.Action) bool {
	return a != nil && a.Membership != nil && a.Eff.Can(module, act)
}

// Scope is the member's scope on a scoped module, as the engine computes
// it from the effective set (access.Effective.Scope): what the module's
// lists, searches, counts, exports and loads reach. 0 outside a membership,
// for a module without scope and for one the member cannot open.
func (a *Auth) Scope(module access.ModuleID) access.Scope {
	if a == nil || a.Membership == nil {
		return 0
	}
	s, _ := a.Eff.Scope(module)
	return s
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
			attrs := []slog.Attr{slog.String("method", v.Method), slog.String("uri", redactURI(v.URI)), slog.Int("status", v.Status),
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
	if s.base.Scheme == "https" {
		e.Use(hsts)
	}
	e.Use(s.loadAuth)
	e.Use(s.csrf) // after loadAuth: a signed-in request's token is its session's
}

// hstsValue: browsers that saw the https base URL once never try http again
// (two years, subdomains included: organizations live on subdomains).
const hstsValue = "max-age=63072000; includeSubDomains"

// hsts is set whenever the base URL is https, whatever the connection says:
// behind a TLS-terminating proxy the request itself arrives as plain http.
func hsts(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Strict-Transport-Security", hstsValue)
		return next(c)
	}
}

// CSRF. A signed-in request's token is derived from its session's cookie
// token (csrfForSession), so it is bound to that session: a token of another
// session, or one from before sign-in, is refused, and a new session at
// sign-in means a new token. A signed-out request (login, sign-up, forgot,
// reset) carries a pre-session token, random, kept in the CSRF cookie and
// compared with the form's. The CSRF cookie always holds the token of the
// request's current state, for clients that read it (the server compares
// against the session, never against the cookie, once signed in). On top of
// the token, a state-changing request must not come from another site
// (crossSite). Forms carry the token in _csrf, htmx in X-CSRF-Token.
const (
	csrfCookieName = "gatehouse_csrf"
	csrfContextKey = "csrf"
	msgCSRF        = "The form has expired or did not come from this site. Reload the page and try again."
	msgCrossSite   = "This request came from another site and was refused. Open Gatehouse itself and try again."
)

// csrfToken is the token forms carry in their hidden _csrf input.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfContextKey).(string)
	return t
}

// csrfForSession is the CSRF token of the session whose cookie token is
// sessionToken: an HMAC keyed by that secret, so it cannot be computed
// without the cookie, and the stored row id (a plain hash) does not yield it.
func csrfForSession(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("gatehouse csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validPreSessionToken: what session.NewToken makes (43 URL-safe characters).
func validPreSessionToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}

// setCSRF makes token the request's CSRF token (forms rendered from now on
// carry it) and puts it in the CSRF cookie.
func (s *Server) setCSRF(c echo.Context, token string) {
	c.Set(csrfContextKey, token)
	c.SetCookie(&http.Cookie{Name: csrfCookieName, Value: token, Path: "/", Domain: s.cookieDomain(),
		MaxAge: session.MaxAge, HttpOnly: true, Secure: s.base.Scheme == "https", SameSite: http.SameSiteLaxMode})
}

func csrfSkipped(c echo.Context) bool {
	return strings.HasPrefix(c.Path(), "/static/") || c.Path() == "/healthz"
}

func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if csrfSkipped(c) {
			return next(c)
		}
		var cookie string
		if ck, err := c.Cookie(csrfCookieName); err == nil {
			cookie = ck.Value
		}
		var want string
		if a := authOf(c); a != nil {
			want = csrfForSession(a.Token)
		} else if validPreSessionToken(cookie) {
			want = cookie
		} else {
			want = session.NewToken()
		}
		if cookie != want {
			s.setCSRF(c, want)
		} else {
			c.Set(csrfContextKey, want)
		}
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if reason := s.crossSite(r); reason != "" {
			return &domain.Error{Code: domain.CodeForbidden, Message: msgCrossSite, Err: errors.New(reason)}
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return &domain.Error{Code: domain.CodeForbidden, Message: msgCSRF, Err: errors.New("csrf token mismatch")}
		}
		return next(c)
	}
}

// crossSite applies the rule for state-changing requests: refused when the
// browser says the request comes from another site (Sec-Fetch-Site
// cross-site or same-site: a sibling subdomain counts as another site), or
// when an Origin is sent whose host is neither the request's Host, nor the
// base URL's host, nor one of its organization subdomains. With neither
// header (an older client, a script) the token alone decides. It returns
// why it refuses, "" when it does not.
func (s *Server) crossSite(r *http.Request) string {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "cross-site", "same-site":
		return "Sec-Fetch-Site: " + site
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "Origin " + origin // "null" (a sandboxed or privacy-sensitive context) included
	}
	host := withoutDefaultPort(u.Host, u.Scheme)
	if host == withoutDefaultPort(strings.ToLower(r.Host), u.Scheme) || host == withoutDefaultPort(strings.ToLower(s.base.Host), s.base.Scheme) {
		return ""
	}
	if s.isOrgSubdomainOfBase(host) {
		return ""
	}
	return "Origin " + origin
}

// withoutDefaultPort lower-cases host and drops the scheme's default port,
// which browsers leave out of Origin but a Host header may carry.
func withoutDefaultPort(host, scheme string) string {
	host = strings.ToLower(host)
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return host
}

// isOrgSubdomainOfBase reports host (lower case, default port dropped) as
// {slug}.{base host} on the base URL's port, slug one label and not reserved.
func (s *Server) isOrgSubdomainOfBase(host string) bool {
	base := withoutDefaultPort(s.base.Host, s.base.Scheme)
	baseName, basePort := base, ""
	if h, p, err := net.SplitHostPort(base); err == nil {
		baseName, basePort = h, p
	}
	if isIP(baseName) {
		return false // an IP address has no subdomains
	}
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	}
	sub, ok := strings.CutSuffix(name, "."+baseName)
	return ok && port == basePort && sub != "" && !strings.Contains(sub, ".") && !orgsetup.IsReserved(sub)
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
		if row.SignedOut {
			// Signed out of this organization only (managed accounts): the
			// request runs signed out, so the guards send it to sign in; the
			// cookie stays, every other organization still accepts it.
			return next(c)
		}
		a := &Auth{User: row.User, Session: row.Session, Token: ck.Value, Org: row.Org, Membership: row.Membership,
			DirectoryVersion: row.DirectoryVersion}
		if a.Membership != nil {
			a.IsOwner = a.Membership.Role == access.RoleOwner
			a.IsAdmin = a.Membership.Role == access.RoleAdmin
			if a.Eff, err = s.perms.effective(ctx, s.db, *a.Org, *a.Membership); err != nil {
				return err
			}
			// Writes of this request reuse the set while the version holds (store.Acting).
			ctx = store.WithKnownActor(ctx, store.KnownActor{OrgID: a.Org.ID, UserID: a.User.ID,
				MembershipID: a.Membership.ID, PermVersion: a.Org.PermVersion, Eff: a.Eff})
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
