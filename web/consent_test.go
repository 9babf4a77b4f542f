package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// Verified addresses and invitation consent, written as the attacks they
// stop: a sign-up with someone else's address waiting for an invitation
// to it, a sign-up probing whether an address is registered, an invite
// whose answer tells the admin the address has an account, and accepts of
// invitations that are not the account's.

const cfPassword = "consent fixture password 9"

// csrfValues finds the page's CSRF token so two pages can be compared
// without it (it differs per session by design).
var csrfValues = regexp.MustCompile(`(name="csrf-token" content="|name="_csrf" value="|&#34;X-CSRF-Token&#34;:&#34;)[^"&]*`)

func withoutTokens(body string) string { return csrfValues.ReplaceAllString(body, "$1") }

// signupMail waits for the confirmation mail of a sign-up and returns its link.
func confirmLink(t *testing.T, app *testkit.App, email string) string {
	t.Helper()
	m := app.SMTP.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Confirm your Gatehouse email address") {
		t.Fatalf("mail to %s: %q, want the confirmation mail", email, m.Subject)
	}
	return strings.TrimPrefix(testkit.FindLink(t, m.Text, app.URL+"/verify?token="), app.URL)
}

func pendingInviteOf(t *testing.T, app *testkit.App, email string) int64 {
	t.Helper()
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL
			ORDER BY id DESC LIMIT 1`, email).Scan(&id)
	})
	if id == 0 {
		t.Fatalf("no pending invitation for %s", email)
	}
	return id
}

// Someone signs up with an address they do not own and waits for an
// invitation to it: the invitation stays pending, the accept is refused
// (403, "confirm your address first", with a way to get a new link) and
// no membership appears; once the address is confirmed, accept works.
func TestSignupWithAddressNotOwnedCannotAcceptInvitation(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	squatter := fx.app.Client()
	r := squatter.Post("/signup", url.Values{"name": {"Vic Tim"}, "email": {"victim@elsewhere.test"}, "password": {cfPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/signup/check-email" {
		t.Fatalf("signup: %d %q", r.Status, r.Location)
	}
	link := confirmLink(t, fx.app, "victim@elsewhere.test") // in the real owner's mailbox, not the squatter's
	// Signed in and unverified: the banner says so, with a resend form.
	r = squatter.Get("/orgs")
	if r.Status != 200 || !strings.Contains(r.Body, `id="verify-banner"`) || !strings.Contains(r.Body, `action="/verify/resend"`) {
		t.Fatalf("no unverified banner: %d %.400s", r.Status, between(r.Body, "main", 600))
	}

	r = fx.clients["owner"].Post(fx.url("/invite"), url.Values{"email": {"victim@elsewhere.test"}, "role": {"admin"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.Status)
	}
	id := pendingInviteOf(t, fx.app, "victim@elsewhere.test")
	// /orgs lists it with Accept and Decline forms posting to the exact paths.
	r = squatter.Get("/orgs")
	accept := fmt.Sprintf("/orgs/invitations/%d/accept", id)
	decline := fmt.Sprintf("/orgs/invitations/%d/decline", id)
	if !strings.Contains(r.Body, `action="`+accept+`"`) || !strings.Contains(r.Body, `action="`+decline+`"`) ||
		!strings.Contains(r.Body, "Acme Ltd") || !strings.Contains(r.Body, `name="_csrf"`) {
		t.Fatalf("/orgs lacks the invitation's forms: %.1500s", between(r.Body, "invitations", 1500))
	}

	before := fx.snapshot()
	r = squatter.Post(accept, nil)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "confirm your address first") ||
		!strings.Contains(r.Body, "Send a new confirmation link") {
		t.Fatalf("unverified accept: %d %.600s", r.Status, between(r.Body, "invitation-error", 600))
	}
	if fx.snapshot() != before {
		t.Fatal("a refused accept changed the database")
	}
	u := fx.app.User("victim@elsewhere.test")
	if _, err := fx.app.DB.MembershipOfUser(context.Background(), fx.acme.ID, u.ID); err == nil {
		t.Fatal("the unverified account became a member")
	}

	// The address's owner follows the link (any browser): confirmed.
	r = fx.app.Client().Get(link)
	if r.Status != 200 || !strings.Contains(r.Body, "victim@elsewhere.test is confirmed") {
		t.Fatalf("confirm: %d %.300s", r.Status, r.Body)
	}
	if r := fx.app.Client().Get(link); r.Status != http.StatusNotFound {
		t.Fatalf("link used twice: %d", r.Status)
	}
	if r := squatter.Get("/orgs"); strings.Contains(r.Body, `id="verify-banner"`) {
		t.Fatal("the banner stays after confirmation")
	}
	r = squatter.Post(accept, nil)
	if r.Status != http.StatusSeeOther || r.Location != "/o/acme" {
		t.Fatalf("verified accept: %d %q %.300s", r.Status, r.Location, r.Body)
	}
	m, err := fx.app.DB.MembershipOfUser(context.Background(), fx.acme.ID, u.ID)
	if err != nil || m.Role != access.RoleAdmin {
		t.Fatalf("membership %+v %v", m, err)
	}
	if r := squatter.Post(accept, nil); r.Status != http.StatusConflict && r.Status != http.StatusNotFound {
		t.Fatalf("second accept: %d", r.Status)
	}
}

// A sign-up with a registered address is answered like a new one: same
// Location, a page that reads the same, but no session, no new user, and
// the owner of the address gets a mail instead.
func TestSignupWithRegisteredAddressRevealsNothing(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	app.CreateUser("taken@example.test", "Tara Taken", cfPassword)
	ctx := context.Background()
	users0, _ := app.DB.CountUsers(ctx)

	fresh := app.Client()
	rNew := fresh.Post("/signup", url.Values{"name": {"Nia New"}, "email": {"new@example.test"}, "password": {cfPassword}})
	probe := app.Client()
	rOld := probe.Post("/signup", url.Values{"name": {"Eve Probe"}, "email": {"Taken@Example.test"}, "password": {cfPassword}})
	if rNew.Status != http.StatusSeeOther || rOld.Status != rNew.Status || rOld.Location != rNew.Location {
		t.Fatalf("new: %d %q; registered: %d %q; want the same redirect", rNew.Status, rNew.Location, rOld.Status, rOld.Location)
	}
	pageNew, pageOld := fresh.Follow(rNew), probe.Follow(rOld)
	if pageNew.Status != pageOld.Status || withoutTokens(pageNew.Body) != withoutTokens(pageOld.Body) {
		t.Fatalf("the pages differ:\nnew: %d %s\nregistered: %d %s", pageNew.Status, pageNew.Body, pageOld.Status, pageOld.Body)
	}
	if !strings.Contains(pageOld.Body, "Check your email") {
		t.Fatalf("page: %.300s", pageOld.Body)
	}
	for _, raw := range rOld.Header.Values("Set-Cookie") {
		if strings.HasPrefix(raw, session.CookieName+"=") && !strings.Contains(raw, "Max-Age=0") {
			t.Fatalf("the registered-address sign-up set a session cookie: %s", raw)
		}
	}
	if r := probe.Get("/orgs"); r.Status != http.StatusSeeOther {
		t.Fatalf("the probe is signed in: /orgs %d", r.Status)
	}
	if r := fresh.Get("/orgs"); r.Status != http.StatusOK {
		t.Fatalf("the new account is not signed in: /orgs %d", r.Status)
	}
	if n, _ := app.DB.CountUsers(ctx); n != users0+1 {
		t.Fatalf("users: %d, want %d (only the new address)", n, users0+1)
	}
	if u, _ := app.DB.UserByEmail(ctx, "taken@example.test"); u.Name != "Tara Taken" {
		t.Fatalf("the registered account changed: %+v", u)
	}
	m := app.SMTP.WaitFor(t, "taken@example.test", 10*time.Second)
	if !strings.Contains(m.Subject, "Someone tried to sign up with your address") || !strings.Contains(m.Text, app.URL+"/forgot") {
		t.Fatalf("owner mail: %q %s", m.Subject, m.Text)
	}
	confirmLink(t, app, "new@example.test")
}

// Inviting an address with an account answers the admin exactly as
// inviting a new address does; the account is not a member until it
// accepts, and its mail asks for that instead of announcing access.
func TestInviteExistingAccountAnswersAsNew(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	fx.app.CreateUser("known@example.test", "Kim Known", mfxPassword)
	owner := fx.clients["owner"]
	answer := func(email string) (string, string) {
		r := owner.Post(fx.url("/invite"), url.Values{"email": {email}, "role": {"agent"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("invite %s: %d %.300s", email, r.Status, r.Body)
		}
		page := owner.Follow(r)
		flash := page.Body[strings.Index(page.Body, `id="flashes"`):]
		flash = flash[strings.Index(flash, `class="alert-body">`)+len(`class="alert-body">`):]
		return r.Location, strings.ReplaceAll(flash[:strings.Index(flash, "<")], email, "ADDRESS")
	}
	locNew, msgNew := answer("stranger@example.test")
	locOld, msgOld := answer("known@example.test")
	if locNew != locOld || msgNew != msgOld || !strings.Contains(msgOld, "Invitation sent to ADDRESS") {
		t.Fatalf("answers differ:\nnew: %s %s\nexisting: %s %s", locNew, msgNew, locOld, msgOld)
	}
	u, _ := fx.app.DB.UserByEmail(context.Background(), "known@example.test")
	if _, err := fx.app.DB.MembershipOfUser(context.Background(), fx.acme.ID, u.ID); err == nil {
		t.Fatal("the existing account became a member without accepting")
	}
	if es := fx.audit("member.add"); len(es) != 0 {
		t.Fatalf("member.add audited: %+v", es)
	}
	m := fx.app.SMTP.WaitFor(t, "known@example.test", 10*time.Second)
	if strings.Contains(m.Subject, "You now have access") || !strings.Contains(m.Text, "Nothing changes until you accept") ||
		!strings.Contains(m.Text, fx.app.URL+"/orgs") {
		t.Fatalf("mail = %q %s", m.Subject, m.Text)
	}
	c := fx.app.LoginAs("known@example.test", mfxPassword)
	if r := c.Get("/o/acme"); r.Status != http.StatusNotFound {
		t.Fatalf("/o/acme before accepting: %d, want 404", r.Status)
	}
}

// Declining marks the invitation declined (audited) and frees its seat;
// another account's invitation id, or one that does not exist, is a 404
// for accept and decline alike (an invitation is bound to its address).
func TestInvitationDeclineAndOthersInvitations(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	ctx := context.Background()
	x := fx.app.CreateUser("x@example.test", "Xena", mfxPassword)
	y := fx.app.CreateUser("y@example.test", "Yann", mfxPassword)
	for _, u := range []domain.User{x, y} {
		if err := fx.app.DB.MarkVerified(ctx, u.ID, u.Email); err != nil {
			t.Fatal(err)
		}
	}
	id := fx.inviteID("x@example.test")
	seats0, _ := fx.app.DB.SeatUsage(ctx, fx.acme.ID)
	cy := fx.app.LoginAs("y@example.test", mfxPassword)
	if r := cy.Get("/orgs"); strings.Contains(r.Body, "/orgs/invitations/") {
		t.Fatal("y's /orgs lists x's invitation")
	}
	before := fx.snapshot()
	for _, path := range []string{
		fmt.Sprintf("/orgs/invitations/%d/accept", id), fmt.Sprintf("/orgs/invitations/%d/decline", id),
		"/orgs/invitations/999999/accept", "/orgs/invitations/999999/decline", "/orgs/invitations/abc/accept",
	} {
		if r := cy.Post(path, nil); r.Status != http.StatusNotFound {
			t.Errorf("y POST %s: %d, want 404", path, r.Status)
		}
		// The org admin is not the invited account either.
		if r := fx.clients["owner"].Post(path, nil); r.Status != http.StatusNotFound {
			t.Errorf("owner POST %s: %d, want 404", path, r.Status)
		}
	}
	if fx.snapshot() != before {
		t.Fatal("someone else's accept or decline changed the database")
	}

	cx := fx.app.LoginAs("x@example.test", mfxPassword)
	r := cx.Post(fmt.Sprintf("/orgs/invitations/%d/decline", id), nil)
	if r.Status != http.StatusSeeOther || r.Location != "/orgs" {
		t.Fatalf("decline: %d %q", r.Status, r.Location)
	}
	if page := cx.Follow(r); !strings.Contains(page.Body, "You declined the invitation to Acme Ltd") ||
		strings.Contains(page.Body, "/orgs/invitations/") {
		t.Fatalf("after decline: %.400s", between(page.Body, "flashes", 400))
	}
	if st, _ := fx.app.DB.SeatUsage(ctx, fx.acme.ID); st.Pending != seats0.Pending-1 {
		t.Fatalf("pending seats %d → %d, want one freed", seats0.Pending, st.Pending)
	}
	if es := fx.audit("invite.decline"); len(es) != 1 || es[0].ActorEmail != "x@example.test" {
		t.Fatalf("audit = %+v", es)
	}
	before = fx.snapshot()
	if r := cx.Post(fmt.Sprintf("/orgs/invitations/%d/accept", id), nil); r.Status != http.StatusConflict {
		t.Fatalf("accept after decline: %d", r.Status)
	}
	if _, err := fx.app.DB.MembershipOfUser(ctx, fx.acme.ID, x.ID); err == nil || fx.snapshot() != before {
		t.Fatal("a declined invitation was accepted")
	}
}

// The setup link makes exactly one instance admin; a second use is refused
// and creates nothing; a plain sign-up before it grants nothing.
func TestSetupLinkMakesOneInstanceAdmin(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	early := app.Client()
	early.SignUp("Early Bird", "early@example.test", cfPassword)
	link, err := web.NewSetupLink(ctx, app.DB, app.URL)
	if err != nil || !strings.HasPrefix(link, app.URL+"/setup?token=") {
		t.Fatalf("link %q %v", link, err)
	}
	path := strings.TrimPrefix(link, app.URL)
	token := strings.TrimPrefix(path, "/setup?token=")
	c := app.Client()
	if r := c.Get(path); r.Status != 200 || !strings.Contains(r.Body, `action="/setup"`) || !strings.Contains(r.Body, "Set up Gatehouse") {
		t.Fatalf("setup form: %d %.400s", r.Status, r.Body)
	}
	if r := c.Get("/setup?token=wrong"); r.Status != http.StatusNotFound {
		t.Fatalf("wrong token: %d", r.Status)
	}
	r := c.Post("/setup", url.Values{"token": {token}, "name": {"Ada Admin"}, "email": {"ada@example.test"}, "password": {cfPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/orgs" {
		t.Fatalf("setup: %d %q %.300s", r.Status, r.Location, r.Body)
	}
	if r := c.Get("/admin/outbox"); r.Status != 200 {
		t.Fatalf("the setup account cannot open the outbox: %d", r.Status)
	}
	if r := early.Get("/admin/outbox"); r.Status != http.StatusForbidden {
		t.Fatalf("the first sign-up is an admin: %d", r.Status)
	}
	users, _ := app.DB.CountUsers(ctx)
	second := app.Client()
	r = second.Post("/setup", url.Values{"token": {token}, "name": {"Mallory"}, "email": {"mallory@example.test"}, "password": {cfPassword}})
	if r.Status != http.StatusNotFound || !strings.Contains(r.Body, "invalid or was already used") {
		t.Fatalf("second use: %d %.300s", r.Status, r.Body)
	}
	if n, _ := app.DB.CountUsers(ctx); n != users {
		t.Fatalf("the refused second use created an account (%d → %d)", users, n)
	}
	var admins int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE is_instance_admin = 1`).Scan(&admins)
	})
	if admins != 1 {
		t.Fatalf("%d instance admins, want exactly 1", admins)
	}
	// With an admin, no new setup link is made.
	if link, err := web.NewSetupLink(ctx, app.DB, app.URL); err != nil || link != "" {
		t.Fatalf("second link: %q %v", link, err)
	}
}

// At most 20 sign-ups per IP address per 10 minutes: the 21st gets 429
// with a message on the form and creates nothing; registered addresses
// count too (probing them is what the limit slows).
func TestSignupRateLimitPerIP(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("taken@example.test", "Tara Taken", cfPassword)
	now := time.Now()
	app.Server.SignupLimiter().SetClock(func() time.Time { return now })
	for i := range 20 {
		email := fmt.Sprintf("user%d@example.test", i)
		if i%5 == 0 {
			email = "taken@example.test"
		}
		r := app.Client().Post("/signup", url.Values{"name": {"User"}, "email": {email}, "password": {cfPassword}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign-up %d: %d", i+1, r.Status)
		}
	}
	ctx := context.Background()
	users, _ := app.DB.CountUsers(ctx)
	r := app.Client().Post("/signup", url.Values{"name": {"One Too Many"}, "email": {"extra@example.test"}, "password": {cfPassword}})
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many sign-ups from your network") ||
		!strings.Contains(r.Body, `action="/signup"`) || retryAfter(r) == 0 {
		t.Fatalf("21st sign-up: %d, Retry-After %q %.300s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if n, _ := app.DB.CountUsers(ctx); n != users {
		t.Fatalf("the refused sign-up created an account")
	}
	now = now.Add(10*time.Minute + time.Second)
	if r := app.Client().Post("/signup", url.Values{"name": {"Later"}, "email": {"later@example.test"}, "password": {cfPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("after the window: %d", r.Status)
	}
}

// A confirmation link is bound to the address it was sent to: after the
// account moves to another address, the old link confirms nothing.
// "Resend" replaces the link (the old one dies).
func TestConfirmationLinkBoundAndResent(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	c := app.Client()
	c.SignUp("Ben Bound", "ben@example.test", cfPassword)
	first := confirmLink(t, app, "ben@example.test")
	r := c.Post("/verify/resend", nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("resend: %d", r.Status)
	}
	second := confirmLink(t, app, "ben@example.test")
	if first == second {
		t.Fatal("resend mailed the same link")
	}
	if r := app.Client().Get(first); r.Status != http.StatusNotFound {
		t.Fatalf("the replaced link: %d, want 404", r.Status)
	}
	// Move the account to another address (its own confirmed change).
	if r := c.Post("/me/profile/email", url.Values{"email": {"ben2@example.test"}, "password": {cfPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("email change: %d %.300s", r.Status, r.Body)
	}
	m := app.SMTP.WaitFor(t, "ben2@example.test", 10*time.Second)
	change := strings.TrimPrefix(testkit.FindLink(t, m.Text, app.URL+"/verify?token="), app.URL)
	if r := c.Get(change); r.Status != http.StatusSeeOther {
		t.Fatalf("change link: %d", r.Status)
	}
	if r := app.Client().Get(second); r.Status != http.StatusNotFound {
		t.Fatalf("the old address's link after the change: %d, want 404", r.Status)
	}
	u, _ := app.DB.UserByEmail(context.Background(), "ben2@example.test")
	if !u.Verified() {
		t.Fatal("the confirmed new address does not count as verified")
	}
	if m := app.SMTP.WaitFor(t, "ben@example.test", 10*time.Second); !strings.Contains(m.Text, "ben2@example.test") {
		t.Fatalf("old address mail: %q", m.Subject)
	}
}

// An email change to an address another account holds is refused without
// saying whose; if another account takes the address before the link is
// followed, following it changes nothing.
func TestEmailChangeToTakenAddress(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	ctx := context.Background()
	c := app.Client()
	c.SignUp("Cara Change", "cara@example.test", cfPassword)
	confirmLink(t, app, "cara@example.test")
	r := c.Post("/me/profile/email", url.Values{"email": {"later.taken@example.test"}, "password": {cfPassword}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d", r.Status)
	}
	m := app.SMTP.WaitFor(t, "later.taken@example.test", 10*time.Second)
	link := strings.TrimPrefix(testkit.FindLink(t, m.Text, app.URL+"/verify?token="), app.URL)
	app.CreateUser("later.taken@example.test", "Someone Else", cfPassword)
	if r := c.Get(link); r.Status != http.StatusConflict || !strings.Contains(r.Body, "used by another account") {
		t.Fatalf("link after the address was taken: %d", r.Status)
	}
	if u, _ := app.DB.UserByEmail(ctx, "cara@example.test"); u.ID == 0 {
		t.Fatal("the account lost its address")
	}
	r = c.Post("/me/profile/email", url.Values{"email": {"Later.Taken@example.test"}, "password": {cfPassword}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "You can&#39;t use this email address") ||
		strings.Contains(r.Body, "Someone Else") {
		t.Fatalf("change to a taken address: %d", r.Status)
	}
}

// Two concurrent accepts of one invitation from /orgs (two sessions of the
// invited, confirmed account) yield exactly one membership.
func TestConcurrentAcceptsFromOrgs(t *testing.T) {
	fx := newMembersFx(t)
	u := fx.app.CreateUser("twice@example.test", "Twice", mfxPassword)
	if err := fx.app.DB.MarkVerified(context.Background(), u.ID, u.Email); err != nil {
		t.Fatal(err)
	}
	id := fx.inviteID("twice@example.test")
	clients := []*testkit.Client{fx.app.LoginAs(u.Email, mfxPassword), fx.app.LoginAs(u.Email, mfxPassword)}
	for _, c := range clients {
		c.CSRF()
	}
	statuses, ok := acceptAtOnce(t, clients, fmt.Sprintf("/orgs/invitations/%d/accept", id))
	var n int
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ?`, u.ID).Scan(&n)
	})
	if ok != 1 || n != 1 {
		t.Fatalf("statuses %v, memberships %d; want one success and one membership", statuses, n)
	}
}
