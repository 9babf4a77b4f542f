package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const pw = "correct-horse-battery"

func TestHealthz(t *testing.T) {
	app := testkit.NewApp(t)
	r := app.Client().Get("/healthz")
	if r.Status != 200 || r.Body != "ok" {
		t.Fatalf("healthz = %d %q", r.Status, r.Body)
	}
}

func TestPostWithoutCSRFIsRefused(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Client()
	c.CSRF() // has the cookie, but does not send the token
	for _, path := range []string{"/signup", "/login", "/logout", "/forgot"} {
		r := c.PostRaw(path, url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "password": {pw}})
		if r.Status != http.StatusForbidden {
			t.Errorf("POST %s without token: %d, want 403", path, r.Status)
		}
	}
	// A wrong token is refused too, and a cross-site browser request even with a token.
	r := c.PostRaw("/signup", url.Values{"_csrf": {"forged"}, "name": {"Eve"}, "email": {"eve@example.com"}, "password": {pw}})
	if r.Status != http.StatusForbidden {
		t.Errorf("forged token: %d", r.Status)
	}
	if n, _ := app.DB.CountUsers(context.Background()); n != 0 {
		t.Fatalf("a refused signup wrote %d users", n)
	}
	// The htmx way (header) works.
	r = c.PostHTMX("/signup", url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "password": {pw}})
	if r.Status != http.StatusOK || r.Header.Get("HX-Redirect") != "/signup/check-email" {
		t.Fatalf("htmx signup with header token: %d HX-Redirect=%q", r.Status, r.Header.Get("HX-Redirect"))
	}
}

func TestCrossSiteBrowserPostRefused(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Client()
	tok := c.CSRF()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/logout", strings.NewReader("_csrf="+tok))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.Do(req); r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", r.Status)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Client()
	r := c.Post("/signup", url.Values{"name": {"Ann"}, "email": {"ann@example.com"}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("signup: %d %s", r.Status, r.Body)
	}
	var ck *http.Cookie
	for _, raw := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(raw, session.CookieName+"=") {
			ck, _ = http.ParseSetCookie(raw)
		}
	}
	if ck == nil {
		t.Fatal("no session cookie set at signup")
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
		t.Fatalf("cookie flags over http: HttpOnly=%v SameSite=%v Secure=%v Path=%q", ck.HttpOnly, ck.SameSite, ck.Secure, ck.Path)
	}
	if strings.Contains(ck.Value, "ann") || len(ck.Value) < 40 {
		t.Fatalf("cookie value looks guessable: %q", ck.Value)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithBaseURL("https://gatehouse.example.com"))
	app.CreateUser("sec@example.com", "Sec", pw)
	// The jar would not keep cookies for another domain: carry them by hand.
	first := app.Client().Get("/login")
	var csrf string
	for _, raw := range first.Header.Values("Set-Cookie") {
		if ck, _ := http.ParseSetCookie(raw); ck != nil && ck.Name == testkit.CSRFCookie {
			csrf = ck.Value
			if !ck.Secure {
				t.Error("CSRF cookie is not Secure under an https base URL")
			}
		}
	}
	form := url.Values{"email": {"sec@example.com"}, "password": {pw}, "_csrf": {csrf}}
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: testkit.CSRFCookie, Value: csrf})
	r := app.Client().Do(req)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Status)
	}
	found := false
	for _, raw := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(raw, session.CookieName+"=") {
			found = true
			ck, _ := http.ParseSetCookie(raw)
			if !ck.Secure || !ck.HttpOnly || ck.Domain != "gatehouse.example.com" {
				t.Fatalf("https cookie: Secure=%v HttpOnly=%v Domain=%q", ck.Secure, ck.HttpOnly, ck.Domain)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := testkit.NewApp(t)
	r := app.Client().Get("/login")
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" || r.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", r.Header)
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " onclick=") {
		t.Error("page has inline script")
	}
}

func TestLoginLogoutAndNewSessionID(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("bob@example.com", "Bob", pw)
	c := app.Client()
	if r := c.Get("/orgs"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login?next=") {
		t.Fatalf("signed-out /orgs: %d %q", r.Status, r.Location)
	}
	r := c.Post("/login", url.Values{"email": {"BOB@example.com"}, "password": {pw}, "next": {"/orgs"}})
	if r.Status != http.StatusSeeOther || r.Location != "/orgs" {
		t.Fatalf("login: %d %q", r.Status, r.Location)
	}
	first := c.Cookie(session.CookieName)
	c.LogIn("bob@example.com", pw)
	second := c.Cookie(session.CookieName)
	if first == "" || first == second {
		t.Fatal("logging in again kept the session id")
	}
	// The replaced session is dead server-side.
	if _, err := app.DB.SessionByID(context.Background(), session.HashToken(first)); err == nil {
		t.Fatal("the old session is still live")
	}
	if r := c.Get("/orgs"); r.Status != 200 || !strings.Contains(r.Body, "My organizations") {
		t.Fatalf("/orgs: %d", r.Status)
	}
	if r := c.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	if _, err := app.DB.SessionByID(context.Background(), session.HashToken(second)); err == nil {
		t.Fatal("logout left the session live")
	}
	// Replaying the old cookie after logout gets nothing.
	replay := app.Client()
	replay.Jar.SetCookies(mustURL(app.URL), []*http.Cookie{{Name: session.CookieName, Value: second, Path: "/"}})
	if r := replay.Get("/orgs"); r.Status != http.StatusSeeOther {
		t.Fatalf("replayed cookie after logout: %d", r.Status)
	}
	// Open redirects are refused.
	c.Post("/login", url.Values{"email": {"bob@example.com"}, "password": {pw}})
	r = c.Post("/login", url.Values{"email": {"bob@example.com"}, "password": {pw}, "next": {"//evil.example/x"}})
	if r.Location != "/orgs" {
		t.Fatalf("next=//evil: Location %q", r.Location)
	}
}

func TestRevokedSessionIsLoggedOut(t *testing.T) {
	app := testkit.NewApp(t)
	u := app.CreateUser("rev@example.com", "Rev", pw)
	c := app.LoginAs("rev@example.com", pw)
	if r := c.Get("/orgs"); r.Status != 200 {
		t.Fatalf("before revoke: %d", r.Status)
	}
	if n, err := app.DB.RevokeUserSessions(context.Background(), u.ID); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if r := c.Get("/orgs"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("after revoke: %d %q", r.Status, r.Location)
	}
}

func TestLoginThrottledAfterFiveFailures(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("thr@example.com", "Thr", pw)
	c := app.Client()
	for i := 1; i <= 5; i++ {
		r := c.Post("/login", url.Values{"email": {"thr@example.com"}, "password": {"wrong-password-" + string(rune('a'+i))}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "Email or password is incorrect") {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	// The 6th attempt is throttled, even with the right password.
	r := c.Post("/login", url.Values{"email": {"thr@example.com"}, "password": {pw}})
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many attempts") || retryAfter(r) == 0 {
		t.Fatalf("6th attempt: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	// Another account from the same IP is not locked by this one's failures.
	app.CreateUser("other@example.com", "Other", pw)
	if r := app.Client().Post("/login", url.Values{"email": {"other@example.com"}, "password": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("other account: %d", r.Status)
	}
	// After the window, the right password works again.
	acct, _ := app.Server.Throttles()
	acct.SetClock(func() time.Time { return time.Now().Add(16 * time.Minute) })
	if r := c.Post("/login", url.Values{"email": {"thr@example.com"}, "password": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("after window: %d", r.Status)
	}
}

func TestLoginDoesNotRevealAccounts(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("known@example.com", "Known", pw)
	known := app.Client().Post("/login", url.Values{"email": {"known@example.com"}, "password": {"wrong-password"}})
	unknown := app.Client().Post("/login", url.Values{"email": {"nobody@example.com"}, "password": {"wrong-password"}})
	if known.Status != unknown.Status || extractAlert(known.Body) != extractAlert(unknown.Body) {
		t.Fatalf("login answers differ: %d %q vs %d %q", known.Status, extractAlert(known.Body), unknown.Status, extractAlert(unknown.Body))
	}
	f1 := app.Client().Post("/forgot", url.Values{"email": {"known@example.com"}})
	f2 := app.Client().Post("/forgot", url.Values{"email": {"nobody@example.com"}})
	if f1.Status != f2.Status || !strings.Contains(f1.Body, "If an account exists") || !strings.Contains(f2.Body, "If an account exists") {
		t.Fatalf("forgot answers differ: %d vs %d", f1.Status, f2.Status)
	}
}

func extractAlert(body string) string {
	i := strings.Index(body, "incorrect")
	if i < 0 {
		return ""
	}
	return body[max(0, i-40) : i+10]
}

func TestSignupValidationWritesNothing(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("taken@example.com", "Taken", pw)
	cases := []struct {
		name, email, password, field, msg string
	}{
		{"Short", "short@example.com", "123", "password", "at least 10"},
		{"Bad", "not-an-email", pw, "email", "valid email"},
		{"Bad2", "a@b", pw, "email", "valid email"},
		{"", "noname@example.com", pw, "name", "Enter your name"},
	}
	for _, tc := range cases {
		r := app.Client().Post("/signup", url.Values{"name": {tc.name}, "email": {tc.email}, "password": {tc.password}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.email, r.Status)
		}
		if !strings.Contains(r.Body, tc.msg) {
			t.Errorf("%s: body lacks %q", tc.email, tc.msg)
		}
		if strings.Contains(r.Body, tc.password) && len(tc.password) > 5 {
			t.Errorf("%s: the password is echoed back", tc.email)
		}
	}
	if n, _ := app.DB.CountUsers(context.Background()); n != 1 {
		t.Fatalf("invalid signups wrote users: %d", n)
	}
}

// Being the first to sign up grants nothing: the first instance admin
// comes from the setup link (setup_test.go).
func TestFirstSignupIsNotInstanceAdmin(t *testing.T) {
	app := testkit.NewApp(t)
	a := app.Client()
	a.SignUp("First", "first@example.com", pw)
	if r := a.Get("/admin/outbox"); r.Status != http.StatusForbidden {
		t.Fatalf("first account outbox: %d, want 403", r.Status)
	}
}

func TestForgotPasswordFlowWithOutbox(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("admin@example.com", "Admin", pw) // instance admin reads the outbox
	if _, err := app.DB.GrantInstanceAdmin(context.Background(), "admin@example.com"); err != nil {
		t.Fatal(err)
	}
	app.CreateUser("lost@example.com", "Lost", pw)
	other := app.LoginAs("lost@example.com", pw) // a live session that the reset must end
	c := app.Client()
	c.Post("/forgot", url.Values{"email": {"lost@example.com"}})
	app.Server.Wait()
	mails, _ := app.DB.Outbox(context.Background(), 10)
	if len(mails) != 1 || mails[0].To != "lost@example.com" {
		t.Fatalf("outbox: %+v", mails)
	}
	link := testkit.FindLink(t, mails[0].Body, app.URL+"/reset?token=")
	if r := c.Get(link); r.Status != 200 || !strings.Contains(r.Body, `name="password_confirm"`) {
		t.Fatalf("reset form: %d", r.Status)
	}
	token := strings.TrimPrefix(link, app.URL+"/reset?token=")
	r := c.Post("/reset", url.Values{"token": {token}, "password": {"new-password-123"}, "password_confirm": {"other-password-1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "do not match") {
		t.Fatalf("mismatch: %d", r.Status)
	}
	r = c.Post("/reset", url.Values{"token": {token}, "password": {"new-password-123"}, "password_confirm": {"new-password-123"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	if r := c.Post("/reset", url.Values{"token": {token}, "password": {"third-password-1"}, "password_confirm": {"third-password-1"}}); r.Status != http.StatusNotFound {
		t.Fatalf("token reused: %d", r.Status)
	}
	if r := other.Get("/orgs"); r.Status != http.StatusSeeOther {
		t.Fatal("a session survived the password reset")
	}
	if r := app.Client().Post("/login", url.Values{"email": {"lost@example.com"}, "password": {pw}}); r.Status != http.StatusUnauthorized {
		t.Fatalf("old password: %d", r.Status)
	}
	app.LoginAs("lost@example.com", "new-password-123")
	// The link was mailed to the address: using it confirms the address.
	if u, _ := app.DB.UserByEmail(context.Background(), "lost@example.com"); !u.Verified() {
		t.Fatal("a used reset link did not confirm the address")
	}
	admin := app.LoginAs("admin@example.com", pw)
	if r := admin.Get("/admin/outbox"); !strings.Contains(r.Body, "Reset your Gatehouse password") {
		t.Fatal("outbox page does not list the mail")
	}
}

func TestMailGoesToSMTPListener(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	app.CreateUser("smtp@example.com", "Smtp", pw)
	app.Client().Post("/forgot", url.Values{"email": {"smtp@example.com"}})
	m := app.SMTP.WaitFor(t, "smtp@example.com", 10*time.Second)
	if m.Subject != "Reset your Gatehouse password" {
		t.Fatalf("subject %q", m.Subject)
	}
	testkit.FindLink(t, m.Text, app.URL+"/reset?token=")
	// With SMTP the outbox keeps a copy whose link is masked once sent.
	app.Server.Wait() // the send finishes (and masks) after the listener has the mail
	token := strings.TrimPrefix(testkit.FindLink(t, m.Text, app.URL+"/reset?token="), app.URL+"/reset?token=")
	mails, err := app.DB.Outbox(context.Background(), 10)
	if err != nil || len(mails) != 1 {
		t.Fatalf("outbox copy: %d mails, %v", len(mails), err)
	}
	if strings.Contains(mails[0].Body, token) {
		t.Fatal("the outbox copy of a sent mail still holds its reset token")
	}
}

func TestErrorPagesAndFragments(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("e@example.com", "E", pw)
	c := app.LoginAs("e@example.com", pw)
	r := c.Get("/o/does-not-exist")
	if r.Status != 404 || !strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "Not found") {
		t.Fatalf("404 page: %d", r.Status)
	}
	r = c.GetHTMX("/o/does-not-exist")
	if r.Status != 404 || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "Not found") {
		t.Fatalf("404 fragment: %d %.200s", r.Status, r.Body)
	}
	if r.Header.Get("HX-Retarget") == "" {
		t.Fatal("404 fragment is not retargeted for htmx")
	}
	if got := c.Get("/orgs").Header.Values("Vary"); !strings.Contains(strings.Join(got, ","), "HX-Request") {
		t.Fatalf("Vary = %v", got)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestInternalErrorPageRevealsNothing(t *testing.T) {
	app := testkit.NewApp(t)
	app.Server.Echo().GET("/test-boom", func(echo.Context) error { panic("secret-internal-detail") })
	app.Server.Echo().GET("/test-fail", func(echo.Context) error { return errors.New("db exploded: secret-internal-detail") })
	c := app.Client()
	for _, path := range []string{"/test-boom", "/test-fail"} {
		r := c.Get(path)
		if r.Status != 500 || !strings.Contains(r.Body, "Something went wrong") || !strings.Contains(r.Body, "<html") {
			t.Fatalf("%s: %d, want the 500 page", path, r.Status)
		}
		if strings.Contains(r.Body, "secret-internal-detail") || strings.Contains(r.Body, "goroutine") {
			t.Fatalf("%s: the 500 page leaks internals", path)
		}
		f := c.GetHTMX(path)
		if f.Status != 500 || strings.Contains(f.Body, "<html") || !strings.Contains(f.Body, "Something went wrong") {
			t.Fatalf("%s (htmx): %d, want the 500 fragment", path, f.Status)
		}
	}
}

// A prober that hung up before /healthz answered is not a database fault:
// 499 (client closed), nothing logged above INFO.
func TestHealthzForAProberThatLeft(t *testing.T) {
	var log testkit.LogBuffer
	app := testkit.NewApp(t, testkit.WithLog(&log))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	app.Server.Handler().ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("healthz for a gone prober: %d, want 499", rec.Code)
	}
	if s := log.String(); strings.Contains(s, "level=WARN") || strings.Contains(s, "level=ERROR") {
		t.Errorf("a gone prober was logged as a fault:\n%s", s)
	}
}

// A write whose client hangs up while it waits for SQLite's writer is
// answered 499 and not logged as a server failure.
func TestWriteWhoseClientLeftIsNotAServerError(t *testing.T) {
	var log testkit.LogBuffer
	app := testkit.NewApp(t, testkit.WithLog(&log))
	app.CreateUser("ada@example.test", "Ada", pw)
	c := app.LoginAs("ada@example.test", pw)
	tok := c.CSRF()

	held, release := make(chan struct{}), make(chan struct{})
	go app.DB.Write(context.Background(), func(*store.Tx) error { close(held); <-release; return nil })
	<-held
	defer close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader(url.Values{"_csrf": {tok}}.Encode())).WithContext(ctx)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: session.CookieName, Value: c.Cookie(session.CookieName)})
	req.AddCookie(&http.Cookie{Name: testkit.CSRFCookie, Value: tok})
	rec := httptest.NewRecorder()
	app.Server.Handler().ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("sign-out whose client left while it waited for the writer: %d, want 499", rec.Code)
	}
	if s := log.String(); strings.Contains(s, "level=ERROR") {
		t.Errorf("a client that left was logged as a server failure:\n%s", s)
	}
}
