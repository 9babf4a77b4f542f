// Package web is Gatehouse's HTTP layer: Echo routes (routes.go lists every
// one with its guard), middleware (session → auth context, CSRF, headers),
// and thin handlers that parse, call the store or engine, and render templ.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/cache"
	"gatehouse/internal/geo"
	"gatehouse/internal/mail"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/throttle"
	"gatehouse/static"
	"gatehouse/views/customers"
	"gatehouse/views/permgrid"
)

// Config is what the server needs to know about its deployment.
type Config struct {
	BaseURL   string // public URL, e.g. "http://localhost:8080" or "https://example.com"
	Logger    *slog.Logger
	GeoIPPath string // optional MaxMind-format database for login locations
	// MaxActive is how many page reads run at once, and a quarter of the
	// writes (the rest queue in arrival order); 0: the cores, at least 2.
	// MaxQueueWait is how long one may
	// queue before a 503; 0: ten seconds. See admission.
	MaxActive    int
	MaxQueueWait time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (--trusted-proxy). Empty: the connection's own address is
	// the client, whatever headers it sends.
	TrustedProxies []*net.IPNet
}

// Server is the web application.
type Server struct {
	cfg       Config
	base      *url.URL
	db        *store.Store
	mail      mail.Sender
	log       *slog.Logger
	echo      *echo.Echo
	sessions  *session.Store
	perms     *permCache
	groupRefs groupRefCache
	// lists: pages of the members and customers lists, per data version.
	lists     listCaches
	explains  explainCache // My Permissions content, per member and permission version
	switchers switcherCache
	sidebars  sidebarCache
	// dashboardModules: the dashboard's module cards, per permission set.
	dashboardModules *cache.HTML[modulesKey]
	// gridRows: rendered rows of the permission grids (permgrid.RowMemo).
	gridRows *permgrid.RowMemo
	// customerMarkup: rendered rows and page links of the customers lists.
	customerMarkup *customers.Memo
	routes         []Route
	admission      *admission
	geo            *geo.Locator // nil without --geoip: only local addresses are named

	mailWG sync.WaitGroup

	loginPerAccount *throttle.Limiter
	loginPerIP      *throttle.Limiter
	resetPerIP      *throttle.Limiter
	signupPerIP     *throttle.Limiter // sign-ups per IP (signupMax per signupWindow)
	// Per account and hour: organizations created, quote requests sent.
	orgsPerAccount   *throttle.Limiter
	quotesPerAccount *throttle.Limiter
}

// New wires the application.
func New(cfg Config, db *store.Store, sender mail.Sender) (*Server, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("--base-url %q: %w", cfg.BaseURL, errBadBaseURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		cfg:              cfg,
		base:             base,
		db:               db,
		mail:             sender,
		log:              cfg.Logger,
		perms:            newPermCache(10_000),
		dashboardModules: cache.NewHTML[modulesKey](256, 1<<20),
		gridRows:         permgrid.NewRowMemo(),
		customerMarkup:   customers.NewMemo(),
		loginPerAccount:  throttle.New(5, 15*time.Minute),
		loginPerIP:       throttle.New(30, 15*time.Minute),
		resetPerIP:       throttle.New(10, 15*time.Minute),
		signupPerIP:      throttle.New(signupMax, signupWindow),
		orgsPerAccount:   throttle.New(maxCreatesPerHour, time.Hour),
		quotesPerAccount: throttle.New(maxCreatesPerHour, time.Hour),
	}
	if err := s.openGeo(); err != nil {
		return nil, fmt.Errorf("--geoip: %w", err)
	}
	s.sessions = &session.Store{DB: db, Secure: base.Scheme == "https", Domain: s.cookieDomain(),
		ClientIP: func(r *http.Request) string { return s.echo.IPExtractor(r) }}
	s.echo = echo.New()
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.IPExtractor = clientIP(cfg.TrustedProxies)
	s.echo.HTTPErrorHandler = s.handleError
	s.admission = newAdmission(cfg.MaxActive, 0, cfg.MaxQueueWait)
	s.lists = newListCaches()
	s.switchers, s.sidebars, s.explains = newSwitcherCache(), newSidebarCache(), newExplainCache()
	s.groupRefs = newGroupRefCache()
	s.middleware()
	assets, err := assetTags(static.FS)
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s.registerRoutes(assets)
	return s, nil
}

// clientIP is how a request's client address is found (throttling, the
// session's IP, the log): the connection's address, or, when the connection
// comes from a trusted proxy, the nearest untrusted address in
// X-Forwarded-For (so a client cannot slip a forged entry in front). Only
// the given ranges are trusted: not loopback or private networks by default.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads a comma-separated list of CIDR ranges (a bare
// address counts as a range of one); the error names the bad entry.
func ParseTrustedProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if ip := net.ParseIP(part); ip != nil {
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR range (like 10.0.0.0/8 or 2001:db8::/32)", part)
		}
		out = append(out, n)
	}
	if len(out) == 0 && strings.TrimSpace(list) != "" {
		return nil, fmt.Errorf("%q names no CIDR range", list)
	}
	return out, nil
}

type constError string

func (e constError) Error() string { return string(e) }

const errBadBaseURL = constError("base URL must be an absolute http(s) URL")

// Handler is the application's http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router (tests walk its routes).
func (s *Server) Echo() *echo.Echo { return s.echo }

// Throttles exposes the login limiters (tests move their clocks).
func (s *Server) Throttles() (perAccount, perIP *throttle.Limiter) {
	return s.loginPerAccount, s.loginPerIP
}

// CreationLimits exposes the per-account limiters of organization creation
// and quote requests (tests move their clocks).
func (s *Server) CreationLimits() (orgs, quotes *throttle.Limiter) {
	return s.orgsPerAccount, s.quotesPerAccount
}

// maxCreatesPerHour bounds what one account may create in an hour:
// organizations (each one a tenant, with mail to its billing contact) and
// quote requests (each one mails every instance admin).
const maxCreatesPerHour = 10

// accountKey is an account's key in the per-account limiters.
func accountKey(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// waitMinutes says how long a limited user waits, in whole minutes (at least 1).
func waitMinutes(d time.Duration) int { return max(1, int((d+time.Minute-1)/time.Minute)) }

// cookieDomain shares the session across the base domain and its
// subdomains; host-only for localhost and IPs, where browsers refuse it.
func (s *Server) cookieDomain() string {
	h := s.base.Hostname()
	if h == "localhost" || strings.Count(h, ".") == 0 || isIP(h) {
		return ""
	}
	return h
}

// absURL builds a link for emails.
func (s *Server) absURL(path string) string { return s.base.String() + path }

// sendMail sends in the background so a slow SMTP server does not hold the
// request; failures are logged (the outbox never fails this way).
func (s *Server) sendMail(m mail.Message) {
	s.mailWG.Add(1)
	go func() {
		defer s.mailWG.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.mail.Send(ctx, m); err != nil {
			s.log.Error("mail not sent", "to", m.To, "subject", m.Subject, "err", err)
		}
	}()
}

// Close releases what New opened (the GeoIP database).
func (s *Server) Close() error { return s.geo.Close() }

// Wait blocks until mails being sent are done (graceful shutdown).
func (s *Server) Wait() { s.mailWG.Wait() }
