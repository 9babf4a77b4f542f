package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
)

// Auth is the request's authentication and authorization context, built
// once per request by LoadAuth from a single query plus the permission cache.
type Auth struct {
	User    domain.User
	Session store.Session
	Token   string // the cookie token (its hash is Session.ID)

	Org        *domain.Org        // set on /o/{slug} routes when the organization exists
	Membership *domain.Membership // the user's membership in Org, if any
	Eff        access.Effective   // effective permissions in Org (zero outside one)
	IsOwner    bool
	IsAdmin    bool
	// HasTeams: the organization has at least one team (the "My teams"
	// lists exist only then), read with the auth row.
	HasTeams bool

	DirectoryVersion int64 // keys the cached organization switcher (orgswitcher.go)
	// DataVersion is the database's data version the auth was read at (0:
	// not read, a request that may write): answers read at the same
	// version are still true (store.ConversationLastMessageAt).
	DataVersion int64
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

// CustomerScope is the member's scope on customers, for every query of
// them: all customers of the organization, or only those assigned to them.
func CustomerScope(a *Auth) store.CustomerScope {
	return store.CustomersIn(a.Org.ID, a.Scope(access.ModCustomers), a.Membership.ID)
}

// CustomerName is how a page names customer id whose stored name is name
// for a member of projection f (on customers): the name, or the customer's
// number when f cannot read names (every page outside Customers, such as
// conversations, asks it too).
func CustomerName(f access.Projection, id int64, name string) string {
	if f.Readable("name") && name != "" {
		return name
	}
	return "Customer #" + strconv.FormatInt(id, 10)
}

const authKey = "gatehouse.auth"

// AuthOf returns the auth context, nil when signed out.
func AuthOf(c echo.Context) *Auth {
	a, _ := c.Get(authKey).(*Auth)
	return a
}

// SetAuth makes a the request's auth context (LoadAuth; tests of a
// request in flight).
func SetAuth(c echo.Context, a *Auth) { c.Set(authKey, a) }

// Actor is the request's user acting in its organization (the service reads
// their permissions again inside its transaction).
func Actor(c echo.Context) domain.Actor {
	a := AuthOf(c)
	return domain.Actor{Org: *a.Org, UserID: a.User.ID, Email: a.User.Email, IP: c.RealIP()}
}

// AddressUnverified reports whether the signed-in account has not
// confirmed its address yet (the auth query reads it with the user).
func AddressUnverified(c echo.Context) bool {
	a := AuthOf(c)
	return a != nil && !a.User.Verified()
}

// CSRF. A signed-in request's token is derived from its session's cookie
// token (CSRFForSession), so it is bound to that session: a token of another
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

// CSRFToken is the token forms carry in their hidden _csrf input.
func CSRFToken(c echo.Context) string {
	t, _ := c.Get(csrfContextKey).(string)
	return t
}

// CSRFForSession is the CSRF token of the session whose cookie token is
// sessionToken: an HMAC keyed by that secret, so it cannot be computed
// without the cookie, and the stored row id (a plain hash) does not yield it.
func CSRFForSession(sessionToken string) string {
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

// SetCSRF makes token the request's CSRF token (forms rendered from now on
// carry it) and puts it in the CSRF cookie.
func (k *Kernel) SetCSRF(c echo.Context, token string) {
	c.Set(csrfContextKey, token)
	c.SetCookie(&http.Cookie{Name: csrfCookieName, Value: token, Path: "/", Domain: k.CookieDomain(),
		MaxAge: session.MaxAge, HttpOnly: true, Secure: k.Base.Scheme == "https", SameSite: http.SameSiteLaxMode})
}

func csrfSkipped(c echo.Context) bool {
	return strings.HasPrefix(c.Path(), "/static/") || c.Path() == "/healthz"
}

func (k *Kernel) CSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if csrfSkipped(c) {
			return next(c)
		}
		var cookie string
		if ck, err := c.Cookie(csrfCookieName); err == nil {
			cookie = ck.Value
		}
		var want string
		if a := AuthOf(c); a != nil {
			want = CSRFForSession(a.Token)
		} else if validPreSessionToken(cookie) {
			want = cookie
		} else {
			want = session.NewToken()
		}
		if cookie != want {
			k.SetCSRF(c, want)
		} else {
			c.Set(csrfContextKey, want)
		}
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if reason := k.crossSite(r); reason != "" {
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
func (k *Kernel) crossSite(r *http.Request) string {
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
	if host == withoutDefaultPort(strings.ToLower(r.Host), u.Scheme) || host == withoutDefaultPort(strings.ToLower(k.Base.Host), k.Base.Scheme) {
		return ""
	}
	if k.isOrgSubdomainOfBase(host) {
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
func (k *Kernel) isOrgSubdomainOfBase(host string) bool {
	base := withoutDefaultPort(k.Base.Host, k.Base.Scheme)
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

// LoadAuth resolves the session cookie into the auth context with one query
// (session, user, and for /o/{slug} routes the organization and membership).
func (k *Kernel) LoadAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(session.CookieName)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		ctx := c.Request().Context()
		now := time.Now()
		load := k.DB.LoadAuth
		if MayWrite(c.Request()) {
			load = k.DB.LoadAuthForWrite // see there: a save's auth is cheaper on the writer
		}
		row, err := load(ctx, session.HashToken(ck.Value), c.Param("slug"), now.Add(-session.MaxAge*time.Second).Unix())
		if errors.Is(err, store.ErrNotFound) {
			k.ClearSessionCookie(c)
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
			DirectoryVersion: row.DirectoryVersion, DataVersion: row.DataVersion}
		if a.Membership != nil {
			a.IsOwner = a.Membership.Role == access.RoleOwner
			a.IsAdmin = a.Membership.Role == access.RoleAdmin
			if a.Eff, err = k.Effective(ctx, *a.Org, *a.Membership); err != nil {
				return err
			}
			a.HasTeams = row.OrgHasTeams
			// Writes of this request reuse the set while the version holds (store.Acting).
			ctx = store.WithKnownActor(ctx, store.KnownActor{OrgID: a.Org.ID, UserID: a.User.ID,
				MembershipID: a.Membership.ID, PermVersion: a.Org.PermVersion, NextExpiry: a.Org.NextExpiry, Eff: a.Eff})
		}
		// The gorilla store reuses this row instead of querying it again.
		c.SetRequest(c.Request().WithContext(session.WithPreloaded(ctx, row.Session)))
		SetAuth(c, a)
		k.touch(ctx, a, now, c.RealIP())
		return next(c)
	}
}

// touchWait bounds how long a page waits to record activity: the writer
// may be busy (a burst of saves, a long import), and the page need not
// wait for bookkeeping that its next request can do instead.
const touchWait = 250 * time.Millisecond

// touch records "last seen" at most once a minute so reads stay read-only.
func (k *Kernel) touch(ctx context.Context, a *Auth, now time.Time, ip string) {
	ctx, cancel := context.WithTimeout(ctx, touchWait)
	defer cancel()
	if now.Unix()-a.Session.LastSeenAt >= 60 || a.Session.IP != ip {
		if err := k.DB.TouchSession(ctx, a.Session.ID, ip); err != nil {
			k.Log.Warn("touch session", "err", err)
		}
	}
	if a.Membership != nil && now.Unix()-a.Membership.LastActiveAt >= 300 {
		if err := k.DB.TouchMembership(ctx, a.Membership.ID); err != nil {
			k.Log.Warn("touch membership", "err", err)
		}
	}
}

// ClearSessionCookie makes the browser forget its session cookie.
func (k *Kernel) ClearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: session.CookieName, Value: "", Path: "/", Domain: k.CookieDomain(), MaxAge: -1,
		HttpOnly: true, Secure: k.Base.Scheme == "https", SameSite: http.SameSiteLaxMode})
}

// IsHTMX reports a request made by htmx that wants a fragment (boosted
// navigations and history restores after a cache miss want the whole page).
func IsHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}
