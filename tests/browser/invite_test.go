package browser_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// acceptDialogs answers every confirm() with OK and records its text, so a
// test can assert that a destructive button asked first.
func acceptDialogs(b *testkit.Browser) func() []string {
	var mu sync.Mutex
	var seen []string
	dialogs := chromedp.Events(b.Ctx(), page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, ev.Message)
			mu.Unlock()
			if _, err := chromedp.Call(b.Ctx(), page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// An admin invites a new address; the invitee signs up through the mailed
// link and sees the sidebar their role and group allow; the admin suspends
// them and their next page load is the suspended page; re-enabled, they
// are back.
func TestInviteSignUpSuspendReenable(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, app.CreateUser("owner@acme.test", "Olivia Owner", pw))
	app.Join(org, "admin@acme.test", "Adam Admin", pw, access.RoleAdmin)
	var userGroup int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM groups WHERE org_id = ? AND name = 'User'`, org.ID).Scan(&userGroup)
	})

	admin := testkit.NewBrowser(t)
	dialogs := acceptDialogs(admin)
	login(t, admin, app, "admin@acme.test", pw)

	// Invite: agent, in the User group (which adds Reports to an agent's modules).
	admin.Navigate(app.URL + "/o/acme/settings/members")
	expectText(t, admin, `#seat-usage`, "2 of 100 seats")
	admin.ClickNav(`a[href="/o/acme/settings/members/invite"]`)
	admin.Fill(`#invite-email`, "newhire@example.com")
	admin.Fill(`#invite-name`, "Nora Newhire")
	admin.Do("choose role", chromedp.SetValue(chromedp.CSS(`#invite-role`), "agent"))
	admin.Click(fmt.Sprintf(`input[name=groups][value="%d"]`, userGroup))
	admin.Click(`#invite-form button[type=submit]`)
	admin.WaitText(`#flashes`, "Invitation sent to newhire@example.com")
	admin.WaitText(`#invites`, "newhire@example.com")
	expectText(t, admin, `#seat-usage`, "3 of 100 seats")

	mail := app.SMTP.WaitFor(t, "newhire@example.com", 10*time.Second)
	link := testkit.FindLink(t, mail.Text, app.URL+"/invite/")

	// The invitee: the link, sign-up with the address filled in, accept.
	invitee := testkit.NewBrowser(t)
	if st := invitee.Navigate(link); st != 200 {
		t.Fatalf("invitation page: status %d", st)
	}
	expectText(t, invitee, `.auth-card h1`, "Join Acme Ltd")
	expectText(t, invitee, `.auth-card`, "Agent")
	invitee.ClickNav(`a[href^="/signup?"]`)
	var prefilled string
	invitee.Eval(`document.querySelector('#signup-email').value`, &prefilled)
	if prefilled != "newhire@example.com" {
		t.Fatalf("sign-up email = %q, want the invited address", prefilled)
	}
	invitee.Fill(signupForm+` input[name=name]`, "Nora Newhire")
	invitee.Fill(signupForm+` input[name=password]`, pw)
	invitee.Submit(signupForm)
	continueAfterSignup(t, invitee, app)
	invitee.WaitURL(link)
	invitee.Submit(`form[action$="/accept"]`)
	invitee.WaitURL(app.URL + "/o/acme")
	invitee.WaitText(`#flashes`, "Welcome to Acme Ltd")
	invitee.WaitVisible(`#sidebar`)
	var hrefs []string
	invitee.Eval(`[...document.querySelectorAll('#sidebar a[href^="/o/"]')].map(a => a.getAttribute('href'))`, &hrefs)
	all := strings.Join(hrefs, " ")
	for _, want := range []string{"/o/acme/customers/mine", "/o/acme/chats/mine", "/o/acme/reports"} {
		if !strings.Contains(all, want) {
			t.Errorf("sidebar lacks %s: %v", want, hrefs)
		}
	}
	for _, bad := range []string{"/o/acme/settings", "/o/acme/customers/all", "/o/acme/billing", "/o/acme/financial"} {
		if strings.Contains(all, bad) {
			t.Errorf("sidebar shows %s to an agent in User: %v", bad, hrefs)
		}
	}

	// The admin suspends the new member from their page.
	var memberID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'newhire@example.com'`).Scan(&memberID)
	})
	admin.Navigate(fmt.Sprintf("%s/o/acme/settings/members/%d", app.URL, memberID))
	expectText(t, admin, `#member-detail`, "Nora Newhire")
	admin.Click(`#member-access form[action$="/suspend"] button`)
	admin.WaitText(`#member-detail`, "Access suspended")
	if d := dialogs(); len(d) == 0 || !strings.Contains(d[len(d)-1], "Suspend Nora Newhire?") {
		t.Fatalf("suspend did not ask first: %q", d)
	}
	expectText(t, admin, `#member-detail .badge-suspended`, "Suspended")

	// Their next page load is the suspended page.
	if st := invitee.Navigate(app.URL + "/o/acme/customers/mine"); st != 403 {
		t.Fatalf("suspended member's next page: status %d, want 403", st)
	}
	expectText(t, invitee, pageHeading, "suspended")
	if n := len(invitee.HTML()); strings.Contains(invitee.HTML(), `id="sidebar"`) || n == 0 {
		t.Fatal("the suspended page shows the organization's sidebar")
	}

	// Re-enabled: access is back.
	admin.Click(`#member-access form[action$="/reenable"] button`)
	admin.WaitText(`#member-detail`, "Access re-enabled")
	if st := invitee.Navigate(app.URL + "/o/acme/customers/mine"); st != 200 {
		t.Fatalf("re-enabled member: status %d, want 200", st)
	}
	invitee.WaitVisible(`#sidebar`)
}
