package orgsetup

import (
	"gatehouse/internal/emailaddr"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/access"
	"gatehouse/internal/names"
)

// Step is a wizard step, 1 to NumSteps.
type Step int

// The wizard's steps, in order.
const (
	StepCompany Step = iota + 1
	StepDetails
	StepPlan
	StepReview

	NumSteps = int(StepReview)
)

var stepNames = [...]string{"", "Company", "Details", "Products & package", "Review & payment"}

// Name is the step's title in the step indicator.
func (s Step) Name() string {
	if s < StepCompany || s > StepReview {
		return ""
	}
	return stepNames[s]
}

// Valid reports whether s is one of the wizard's steps.
func (s Step) Valid() bool { return s >= StepCompany && s <= StepReview }

// Draft is an organization being created, kept on the server (JSON in
// org_drafts) between steps. It only ever holds values that passed their
// step's checks.
type Draft struct {
	Name string `json:"name,omitempty"`

	Slug    string `json:"slug,omitempty"`
	Country string `json:"country,omitempty"`
	City    string `json:"city,omitempty"`
	Address string `json:"address,omitempty"`
	VATID   string `json:"vat_id,omitempty"`
	NoVAT   bool   `json:"no_vat,omitempty"`

	Products []string `json:"products,omitempty"`
	Package  string   `json:"package,omitempty"`

	BillingName  string `json:"billing_name,omitempty"`
	BillingEmail string `json:"billing_email,omitempty"`
	PONumber     string `json:"po_number,omitempty"`
}

// Details is step 2's input.
type Details struct {
	Slug, Country, City, Address, VATID string
	NoVAT                               bool
}

// Plan is step 3's input.
type Plan struct {
	Products []string
	Package  string
}

// Billing is step 4's input: who receives the invoice.
type Billing struct {
	Name, Email, PONumber string
}

// Details returns the draft's step 2 values.
func (d Draft) Details() Details {
	return Details{Slug: d.Slug, Country: d.Country, City: d.City, Address: d.Address, VATID: d.VATID, NoVAT: d.NoVAT}
}

// SetDetails stores checked step 2 values.
func (d *Draft) SetDetails(in Details) {
	d.Slug, d.Country, d.City, d.Address, d.VATID, d.NoVAT = in.Slug, in.Country, in.City, in.Address, in.VATID, in.NoVAT
}

// Plan returns the draft's step 3 values.
func (d Draft) Plan() Plan { return Plan{Products: d.Products, Package: d.Package} }

// SetPlan stores checked step 3 values.
func (d *Draft) SetPlan(in Plan) { d.Products, d.Package = in.Products, in.Package }

// Billing returns the draft's step 4 values.
func (d Draft) Billing() Billing {
	return Billing{Name: d.BillingName, Email: d.BillingEmail, PONumber: d.PONumber}
}

// SetBilling stores checked step 4 values.
func (d *Draft) SetBilling(in Billing) {
	d.BillingName, d.BillingEmail, d.PONumber = in.Name, in.Email, in.PONumber
}

// SetName stores a checked name. A subdomain that was only the suggestion
// for the old name is dropped, so the new name's suggestion replaces it.
func (d *Draft) SetName(name string) {
	if d.Slug != "" && d.Name != name && d.Slug == SuggestSlug(d.Name) {
		d.Slug = ""
	}
	d.Name = name
}

// MonthlyCents is the draft's price per month.
func (d Draft) MonthlyCents() int64 { return MonthlyCents(d.Package, d.Products) }

// Check re-checks the stored values of one step against the rules (not
// availability, which needs the store).
func (d Draft) Check(step Step) Errors {
	switch step {
	case StepCompany:
		_, errs := CheckCompany(d.Name)
		return errs
	case StepDetails:
		_, errs := CheckDetails(d.Details())
		return errs
	case StepPlan:
		_, errs := CheckPlan(d.Plan())
		return errs
	case StepReview:
		_, errs := CheckBilling(d.Billing())
		return errs
	}
	return Errors{"form": "Unknown step."}
}

// FirstIncomplete is the first step whose values are missing or break a
// rule; StepReview when steps 1–3 are complete.
func (d Draft) FirstIncomplete() Step {
	for s := StepCompany; s < StepReview; s++ {
		if !d.Check(s).OK() {
			return s
		}
	}
	return StepReview
}

// CheckCompany checks step 1.
func CheckCompany(raw string) (string, Errors) {
	errs := Errors{}
	name, msg := CheckName(raw)
	errs.Add("name", msg)
	return name, errs
}

// CheckDetails checks step 2 and returns the values normalized.
func CheckDetails(in Details) (Details, Errors) {
	errs := Errors{}
	out := Details{
		Slug:    NormalizeSlug(in.Slug),
		Country: strings.ToUpper(strings.TrimSpace(in.Country)),
		City:    NormalizeName(in.City),
		Address: NormalizeName(in.Address),
		NoVAT:   in.NoVAT,
	}
	errs.Add("slug", CheckSlug(out.Slug))
	if out.Country == "" {
		errs.Add("country", "Choose a country.")
	} else if _, ok := CountryByCode(out.Country); !ok {
		errs.Add("country", "Choose a country from the list.")
	}
	errs.Add("city", checkText(out.City, "the city", 100))
	errs.Add("address", checkText(out.Address, "the street address", 200))
	if _, bad := errs["country"]; !bad {
		var msg string
		out.VATID, msg = CheckVAT(out.Country, in.VATID, in.NoVAT)
		errs.Add("vat_id", msg)
	}
	return out, errs
}

// CheckPlan checks step 3: known product keys only (core is implied and
// may be sent), and one of the self-service packages.
func CheckPlan(in Plan) (Plan, Errors) {
	errs := Errors{}
	var keys []string
	for _, k := range in.Products {
		if _, ok := access.ProductByKey(k); !ok {
			errs.Add("products", "“"+clip(k, 40)+"” is not a product we offer. Choose from the list.")
			continue
		}
		keys = append(keys, k)
	}
	var out Plan
	if ps, err := access.ParseProducts(keys); err == nil {
		out.Products = ps.Keys()
	}
	switch pid := strings.TrimSpace(in.Package); {
	case pid == "":
		errs.Add("package", "Choose a package.")
	case pid == CustomPackageID:
		errs.Add("package", "A custom package is arranged with our sales team: use “Contact sales” below.")
	default:
		if _, ok := PackageByID(pid); !ok {
			errs.Add("package", "Choose one of the packages offered.")
		} else {
			out.Package = pid
		}
	}
	return out, errs
}

// CheckBilling checks step 4's billing contact.
func CheckBilling(in Billing) (Billing, Errors) {
	errs := Errors{}
	out := Billing{Name: NormalizeName(in.Name), Email: strings.TrimSpace(in.Email), PONumber: strings.TrimSpace(in.PONumber)}
	errs.Add("billing_name", names.HiddenCharacter(out.Name))
	errs.Add("billing_name", checkText(out.Name, "the billing contact's name", 100))
	errs.Add("billing_email", CheckEmail(out.Email))
	if out.PONumber != "" {
		if utf8.RuneCountInString(out.PONumber) > 64 {
			errs.Add("po_number", "Use at most 64 characters.")
		} else if !isPONumber(out.PONumber) {
			errs.Add("po_number", "Use letters, digits, spaces and - _ / . # only.")
		}
	}
	return out, errs
}

// CheckEmail checks an address: a bare addr-spec with a dot in the domain.
func CheckEmail(email string) string { return emailaddr.FormMessage(email) }

// checkText: required single-line text of at most max characters.
func checkText(s, what string, max int) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "Enter " + what + "."
	case n > max:
		return "Use at most " + strconv.Itoa(max) + " characters."
	case !utf8.ValidString(s):
		return "Use letters, digits, spaces and common punctuation only."
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '<' || r == '>' {
			return "Use letters, digits, spaces and common punctuation only."
		}
	}
	return ""
}

func isPONumber(s string) bool {
	for _, r := range s {
		if !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" -_/.#", r))) {
			return false
		}
	}
	return true
}

// clip shortens s for quoting it back in a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
