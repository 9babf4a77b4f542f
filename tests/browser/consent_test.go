package browser_test

import (
	"context"
	"net/url"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// An existing account invited to an organization sees the invitation on
// "My organizations", with the unverified banner until its address is
// confirmed, and joins with one click on Accept.
func TestInvitationConsentInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	_, admin := app.OwnedOrg("Acme Ltd", "acme", []string{"crm"}, "owner@acme.test", "Olive Owner", pw)
	known := app.CreateUser("kim@elsewhere.test", "Kim Known", pw)
	if r := admin.Post("/o/acme/settings/members/invite", url.Values{"email": {"kim@elsewhere.test"}, "role": {string(access.RoleAgent)}}); r.Status != 303 {
		t.Fatalf("invite: %d", r.Status)
	}

	b := testkit.NewBrowser(t)
	login(t, b, app, "kim@elsewhere.test", pw)
	b.WaitVisible(`#verify-banner`)
	expectText(t, b, `#invitations`, "Acme Ltd")
	b.Screenshot(testkit.ArtifactPath(t, "TestInvitationConsentInBrowser-unverified.png"))
	// Unconfirmed: Accept is refused on the same page, with a way to get a new link.
	b.Submit(`#invitations form[action$="/accept"]`)
	b.WaitText(`#invitation-error`, "confirm your address first")
	b.WaitVisible(`#invitation-error form[action="/verify/resend"]`)

	if err := app.DB.MarkVerified(context.Background(), known.ID, known.Email); err != nil {
		t.Fatal(err)
	}
	b.Navigate(app.URL + "/orgs")
	b.Screenshot(testkit.ArtifactPath(t, "TestInvitationConsentInBrowser-verified.png"))
	b.Submit(`#invitations form[action$="/accept"]`)
	b.WaitURL(app.URL + "/o/acme")
	b.WaitText(`#flashes`, "Welcome to Acme Ltd")
}

// The setup link in a real browser: its page's form posts (the page hides
// its token from other sites without making its own form look cross-site),
// and the account it creates opens the instance admin's outbox.
func TestSetupLinkInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	link, err := web.NewSetupLink(context.Background(), app.DB, app.URL)
	if err != nil || link == "" {
		t.Fatalf("link %q %v", link, err)
	}
	b := testkit.NewBrowser(t)
	if st := b.Navigate(link); st != 200 {
		t.Fatalf("setup page: %d", st)
	}
	expectText(t, b, `.auth-card h1`, "Set up Gatehouse")
	const form = `form[action="/setup"]`
	b.Fill(form+` input[name=name]`, "Ada Admin")
	b.Fill(form+` input[name=email]`, "ada@example.test")
	b.Fill(form+` input[name=password]`, "setup-in-browser-1")
	b.Submit(form)
	b.WaitURL(app.URL + "/orgs")
	if st := b.Navigate(app.URL + "/admin/outbox"); st != 200 {
		t.Fatalf("outbox as the setup account: %d", st)
	}
}
