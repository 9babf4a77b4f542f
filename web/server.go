// Package web is the composition root of Gatehouse's HTTP layer: New makes
// the kernel (web/app) and the feature packages (web/accounts, web/members,
// …), middleware.go sets the order every request passes through, and
// routes.go lists every route with its guard (ARCHITECTURE.md, Packages).
package web

import (
	"context"
	"fmt"
	"gatehouse/web/accounts"
	"gatehouse/web/app"
	"gatehouse/web/audit"
	"gatehouse/web/channels"
	"gatehouse/web/chats"
	"gatehouse/web/customers"
	"gatehouse/web/dashboard"
	"gatehouse/web/groups"
	"gatehouse/web/me"
	"gatehouse/web/members"
	"gatehouse/web/orgs"
	"gatehouse/web/teams"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/geo"
	"gatehouse/internal/mail"
	"gatehouse/internal/store"
	"gatehouse/internal/throttle"
	"gatehouse/static"
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
	// MailRetry is how long a reply sent by email waits before each new
	// attempt after a failure (app.Kernel.MailRetry); nil: the default.
	MailRetry []time.Duration
}

// Server is the web application: the kernel every feature holds, and the
// features (ARCHITECTURE.md, Packages).
type Server struct {
	k         *app.Kernel
	echo      *echo.Echo
	admission *app.Admission
	sweep     *sweeper // the grants' sweep (sweep.go)
	// The features, in the order routes.go lists them.
	accounts  *accounts.Handlers
	orgs      *orgs.Handlers
	dashboard *dashboard.Handlers // also the generic module pages
	chats     *chats.Handlers
	customers *customers.Handlers
	groups    *groups.Handlers
	me        *me.Handlers
	audit     *audit.Handlers
	members   *members.Handlers
	teams     *teams.Handlers
	channels  *channels.Handlers
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
	// The optional GeoIP database. The user-agent parser compiles its
	// regexes on first use rather than here: start-up time and memory
	// matter more than the first profile view.
	var locator *geo.Locator
	if cfg.GeoIPPath != "" {
		if locator, err = geo.Open(cfg.GeoIPPath); err != nil {
			return nil, fmt.Errorf("--geoip: %w", err)
		}
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	k := app.New(base, db, sender, cfg.Logger, e, locator)
	if cfg.MailRetry != nil {
		k.MailRetry = cfg.MailRetry
	}
	s := &Server{k: k, echo: e, admission: app.NewAdmission(cfg.MaxActive, 0, cfg.MaxQueueWait),
		accounts: accounts.New(k), orgs: orgs.New(k), dashboard: dashboard.New(k, declaredPages()), channels: channels.New(k),
		customers: customers.New(k), groups: groups.New(k), me: me.New(k), audit: audit.New(k), members: members.New(k),
		teams: teams.New(k), chats: chats.New(k)}
	e.HTTPErrorHandler = s.k.HandleError
	s.middleware()
	assets, err := assetTags(static.FS)
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s.registerRoutes(assets)
	s.startSweep()
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
	return s.k.LoginPerAccount, s.k.LoginPerIP
}

// CreationLimits exposes the per-account limiters of organization creation
// and quote requests (tests move their clocks).
func (s *Server) CreationLimits() (orgs, quotes *throttle.Limiter) {
	return s.k.OrgsPerAccount, s.k.QuotesPerAccount
}

// SignupLimiter exposes the sign-up limiter (tests move its clock).
func (s *Server) SignupLimiter() *throttle.Limiter { return s.k.SignupPerIP }

// NewSetupLink makes the one-time setup link when the instance has no
// admin yet ("" when it has one); see accounts.NewSetupLink.
func NewSetupLink(ctx context.Context, db *store.Store, baseURL string) (string, error) {
	return accounts.NewSetupLink(ctx, db, baseURL)
}

// Close releases what New opened (the GeoIP database) and stops the
// grants' sweep.
func (s *Server) Close() error {
	s.stopSweep()
	return s.k.Geo.Close()
}

// Wait blocks until mails being sent are done (graceful shutdown).
func (s *Server) Wait() { s.k.WaitMail() }
