package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const wzPassword = "wizard password 2025"

// wzUser creates an account and returns a client signed in as it.
func wzUser(t *testing.T, app *testkit.App, email string) (*testkit.Client, domain.User) {
	t.Helper()
	u := app.CreateUser(email, "User "+email, wzPassword)
	return app.LoginAs(email, wzPassword), u
}

func wzStep1(name string) url.Values { return url.Values{"step": {"1"}, "name": {name}} }

func wzStep2(slug string) url.Values {
	return url.Values{"step": {"2"}, "slug": {slug}, "country": {"DE"}, "city": {"Berlin"},
		"address": {"Hauptstraße 1"}, "vat_id": {"DE123456789"}}
}

func wzStep3(pkg string, products ...string) url.Values {
	return url.Values{"step": {"3"}, "package": {pkg}, "products": products}
}

func wzStep4(total string) url.Values {
	return url.Values{"step": {"4"}, "billing_name": {"Ada Billing"}, "billing_email": {"billing@acme.test"},
		"po_number": {"PO-42"}, "provider": {"invoice"}, "total": {total}}
}

// wzPost posts one step and requires the redirect to the next one.
func wzPost(t *testing.T, c *testkit.Client, form url.Values, wantLocation string) {
	t.Helper()
	r := c.Post("/orgs/new", form)
	if r.Status != http.StatusSeeOther || r.Location != wantLocation {
		t.Fatalf("POST step %s: %d Location %q, want 303 %q; body: %.800s", form.Get("step"), r.Status, r.Location, wantLocation, r.Body)
	}
}

// wzThroughStep3 completes steps 1–3 (team package with CRM: €119/month).
func wzThroughStep3(t *testing.T, c *testkit.Client, name, slug string) {
	t.Helper()
	wzPost(t, c, wzStep1(name), "/orgs/new?step=2")
	wzPost(t, c, wzStep2(slug), "/orgs/new?step=3")
	wzPost(t, c, wzStep3("team", "crm"), "/orgs/new?step=4")
}

func wzOrgExists(t *testing.T, app *testkit.App, slug string) bool {
	t.Helper()
	taken, err := app.DB.OrgSlugTaken(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return taken
}

func wzDraft(t *testing.T, app *testkit.App, userID int64) string {
	t.Helper()
	d, _, err := app.DB.OrgDraft(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWizardWholeWayWithoutJS(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	c, u := wzUser(t, app, "ada@example.com")

	r := c.Get("/orgs/new")
	if r.Status != 200 || !strings.Contains(r.Body, `class="steps"`) || !strings.Contains(r.Body, `aria-current="step"`) ||
		!strings.Contains(r.Body, `name="name"`) || !strings.Contains(r.Body, `hx-get="/orgs/new/check-name"`) ||
		!strings.Contains(r.Body, `hx-trigger="input changed delay:300ms"`) || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("step 1: %d %.1500s", r.Status, r.Body)
	}
	wzPost(t, c, wzStep1("  Café  Müller & Söhne "), "/orgs/new?step=2")

	// Step 2 suggests the subdomain from the name, accents stripped.
	r = c.Get("/orgs/new?step=2")
	if r.Status != 200 || !strings.Contains(r.Body, `value="cafe-muller-and-sohne"`) || !strings.Contains(r.Body, `name="country"`) {
		t.Fatalf("step 2: %d %.1500s", r.Status, r.Body)
	}
	wzPost(t, c, wzStep2("cafe-muller"), "/orgs/new?step=3")
	r = c.Get("/orgs/new?step=3")
	for _, want := range []string{`value="crm"`, `value="inbox"`, `value="finance"`, `value="medical"`, `value="starter"`,
		`value="team"`, `value="business"`, `href="/orgs/new/quote"`, "Always included"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("step 3 lacks %q", want)
		}
	}
	wzPost(t, c, wzStep3("team", "crm", "medical"), "/orgs/new?step=4")

	r = c.Get("/orgs/new?step=4")
	for _, want := range []string{"Café Müller &amp; Söhne", "cafe-muller.", "DE123456789", "Core, CRM, Medical",
		"Team · 25 seats", "€159 per month", `name="total" value="15900"`, `name="provider" value="invoice"`,
		`href="/orgs/new?step=1"`, `href="/orgs/new?step=2"`, `href="/orgs/new?step=3"`, "never asks for card details"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("step 4 lacks %q", want)
		}
	}
	for _, bad := range []string{"card_number", "cvv", `name="card`} {
		if strings.Contains(r.Body, bad) {
			t.Errorf("step 4 asks for card data: %q", bad)
		}
	}
	if wzOrgExists(t, app, "cafe-muller") {
		t.Fatal("organization exists before the last step")
	}

	r = c.Post("/orgs/new", wzStep4("15900"))
	if r.Status != http.StatusSeeOther || r.Location != "/o/cafe-muller" {
		t.Fatalf("finish: %d %q %.800s", r.Status, r.Location, r.Body)
	}
	dash := c.Follow(r)
	if dash.Status != 200 || !strings.Contains(dash.Body, "Welcome to Café Müller &amp; Söhne") ||
		!strings.Contains(dash.Body, `href="/o/cafe-muller/settings/organization"`) ||
		!strings.Contains(dash.Body, `href="/o/cafe-muller/customers`) || strings.Contains(dash.Body, `href="/o/cafe-muller/chats`) {
		t.Fatalf("dashboard: %d %.2000s", dash.Status, dash.Body)
	}

	ctx := context.Background()
	org := app.Org("cafe-muller")
	if org.Name != "Café Müller & Söhne" || org.Country != "DE" || org.City != "Berlin" || org.VATID != "DE123456789" ||
		org.Package != "team" || org.Seats != 25 || strings.Join(org.Products.Keys(), ",") != "crm,medical" ||
		org.BillingEmail != "billing@acme.test" || org.PONumber != "PO-42" {
		t.Errorf("org = %+v", org)
	}
	m, err := app.DB.MembershipOfUser(ctx, org.ID, u.ID)
	if err != nil || m.Role != access.RoleOwner || m.Status != domain.StatusActive {
		t.Errorf("owner membership = %+v, %v", m, err)
	}
	groups, _ := app.DB.Groups(ctx, org.ID)
	var gnames []string
	for _, g := range groups {
		gnames = append(gnames, g.Name)
	}
	for _, want := range []string{"Admin", "User", "Guest", "Sales Team", "Medical Staff"} {
		if !strings.Contains(strings.Join(gnames, "|"), want) {
			t.Errorf("groups %v lack %s", gnames, want)
		}
	}
	if strings.Contains(strings.Join(gnames, "|"), "Support Agents") {
		t.Errorf("group of an unselected product: %v", gnames)
	}
	audit, _ := app.DB.AuditLog(ctx, org.ID, store.AuditFilter{Action: "org.create"})
	if len(audit) != 1 || audit[0].ActorID != u.ID || !strings.Contains(audit[0].After, `"slug":"cafe-muller"`) ||
		!strings.Contains(audit[0].After, `"payment":"invoice"`) {
		t.Errorf("audit = %+v", audit)
	}
	if d := wzDraft(t, app, u.ID); d != "" {
		t.Errorf("draft left behind: %s", d)
	}
	mail := app.SMTP.WaitFor(t, "billing@acme.test", 5*time.Second)
	if !strings.Contains(mail.Text, "invoice") || !strings.Contains(mail.Text, "€159") {
		t.Errorf("billing mail: %s", mail.Text)
	}
	// The wizard starts afresh afterwards.
	if r := c.Get("/orgs/new"); !strings.Contains(r.Body, "Step 1 of 4") || strings.Contains(r.Body, `value="Café`) {
		t.Errorf("new wizard after finishing: %.600s", r.Body)
	}
}

func TestWizardWithHTMX(t *testing.T) {
	app := testkit.NewApp(t)
	c, _ := wzUser(t, app, "ada@example.com")

	r := c.PostHTMX("/orgs/new", wzStep1("Acme Ltd"))
	if r.Status != 200 || r.Header.Get("HX-Push-Url") != "/orgs/new?step=2" || !strings.Contains(r.Body, `id="wizard"`) ||
		!strings.Contains(r.Body, `value="acme-ltd"`) || strings.Contains(r.Body, "<html") {
		t.Fatalf("htmx step 1: %d push=%q %.800s", r.Status, r.Header.Get("HX-Push-Url"), r.Body)
	}
	// Errors: the same step, 422, message next to the field, no push.
	r = c.PostHTMX("/orgs/new", wzStep2("admin"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="org-slug-error"`) ||
		!strings.Contains(r.Body, "is reserved") || r.Header.Get("HX-Push-Url") != "" || strings.Contains(r.Body, "<html") {
		t.Fatalf("htmx step 2 error: %d %.800s", r.Status, r.Body)
	}
	// A step fetched by htmx is a fragment; restoring history after a cache miss gets the whole page.
	r = c.GetHTMX("/orgs/new?step=1")
	if r.Status != 200 || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `value="Acme Ltd"`) {
		t.Fatalf("htmx GET step 1: %.400s", r.Body)
	}
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/orgs/new?step=1", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-History-Restore-Request", "true")
	if r := c.Do(req); !strings.Contains(r.Body, "<html") {
		t.Fatalf("history restore got a fragment: %.300s", r.Body)
	}
	r = c.PostHTMX("/orgs/new", wzStep2("acme"))
	if r.Header.Get("HX-Push-Url") != "/orgs/new?step=3" {
		t.Fatalf("htmx step 2: %d %.400s", r.Status, r.Body)
	}
	r = c.PostHTMX("/orgs/new", wzStep3("starter"))
	if r.Header.Get("HX-Push-Url") != "/orgs/new?step=4" || !strings.Contains(r.Body, "€49 per month") {
		t.Fatalf("htmx step 3: %d %.400s", r.Status, r.Body)
	}
	r = c.PostHTMX("/orgs/new", wzStep4("4900"))
	if r.Status != 200 || r.Header.Get("HX-Redirect") != "/o/acme" {
		t.Fatalf("htmx finish: %d %q %.400s", r.Status, r.Header.Get("HX-Redirect"), r.Body)
	}
	if !wzOrgExists(t, app, "acme") {
		t.Fatal("no organization")
	}
}

// Every step's bad input gets a message next to its field, status 422, and
// changes nothing: no organization, the draft as it was.
func TestWizardValidation(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@example.com", "Owner", wzPassword)
	app.CreateOrg("Acme Ltd", "acme", nil, owner)
	c, u := wzUser(t, app, "ada@example.com")

	type tc struct {
		name     string
		form     url.Values
		field    string // id of the field's error element
		contains string
		absent   string
	}
	run := func(t *testing.T, cases []tc) {
		t.Helper()
		for _, k := range cases {
			before := wzDraft(t, app, u.ID)
			r := c.Post("/orgs/new", k.form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422; body %.600s", k.name, r.Status, r.Body)
				continue
			}
			if !strings.Contains(r.Body, `id="`+k.field+`-error"`) || !strings.Contains(r.Body, k.contains) {
				t.Errorf("%s: no message %q at %s; body %.3000s", k.name, k.contains, k.field, r.Body)
			}
			if k.absent != "" && strings.Contains(r.Body, k.absent) {
				t.Errorf("%s: body contains %q", k.name, k.absent)
			}
			if after := wzDraft(t, app, u.ID); after != before {
				t.Errorf("%s: draft changed from %s to %s", k.name, before, after)
			}
		}
	}

	run(t, []tc{
		{"empty name", wzStep1("  "), "org-name", "Enter the company name.", ""},
		{"too long", wzStep1(strings.Repeat("n", 101)), "org-name", "Use at most 100 characters.", ""},
		{"markup", wzStep1("<b>Acme</b>"), "org-name", "common punctuation only", ""},
		{"taken", wzStep1("acme ltd"), "org-name", "is already taken", ""},
		{"taken, spaces and accents", wzStep1("  ÁCME   LTD "), "org-name", "is already taken", ""},
	})
	wzPost(t, c, wzStep1("Globex"), "/orgs/new?step=2")

	bad := func(k, v string) url.Values { f := wzStep2("globex"); f.Set(k, v); return f }
	run(t, []tc{
		{"empty slug", bad("slug", ""), "org-slug", "Choose a subdomain.", ""},
		{"short slug", bad("slug", "ab"), "org-slug", "at least 3 characters", ""},
		{"long slug", bad("slug", strings.Repeat("a", 41)), "org-slug", "at most 40 characters", ""},
		{"reserved", bad("slug", "admin"), "org-slug", "“admin” is reserved", ""},
		{"reserved www", bad("slug", "www"), "org-slug", "is reserved", ""},
		{"characters", bad("slug", "glo_bex"), "org-slug", "lowercase letters a–z", ""},
		{"double hyphen", bad("slug", "glo--bex"), "org-slug", "two hyphens", ""},
		{"leading hyphen", bad("slug", "-globex"), "org-slug", "start or end with a hyphen", ""},
		{"slug taken", bad("slug", "acme"), "org-slug", "already taken. Try “acme-2”", ""},
		{"unknown country", bad("country", "ZZ"), "org-country", "Choose a country from the list.", ""},
		{"no country", bad("country", ""), "org-country", "Choose a country.", ""},
		{"no city", bad("city", ""), "org-city", "Enter the city.", ""},
		{"long address", bad("address", strings.Repeat("a", 201)), "org-address", "at most 200", ""},
		{"VAT of another country", bad("vat_id", "FR12345678901"), "org-vat", "looks like a VAT id of France. For Germany it is DE followed by 9 digits", ""},
		{"VAT malformed", bad("vat_id", "DE12345"), "org-vat", "not a valid VAT id for Germany", ""},
		{"VAT missing", bad("vat_id", ""), "org-vat", "tick “No VAT id”", ""},
		{"card number anywhere", bad("address", "4111 1111 1111 1111"), "wizard", "never accepts card numbers", "4111 1111"},
	})
	noVAT := wzStep2("globex")
	noVAT.Set("vat_id", "")
	noVAT.Set("no_vat", "1")
	wzPost(t, c, noVAT, "/orgs/new?step=3")

	run(t, []tc{
		{"unknown product", wzStep3("team", "crm", "spaceships"), "products", "“spaceships” is not a product we offer", ""},
		{"no package", wzStep3(""), "package", "Choose a package.", ""},
		{"unknown package", wzStep3("enterprise"), "package", "Choose one of the packages offered.", ""},
		{"custom package", wzStep3("custom"), "package", "Contact sales", ""},
	})
	wzPost(t, c, wzStep3("starter", "inbox"), "/orgs/new?step=4")

	f4 := func(k, v string) url.Values { f := wzStep4("7900"); f.Set(k, v); return f }
	run(t, []tc{
		{"price tampered", f4("total", "100"), "total", "does not match the price of your choices (€79 per month)", ""},
		{"price missing", f4("total", ""), "total", "does not match", ""},
		{"provider tampered", f4("provider", "card"), "payment", "Choose a payment method we offer", ""},
		{"no billing name", f4("billing_name", ""), "billing-name", "Enter the billing contact", ""},
		{"bad billing email", f4("billing_email", "nope"), "billing-email", "valid email address", ""},
		{"card in PO number", f4("po_number", "4111111111111111"), "wizard", "never accepts card numbers", "4111111111111111"},
		{"card field", f4("card_number", "1234"), "wizard", "never accepts card numbers", ""},
	})
	if wzOrgExists(t, app, "globex") {
		t.Fatal("an invalid last step created the organization")
	}
	if d := wzDraft(t, app, u.ID); strings.Contains(d, "4111") {
		t.Fatalf("card data stored in the draft: %s", d)
	}
	// And the honest submission still works.
	r := c.Post("/orgs/new", wzStep4("7900"))
	if r.Status != http.StatusSeeOther || r.Location != "/o/globex" {
		t.Fatalf("finish: %d %q %.600s", r.Status, r.Location, r.Body)
	}
}

func TestWizardStepsCannotBeSkipped(t *testing.T) {
	app := testkit.NewApp(t)
	c, u := wzUser(t, app, "ada@example.com")
	for _, q := range []string{"?step=2", "?step=3", "?step=4", "?step=0", "?step=9", "?step=abc"} {
		if r := c.Get("/orgs/new" + q); r.Status != http.StatusSeeOther || r.Location != "/orgs/new?step=1" {
			t.Errorf("GET %s: %d %q", q, r.Status, r.Location)
		}
	}
	wzPost(t, c, wzStep1("Acme"), "/orgs/new?step=2")
	for _, q := range []string{"?step=3", "?step=4"} {
		if r := c.Get("/orgs/new" + q); r.Status != http.StatusSeeOther || r.Location != "/orgs/new?step=2" {
			t.Errorf("GET %s after step 1: %d %q", q, r.Status, r.Location)
		}
	}
	// Posting a later step (hand-made form) is refused the same way and saves nothing.
	before := wzDraft(t, app, u.ID)
	if r := c.Post("/orgs/new", wzStep3("team")); r.Status != http.StatusSeeOther || r.Location != "/orgs/new?step=2" {
		t.Errorf("POST step 3 early: %d %q", r.Status, r.Location)
	}
	if r := c.Post("/orgs/new", wzStep4("9900")); r.Status != http.StatusSeeOther || wzOrgExists(t, app, "acme") {
		t.Errorf("POST step 4 early: %d", r.Status)
	}
	if after := wzDraft(t, app, u.ID); after != before {
		t.Errorf("draft changed: %s → %s", before, after)
	}
	// Going back is always allowed, and /orgs/new resumes where the user left.
	if r := c.Get("/orgs/new?step=1"); r.Status != 200 || !strings.Contains(r.Body, `value="Acme"`) {
		t.Errorf("back to step 1: %d", r.Status)
	}
	if r := c.Get("/orgs/new"); r.Status != 200 || !strings.Contains(r.Body, "Step 2 of 4") {
		t.Errorf("resume: %.300s", r.Body)
	}
}

// The draft lives on the server: another session (a new tab, another
// browser) of the same user sees it; another user does not.
func TestWizardDraftSurvivesSessions(t *testing.T) {
	app := testkit.NewApp(t)
	c, _ := wzUser(t, app, "ada@example.com")
	wzPost(t, c, wzStep1("Acme"), "/orgs/new?step=2")
	wzPost(t, c, wzStep2("acme-hq"), "/orgs/new?step=3")

	other := app.LoginAs("ada@example.com", wzPassword)
	r := other.Get("/orgs/new")
	if r.Status != 200 || !strings.Contains(r.Body, "Step 3 of 4") {
		t.Fatalf("second session: %.400s", r.Body)
	}
	if r := other.Get("/orgs/new?step=2"); !strings.Contains(r.Body, `value="acme-hq"`) || !strings.Contains(r.Body, `value="Berlin"`) ||
		!strings.Contains(r.Body, `value="DE" selected`) {
		t.Fatalf("step 2 in second session: %.3000s", r.Body)
	}
	stranger, _ := wzUser(t, app, "bob@example.com")
	if r := stranger.Get("/orgs/new"); !strings.Contains(r.Body, "Step 1 of 4") || strings.Contains(r.Body, "acme-hq") {
		t.Fatalf("another user sees the draft: %.400s", r.Body)
	}

	// Renaming keeps a chosen subdomain; a suggested one follows the name.
	wzPost(t, c, wzStep1("Acme Renamed"), "/orgs/new?step=2")
	if r := c.Get("/orgs/new?step=2"); !strings.Contains(r.Body, `value="acme-hq"`) {
		t.Errorf("chosen subdomain lost on rename")
	}

	// Discarding deletes the draft and creates nothing.
	if r := c.Post("/orgs/new/discard", nil); r.Status != http.StatusSeeOther || r.Location != "/orgs" {
		t.Fatalf("discard: %d %q", r.Status, r.Location)
	}
	if r := other.Get("/orgs/new"); !strings.Contains(r.Body, "Step 1 of 4") || strings.Contains(r.Body, `value="Acme`) {
		t.Errorf("draft survived discard: %.400s", r.Body)
	}
}

func TestWizardLiveChecks(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@example.com", "Owner", wzPassword)
	app.CreateOrg("Acme Ltd", "acme", nil, owner)
	c, _ := wzUser(t, app, "ada@example.com")

	testkit.Run(t, app, map[string]*testkit.Client{"ada": c}, []testkit.Scenario{
		{Name: "name available", Actor: "ada", Path: "/orgs/new/check-name?name=Globex", HTMX: true, Status: 200,
			Contains: []string{`id="name-status"`, "field-status--ok", "✓ available"}, NotContains: []string{"<html", "taken"}},
		{Name: "name taken, other case, accents and spacing", Actor: "ada", Path: "/orgs/new/check-name?name=" + url.QueryEscape("  acmé   LTD"), HTMX: true, Status: 200,
			Contains: []string{"field-status--bad", "Taken"}, NotContains: []string{"available"}},
		{Name: "name rule", Actor: "ada", Path: "/orgs/new/check-name?name=A", HTMX: true, Status: 200,
			Contains: []string{"field-status--bad", "at least 2 characters"}},
		{Name: "name empty says nothing", Actor: "ada", Path: "/orgs/new/check-name?name=", HTMX: true, Status: 200,
			NotContains: []string{"available", "Taken", "Enter"}},
		{Name: "slug available", Actor: "ada", Path: "/orgs/new/check-slug?slug=globex", HTMX: true, Status: 200,
			Contains: []string{`id="slug-status"`, "✓ available: ", "/o/globex"}},
		{Name: "slug taken with alternative", Actor: "ada", Path: "/orgs/new/check-slug?slug=ACME", HTMX: true, Status: 200,
			Contains: []string{"field-status--bad", "already taken", "acme-2"}, NotContains: []string{"available"}},
		{Name: "slug reserved", Actor: "ada", Path: "/orgs/new/check-slug?slug=admin", HTMX: true, Status: 200,
			Contains: []string{"“admin” is reserved"}},
		{Name: "slug rule", Actor: "ada", Path: "/orgs/new/check-slug?slug=a--b", HTMX: true, Status: 200,
			Contains: []string{"two hyphens"}},
		{Name: "signed out", Path: "/orgs/new/check-name?name=Acme", Status: http.StatusSeeOther, Location: "/login"},
		{Name: "wizard signed out", Path: "/orgs/new", Status: http.StatusSeeOther, Location: "/login?next=%2Forgs%2Fnew"},
	})
}

// A name or subdomain taken between the user's step and the finish sends
// the user back to that step with the reason next to the field.
func TestWizardConflictAtFinish(t *testing.T) {
	app := testkit.NewApp(t)
	other := app.CreateUser("other@example.com", "Other", wzPassword)
	c, u := wzUser(t, app, "ada@example.com")
	wzThroughStep3(t, c, "Acme Ltd", "acme")

	app.CreateOrg("ACME  ltd", "elsewhere", nil, other)
	r := c.Post("/orgs/new", wzStep4("11900"))
	if r.Status != http.StatusSeeOther || r.Location != "/orgs/new?step=1" {
		t.Fatalf("finish after name taken: %d %q", r.Status, r.Location)
	}
	page := c.Follow(r)
	if !strings.Contains(page.Body, `id="org-name-error"`) || !strings.Contains(page.Body, "“Acme Ltd” is already taken") {
		t.Fatalf("step 1 after conflict: %.3000s", page.Body)
	}
	if wzOrgExists(t, app, "acme") || wzDraft(t, app, u.ID) == "" {
		t.Fatal("conflict created the organization or lost the draft")
	}
	// Fix the name; the rest of the draft (and billing) is still there.
	wzPost(t, c, wzStep1("Acme Two"), "/orgs/new?step=2")
	if r := c.Get("/orgs/new"); !strings.Contains(r.Body, "Step 4 of 4") || !strings.Contains(r.Body, `value="PO-42"`) {
		t.Fatalf("resume after fix: %s", r.Body[strings.Index(r.Body, `id="step-review"`):])
	}

	// Same for the subdomain, via htmx this time.
	app.CreateOrg("Acme Subdomain Thief", "acme", nil, other)
	r = c.PostHTMX("/orgs/new", wzStep4("11900"))
	if r.Status != http.StatusUnprocessableEntity || r.Header.Get("HX-Push-Url") != "/orgs/new?step=2" ||
		!strings.Contains(r.Body, `id="org-slug-error"`) || !strings.Contains(r.Body, "already taken") {
		t.Fatalf("htmx finish after slug taken: %d %q %.2000s", r.Status, r.Header.Get("HX-Push-Url"), r.Body)
	}
	if orgs, _ := app.DB.OrgsOfUser(context.Background(), u.ID); len(orgs) != 0 {
		t.Fatalf("user got organizations: %+v", orgs)
	}
}

// Two users finish the same name at the same moment: the unique index
// decides, exactly one organization exists, the other user is sent back.
func TestWizardConcurrentSameName(t *testing.T) {
	app := testkit.NewApp(t)
	var clients []*testkit.Client
	var users []domain.User
	for i, email := range []string{"ada@example.com", "bob@example.com", "cyd@example.com", "dan@example.com"} {
		c, u := wzUser(t, app, email)
		wzThroughStep3(t, c, "Racing Co", "racing-"+string(rune('a'+i)))
		clients, users = append(clients, c), append(users, u)
	}
	results := testkit.AtOnce(len(clients), func(i int) *testkit.Response { return clients[i].Post("/orgs/new", wzStep4("11900")) })

	winners := 0
	for i, r := range results {
		switch {
		case r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/o/racing-"):
			winners++
		case r.Status == http.StatusSeeOther && r.Location == "/orgs/new?step=1":
			if page := clients[i].Follow(r); !strings.Contains(page.Body, "“Racing Co” is already taken") {
				t.Errorf("loser %d sees no reason: %.1500s", i, page.Body)
			}
			if wzDraft(t, app, users[i].ID) == "" {
				t.Errorf("loser %d lost the draft", i)
			}
		default:
			t.Errorf("result %d: %d %q %.300s", i, r.Status, r.Location, r.Body)
		}
	}
	created := 0
	for i := range clients {
		if wzOrgExists(t, app, "racing-"+string(rune('a'+i))) {
			created++
		}
	}
	if winners != 1 || created != 1 {
		t.Fatalf("winners %d, organizations %d; want exactly one", winners, created)
	}
}

func TestQuoteRequest(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithSMTP())
	root := app.CreateUser("root@example.com", "Root", wzPassword)
	second := app.CreateUser("ops@example.com", "Ops", wzPassword)
	app.Tx(func(ctx context.Context, tx *store.Tx) error { // two instance admins
		_, err := tx.Exec(ctx, `UPDATE users SET is_instance_admin = 1 WHERE id IN (?, ?)`, root.ID, second.ID)
		return err
	})
	c, u := wzUser(t, app, "ada@example.com")
	wzPost(t, c, wzStep1("Megacorp"), "/orgs/new?step=2")

	r := c.Get("/orgs/new/quote")
	if r.Status != 200 || !strings.Contains(r.Body, `value="Megacorp"`) || !strings.Contains(r.Body, `name="seats"`) {
		t.Fatalf("quote form: %d %.800s", r.Status, r.Body)
	}
	r = c.Post("/orgs/new/quote", url.Values{"company": {"Megacorp"}, "seats": {"lots"}, "message": {"hi"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="quote-seats-error"`) || !strings.Contains(r.Body, "whole number") {
		t.Fatalf("bad seats: %d %.800s", r.Status, r.Body)
	}
	if qs, _ := app.DB.QuoteRequests(context.Background(), 10); len(qs) != 0 {
		t.Fatalf("invalid request stored: %+v", qs)
	}
	r = c.Post("/orgs/new/quote", url.Values{"company": {"Megacorp"}, "seats": {"750"}, "message": {"We need SSO."}})
	if r.Status != http.StatusSeeOther || r.Location != "/orgs/new/quote?sent=1" {
		t.Fatalf("send: %d %q %.500s", r.Status, r.Location, r.Body)
	}
	page := c.Follow(r)
	if !strings.Contains(page.Body, "What happens next") || !strings.Contains(page.Body, "ada@example.com") {
		t.Fatalf("sent page: %.1000s", page.Body)
	}
	qs, _ := app.DB.QuoteRequests(context.Background(), 10)
	if len(qs) != 1 || qs[0].Company != "Megacorp" || qs[0].Seats != 750 || qs[0].UserID != u.ID || qs[0].Message != "We need SSO." {
		t.Fatalf("stored: %+v", qs)
	}
	for _, admin := range []string{"root@example.com", "ops@example.com"} {
		m := app.SMTP.WaitFor(t, admin, 5*time.Second)
		if !strings.Contains(m.Subject, "Megacorp") || !strings.Contains(m.Text, "750") || !strings.Contains(m.Text, "ada@example.com") ||
			!strings.Contains(m.Text, "We need SSO.") {
			t.Errorf("mail to %s: %q %s", admin, m.Subject, m.Text)
		}
	}
	for _, m := range app.SMTP.Messages() {
		for _, to := range m.To {
			if to == "ada@example.com" {
				t.Errorf("the requester got the admin mail")
			}
		}
	}
	// The draft is untouched; nothing was created.
	if r := c.Get("/orgs/new"); !strings.Contains(r.Body, "Step 2 of 4") {
		t.Errorf("draft after quote: %.300s", r.Body)
	}
}

// /orgs and the top-bar switcher: suspended memberships are marked and
// never linked; the others link to their dashboards.
func TestOrgsListAndSwitcher(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@example.com", "Owner", wzPassword)
	acme := app.CreateOrg("Acme", "acme", nil, owner)
	globex := app.CreateOrg("Globex", "globex", nil, owner)
	c, u := wzUser(t, app, "ada@example.com")
	app.AddMember(acme, u, access.RoleAgent)
	m := app.AddMember(globex, u, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, globex.ID, m.ID, domain.StatusSuspended)
	})

	for _, path := range []string{"/orgs", "/o/acme"} {
		r := c.Get(path)
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		if !strings.Contains(r.Body, `href="/o/acme"`) || strings.Contains(r.Body, `href="/o/globex"`) ||
			!strings.Contains(r.Body, "Globex") || !strings.Contains(r.Body, "Suspended") || !strings.Contains(r.Body, `href="/orgs/new"`) {
			t.Errorf("%s: switcher/list wrong: %.4000s", path, r.Body)
		}
	}
	if r := c.Get("/o/globex"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "suspended") {
		t.Errorf("suspended org: %d", r.Status)
	}
}
