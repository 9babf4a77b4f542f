package browser_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/internal/testkit"
)

// The whole account life cycle through the real forms: sign up, log out,
// log in, forgot password, the emailed link, a new password; the old one
// stops working.
func TestSignupLogoutLoginForgotReset(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	b := testkit.NewBrowser(t)
	const (
		email = "ada@example.com"
		oldPW = "analytical-engine-1843"
		newPW = "difference-engine-1822"
	)

	// Sign up: lands on an empty "My organizations".
	b.Navigate(app.URL + "/signup")
	b.Fill(signupForm+` input[name=name]`, "Ada Lovelace")
	b.Fill(signupForm+` input[name=email]`, email)
	b.Fill(signupForm+` input[name=password]`, oldPW)
	b.Submit(signupForm)
	continueAfterSignup(t, b, app)
	b.WaitURL(app.URL + "/orgs")
	if m := app.SMTP.WaitFor(t, email, 10*time.Second); !strings.Contains(m.Subject, "Confirm your Gatehouse email address") {
		t.Fatalf("first mail after sign-up: %q, want the confirmation", m.Subject)
	}
	expectText(t, b, pageHeading, myOrgsHeading)
	expectText(t, b, `main a[href="/orgs/new"]`, "Create new organization")
	expectText(t, b, profileMenu+` > summary`, "Ada Lovelace")

	logout(t, b, app)
	login(t, b, app, email, oldPW)
	logout(t, b, app)

	// Forgot password, from the log-in page's link.
	b.Navigate(app.URL + "/login")
	b.ClickNav(loginForm + ` a[href="/forgot"]`)
	b.Fill(forgotForm+` input[name=email]`, email)
	b.Submit(forgotForm)
	expectText(t, b, `.auth-card h1`, "Check your email")

	mail := app.SMTP.WaitFor(t, email, 10*time.Second)
	link := testkit.FindLink(t, mail.Text, app.URL+"/reset?token=")

	b.Navigate(link)
	b.Fill(resetForm+` input[name=password]`, newPW)
	b.Fill(resetForm+` input[name=password_confirm]`, newPW)
	b.Submit(resetForm)
	b.WaitURL(app.URL + "/login")

	// The old password is refused, with a message on the form.
	b.Fill(loginForm+` input[name=email]`, email)
	b.Fill(loginForm+` input[name=password]`, oldPW)
	if st := b.Submit(loginForm); st != 401 {
		t.Errorf("log in with the old password: status %d, want 401", st)
	}
	b.WaitVisible(formAlert)
	expectText(t, b, formAlert, "Email or password is incorrect.")
	b.WaitURL(app.URL + "/login")

	// The new one works.
	login(t, b, app, email, newPW)
}
