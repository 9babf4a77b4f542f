// Package testkit is the test harness shared by every package's tests: the
// real app on a temporary SQLite file behind httptest, an HTTP client that
// keeps cookies and sends CSRF tokens, scenario tables, a real SMTP listener
// and a headless Chromium harness.
package testkit

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/mail"
	"gatehouse/internal/names"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
	"gatehouse/web"
)

// App is a running Gatehouse for one test.
type App struct {
	T      testing.TB
	DB     *store.Store
	Server *web.Server
	HTTP   *httptest.Server
	URL    string
	SMTP   *SMTPServer // set with WithSMTP
	DBPath string
}

type appConfig struct {
	smtp      bool
	mailRetry []time.Duration
	baseURL   string
	geoip     string
	log       io.Writer
}

// AppOption configures NewApp.
type AppOption func(*appConfig)

// WithSMTP sends mail to a real in-process SMTP listener (App.SMTP).
func WithSMTP() AppOption { return func(c *appConfig) { c.smtp = true } }

// WithMailRetry sets the waits between attempts of a mail that failed
// (web.Config.MailRetry), so that retries take milliseconds in a test.
func WithMailRetry(d ...time.Duration) AppOption {
	return func(c *appConfig) { c.mailRetry = append([]time.Duration{}, d...) }
}

// WithBaseURL sets the public URL (subdomain tests); default is the httptest URL.
func WithBaseURL(u string) AppOption { return func(c *appConfig) { c.baseURL = u } }

// WithGeoIP points the server at a GeoIP database.
func WithGeoIP(path string) AppOption { return func(c *appConfig) { c.geoip = path } }

// WithLog sends the server's log to w (tests of what it logs).
func WithLog(w io.Writer) AppOption { return func(c *appConfig) { c.log = w } }

// NewApp starts the app on a fresh database file in t.TempDir().
func NewApp(t testing.TB, opts ...AppOption) *App {
	t.Helper()
	var cfg appConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "gatehouse.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	logw := cfg.log
	if logw == nil {
		logw = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logw, nil))
	a := &App{T: t, DB: db, DBPath: dbPath}
	var sender mail.Sender = mail.NewOutboxSender(db, log)
	if cfg.smtp {
		a.SMTP = StartSMTP(t)
		sc, err := mail.ParseSMTPURL(a.SMTP.URL())
		if err != nil {
			t.Fatal(err)
		}
		sc.From = "Gatehouse <no-reply@example.com>"
		sender = mail.NewSMTPSender(sc, mail.WithOutbox(a.DB))
	}
	// The handler is swapped in after the URL is known (links in mails use it).
	var srv *web.Server
	a.HTTP = httptest.NewServer(handlerFunc(func() *web.Server { return srv }))
	a.URL = a.HTTP.URL
	base := cfg.baseURL
	if base == "" {
		base = a.URL
	}
	srv, err = web.New(web.Config{BaseURL: base, Logger: log, GeoIPPath: cfg.geoip, MailRetry: cfg.mailRetry}, db, sender)
	if err != nil {
		t.Fatal(err)
	}
	a.Server = srv
	t.Cleanup(func() {
		a.HTTP.Close()
		srv.Wait()
		srv.Close()
		db.Close()
	})
	return a
}

// CreateUser adds an account directly in the store (fast path for setup).
func (a *App) CreateUser(email, name, pw string) domain.User {
	a.T.Helper()
	hash := ""
	if pw != "" {
		var err error
		if hash, err = password.Hash(pw); err != nil {
			a.T.Fatal(err)
		}
	}
	u, err := a.DB.CreateUser(context.Background(), email, name, hash)
	if err != nil {
		a.T.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// CreateOrg adds an organization with its predefined groups and an owner.
func (a *App) CreateOrg(name, slug string, products []string, owner domain.User) domain.Org {
	a.T.Helper()
	ps, err := access.ParseProducts(products)
	if err != nil {
		a.T.Fatal(err)
	}
	var org domain.Org
	err = a.DB.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		org, err = tx.CreateOrg(context.Background(), store.NewOrg{Name: name, NameKey: names.FoldOrgName(name), Slug: slug,
			Products: ps, Seats: 100, Package: "business"})
		if err != nil {
			return err
		}
		_, err = tx.AddMember(context.Background(), org.ID, owner.ID, access.RoleOwner, domain.StatusActive, nil)
		return err
	})
	if err != nil {
		a.T.Fatalf("create org %s: %v", slug, err)
	}
	return org
}

// User reads the account of email as it is now, or fails the test.
func (a *App) User(email string) domain.User {
	a.T.Helper()
	u, err := a.DB.UserByEmail(context.Background(), email)
	if err != nil {
		a.T.Fatalf("account %s: %v", email, err)
	}
	return u
}

// Org reads the organization with slug as it is now (its versions too).
func (a *App) Org(slug string) domain.Org {
	a.T.Helper()
	org, err := a.DB.OrgBySlug(context.Background(), slug)
	if err != nil {
		a.T.Fatalf("organization %s: %v", slug, err)
	}
	return org
}

// OwnedOrg creates an account, an organization it owns and a client signed
// in as it: the set-up most page tests start from.
func (a *App) OwnedOrg(orgName, slug string, products []string, email, name, pw string) (domain.Org, *Client) {
	a.T.Helper()
	org := a.CreateOrg(orgName, slug, products, a.CreateUser(email, name, pw))
	return org, a.LoginAs(email, pw)
}

// Join creates an account and makes it a member of org with role.
func (a *App) Join(org domain.Org, email, name, pw string, role access.Role) domain.Membership {
	a.T.Helper()
	return a.AddMember(org, a.CreateUser(email, name, pw), role)
}

// AddMember puts a user into an organization with a role.
func (a *App) AddMember(org domain.Org, u domain.User, role access.Role) domain.Membership {
	a.T.Helper()
	var m domain.Membership
	err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		m, err = tx.AddMember(context.Background(), org.ID, u.ID, role, domain.StatusActive, nil)
		return err
	})
	if err != nil {
		a.T.Fatalf("add member %s: %v", u.Email, err)
	}
	return m
}

// Tx runs fn in a write transaction and fails the test on error.
func (a *App) Tx(fn func(ctx context.Context, tx *store.Tx) error) {
	a.T.Helper()
	ctx := context.Background()
	if err := a.DB.Write(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		a.T.Fatal(err)
	}
}

// BumpVersion moves one of an organization's versions (column:
// "members_version", "customers_version", …) as a write would, so the next
// read misses the caches keyed by it.
func (a *App) BumpVersion(orgID int64, column string) {
	a.T.Helper()
	a.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET `+column+` = `+column+` + 1 WHERE id = ?`, orgID)
		return err
	})
}
