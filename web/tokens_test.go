package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/demo"
	"gatehouse/internal/mail"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// Passwords strong enough for any rule of the password policy.
const (
	tokPW1 = "Velvet-Otter-Quarry-51"
	tokPW2 = "Amber-Falcon-Harbor-93"
	tokPW3 = "Cobalt-Walrus-Meadow-27"
)

// resetLink asks for a reset link for email and reads it from the outbox.
func resetLink(t *testing.T, app *testkit.App, email string) string {
	t.Helper()
	if r := app.Client().Post("/forgot", url.Values{"email": {email}}); r.Status != http.StatusOK {
		t.Fatalf("forgot: %d", r.Status)
	}
	app.Server.Wait()
	mails, err := app.DB.Outbox(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.To == email && strings.Contains(m.Subject, "Reset") {
			return testkit.FindLink(t, m.Body, app.URL+"/reset?token=")
		}
	}
	t.Fatalf("no reset mail for %s in %+v", email, mails)
	return ""
}

func passwordHashOf(t *testing.T, app *testkit.App, email string) string {
	t.Helper()
	return app.User(email).PasswordHash
}

// assertResetRefused is the attack: the old link, opened and submitted,
// is refused and the password stays what it is.
func assertResetRefused(t *testing.T, app *testkit.App, link, email, wantPW string) {
	t.Helper()
	before := passwordHashOf(t, app, email)
	c := app.Client()
	if r := c.Get(link); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "invalid, already used or expired") {
		t.Fatalf("GET old reset link: %d, want 404 with the message", r.Status)
	}
	token := strings.TrimPrefix(link, app.URL+"/reset?token=")
	r := c.Post("/reset", url.Values{"token": {token}, "password": {tokPW3}, "password_confirm": {tokPW3}})
	if r.Status != http.StatusNotFound || !strings.Contains(r.Body, "invalid, already used or expired") {
		t.Fatalf("POST old reset link: %d, want 404", r.Status)
	}
	if after := passwordHashOf(t, app, email); after != before {
		t.Fatal("the refused reset changed the password")
	}
	if !password.Check(passwordHashOf(t, app, email), wantPW) {
		t.Fatal("the password is not the one set by the change")
	}
}

func TestResetLinkEndsWhenPasswordChangesOnProfile(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("pat@example.com", "Pat", tokPW1)
	link := resetLink(t, app, "pat@example.com")
	c := app.LoginAs("pat@example.com", tokPW1)
	r := c.Post("/me/profile/password", url.Values{"current_password": {tokPW1}, "new_password": {tokPW2}, "confirm_password": {tokPW2}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("password change: %d %.300s", r.Status, r.Body)
	}
	assertResetRefused(t, app, link, "pat@example.com", tokPW2)
}

func TestResetLinkEndsWhenEmailChanges(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("old@example.com", "Mover", tokPW1)
	link := resetLink(t, app, "old@example.com")
	c := app.LoginAs("old@example.com", tokPW1)
	c.Post("/me/profile/email", url.Values{"email": {"new@example.com"}, "password": {tokPW1}})
	app.Server.Wait()
	if _, err := app.DB.UserByEmail(context.Background(), "new@example.com"); err != nil {
		// The change waits for the new address's confirmation: apply it
		// the way the confirmation does, through the store.
		u := app.User("old@example.com")
		if err := app.DB.ChangeEmail(context.Background(), u.ID, "new@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	assertResetRefused(t, app, link, "new@example.com", tokPW1)
}

func TestResetLinkEndsWhenResetIsForcedAndWithTheForcedReset(t *testing.T) {
	app := testkit.NewApp(t)
	org, boss := app.OwnedOrg("Tok Ltd", "tok", []string{"crm"}, "boss@example.com", "Boss", tokPW1)
	m := app.Join(org, "agent@example.com", "Agent", tokPW1, "agent")
	link := resetLink(t, app, "agent@example.com")
	if r := boss.Post("/o/tok/settings/members/"+strconv.FormatInt(m.ID, 10)+"/force-reset", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("force reset: %d %.300s", r.Status, r.Body)
	}
	assertResetRefused(t, app, link, "agent@example.com", tokPW1)

	// A link asked for after the force dies when the forced flow sets the password.
	link = resetLink(t, app, "agent@example.com")
	c := app.Client()
	if r := c.Post("/login", url.Values{"email": {"agent@example.com"}, "password": {tokPW1}}); r.Location != "/reset" {
		t.Fatalf("login after force: %d %q", r.Status, r.Location)
	}
	if r := c.Post("/reset", url.Values{"password": {tokPW2}, "password_confirm": {tokPW2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("forced reset: %d %.300s", r.Status, r.Body)
	}
	assertResetRefused(t, app, link, "agent@example.com", tokPW2)
}

func TestResetLinkEndsWhenAnotherResetIsUsed(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("two@example.com", "Two", tokPW1)
	first := resetLink(t, app, "two@example.com")
	// Two tabs: the older link is replaced by the newer, whose use sets the password.
	second := resetLink(t, app, "two@example.com")
	c := app.Client()
	tok := strings.TrimPrefix(second, app.URL+"/reset?token=")
	if r := c.Post("/reset", url.Values{"token": {tok}, "password": {tokPW2}, "password_confirm": {tokPW2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	assertResetRefused(t, app, first, "two@example.com", tokPW2)
	assertResetRefused(t, app, second, "two@example.com", tokPW2)
}

// outboxPage is /admin/outbox as the instance admin sees it.
func outboxPage(t *testing.T, admin *testkit.Client) string {
	t.Helper()
	r := admin.Get("/admin/outbox")
	if r.Status != http.StatusOK {
		t.Fatalf("outbox page: %d", r.Status)
	}
	return r.Body
}

func makeInstanceAdmin(t *testing.T, app *testkit.App, email string) {
	t.Helper()
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET is_instance_admin = 1 WHERE email = ?`, email)
		return err
	})
}

// The log never prints a token: a whole forgot → reset and invite →
// register flow runs with the log captured, and none of its tokens (nor
// the session cookie) appears in it.
func TestLogNeverPrintsTokens(t *testing.T) {
	var logs testkit.LogBuffer
	app := testkit.NewApp(t, testkit.WithLog(&logs))
	_, boss := app.OwnedOrg("Log Ltd", "logltd", []string{"crm"}, "owner@example.com", "Owner", tokPW1)
	app.CreateUser("lost@example.com", "Lost", tokPW1)

	link := resetLink(t, app, "lost@example.com")
	reset := strings.TrimPrefix(link, app.URL+"/reset?token=")
	c := app.Client()
	c.Get(link)
	c.Post("/reset", url.Values{"token": {reset}, "password": {tokPW2}, "password_confirm": {"mismatch-" + tokPW2}})
	if r := c.Post("/reset", url.Values{"token": {reset}, "password": {tokPW2}, "password_confirm": {tokPW2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	c.Get(link) // used: 404, logged

	if r := boss.Post("/o/logltd/settings/members/invite", url.Values{"email": {"newbie@example.com"}, "role": {"agent"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %.300s", r.Status, r.Body)
	}
	app.Server.Wait()
	mails, _ := app.DB.Outbox(context.Background(), 50)
	var invite string
	for _, m := range mails {
		if m.To == "newbie@example.com" {
			invite = testkit.FindLink(t, m.Body, app.URL+"/invite/")
		}
	}
	if invite == "" {
		t.Fatal("no invitation in the outbox")
	}
	inviteToken := strings.TrimPrefix(invite, app.URL+"/invite/")
	nb := app.Client()
	nb.Get(invite)
	nb.Get("/invite/" + inviteToken + "?x=1")
	nb.Post("/invite/"+inviteToken+"/accept", nil)
	nb.Get("/signup?next=" + url.QueryEscape("/invite/"+inviteToken))
	app.Server.Wait()

	log := logs.String()
	if !strings.Contains(log, "/reset?token=[hidden]") || !strings.Contains(log, "/invite/[hidden]") {
		t.Fatalf("the log does not show the redacted requests:\n%s", log)
	}
	for name, secret := range map[string]string{"reset token": reset, "invite token": inviteToken,
		"session": c.Cookie("gatehouse_session"), "owner session": boss.Cookie("gatehouse_session")} {
		if secret != "" && strings.Contains(log, secret) {
			t.Errorf("the log prints the %s:\n%s", name, log)
		}
	}
	if !strings.Contains(log, "to=lost@example.com") || !strings.Contains(log, "Reset your Gatehouse password") {
		t.Errorf("the outbox log line lost its recipient or subject:\n%s", log)
	}
}

// Without SMTP the outbox is the delivery: a link is readable on
// /admin/outbox while its token is live and masked once it is used,
// replaced, revoked or expired; the token is then gone from the database.
func TestOutboxLinksReadableUntilUsedOrExpired(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("root@example.com", "Root", tokPW1)
	makeInstanceAdmin(t, app, "root@example.com")
	app.CreateOrg("Mask Ltd", "maskltd", []string{"crm"}, owner)
	app.CreateUser("user@example.com", "User", tokPW1)
	admin := app.LoginAs("root@example.com", tokPW1)

	link := resetLink(t, app, "user@example.com")
	if !strings.Contains(outboxPage(t, admin), link) {
		t.Fatal("a live reset link is not readable on /admin/outbox")
	}
	tok := strings.TrimPrefix(link, app.URL+"/reset?token=")
	if r := app.Client().Post("/reset", url.Values{"token": {tok}, "password": {tokPW2}, "password_confirm": {tokPW2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	page := outboxPage(t, admin)
	if strings.Contains(page, tok) || !strings.Contains(page, "/reset?token=[hidden]") {
		t.Fatal("a used reset link is still readable on /admin/outbox")
	}
	assertSecretGone(t, app, tok)

	// An invitation: readable, then masked when revoked.
	if r := admin.Post("/o/maskltd/settings/members/invite", url.Values{"email": {"inv@example.com"}, "role": {"agent"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %.300s", r.Status, r.Body)
	}
	app.Server.Wait()
	inv := testkit.FindLink(t, outboxPage(t, admin), app.URL+"/invite/")
	invTok := strings.TrimPrefix(inv, app.URL+"/invite/")
	var invID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = 'inv@example.com'`).Scan(&invID)
	})
	if r := admin.Post("/o/maskltd/settings/members/invites/"+strconv.FormatInt(invID, 10)+"/revoke", nil); r.Status >= 400 {
		t.Fatalf("revoke: %d", r.Status)
	}
	if page := outboxPage(t, admin); strings.Contains(page, invTok) || !strings.Contains(page, "/invite/[hidden]") {
		t.Fatal("a revoked invitation's link is still readable")
	}
	assertSecretGone(t, app, invTok)

	// Expiry: a fresh link is readable, and masked once its hour is over.
	link = resetLink(t, app, "user@example.com")
	if !strings.Contains(outboxPage(t, admin), link) {
		t.Fatal("the new reset link is not readable")
	}
	app.DB.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	defer app.DB.SetClock(time.Now)
	if page := outboxPage(t, admin); strings.Contains(page, strings.TrimPrefix(link, app.URL+"/reset?token=")) {
		t.Fatal("an expired reset link is still readable")
	}
}

// assertSecretGone: the token is in no stored mail, masked or not.
func assertSecretGone(t *testing.T, app *testkit.App, secret string) {
	t.Helper()
	var n int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM outbox WHERE instr(body, ?1) > 0)
			+ (SELECT COUNT(*) FROM outbox_secrets WHERE secret = ?1)`, secret).Scan(&n)
	})
	if n != 0 {
		t.Fatalf("the token is still stored in the outbox (%d rows)", n)
	}
}

// With SMTP the outbox keeps a record of what was sent, and its link is
// masked as soon as the server has taken the mail (the recipient has the
// only readable copy).
func TestOutboxCopyMaskedOnceSentWithSMTP(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	smtp := testkit.StartSMTP(t)
	sc, err := mail.ParseSMTPURL(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	sc.From = "Gatehouse <no-reply@example.com>"
	var srv *web.Server
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.Handler().ServeHTTP(w, r) }))
	srv, err = web.New(web.Config{BaseURL: hs.URL}, db, mail.NewSMTPSender(sc, mail.WithOutbox(db)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close(); srv.Wait(); srv.Close(); db.Close() })
	hash, _ := password.Hash(tokPW1)
	if _, err := db.CreateUser(ctx, "smtp@example.com", "Smtp", hash); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"email": {"smtp@example.com"}}
	// A signed-out client: fetch the form for the CSRF cookie first.
	app := &testkit.App{T: t, DB: db, URL: hs.URL, Server: srv}
	c := app.Client()
	if r := c.Post("/forgot", form); r.Status != http.StatusOK {
		t.Fatalf("forgot: %d", r.Status)
	}
	m := smtp.WaitFor(t, "smtp@example.com", 10*time.Second)
	link := testkit.FindLink(t, m.Text, hs.URL+"/reset?token=")
	tok := strings.TrimPrefix(link, hs.URL+"/reset?token=")
	srv.Wait()
	mails, err := db.Outbox(ctx, 10)
	if err != nil || len(mails) != 1 {
		t.Fatalf("outbox copy: %v %+v", err, mails)
	}
	if strings.Contains(mails[0].Body, tok) || !strings.Contains(mails[0].Body, "/reset?token=[hidden]") {
		t.Fatalf("the sent mail's copy shows its link:\n%s", mails[0].Body)
	}
	assertSecretGone(t, app, tok)
	// The mailed link itself still works: masking is of the copy only.
	if r := c.Get(link); r.Status != http.StatusOK {
		t.Fatalf("mailed link: %d", r.Status)
	}
}

// A confirmation link (sign-up) is readable on /admin/outbox until it is
// followed, then masked.
func TestOutboxConfirmationLinkMaskedOnceUsed(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("root@example.com", "Root", tokPW1)
	makeInstanceAdmin(t, app, "root@example.com")
	admin := app.LoginAs("root@example.com", tokPW1)
	c := app.Client()
	if r := c.Post("/signup", url.Values{"name": {"Newcomer"}, "email": {"new@example.com"}, "password": {tokPW2}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", r.Status)
	}
	app.Server.Wait()
	link := testkit.FindLink(t, outboxPage(t, admin), app.URL+"/verify?token=")
	tok := strings.TrimPrefix(link, app.URL+"/verify?token=")
	if r := c.Get(link); r.Status >= 400 {
		t.Fatalf("confirm: %d", r.Status)
	}
	if page := outboxPage(t, admin); strings.Contains(page, tok) || !strings.Contains(page, "/verify?token=[hidden]") {
		t.Fatal("a used confirmation link is still readable on /admin/outbox")
	}
	assertSecretGone(t, app, tok)
}

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
