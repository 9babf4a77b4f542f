package browser_test

import (
	"testing"

	"gatehouse/internal/testkit"
)

// Unknown pages render the 404 page inside the shell, never a blank page,
// and its way back works.
func TestErrorPages(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("linus@example.com", "Linus", "penguin-password-91")
	b := testkit.NewBrowser(t)
	login(t, b, app, "linus@example.com", "penguin-password-91")

	for _, path := range []string{"/o/nope/customers", "/o/nope", "/no/such/page"} {
		if st := b.Navigate(app.URL + path); st != 404 {
			t.Errorf("%s: status %d, want 404", path, st)
		}
		b.WaitVisible(`header.topbar`)
		b.WaitVisible(pageHeading)
		expectText(t, b, pageHeading, "Not found")
		var textLen int
		b.Eval(`document.body.innerText.trim().length`, &textLen)
		if textLen < 40 {
			t.Errorf("%s: only %d characters of text, want a real page", path, textLen)
		}
	}
	b.Screenshot(testkit.ArtifactPath(t, "TestErrorPages-404.png"))
	b.ClickNav(`main a.btn`)
	b.WaitURL(app.URL + "/orgs")
}
