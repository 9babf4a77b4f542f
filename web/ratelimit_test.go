package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/testkit"
)

// An account creates at most 10 organizations an hour through the wizard:
// the 11th final confirmation is refused with 429 and a message, creates
// nothing and keeps the draft; another account is not affected; an hour
// later it goes through.
func TestOrganizationCreationIsLimitedPerAccount(t *testing.T) {
	app := testkit.NewApp(t)
	c, u := wzUser(t, app, "maker@rate.test")
	for i := 1; i <= 10; i++ {
		wzThroughStep3(t, c, fmt.Sprintf("Rate Org %d", i), fmt.Sprintf("rate-%d", i))
		if r := c.Post("/orgs/new", wzStep4("11900")); r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/o/rate-%d", i) {
			t.Fatalf("organization %d: %d %q; body %.500s", i, r.Status, r.Location, r.Body)
		}
	}
	wzThroughStep3(t, c, "Rate Org 11", "rate-11")
	r := c.Post("/orgs/new", wzStep4("11900"))
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "You have created 10 organizations in the last hour") ||
		!strings.Contains(r.Body, "Wait 60 minutes") {
		t.Fatalf("11th organization: %d; body %.1500s", r.Status, r.Body)
	}
	if s := retryAfter(r); s < 3500 || s > 3600 {
		t.Fatalf("11th organization: Retry-After %q, want about an hour", r.Header.Get("Retry-After"))
	}
	if wzOrgExists(t, app, "rate-11") {
		t.Fatal("the refused 11th organization was created")
	}
	if d := wzDraft(t, app, u.ID); !strings.Contains(d, "rate-11") {
		t.Fatalf("the draft was lost: %q", d)
	}
	// The same refusal for htmx, as a swapped panel.
	if r := c.PostHTMX("/orgs/new", wzStep4("11900")); r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "in the last hour") {
		t.Fatalf("htmx 11th: %d %.500s", r.Status, r.Body)
	}

	// Another account has its own allowance.
	other, _ := wzUser(t, app, "other@rate.test")
	wzThroughStep3(t, other, "Other Org", "other-org")
	if r := other.Post("/orgs/new", wzStep4("11900")); r.Status != http.StatusSeeOther {
		t.Fatalf("another account: %d", r.Status)
	}

	// A refused or failed attempt does not use up a slot; an hour later the
	// window has moved on.
	orgs, _ := app.Server.CreationLimits()
	orgs.SetClock(func() time.Time { return time.Now().Add(time.Hour + time.Minute) })
	if r := c.Post("/orgs/new", wzStep4("11900")); r.Status != http.StatusSeeOther || r.Location != "/o/rate-11" {
		t.Fatalf("an hour later: %d %q", r.Status, r.Location)
	}
}

// An invalid final step (a wrong total) does not count against the limit.
func TestOrganizationLimitCountsOnlyCreations(t *testing.T) {
	app := testkit.NewApp(t)
	c, _ := wzUser(t, app, "careful@rate.test")
	wzThroughStep3(t, c, "Careful Org", "careful")
	for range 12 {
		if r := c.Post("/orgs/new", wzStep4("1")); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong total: %d", r.Status)
		}
	}
	if r := c.Post("/orgs/new", wzStep4("11900")); r.Status != http.StatusSeeOther {
		t.Fatalf("after 12 invalid confirmations: %d %.500s", r.Status, r.Body)
	}
}

// At most 10 quote requests per account an hour: the 11th is refused with
// 429 and a message, nothing stored and no mail sent.
func TestQuoteRequestsAreLimitedPerAccount(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("root@rate.test", "Root", wzPassword)
	c, _ := wzUser(t, app, "buyer@rate.test")
	ctx := context.Background()
	quote := func(cl *testkit.Client, i int) *testkit.Response {
		return cl.Post("/orgs/new/quote", url.Values{"company": {fmt.Sprintf("Bulk %d", i)}, "seats": {"500"}, "message": {"hi"}})
	}
	for i := 1; i <= 10; i++ {
		if r := quote(c, i); r.Status != http.StatusSeeOther {
			t.Fatalf("quote %d: %d %.300s", i, r.Status, r.Body)
		}
	}
	app.Server.Wait() // the admin mails of the 10
	mailsBefore, _ := app.DB.Outbox(ctx, 1000)
	r := quote(c, 11)
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "You have sent 10 quote requests in the last hour") {
		t.Fatalf("11th quote: %d %.1000s", r.Status, r.Body)
	}
	if s := retryAfter(r); s < 3500 || s > 3600 {
		t.Fatalf("11th quote: Retry-After %q, want about an hour", r.Header.Get("Retry-After"))
	}
	if r := c.PostHTMX("/orgs/new/quote", url.Values{"company": {"Bulk 12"}, "seats": {"500"}}); r.Status != http.StatusTooManyRequests ||
		!strings.Contains(r.Body, "quote requests in the last hour") {
		t.Fatalf("htmx 12th quote: %d %.500s", r.Status, r.Body)
	}
	app.Server.Wait()
	if qs, _ := app.DB.QuoteRequests(ctx, 100); len(qs) != 10 {
		t.Fatalf("%d quote requests stored, want 10", len(qs))
	}
	if mails, _ := app.DB.Outbox(ctx, 1000); len(mails) != len(mailsBefore) {
		t.Fatalf("refused requests sent %d mails", len(mails)-len(mailsBefore))
	}
	// Another account is not affected; an hour later this one may again.
	other, _ := wzUser(t, app, "other@rate.test")
	if r := quote(other, 1); r.Status != http.StatusSeeOther {
		t.Fatalf("another account: %d", r.Status)
	}
	_, quotes := app.Server.CreationLimits()
	quotes.SetClock(func() time.Time { return time.Now().Add(time.Hour + time.Minute) })
	if r := quote(c, 13); r.Status != http.StatusSeeOther {
		t.Fatalf("an hour later: %d", r.Status)
	}
}
