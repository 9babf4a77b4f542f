package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// inviteLink invites email as actor and returns the link from the mail.
func (fx *membersFx) inviteLink(t *testing.T, actor, email string, form url.Values) string {
	t.Helper()
	if form == nil {
		form = url.Values{"role": {"agent"}}
	}
	form.Set("email", email)
	r := fx.clients[actor].Post(fx.url("/invite"), form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite %s: %d %.400s", email, r.Status, r.Body)
	}
	m := fx.app.SMTP.WaitFor(t, email, 10*time.Second)
	return testkit.FindLink(t, m.Text, fx.app.URL+"/invite/")
}

func tokenOf(link string) string { return link[strings.LastIndex(link, "/")+1:] }

func TestInviteNewAddressSignsUpAndJoins(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	link := fx.inviteLink(t, "admin", "newbie@example.com", url.Values{"role": {"sales"}, "name": {"Nina Newbie"},
		"groups": {fmt.Sprint(fx.groups["Sales Team"])}})
	m := fx.app.SMTP.Messages()[0]
	if !strings.Contains(m.Subject, "Adam Admin invited you to Acme Ltd") || !strings.Contains(m.Text, "as Sales") {
		t.Fatalf("mail = %q\n%s", m.Subject, m.Text)
	}
	// The list shows it as pending, and it takes a seat.
	r := fx.clients["owner"].Get(fx.url(""))
	if !strings.Contains(r.Body, "newbie@example.com") || !strings.Contains(r.Body, "6 of 25 seats") || !strings.Contains(r.Body, "in 7 days") {
		t.Fatalf("pending invite not listed: %s", between(r.Body, "seat-usage", 400))
	}
	if es := fx.audit("invite.create"); len(es) != 1 || es[0].Target != "newbie@example.com" {
		t.Fatalf("audit = %+v", es)
	}

	// Signed out: the page names the organization and role and offers sign-up.
	c := fx.app.Client()
	r = c.Get(link)
	if r.Status != 200 || !strings.Contains(r.Body, "Join Acme Ltd") || !strings.Contains(r.Body, "Sales") ||
		!strings.Contains(r.Body, "/signup?email=newbie%40example.com&amp;name=Nina+Newbie&amp;next=%2Finvite%2F") {
		t.Fatalf("landing: %d %.3000s", r.Status, r.Body)
	}
	c.SignUp("Nina Newbie", "newbie@example.com", "a long enough password")
	r = c.Get(link)
	if !strings.Contains(r.Body, "Accept and join Acme Ltd") {
		t.Fatalf("signed-in landing: %.2000s", r.Body)
	}
	r = c.Post(link+"/accept", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/o/acme" {
		t.Fatalf("accept: %d %s %.300s", r.Status, r.Location, r.Body)
	}
	r = c.Follow(r)
	if r.Status != 200 || !strings.Contains(r.Body, "Welcome to Acme Ltd") || !strings.Contains(r.Body, "/o/acme/customers") {
		t.Fatalf("after accept: %d %.500s", r.Status, r.Body)
	}
	u, _ := fx.app.DB.UserByEmail(context.Background(), "newbie@example.com")
	mem, err := fx.app.DB.MembershipOfUser(context.Background(), fx.acme.ID, u.ID)
	if err != nil || mem.Role != access.RoleSales {
		t.Fatalf("membership %+v %v", mem, err)
	}
	gs, _ := fx.app.DB.GroupsOfMember(context.Background(), mem.OrgID, mem.ID)
	if len(gs) != 1 || gs[0].Name != "Sales Team" {
		t.Fatalf("groups = %v", store.GroupNames(gs))
	}
	// Used: the link is dead now.
	if r := c.Get(link); r.Status != http.StatusConflict || !strings.Contains(r.Body, "already been used") {
		t.Fatalf("used link: %d", r.Status)
	}
	if r := c.Post(link+"/accept", nil); r.Status != http.StatusConflict {
		t.Fatalf("second accept: %d", r.Status)
	}
}

func TestInviteBoundToEmail(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	link := fx.inviteLink(t, "owner", "bound@example.com", nil)
	other := fx.clients["outsider"]
	r := other.Get(link)
	if r.Status != 200 || !strings.Contains(r.Body, "This invitation is for bound@example.com") || strings.Contains(r.Body, "Accept and join") {
		t.Fatalf("wrong account landing: %d %.2000s", r.Status, r.Body)
	}
	before := fx.snapshot()
	r = other.Post(link+"/accept", nil)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "This invitation is for bound@example.com") {
		t.Fatalf("wrong account accept: %d %.500s", r.Status, r.Body)
	}
	if fx.snapshot() != before {
		t.Fatal("a refused accept changed the database")
	}
	if r := other.Get("/o/acme"); r.Status != http.StatusNotFound {
		t.Fatalf("outsider reached acme: %d", r.Status)
	}
}

func TestInviteDeadLinks(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	owner := fx.clients["owner"]
	pendingID := func(email string) int64 {
		var id int64
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = ?`, email).Scan(&id)
		})
		return id
	}

	revoked := fx.inviteLink(t, "owner", "revoked@example.com", nil)
	r := owner.PostHTMX(fx.url(fmt.Sprintf("/invites/%d/revoke", pendingID("revoked@example.com"))), nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Invitation revoked") || !strings.Contains(r.Body, `id="invites"`) || strings.Contains(r.Body, "revoked@example.com") {
		t.Fatalf("revoke: %d %.500s", r.Status, r.Body)
	}

	resent := fx.inviteLink(t, "owner", "resent@example.com", nil)
	r = owner.PostHTMX(fx.url(fmt.Sprintf("/invites/%d/resend", pendingID("resent@example.com"))), nil)
	if r.Status != 200 || !strings.Contains(r.Body, "A new link was sent") {
		t.Fatalf("resend: %d %.500s", r.Status, r.Body)
	}
	fresh := testkit.FindLink(t, fx.app.SMTP.WaitFor(t, "resent@example.com", 10*time.Second).Text, fx.app.URL+"/invite/")
	if fresh == resent {
		t.Fatal("resend mailed the same link")
	}

	expired := fx.inviteLink(t, "owner", "expired@example.com", nil)

	for _, email := range []string{"revoked@example.com", "resent@example.com", "expired@example.com"} {
		fx.app.CreateUser(email, "Someone", mfxPassword)
	}
	fx.app.DB.SetClock(func() time.Time { return time.Now().Add(7*24*time.Hour + time.Hour) })
	for _, tc := range []struct {
		email, link string
		status      int
		want        string
	}{
		{"revoked@example.com", revoked, http.StatusConflict, "revoked"},
		{"resent@example.com", resent, http.StatusNotFound, "not valid"},
		{"expired@example.com", expired, http.StatusConflict, "expired"},
	} {
		c := fx.app.LoginAs(tc.email, mfxPassword)
		if r := c.Get(tc.link); r.Status != tc.status || !strings.Contains(r.Body, tc.want) || strings.Contains(r.Body, "Accept and join") {
			t.Fatalf("%s landing: %d %.300s", tc.email, r.Status, r.Body)
		}
		before := fx.snapshot()
		if r := c.Post(tc.link+"/accept", nil); r.Status != tc.status || !strings.Contains(r.Body, tc.want) {
			t.Fatalf("%s accept: %d %.300s", tc.email, r.Status, r.Body)
		}
		if fx.snapshot() != before {
			t.Fatalf("%s: a dead link changed the database", tc.email)
		}
	}
	// The resent link is expired by now too (the clock moved 7 days on).
	c := fx.app.LoginAs("resent@example.com", mfxPassword)
	if r := c.Post(fresh+"/accept", nil); r.Status != http.StatusConflict {
		t.Fatalf("fresh link after 7 days: %d", r.Status)
	}
	fx.app.DB.SetClock(time.Now)
	if r := c.Post(fresh+"/accept", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("fresh link: %d %.300s", r.Status, r.Body)
	}
}

// Two browsers of the invitee accept at the same moment: one membership.
func TestConcurrentAcceptsOverHTTP(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	link := fx.inviteLink(t, "owner", "twice@example.com", nil)
	fx.app.CreateUser("twice@example.com", "Twice", mfxPassword)
	clients := []*testkit.Client{fx.app.LoginAs("twice@example.com", mfxPassword), fx.app.LoginAs("twice@example.com", mfxPassword)}
	for _, c := range clients {
		c.CSRF()
	}
	statuses, ok := acceptAtOnce(t, clients, link+"/accept")
	var n int
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'twice@example.com'`).Scan(&n)
	})
	if ok != 1 || n != 1 {
		t.Fatalf("statuses %v, memberships %d; want one success and one membership", statuses, n)
	}
}

// acceptAtOnce posts path from every client at the same moment; it returns
// their statuses and how many accepted (303). Any answer but 303 or 410
// (gone: another browser was first) fails the test.
func acceptAtOnce(t *testing.T, clients []*testkit.Client, path string) ([]int, int) {
	t.Helper()
	statuses := testkit.AtOnce(len(clients), func(i int) int { return clients[i].Post(path, nil).Status })
	ok := 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
		default:
			t.Fatalf("statuses = %v", statuses)
		}
	}
	return statuses, ok
}

func TestSeatQuotaOverHTTP(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	owner := fx.clients["owner"]
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET seats = 6 WHERE id = ?`, fx.acme.ID)
		return err
	})
	// 5 active (suspended does not count) + this invite = 6.
	link := fx.inviteLink(t, "owner", "sixth@example.com", nil)
	before := fx.snapshot()
	r := owner.PostHTMX(fx.url("/invite"), url.Values{"email": {"seventh@example.com"}, "role": {"agent"}})
	if r.Status != 422 || !strings.Contains(r.Body, "6 of 6 seats are in use, 0 seats are free") || !strings.Contains(r.Body, `id="invite-form"`) {
		t.Fatalf("over quota invite: %d %.600s", r.Status, r.Body)
	}
	// Re-enabling the suspended member needs a seat too.
	r = owner.PostHTMX(fx.memberURL("suspended", "/reenable"), nil)
	if r.Status != 422 || !strings.Contains(r.Body, "Not enough seats") {
		t.Fatalf("over quota re-enable: %d %.300s", r.Status, r.Body)
	}
	if fx.snapshot() != before {
		t.Fatal("refused requests changed the database")
	}
	// Accept: the quota was lowered since the invitation.
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET seats = 5 WHERE id = ?`, fx.acme.ID)
		return err
	})
	fx.app.CreateUser("sixth@example.com", "Sixth", mfxPassword)
	c := fx.app.LoginAs("sixth@example.com", mfxPassword)
	r = c.Post(link+"/accept", nil)
	if r.Status != 422 || !strings.Contains(r.Body, "no free seat") {
		t.Fatalf("over quota accept: %d %.300s", r.Status, r.Body)
	}
	if r := c.Get("/o/acme"); r.Status != http.StatusNotFound {
		t.Fatalf("refused accept gave access: %d", r.Status)
	}
}

func TestBulkInviteOverHTTP(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	owner := fx.clients["owner"]
	fx.app.CreateUser("has.account@example.com", "Has Account", mfxPassword)
	bad := "email,name,role,groups\n" +
		"ok@example.com,Ok,agent,User\n" +
		"broken,Broken,agent,\n" +
		"ok@example.com,Again,agent,\n" +
		"x@example.com,X,wizard,\n" +
		"y@example.com,Y,agent,Nope\n" +
		"agent@acme.test,Aggie,agent,\n"
	before := fx.snapshot()
	r := owner.PostFile(fx.url("/import"), "file", "people.csv", []byte(bad), nil)
	if r.Status != 422 {
		t.Fatalf("preview with problems: %d %.300s", r.Status, r.Body)
	}
	for _, want := range []string{"bad email", "duplicate: ok@example.com is already on line 2", "unknown role &#34;wizard&#34;",
		"unknown group &#34;Nope&#34;", "already a member", "Fix the rows with problems"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// Only its valid rows can be confirmed.
	if strings.Count(r.Body, "/import/confirm") != 1 || !strings.Contains(r.Body, `name="valid_only" value="1"`) {
		t.Fatal("a file with problems can be confirmed whole")
	}
	// Confirming it anyway (a forged form) writes nothing.
	r = owner.Post(fx.url("/import/confirm"), url.Values{"csv": {base64.StdEncoding.EncodeToString([]byte(bad))}})
	if r.Status != 422 || !strings.Contains(r.Body, "5 rows have problems. Nothing was sent") {
		t.Fatalf("confirm with problems: %d %.300s", r.Status, between(r.Body, "alert", 300))
	}
	if fx.snapshot() != before {
		t.Fatal("a refused bulk invite changed the database")
	}
	if r := owner.PostFile(fx.url("/import"), "file", "x.csv", []byte("a,\"b\n"), nil); r.Status != 422 || !strings.Contains(r.Body, "not valid CSV") {
		t.Fatalf("broken CSV: %d", r.Status)
	}

	good := "email,name,role,groups\nfresh1@example.com,Fresh One,agent,User;Guest\nhas.account@example.com,Has Account,sales,\n"
	r = owner.PostFile(fx.url("/import"), "file", "people.csv", []byte(good), nil)
	// An address with an account reads like any other: no "joins at once".
	if r.Status != 200 || strings.Count(r.Body, "Gets an invitation") != 2 || strings.Contains(r.Body, "Joins at once") {
		t.Fatalf("clean preview: %d %.300s", r.Status, r.Body)
	}
	i := strings.Index(r.Body, `name="csv" value="`)
	carried := r.Body[i+len(`name="csv" value="`):]
	carried = carried[:strings.IndexByte(carried, '"')]
	r = owner.Post(fx.url("/import/confirm"), url.Values{"csv": {strings.ReplaceAll(carried, "&#43;", "+")}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %.400s", r.Status, r.Body)
	}
	fx.app.SMTP.WaitFor(t, "fresh1@example.com", 10*time.Second)
	fx.app.SMTP.WaitFor(t, "has.account@example.com", 10*time.Second)
	if len(fx.audit("invite.create")) != 2 || len(fx.audit("member.add")) != 0 {
		t.Fatal("bulk audit rows: want two invitations and no member added")
	}
	r = owner.Follow(r)
	if !strings.Contains(r.Body, "2 invitation(s) sent. The links work for 7 days.") {
		t.Fatalf("flash: %.300s", between(r.Body, "flashes", 400))
	}
}
