// Package wizard holds the organization creation wizard (/orgs/new): the
// step indicator, one form per step, the live-check fragments and the
// "contact sales" quote form.
package wizard

import (
	"strconv"
	"strings"

	"gatehouse/internal/orgsetup"
)

// Props is one rendering of the wizard.
type Props struct {
	Step      orgsetup.Step
	Reachable orgsetup.Step // the furthest step the user may open
	CSRF      string
	Draft     orgsetup.Draft  // the values to show (as submitted when they have errors)
	Errors    orgsetup.Errors // field → message
	FormError string          // a message about the whole form
	BaseHost  string          // "example.com": the subdomain preview is {slug}.{BaseHost}
	UserEmail string
}

// Status is the result of a live check (name or subdomain) as typed.
type Status struct {
	OK   bool
	Text string // "" → nothing to say yet
}

// URL of a step.
func URL(s orgsetup.Step) string { return "/orgs/new?step=" + strconv.Itoa(int(s)) }

func (p Props) steps() []orgsetup.Step {
	out := make([]orgsetup.Step, 0, orgsetup.NumSteps)
	for s := orgsetup.StepCompany; s <= orgsetup.StepReview; s++ {
		out = append(out, s)
	}
	return out
}

func (p Props) done(s orgsetup.Step) bool      { return s < p.Reachable && s != p.Step }
func (p Props) reachable(s orgsetup.Step) bool { return s <= p.Reachable && s != p.Step }

func (p Props) err(field string) string { return p.Errors[field] }

func (p Props) subtitle() string {
	return "Step " + strconv.Itoa(int(p.Step)) + " of " + strconv.Itoa(orgsetup.NumSteps) + ": " + p.Step.Name()
}

func (p Props) stepValue() string { return strconv.Itoa(int(p.Step)) }

func (p Props) back() string { return URL(p.Step - 1) }

// describedBy links a control to its error, live status and hint.
func describedBy(id string, hasErr bool, extra ...string) string {
	var ids []string
	if hasErr {
		ids = append(ids, id+"-error")
	}
	ids = append(ids, extra...)
	return strings.Join(ids, " ")
}

func (p Props) hasProduct(key string) bool {
	for _, k := range p.Draft.Products {
		if k == key {
			return true
		}
	}
	return false
}

func (p Props) host() string {
	if p.Draft.Slug == "" {
		return "…" + "." + p.BaseHost
	}
	return p.Draft.Slug + "." + p.BaseHost
}

func (p Props) countryName() string { return orgsetup.CountryName(p.Draft.Country) }

func (p Props) vatText() string {
	switch {
	case p.Draft.NoVAT:
		return "No VAT id"
	case p.Draft.VATID == "":
		return "None (no VAT in " + p.countryName() + ")"
	}
	return p.Draft.VATID
}

func (p Props) productsText() string {
	names := []string{"Core"}
	for _, k := range p.Draft.Products {
		names = append(names, orgsetup.ProductLabel(k))
	}
	return strings.Join(names, ", ")
}

func (p Props) packageText() string {
	pk, ok := orgsetup.PackageByID(p.Draft.Package)
	if !ok {
		return "—"
	}
	return pk.Name + " · " + strconv.Itoa(pk.Seats) + " seats · " + orgsetup.FormatEUR(pk.PriceCents) + " per month"
}

func (p Props) total() string { return orgsetup.FormatEUR(p.Draft.MonthlyCents()) }

func (p Props) totalCents() string { return strconv.FormatInt(p.Draft.MonthlyCents(), 10) }

func (p Props) billingEmail() string {
	if p.Draft.BillingEmail != "" {
		return p.Draft.BillingEmail
	}
	return p.UserEmail
}

func seatsText(n int) string { return strconv.Itoa(n) + " seats" }

func perMonth(cents int64) string { return orgsetup.FormatEUR(cents) + " / month" }

func addOn(cents int64) string { return "+" + orgsetup.FormatEUR(cents) + " / month" }

func moduleList(ms []string) string { return strings.Join(ms, ", ") }

func statusClass(s Status) string {
	switch {
	case s.Text == "":
		return "field-status"
	case s.OK:
		return "field-status field-status--ok"
	}
	return "field-status field-status--bad"
}

// QuoteProps is the "contact sales" form.
type QuoteProps struct {
	CSRF    string
	Company string
	Seats   string
	Message string
	Errors  orgsetup.Errors
	Sent    bool   // the request was stored: say what happens next
	Email   string // where sales will answer
}

func (q QuoteProps) err(field string) string { return q.Errors[field] }
