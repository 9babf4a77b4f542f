package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// waitTrue polls the JavaScript expression until it is true (10 s).
func waitTrue(t *testing.T, b *testkit.Browser, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		b.Eval(`!!(`+expr+`)`, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s never became true (at %s)", what, expr, b.Location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The members search box shows the URL's search after every step: typing
// swaps the results and pushes the URL, Back and Forward restore earlier
// results with their words in the box (htmx restores a snapshot whose box
// holds the value the page was first rendered with), and a sort link keeps
// it. Needs the data-sync-url listener of static/js/app.js.
func TestMembersSearchFollowsURLInBrowser(t *testing.T) {
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.AdminEmail, demo.Password)
	b.Navigate(app.URL + "/o/acme/settings/members")
	box := `document.querySelector('#members-q')`
	b.Fill(`#members-q`, "agent")
	waitTrue(t, b, "search agent", `new URLSearchParams(location.search).get('q') === 'agent'`)
	b.WaitText(`#members-results`, demo.AgentEmail)
	b.Fill(`#members-q`, "supervisor")
	waitTrue(t, b, "search supervisor", `new URLSearchParams(location.search).get('q') === 'supervisor'`)
	b.WaitText(`#members-results`, demo.SupervisorEmail)

	b.Eval(`history.back(), true`, nil)
	waitTrue(t, b, "back to agent", `new URLSearchParams(location.search).get('q') === 'agent'`)
	b.WaitText(`#members-results`, demo.AgentEmail)
	waitTrue(t, b, "the box after Back", box+`.value === 'agent'`)
	b.Eval(`history.back(), true`, nil)
	waitTrue(t, b, "back to the list", `!location.search.includes('q=')`)
	waitTrue(t, b, "the box on the unfiltered list", box+`.value === ''`)
	b.Eval(`history.forward(), true`, nil)
	waitTrue(t, b, "forward to agent", `new URLSearchParams(location.search).get('q') === 'agent'`)
	waitTrue(t, b, "the box after Forward", box+`.value === 'agent'`)

	// A sort link (in the swapped results) keeps the search, box included.
	b.Click(`#members-results th a[href*="sort=role"]`)
	waitTrue(t, b, "sorted by role", `new URLSearchParams(location.search).get('sort') === 'role'`)
	waitTrue(t, b, "the box after sorting", box+`.value === 'agent' && document.querySelector('#members-sort').value === 'role'`)
}

// The bulk bar from the browser: two rows ticked (their boxes belong to
// form="members-bulk"), Suspend chosen, Preview says what the two lose,
// Apply swaps in the results with the outcome beside the bar, the two rows
// suspended and the third untouched.
func TestMembersBulkSuspendInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, app.CreateUser("owner@acme.test", "Olivia Owner", pw))
	ann := app.Join(org, "ann@acme.test", "Ann Agent", pw, access.RoleAgent)
	bob := app.Join(org, "bob@acme.test", "Bob Agent", pw, access.RoleAgent)
	cat := app.Join(org, "cat@acme.test", "Cat Agent", pw, access.RoleAgent)
	b := testkit.NewBrowser(t)
	login(t, b, app, "owner@acme.test", pw)
	b.Navigate(app.URL + "/o/acme/settings/members")
	row := func(m domain.Membership) string { return `tr[data-member-id="` + strconv.FormatInt(m.ID, 10) + `"]` }
	b.Click(row(ann) + ` input[name=ids]`)
	b.Click(row(bob) + ` input[name=ids]`)
	b.Eval(`(function () { var s = document.querySelector('#members-bulk-action'); s.value = 'suspend';
		s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, nil)
	b.Click(`#members-bulk button[hx-post$="/bulk/preview"]`)
	preview := b.WaitText(`#members-bulk-preview`, "2 lose")
	if strings.Contains(preview, "3 lose") {
		t.Fatalf("the preview counts the unticked row: %q", preview)
	}
	b.Click(`#members-bulk button[type=submit]`)
	b.WaitText(`#members-bulk-result`, "Suspended 2 members.")
	b.WaitText(`#seat-usage`, "2 active members · 2 suspended members")
	for m, want := range map[domain.Membership]string{ann: "Suspended", bob: "Suspended", cat: "Active"} {
		if got := b.Text(row(m) + ` td[data-label=Status]`); !strings.Contains(got, want) {
			t.Errorf("row of %d shows %q, want %q", m.ID, got, want)
		}
	}
	status := func(m domain.Membership) string {
		got, err := app.DB.Membership(context.Background(), org.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if status(ann) != domain.StatusSuspended || status(bob) != domain.StatusSuspended || status(cat) != domain.StatusActive {
		t.Fatalf("statuses %s %s %s", status(ann), status(bob), status(cat))
	}
}

// The team page's add form previews the member typed: the supervisor
// (team scope on Customers) would see the Americas' customers, said in the
// panel before Add member is pressed; nothing is written by it.
func TestTeamAddPreviewInBrowser(t *testing.T) {
	app := testkit.NewDemoApp(t)
	var teamID int64
	var before int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM teams WHERE name = ?`, demo.TeamAmericas).Scan(&teamID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ?`, teamID).Scan(&before)
	})
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.AdminEmail, demo.Password)
	b.Navigate(fmt.Sprintf("%s/o/%s/settings/service_teams/%d", app.URL, demo.OrgSlug, teamID))
	b.WaitText(`#team-preview`, "Type a member's address")
	b.Fill(`#team-member-email`, demo.SupervisorEmail)
	b.Eval(`document.querySelector('#team-member-email').dispatchEvent(new Event('change', {bubbles: true})), true`, nil)
	got := b.WaitText(`#team-preview`, "more customers (team scope on Customers)")
	if !strings.Contains(got, "will see") {
		t.Fatalf("panel: %q", got)
	}
	var after int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ?`, teamID).Scan(&after)
	})
	if after != before {
		t.Fatalf("the preview wrote: %d team members, were %d", after, before)
	}
}

// At 1280 px the members table fits its card: no sideways scrolling inside
// it (the page-level check of TestPhoneLayoutEveryPage lets a table scroll
// in its wrapper), with the checkbox column and every column shown, the
// owner's view (bulk bar, Teams) included.
func TestMembersTableFitsAt1280(t *testing.T) {
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	b.SetViewport(1280, 800, false)
	b.Navigate(app.URL + "/o/acme/settings/members")
	var m struct {
		Scroll, Client int
		Cols           []string
	}
	b.Eval(`(() => { const w = document.querySelector('#members-results .table-wrap');
		return {Scroll: w.scrollWidth, Client: w.clientWidth,
			Cols: [...w.querySelectorAll('thead th')].map(th => (th.innerText || th.className) + ':' + Math.round(th.getBoundingClientRect().width))} })()`, &m)
	if m.Scroll > m.Client+1 {
		t.Errorf("the members table scrolls at 1280 px: %d wide in %d (columns %v)", m.Scroll, m.Client, m.Cols)
	}
	if len(m.Cols) < 7 {
		t.Errorf("columns %v: want select, member, role, groups, teams, status, last active", m.Cols)
	}
}

// Pending invitations resent in bulk from the browser: two ticked, the
// preview says what happens, Resend selected asks first and answers in the
// section (htmx) with the count; an expired one is renewed. At 390 px the
// page with the bar and the extra column stays within the screen.
func TestInvitesBulkResendInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, app.CreateUser("owner@acme.test", "Olivia Owner", pw))
	owner := app.LoginAs("owner@acme.test", pw)
	for _, email := range []string{"one@example.com", "two@example.com", "three@example.com"} {
		if r := owner.Post("/o/acme/settings/members/invite", url.Values{"email": {email}, "role": {"agent"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("invite %s: %d", email, r.Status)
		}
	}
	ids := map[string]int64{}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE invites SET expires_at = ? WHERE email = 'two@example.com'`, tx.Now()-60); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT email, id FROM invites WHERE org_id = ?`, org.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e string
			var id int64
			if err := rows.Scan(&e, &id); err != nil {
				return err
			}
			ids[e] = id
		}
		return rows.Err()
	})
	b := testkit.NewBrowser(t)
	dialogs := acceptDialogs(b)
	login(t, b, app, "owner@acme.test", pw)
	b.Navigate(app.URL + "/o/acme/settings/members")
	box := func(email string) string {
		return fmt.Sprintf(`#invites tr[data-invite-id="%d"] input[name=ids]`, ids[email])
	}
	b.Click(box("one@example.com"))
	b.Click(box("two@example.com"))
	b.Click(`#invites-bulk button[hx-post$="/invites/resend/preview"]`)
	got := b.WaitText(`#invites-bulk-preview`, "2 invitations will be resent")
	if !strings.Contains(got, "1 expired invitation is renewed") {
		t.Errorf("preview: %q", got)
	}
	b.Click(`#invites-bulk button[type=submit]`)
	b.WaitText(`#invites`, "Resent 2 invitations")
	if dir := os.Getenv("GATEHOUSE_SHOTS"); dir != "" {
		b.Screenshot(dir + "/invites-resent.png")
	}
	if d := dialogs(); len(d) != 1 || !strings.Contains(d[0], "new links") {
		t.Errorf("confirm dialogs %q", d)
	}
	var resends int
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'invite.resend'`).Scan(&resends)
	})
	if resends != 2 {
		t.Fatalf("%d resends audited, want 2", resends)
	}

	b.SetViewport(390, 844, true)
	b.Navigate(app.URL + "/o/acme/settings/members")
	var rep overflowReport
	b.Eval(fmt.Sprintf(overflowJS, 390), &rep)
	if dir := os.Getenv("GATEHOUSE_SHOTS"); dir != "" {
		b.Screenshot(dir + "/phone-invites.png")
	}
	if rep.ScrollWidth > 390 || rep.Worst != "" {
		t.Errorf("members page at 390 px: scrollWidth %d, sticking out: %s", rep.ScrollWidth, rep.Worst)
	}
}
