package orgsetup

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gatehouse/internal/access"
)

// The wizard's and the settings page's form checks, fuzzed: no panic; every
// error names a known field of that step with a sentence; a step without
// errors returns normalized values that pass every rule, and checks again
// unchanged.

func cleanLine(s string, max int) bool {
	n := utf8.RuneCountInString(s)
	return n >= 1 && n <= max && utf8.ValidString(s) && s == NormalizeName(s) &&
		!strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '<' || r == '>' })
}

func checkErrors(t *testing.T, errs Errors, fields ...string) {
	t.Helper()
	for f, m := range errs {
		if !slices.Contains(fields, f) || len(m) < 5 || !strings.HasSuffix(m, ".") {
			t.Fatalf("error %q: %q", f, m)
		}
	}
}

func FuzzCheckDetails(f *testing.F) {
	f.Add("acme", "DE", "Berlin", "Hauptstraße 1", "DE123456789", false)
	f.Add(" Acme ", "de", "  Köln  ", "Ring\t2", "de 123.456.789", false)
	f.Add("www", "XX", "", "", "", true)
	f.Add("a", "FR", "<b>", "x\x00y", "FR12345678901", false)
	f.Add("acme", "US", "Austin", "1 Main St", "", false)
	f.Add("acme", "GB", "London", "\xff", "GB123456789", true)
	f.Fuzz(func(t *testing.T, slug, country, city, address, vatID string, noVAT bool) {
		in := Details{Slug: slug, Country: country, City: city, Address: address, VATID: vatID, NoVAT: noVAT}
		out, errs := CheckDetails(in)
		checkErrors(t, errs, "slug", "country", "city", "address", "vat_id")
		if !errs.OK() {
			return
		}
		if CheckSlug(out.Slug) != "" || !cleanLine(out.City, 100) || !cleanLine(out.Address, 200) {
			t.Fatalf("accepted %+v", out)
		}
		if _, ok := CountryByCode(out.Country); !ok {
			t.Fatalf("accepted country %q", out.Country)
		}
		if v, msg := CheckVAT(out.Country, out.VATID, out.NoVAT); msg != "" || v != out.VATID {
			t.Fatalf("VAT %q of %+v checks again as %q %q", out.VATID, out, v, msg)
		}
		again, errs := CheckDetails(out)
		if !errs.OK() || again != out {
			t.Fatalf("not stable: %+v → %+v %v", out, again, errs)
		}
	})
}

func FuzzCheckPlan(f *testing.F) {
	f.Add("crm,inbox", "business")
	f.Add("", "starter")
	f.Add("core,crm,crm", "custom")
	f.Add("nope", "")
	f.Add("finance,medical,inbox", " business ")
	f.Add("CRM", "enterprise")
	f.Fuzz(func(t *testing.T, products, pkg string) {
		var list []string
		if products != "" {
			list = strings.Split(products, ",")
		}
		out, errs := CheckPlan(Plan{Products: list, Package: pkg})
		checkErrors(t, errs, "products", "package")
		if !errs.OK() {
			return
		}
		if _, ok := PackageByID(out.Package); !ok || out.Package == CustomPackageID {
			t.Fatalf("accepted package %q", out.Package)
		}
		ps, err := access.ParseProducts(out.Products)
		if err != nil || !slices.Equal(ps.Keys(), out.Products) {
			t.Fatalf("accepted products %v: %v", out.Products, err)
		}
		for _, k := range list {
			if !ps.Has(k) {
				t.Fatalf("product %q dropped from %v", k, out.Products)
			}
		}
		if again, errs := CheckPlan(out); !errs.OK() || !slices.Equal(again.Products, out.Products) || again.Package != out.Package {
			t.Fatalf("not stable: %+v → %+v %v", out, again, errs)
		}
	})
}

func FuzzCheckBilling(f *testing.F) {
	f.Add("Ann Example", "billing@example.com", "PO-2024/17")
	f.Add("", "", "")
	f.Add("  Ann  ", " a@b.co ", " #1 ")
	f.Add("<x>", "nope", "PO;DROP")
	f.Add("A\x00", "a@b.co\n", strings.Repeat("9", 65))
	f.Fuzz(func(t *testing.T, name, email, po string) {
		out, errs := CheckBilling(Billing{Name: name, Email: email, PONumber: po})
		checkErrors(t, errs, "billing_name", "billing_email", "po_number")
		if !errs.OK() {
			return
		}
		if !cleanLine(out.Name, 100) || CheckEmail(out.Email) != "" || utf8.RuneCountInString(out.PONumber) > 64 ||
			(out.PONumber != "" && !isPONumber(out.PONumber)) || out.PONumber != strings.TrimSpace(out.PONumber) {
			t.Fatalf("accepted %+v", out)
		}
		if again, errs := CheckBilling(out); !errs.OK() || again != out {
			t.Fatalf("not stable: %+v → %+v %v", out, again, errs)
		}
	})
}

func FuzzCheckQuote(f *testing.F) {
	f.Add("Acme Ltd", "250", "We need SSO.")
	f.Add("", "", "")
	f.Add("Acme", "0", "")
	f.Add("Acme", "1000001", "")
	f.Add("Acme", " 12 ", "a\r\nb")
	f.Add("Acme", "1e3", "\xff")
	f.Add("Acme", "-5", strings.Repeat("x", 2001))
	f.Fuzz(func(t *testing.T, company, seats, message string) {
		q, errs := CheckQuote(company, seats, message)
		checkErrors(t, errs, "company", "seats", "message")
		if !errs.OK() {
			return
		}
		if _, msg := CheckName(q.Company); msg != "" || q.Seats < 1 || q.Seats > QuoteMaxSeats ||
			utf8.RuneCountInString(q.Message) > QuoteMaxMessage || !utf8.ValidString(q.Message) || q.Message != strings.TrimSpace(q.Message) {
			t.Fatalf("accepted %+v", q)
		}
	})
}
