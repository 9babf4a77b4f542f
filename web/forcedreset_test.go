package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// A forced password reset explains itself: the member gets a mail saying
// who asked and what happens next, the reset page says why, and once the
// new password is set they continue where the reset stopped them (or on
// their first page).
func TestForcedResetExplainsAndReturns(t *testing.T) {
	app := testkit.NewDemoApp(t, testkit.WithSMTP())
	ids := app.DemoIDs()
	owner := app.LoginAs(demo.OwnerEmail, demo.Password)
	if r := owner.Post(fmt.Sprintf("/o/acme/settings/members/%d/force-reset", ids.AgentMember), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("force reset: %d; body %.300s", r.Status, r.Body)
	}
	m := app.SMTP.WaitFor(t, demo.AgentEmail, 10*time.Second)
	if m.Subject != "Choose a new Gatehouse password" || !strings.Contains(m.Text, "an administrator of Acme") ||
		!strings.Contains(m.Text, "every session of yours has ended") || !strings.Contains(m.Text, app.URL+"/login") {
		t.Fatalf("forced reset mail: %q\n%s", m.Subject, m.Text)
	}

	// Signing in to reach a page: the reset comes first, then that page.
	const want = "/o/acme/customers/mine"
	agent := app.Client()
	r := agent.Post("/login", url.Values{"email": {demo.AgentEmail}, "password": {demo.Password}, "next": {want}})
	if r.Status != http.StatusSeeOther || r.Location != "/reset?next="+url.QueryEscape(want) {
		t.Fatalf("login after a forced reset: %d → %q", r.Status, r.Location)
	}
	// Any page meanwhile sends to the reset, remembering itself.
	if r := agent.Get("/o/acme/settings/groups"); r.Location != "/reset?next="+url.QueryEscape("/o/acme/settings/groups") {
		t.Fatalf("a page before the reset: %d → %q", r.Status, r.Location)
	}
	page := agent.Get(r.Location)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "asked you to choose a new password") ||
		!strings.Contains(page.Body, `name="next" value="`+want+`"`) {
		t.Fatalf("reset page: %d; body %.1500s", page.Status, page.Body)
	}
	// A too-short password is refused in place, keeping where to return.
	r = agent.Post("/reset", url.Values{"password": {"short"}, "password_confirm": {"short"}, "next": {want}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `name="next" value="`+want+`"`) {
		t.Fatalf("short password: %d", r.Status)
	}
	newPW := "a-new-password-42"
	r = agent.Post("/reset", url.Values{"password": {newPW}, "password_confirm": {newPW}, "next": {want}})
	if r.Status != http.StatusSeeOther || r.Location != want {
		t.Fatalf("reset done: %d → %q, want %s", r.Status, r.Location, want)
	}
	if r := agent.Get(want); r.Status != http.StatusOK {
		t.Fatalf("GET %s after the reset: %d", want, r.Status)
	}
	// An off-site next is dropped: the member lands on their first page.
	r = agent.Post("/logout", nil)
	owner.Post(fmt.Sprintf("/o/acme/settings/members/%d/force-reset", ids.AgentMember), nil)
	again := app.Client()
	again.Post("/login", url.Values{"email": {demo.AgentEmail}, "password": {newPW}})
	r = again.Post("/reset", url.Values{"password": {newPW + "x"}, "password_confirm": {newPW + "x"}, "next": {"//evil.example/"}})
	if r.Status != http.StatusSeeOther || r.Location != "/o/acme" {
		t.Fatalf("reset with an off-site next: %d → %q, want /o/acme", r.Status, r.Location)
	}
}
