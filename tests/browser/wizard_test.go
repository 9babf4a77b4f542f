package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// Wizard selectors: each step's form has its own id, so waiting for one
// means the step really was swapped in.
const (
	wzCompany = `#step-company`
	wzDetails = `#step-details`
	wzPlan    = `#step-plan`
	wzReview  = `#step-review`
	wzNext    = ` [data-wizard-next]`
	wzBack    = ` [data-wizard-back]`
)

// A new user signs up and creates an organization through the whole wizard
// with htmx: a taken name is refused live and on submit (message next to
// the field), Back from step 3 to step 1 and forward again keeps every
// value, so do a reload and the browser's Back/Forward; the user ends on
// the new organization's dashboard as its owner.
func TestWizardInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	other := app.CreateUser("owner@acme.test", "Acme Owner", "acme-owner-password")
	app.CreateOrg("Acme Ltd", "acme", nil, other)
	b := testkit.NewBrowser(t)

	b.Navigate(app.URL + "/signup")
	b.Fill(signupForm+` input[name=name]`, "Grace Hopper")
	b.Fill(signupForm+` input[name=email]`, "grace@example.com")
	b.Fill(signupForm+` input[name=password]`, "cobol-compiler-1959")
	b.Submit(signupForm)
	continueAfterSignup(t, b, app)
	b.WaitURL(app.URL + "/orgs")
	b.ClickNav(`main a[href="/orgs/new"]`)
	b.WaitURL(app.URL + "/orgs/new")
	b.WaitVisible(wzCompany)
	expectText(t, b, `.steps [aria-current="step"]`, "Company")

	// Step 1: a taken name, differently cased and spaced, is flagged as typed...
	b.Fill(`#org-name`, "acme   LTD")
	b.WaitVisible(`#name-status.field-status--bad`)
	expectText(t, b, `#name-status`, "Taken")
	// ...and refused on submit, next to the field, without leaving the step.
	b.Click(wzCompany + wzNext)
	b.WaitVisible(`#org-name-error`)
	expectText(t, b, `#org-name-error`, "is already taken")
	if loc := b.Location(); loc != app.URL+"/orgs/new" {
		t.Fatalf("URL after a refused step: %s", loc)
	}
	b.Fill(`#org-name`, "Hopper Labs")
	b.WaitVisible(`#name-status.field-status--ok`)
	expectText(t, b, `#name-status`, "available")
	b.Click(wzCompany + wzNext)
	b.WaitVisible(wzDetails)
	b.WaitURL(app.URL + "/orgs/new?step=2")

	// Step 2: the subdomain is suggested from the name.
	if v := inputValue(t, b, `#org-slug`); v != "hopper-labs" {
		t.Fatalf("suggested subdomain %q", v)
	}
	b.Fill(`#org-slug`, "admin")
	b.WaitVisible(`#slug-status.field-status--bad`)
	expectText(t, b, `#slug-status`, "reserved")
	b.Fill(`#org-slug`, "hopper")
	b.WaitVisible(`#slug-status.field-status--ok`)
	b.Do("choose country", chromedp.SetValue(chromedp.CSS(`#org-country`), "DE"))
	b.Fill(`#org-city`, "Berlin")
	b.Fill(`#org-address`, "Unter den Linden 1")
	b.Fill(`#org-vat`, "FR12345678901") // a French id for a German company
	b.Click(wzDetails + wzNext)
	b.WaitVisible(`#org-vat-error`)
	expectText(t, b, `#org-vat-error`, "For Germany it is DE followed by 9 digits")
	b.Fill(`#org-vat`, "DE123456789")
	b.Click(wzDetails + wzNext)
	b.WaitVisible(wzPlan)
	b.WaitURL(app.URL + "/orgs/new?step=3")

	// Back from step 3 to step 1, then forward again: every value is kept.
	b.Click(wzPlan + wzBack)
	b.WaitVisible(wzDetails)
	if v := inputValue(t, b, `#org-city`); v != "Berlin" {
		t.Fatalf("city after Back: %q", v)
	}
	b.Click(wzDetails + wzBack)
	b.WaitVisible(wzCompany)
	b.WaitURL(app.URL + "/orgs/new?step=1")
	if v := inputValue(t, b, `#org-name`); v != "Hopper Labs" {
		t.Fatalf("name after Back: %q", v)
	}
	b.Click(wzCompany + wzNext)
	b.WaitVisible(wzDetails)
	if v := inputValue(t, b, `#org-slug`); v != "hopper" {
		t.Fatalf("subdomain after forward: %q", v)
	}
	b.Click(wzDetails + wzNext)
	b.WaitVisible(wzPlan)

	// The browser's own Back and Forward render the saved draft.
	b.Eval(`history.back(), true`, nil)
	b.WaitVisible(wzDetails)
	if v := inputValue(t, b, `#org-vat`); v != "DE123456789" {
		t.Fatalf("VAT after browser Back: %q", v)
	}
	b.Eval(`history.forward(), true`, nil)
	b.WaitVisible(wzPlan)

	// A reload mid-way stays on the step.
	if st := b.Navigate(b.Location()); st != 200 {
		t.Fatalf("reload: %d", st)
	}
	b.WaitVisible(wzPlan)

	// Step 3: products and a package.
	b.Click(wzPlan + ` input[name=products][value=crm]`)
	b.Click(wzPlan + ` input[name=package][value=team]`)
	b.Click(wzPlan + wzNext)
	b.WaitVisible(wzReview)
	expectText(t, b, `#review-total`, "€119 per month")
	expectText(t, b, `#wizard .dl`, "hopper.")
	expectText(t, b, `#wizard .dl`, "Core, CRM")
	var cardFields int
	b.Eval(`document.querySelectorAll('input[name*="card" i], input[autocomplete^="cc-"]').length`, &cardFields)
	if cardFields != 0 {
		t.Fatalf("the payment step has %d card fields", cardFields)
	}

	// Step 4: billing contact, then create.
	b.Fill(`#billing-name`, "Grace Hopper")
	b.Click(wzReview + wzNext)
	b.WaitURL(app.URL + "/o/hopper")
	b.WaitVisible(`.sidebar`)
	expectText(t, b, `main h1`, "Hopper Labs")
	expectText(t, b, `#flashes`, "Welcome to Hopper Labs")
	expectText(t, b, `main`, "Owner")
	var settingsLinks int
	b.Eval(`document.querySelectorAll('.sidebar a[href="/o/hopper/settings/organization"]').length`, &settingsLinks)
	if settingsLinks != 1 {
		t.Fatalf("owner sidebar lacks organization settings (%d links)", settingsLinks)
	}

	ctx := context.Background()
	org, err := app.DB.OrgBySlug(ctx, "hopper")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := app.DB.UserByEmail(ctx, "grace@example.com")
	if m, err := app.DB.MembershipOfUser(ctx, org.ID, u.ID); err != nil || m.Role != access.RoleOwner {
		t.Fatalf("membership %+v %v", m, err)
	}
	groups, _ := app.DB.Groups(ctx, org.ID)
	var names []string
	for _, g := range groups {
		if g.Predefined() {
			names = append(names, g.Name)
		}
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "Admin") || !strings.Contains(got, "User") ||
		!strings.Contains(got, "Guest") || !strings.Contains(got, "Sales Team") || len(names) != 4 {
		t.Fatalf("predefined groups: %s", got)
	}
	if audit, _ := app.DB.AuditLog(ctx, org.ID, store.AuditFilter{Action: "org.create"}); len(audit) != 1 {
		t.Fatalf("audit: %+v", audit)
	}
}

// inputValue is the live value of a form control (not its attribute).
func inputValue(t *testing.T, b *testkit.Browser, sel string) string {
	t.Helper()
	var v string
	b.Eval(`document.querySelector(`+jsString(sel)+`).value`, &v)
	return v
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
