package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/internal/session"
	"gatehouse/internal/testkit"
)

// The attacks on the session-bound CSRF token: each one is the request an
// attacker would send, refused with 403 and its message, and nothing saved.

const csrfRefusal = "The form has expired or did not come from this site."

var hiddenCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formToken is the _csrf value of the first form on a page.
func formToken(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	r := c.Get(path)
	m := hiddenCSRF.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("GET %s (%d): no hidden _csrf input; body: %.400s", path, r.Status, r.Body)
	}
	return m[1]
}

// postWithToken sends a profile save as c with the given token in _csrf.
func postProfileName(c *testkit.Client, token, name string) *testkit.Response {
	return c.PostRaw("/me/profile", url.Values{"_csrf": {token}, "name": {name}})
}

func nameOf(t *testing.T, app *testkit.App, email string) string {
	t.Helper()
	return app.User(email).Name
}

func assertRefused(t *testing.T, r *testkit.Response, what, message string) {
	t.Helper()
	if r.Status != http.StatusForbidden {
		t.Fatalf("%s: status %d, want 403; body: %.300s", what, r.Status, r.Body)
	}
	if !strings.Contains(r.Body, message) {
		t.Errorf("%s: the refusal does not say %q; body: %.600s", what, message, r.Body)
	}
}

func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("alice@csrf.test", "Alice", pw)
	app.CreateUser("mallory@csrf.test", "Mallory", pw)

	// A token picked up before sign-in (login CSRF, fixation of a token).
	alice := app.Client()
	before := alice.CSRF()
	if got := formToken(t, alice, "/login"); got != before {
		t.Fatalf("the login form carries %q, the cookie %q", got, before)
	}
	alice.LogIn("alice@csrf.test", pw)
	after := alice.CSRF()
	if after == before {
		t.Fatal("the CSRF token did not change at sign-in")
	}
	if got := formToken(t, alice, "/me/profile"); got != after {
		t.Fatalf("the profile form carries %q, want the session's token %q", got, after)
	}
	assertRefused(t, postProfileName(alice, before, "Pre-login Token"), "token from before sign-in", csrfRefusal)

	// Mallory's own valid token, planted in a page Alice opens.
	mallory := app.LoginAs("mallory@csrf.test", pw)
	malloryToken := formToken(t, mallory, "/me/profile")
	if malloryToken == after {
		t.Fatal("two sessions share one CSRF token")
	}
	assertRefused(t, postProfileName(alice, malloryToken, "Mallory Was Here"), "another session's token", csrfRefusal)

	// A second sign-in of the same account is another session, another token.
	alice2 := app.LoginAs("alice@csrf.test", pw)
	if formToken(t, alice2, "/me/profile") == after {
		t.Fatal("a new session of the same account reuses the CSRF token")
	}
	assertRefused(t, postProfileName(alice2, after, "Other Tab"), "the first session's token in the second", csrfRefusal)

	// No token, a forged one, the CSRF cookie replayed as a token with a
	// session cookie it does not belong to.
	assertRefused(t, alice.PostRaw("/me/profile", url.Values{"name": {"No Token"}}), "no token", csrfRefusal)
	assertRefused(t, postProfileName(alice, "forged-forged-forged-forged-forged-forged-1", "Forged"), "forged token", csrfRefusal)
	if n := nameOf(t, app, "alice@csrf.test"); n != "Alice" {
		t.Fatalf("a refused request changed the name to %q", n)
	}

	// The right token, in the form or in the htmx header, is accepted.
	if r := postProfileName(alice, after, "Alice Form"); r.Status != http.StatusSeeOther {
		t.Fatalf("save with the session's token: %d; body %.300s", r.Status, r.Body)
	}
	if r := alice.PostHTMX("/me/profile", url.Values{"name": {"Alice Htmx"}}); r.Status != http.StatusOK || r.Header.Get("HX-Redirect") == "" {
		t.Fatalf("htmx save with X-CSRF-Token: %d %q", r.Status, r.Header.Get("HX-Redirect"))
	}
	if n := nameOf(t, app, "alice@csrf.test"); n != "Alice Htmx" {
		t.Fatalf("name = %q after two accepted saves", n)
	}
}

// The token is a function of the session: it survives a restart of the
// server (no in-memory key) and is not the stored session id.
func TestCSRFTokenIsNotTheSessionRowID(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("bob@csrf.test", "Bob", pw)
	c := app.LoginAs("bob@csrf.test", pw)
	tok := c.CSRF()
	sessToken := c.Cookie(session.CookieName)
	if tok == sessToken || tok == session.HashToken(sessToken) {
		t.Fatal("the CSRF token reveals the session token or its stored id")
	}
}

// Signing out ends the session's token: a page left open in a signed-out
// tab cannot be replayed, and the signed-out forms get a fresh token.
func TestCSRFTokenRotatesAtSignOut(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("carol@csrf.test", "Carol", pw)
	c := app.LoginAs("carol@csrf.test", pw)
	signedIn := c.CSRF()
	if r := c.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	signedOut := c.CSRF()
	if signedOut == signedIn {
		t.Fatal("the token did not change at sign-out")
	}
	r := c.PostRaw("/login", url.Values{"_csrf": {signedIn}, "email": {"carol@csrf.test"}, "password": {pw}})
	assertRefused(t, r, "the ended session's token on the login form", csrfRefusal)
	if r.Header.Get("Set-Cookie") != "" && strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), ";"), session.CookieName+"=") {
		t.Fatal("a refused login set a session cookie")
	}
	if r := c.PostRaw("/login", url.Values{"_csrf": {signedOut}, "email": {"carol@csrf.test"}, "password": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("login with the signed-out token: %d", r.Status)
	}
}

// The Origin / Sec-Fetch-Site rule, branch by branch, on a signed-in save
// that carries the right token: only the headers decide.
func TestCrossSiteRuleEveryBranch(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithBaseURL("http://gatehouse.test"))
	app.CreateUser("dan@csrf.test", "Dan", pw)
	org := app.CreateUser("olga@csrf.test", "Olga", pw)
	app.CreateOrg("Acme", "acme", []string{"crm"}, org)
	// The browser is on the base host through the test server's port, so
	// the request's Host (gatehouse.test:port) and the base URL's host
	// (gatehouse.test) differ: each is a branch of its own.
	c := app.HostClient("gatehouse.test")
	c.LogIn("dan@csrf.test", pw)
	tok := c.CSRF()
	u, _ := url.Parse(app.URL)
	host := "gatehouse.test:" + u.Port()
	origin := "http://" + host

	cases := []struct {
		name    string
		headers map[string]string
		ok      bool
	}{
		{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"Sec-Fetch-Site same-site (a sibling subdomain)", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
		{"Sec-Fetch-Site cross-site with a matching Origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://" + host}, false},
		{"Sec-Fetch-Site same-origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, true},
		{"Sec-Fetch-Site none (typed, bookmark)", map[string]string{"Sec-Fetch-Site": "none"}, true},
		{"Origin of another site", map[string]string{"Origin": "http://evil.example"}, false},
		{"Origin null", map[string]string{"Origin": "null"}, false},
		{"Origin with a look-alike suffix", map[string]string{"Origin": "http://evilgatehouse.test"}, false},
		{"Origin two labels below the base", map[string]string{"Origin": "http://a.acme.gatehouse.test"}, false},
		{"Origin of a reserved subdomain", map[string]string{"Origin": "http://www.gatehouse.test"}, false},
		{"Origin of a subdomain on another port", map[string]string{"Origin": "http://acme.gatehouse.test:9999"}, false},
		{"Origin of the base host on another port", map[string]string{"Origin": "http://gatehouse.test:9999"}, false},
		{"Origin equal to the request's Host", map[string]string{"Origin": "http://" + host}, true},
		{"Origin equal to the base URL's host", map[string]string{"Origin": "http://gatehouse.test"}, true},
		{"Origin of an organization subdomain", map[string]string{"Origin": "http://acme.gatehouse.test"}, true},
		{"Origin same-origin with Sec-Fetch-Site same-origin", map[string]string{"Origin": "http://" + host, "Sec-Fetch-Site": "same-origin"}, true},
		{"neither header: the token decides", nil, true},
	}
	want := "Dan"
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "Dan " + strings.Repeat("I", i+1)
			req, _ := http.NewRequest(http.MethodPost, origin+"/me/profile", strings.NewReader(url.Values{"_csrf": {tok}, "name": {name}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			r := c.Do(req)
			if tc.ok {
				if r.Status != http.StatusSeeOther {
					t.Fatalf("status %d, want 303; body %.300s", r.Status, r.Body)
				}
				want = name
			} else {
				assertRefused(t, r, tc.name, "came from another site")
			}
			if got := nameOf(t, app, "dan@csrf.test"); got != want {
				t.Fatalf("name = %q, want %q", got, want)
			}
		})
	}

	// With neither header the token alone decides: without it, refused.
	assertRefused(t, c.PostRaw("/me/profile", url.Values{"name": {"No Token"}}), "no headers, no token", csrfRefusal)
	// A signed-out form is held to the same rule.
	anon := app.HostClient("gatehouse.test")
	req, _ := http.NewRequest(http.MethodPost, origin+"/signup", strings.NewReader(url.Values{"_csrf": {anon.CSRF()},
		"name": {"Eve"}, "email": {"eve@csrf.test"}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	assertRefused(t, anon.Do(req), "cross-site sign-up", "came from another site")
	if _, err := app.DB.UserByEmail(context.Background(), "eve@csrf.test"); err == nil {
		t.Fatal("a refused cross-site sign-up created the account")
	}
}

// HSTS only when the base URL is https.
func TestHSTSOnlyUnderHTTPS(t *testing.T) {
	plain := testkit.NewApp(t).Client().Get("/login")
	if v := plain.Header.Get("Strict-Transport-Security"); v != "" {
		t.Errorf("HSTS %q under an http base URL", v)
	}
	secure := testkit.NewApp(t, testkit.WithBaseURL("https://gatehouse.example.com")).Client()
	for _, path := range []string{"/login", "/healthz", "/no-such-page"} {
		r := secure.Get(path)
		if v := r.Header.Get("Strict-Transport-Security"); !strings.Contains(v, "max-age=63072000") || !strings.Contains(v, "includeSubDomains") {
			t.Errorf("GET %s under an https base URL: HSTS %q", path, v)
		}
	}
}
