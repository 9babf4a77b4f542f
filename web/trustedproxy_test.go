package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/internal/mail"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// proxyApp is the real app on a fresh database with --trusted-proxy set to
// cidrs ("" = not set). The test server's clients all connect from 127.0.0.1.
func proxyApp(t *testing.T, cidrs string) *testkit.App {
	t.Helper()
	trusted, err := web.ParseTrustedProxies(cidrs)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var srv *web.Server
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.Handler().ServeHTTP(w, r) }))
	srv, err = web.New(web.Config{BaseURL: hs.URL, Logger: log, TrustedProxies: trusted}, db, mail.NewOutboxSender(db, log))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		hs.Close()
		srv.Wait()
		srv.Close()
		db.Close()
	})
	return &testkit.App{T: t, DB: db, Server: srv, HTTP: hs, URL: hs.URL}
}

// sessionIPs are the IP addresses recorded on the user's live sessions.
func sessionIPs(t *testing.T, app *testkit.App, email string) []string {
	t.Helper()
	ctx := context.Background()
	u := app.User(email)
	ss, err := app.DB.UserSessions(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ips []string
	for _, s := range ss {
		ips = append(ips, s.IP)
	}
	return ips
}

// failLogins sends n wrong-password logins for unknown accounts (so the
// per-account limit never trips), each with its own forged X-Forwarded-For
// when spoof is set, else with xff.
func failLogins(t *testing.T, c *testkit.Client, n int, xff string, spoof bool) {
	t.Helper()
	for i := range n {
		v := xff
		if spoof {
			v = "198.51.100." + string(rune('1'+i%9)) + ", 192.0.2." + string(rune('1'+i/9))
		}
		c.Header.Set("X-Forwarded-For", v)
		r := c.Post("/login", url.Values{"email": {"nobody" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@proxy.test"}, "password": {"wrong password 1"}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failed login %d: status %d, want 401", i, r.Status)
		}
	}
}

// Without --trusted-proxy, X-Forwarded-For is the client's word and is
// ignored: the session records the connection's address, and rotating a
// forged header does not escape the per-IP login limit. With
// --trusted-proxy naming another network, a connection from loopback is not
// a proxy: its header is ignored too (loopback and private ranges are not
// trusted by default).
func TestForwardedForIgnoredUnlessFromATrustedProxy(t *testing.T) {
	for _, cidrs := range []string{"", "10.0.0.0/8, 192.168.0.0/16"} {
		t.Run("trusted="+cidrs, func(t *testing.T) {
			app := proxyApp(t, cidrs)
			app.CreateUser("ann@proxy.test", "Ann", pw)
			c := app.Client()
			c.Header.Set("X-Forwarded-For", "203.0.113.7")
			c.LogIn("ann@proxy.test", pw)
			if ips := sessionIPs(t, app, "ann@proxy.test"); len(ips) != 1 || ips[0] != "127.0.0.1" {
				t.Fatalf("session IPs %v, want [127.0.0.1]: the forged header was believed", ips)
			}

			attacker := app.Client()
			failLogins(t, attacker, 30, "", true) // the per-IP limit is 30 in 15 minutes
			attacker.Header.Set("X-Forwarded-For", "192.0.2.200")
			r := attacker.Post("/login", url.Values{"email": {"ann@proxy.test"}, "password": {pw}})
			if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many attempts") {
				t.Fatalf("31st attempt with yet another forged address: %d, want 429 (the real address is throttled)", r.Status)
			}
			if ips := sessionIPs(t, app, "ann@proxy.test"); len(ips) != 1 {
				t.Fatalf("a throttled login opened a session: %v", ips)
			}
		})
	}
}

// Behind a trusted proxy the client is the nearest address the proxy did
// not add itself: a forged entry the client put in front is skipped, and
// throttling is per real client, not per proxy.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	app := proxyApp(t, "127.0.0.1/32")
	app.CreateUser("cat@proxy.test", "Cat", pw)
	c := app.Client()
	c.Header.Set("X-Forwarded-For", "198.51.100.66, 203.0.113.7") // forged first entry, proxy's last
	c.LogIn("cat@proxy.test", pw)
	if ips := sessionIPs(t, app, "cat@proxy.test"); len(ips) != 1 || ips[0] != "203.0.113.7" {
		t.Fatalf("session IPs %v, want [203.0.113.7]", ips)
	}

	noisy := app.Client()
	failLogins(t, noisy, 30, "203.0.113.9", false)
	if r := noisy.Post("/login", url.Values{"email": {"cat@proxy.test"}, "password": {pw}}); r.Status != http.StatusTooManyRequests {
		t.Fatalf("the noisy client after 30 failures: %d, want 429", r.Status)
	}
	// Another client behind the same proxy is not punished for it.
	other := app.Client()
	other.Header.Set("X-Forwarded-For", "203.0.113.10")
	if r := other.Post("/login", url.Values{"email": {"cat@proxy.test"}, "password": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("another client behind the proxy: %d, want 303", r.Status)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := web.ParseTrustedProxies("10.0.0.0/8, 2001:db8::/32,192.0.2.1")
	if err != nil || len(got) != 3 || got[2].String() != "192.0.2.1/32" {
		t.Fatalf("ParseTrustedProxies = %v, %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy", "10.0.0.0/8,nope", "1.2.3.4/8/8", " , "} {
		if _, err := web.ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
