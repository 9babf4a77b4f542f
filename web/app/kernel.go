// Package app is the kernel of Gatehouse's HTTP layer: what every feature's
// handlers share (the store, the mailer, the sessions, the throttles and the
// page shell's caches), the auth context, the guards, the route registrar,
// rendering and the one error handler. The features (web/accounts,
// web/members, …) hold a *Kernel; web wires them (ARCHITECTURE.md, Packages).
package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/geo"
	"gatehouse/internal/mail"
	"gatehouse/internal/membership"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/throttle"
	"gatehouse/views/permgrid"
)

// Kernel is the server's shared state: made once by web.New, read by every
// handler. The caches here are the page shell's and the guards'; a cache
// that one feature alone reads is that feature's.
type Kernel struct {
	Base     *url.URL // the public base URL, without a trailing slash
	DB       *store.Store
	Mail     mail.Sender
	Log      *slog.Logger
	Echo     *echo.Echo
	Sessions *session.Store
	Geo      *geo.Locator // nil without --geoip: only local addresses are named

	perms     *permCache
	switchers switcherCache
	sidebars  sidebarCache
	// GridRows: rendered rows of the permission grids (permgrid.RowMemo).
	GridRows *permgrid.RowMemo

	LoginPerAccount *throttle.Limiter
	LoginPerIP      *throttle.Limiter
	ResetPerIP      *throttle.Limiter
	SignupPerIP     *throttle.Limiter // sign-ups per IP (SignupMax per SignupWindow)
	// Per account and hour: organizations created, quote requests sent.
	OrgsPerAccount   *throttle.Limiter
	QuotesPerAccount *throttle.Limiter

	// MailRetry is how long SendMailRetrying waits before each new attempt
	// after a failure; one attempt more than its length in all.
	MailRetry []time.Duration

	routes   []Route
	mailWG   sync.WaitGroup
	mailStop chan struct{} // closed by WaitMail: retries give up
	stopOnce sync.Once
}

// DefaultMailRetry: a failed mail is tried again after 2 s, 15 s and 1 min.
var DefaultMailRetry = []time.Duration{2 * time.Second, 15 * time.Second, time.Minute}

const (
	// SignupMax sign-ups per IP address per SignupWindow.
	SignupMax    = 20
	SignupWindow = 10 * time.Minute
	// MaxCreatesPerHour bounds what one account may create in an hour:
	// organizations (each one a tenant, with mail to its billing contact)
	// and quote requests (each one mails every instance admin).
	MaxCreatesPerHour = 10
)

// New makes the kernel around an Echo router (web.New configures it).
func New(base *url.URL, db *store.Store, sender mail.Sender, log *slog.Logger, e *echo.Echo, g *geo.Locator) *Kernel {
	k := &Kernel{
		Base: base, DB: db, Mail: sender, Log: log, Echo: e, Geo: g,
		perms:            newPermCache(10_000),
		switchers:        newSwitcherCache(),
		sidebars:         newSidebarCache(),
		GridRows:         permgrid.NewRowMemo(),
		LoginPerAccount:  throttle.New(5, 15*time.Minute),
		LoginPerIP:       throttle.New(30, 15*time.Minute),
		ResetPerIP:       throttle.New(10, 15*time.Minute),
		SignupPerIP:      throttle.New(SignupMax, SignupWindow),
		OrgsPerAccount:   throttle.New(MaxCreatesPerHour, time.Hour),
		QuotesPerAccount: throttle.New(MaxCreatesPerHour, time.Hour),
		MailRetry:        DefaultMailRetry,
		mailStop:         make(chan struct{}),
	}
	k.Sessions = &session.Store{DB: db, Secure: base.Scheme == "https", Domain: k.CookieDomain(),
		ClientIP: func(r *http.Request) string { return k.Echo.IPExtractor(r) }}
	return k
}

// Members is the membership service: every change to a membership, a group
// or an invitation goes through it (one transaction, anti-escalation,
// seats, audit).
func (k *Kernel) Members() *membership.Service { return membership.New(k.DB) }

// AccountKey is an account's key in the per-account limiters.
func AccountKey(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// WaitMinutes says how long a limited user waits, in whole minutes (at least 1).
func WaitMinutes(d time.Duration) int { return max(1, int((d+time.Minute-1)/time.Minute)) }

// CookieDomain shares the session across the base domain and its
// subdomains; host-only for localhost and IPs, where browsers refuse it.
func (k *Kernel) CookieDomain() string {
	h := k.Base.Hostname()
	if h == "localhost" || strings.Count(h, ".") == 0 || isIP(h) {
		return ""
	}
	return h
}

// AbsURL builds a link for emails.
func (k *Kernel) AbsURL(path string) string { return k.Base.String() + path }

// SendMail sends in the background so a slow SMTP server does not hold the
// request; failures are logged (the outbox never fails this way).
func (k *Kernel) SendMail(m mail.Message) {
	k.mailWG.Add(1)
	go func() {
		defer k.mailWG.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := k.Mail.Send(ctx, m); err != nil {
			k.Log.Error("mail not sent", "to", m.To, "subject", m.Subject, "err", err)
		}
	}()
}

// SendMailRetrying sends m in the background like SendMail, trying again
// after each delay of MailRetry while it fails, then calls done with nil
// once it is sent or the last attempt's error (done runs in the sender's
// goroutine; WaitMail waits for it too, and cuts the waits short).
func (k *Kernel) SendMailRetrying(m mail.Message, done func(error)) {
	k.mailWG.Add(1)
	go func() {
		defer k.mailWG.Done()
		var err error
		for attempt := 0; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err = k.Mail.Send(ctx, m)
			cancel()
			if err == nil || attempt >= len(k.MailRetry) {
				break
			}
			k.Log.Warn("mail not sent, trying again", "to", m.To, "subject", m.Subject, "in", k.MailRetry[attempt], "err", err)
			select {
			case <-time.After(k.MailRetry[attempt]):
				continue
			case <-k.mailStop: // shutting down: the last error stands
			}
			break
		}
		if err != nil {
			k.Log.Error("mail not sent", "to", m.To, "subject", m.Subject, "err", err)
		}
		done(err)
	}()
}

// WaitMail blocks until mails being sent are done (graceful shutdown); a
// mail waiting to be tried again gives up at once.
func (k *Kernel) WaitMail() {
	k.stopOnce.Do(func() { close(k.mailStop) })
	k.mailWG.Wait()
}
