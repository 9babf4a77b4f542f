package browser_test

import (
	"strings"
	"testing"

	"gatehouse/internal/testkit"
)

// pw is the password of the accounts a test creates in the store.
const pw = "a fine long password"

// Selectors of the account forms and the shell, in one place.
const (
	loginForm     = `form[action="/login"]`
	signupForm    = `form[action="/signup"]`
	forgotForm    = `form[action="/forgot"]`
	resetForm     = `form[action="/reset"]`
	profileMenu   = `details.profile`
	logoutButton  = `details.profile form[action="/logout"] button[type=submit]`
	formAlert     = `.auth-card [role=alert]`
	pageHeading   = `main h1`
	myOrgsHeading = "My organizations"
)

// login signs in through the form and waits for My organizations.
func login(t *testing.T, b *testkit.Browser, app *testkit.App, email, pw string) {
	t.Helper()
	b.Navigate(app.URL + "/login")
	b.Fill(loginForm+` input[name=email]`, email)
	b.Fill(loginForm+` input[name=password]`, pw)
	b.Submit(loginForm)
	// Sign-in lands on the member's first page when they have one
	// organization (/o/{slug}), else on /orgs: both start with /o.
	b.WaitURL(app.URL + "/o")
	b.Navigate(app.URL + "/orgs")
	expectText(t, b, pageHeading, myOrgsHeading)
}

// continueAfterSignup passes the "Check your email" page every sign-up
// lands on (new address or registered one alike) through its Continue link.
func continueAfterSignup(t *testing.T, b *testkit.Browser, app *testkit.App) {
	t.Helper()
	b.WaitURL(app.URL + "/signup/check-email")
	expectText(t, b, `.auth-card h1`, "Check your email")
	b.ClickNav(`.auth-actions a`)
}

// logout opens the profile dropdown and clicks "Log out", then checks the
// session is really gone (/orgs sends back to the log-in page).
func logout(t *testing.T, b *testkit.Browser, app *testkit.App) {
	t.Helper()
	b.Click(profileMenu + ` > summary`)
	b.WaitVisible(logoutButton)
	expectText(t, b, logoutButton, "Log out")
	b.ClickNav(logoutButton)
	b.WaitURL(app.URL + "/login")
	b.Navigate(app.URL + "/orgs")
	if loc := b.Location(); !strings.HasPrefix(loc, app.URL+"/login") {
		t.Fatalf("after log out, /orgs shows %s, want the log-in page", loc)
	}
}

// expectText fails unless the element's visible text contains want.
func expectText(t *testing.T, b *testkit.Browser, sel, want string) {
	t.Helper()
	if got := b.Text(sel); !strings.Contains(got, want) {
		t.Fatalf("%s shows %q, want it to contain %q", sel, got, want)
	}
}
