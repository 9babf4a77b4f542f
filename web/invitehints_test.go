package web_test

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/membership"
	"gatehouse/internal/testkit"
)

// The invite hints are true: the form, the flash and the mail give the real
// lifetime, the link pre-fills the invitee's name at sign-up, and the
// pending list shows each invitation's groups and inviter.
func TestInviteHintsAreTrue(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	days := membership.InviteLifetime()
	if days != "7 days" {
		t.Fatalf("InviteLifetime() = %q for a TTL of %v", days, membership.InviteTTL)
	}
	admin := fx.clients["admin"]
	if r := admin.Get(fx.url("/invite")); !strings.Contains(r.Body, "valid for "+days+".") {
		t.Errorf("invite form does not give the lifetime: %s", between(r.Body, "page-subtitle", 300))
	}
	r := admin.Post(fx.url("/invite"), url.Values{"email": {"nina@example.com"}, "name": {"Nina O'Newbie"}, "role": {"sales"},
		"groups": {fmt.Sprint(fx.groups["Sales Team"])}})
	if r = admin.Follow(r); !strings.Contains(r.Body, "The link works for "+days+".") {
		t.Errorf("flash does not give the lifetime: %s", between(r.Body, "Invitation sent", 300))
	}
	m := fx.app.SMTP.WaitFor(t, "nina@example.com", 10*time.Second)
	if !strings.Contains(m.Text, "lasts "+days+": it expires on ") {
		t.Errorf("mail does not give the lifetime:\n%s", m.Text)
	}
	// An invitation sent without a name: nothing to pre-fill.
	admin.Post(fx.url("/invite"), url.Values{"email": {"anon@example.com"}, "role": {"agent"}})

	// Pending: groups and inviter, and "None" for no groups.
	body := fx.clients["owner"].Get(fx.url("")).Body
	for _, email := range []string{"nina@example.com", "anon@example.com"} {
		row := cardOf(body, "invites")
		i := strings.Index(row, email)
		if i < 0 {
			t.Fatalf("%s not among the pending invitations: %s", email, row)
		}
		row = row[i:]
		if j := strings.Index(row, "</tr>"); j >= 0 {
			row = row[:j]
		}
		wantGroups := "Sales Team"
		if email == "anon@example.com" {
			wantGroups = "None"
		}
		if !strings.Contains(row, wantGroups) || !strings.Contains(row, "Adam Admin") {
			t.Errorf("pending %s: want groups %q and inviter Adam Admin: %s", email, wantGroups, row)
		}
	}

	// The link's sign-up form comes with the name typed by the inviter.
	c := fx.app.Client()
	landing := c.Get(testkit.FindLink(t, m.Text, fx.app.URL+"/invite/")).Body
	i := strings.Index(landing, "/signup?")
	if i < 0 {
		t.Fatalf("no sign-up link: %.2000s", landing)
	}
	href := html.UnescapeString(landing[i : strings.Index(landing[i:], `"`)+i])
	if !strings.Contains(href, "name=Nina+O%27Newbie") {
		t.Fatalf("sign-up link without the name: %s", href)
	}
	signup := c.Get(href).Body
	if !strings.Contains(signup, `value="Nina O&#39;Newbie"`) {
		t.Errorf("sign-up form not pre-filled: %s", between(signup, `id="signup-name"`, 300))
	}
}
