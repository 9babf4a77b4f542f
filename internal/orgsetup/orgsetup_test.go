package orgsetup

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	cases := []struct {
		in, want, msg string
	}{
		{"Acme Ltd", "Acme Ltd", ""},
		{"  ACME \t Ltd  ", "ACME Ltd", ""},
		{"Café Müller", "Café Müller", ""},
		{"", "", "Enter the company name."},
		{"   ", "", "Enter the company name."},
		{"A", "A", "Use at least 2 characters."},
		{strings.Repeat("x", 101), strings.Repeat("x", 101), "Use at most 100 characters."},
		{strings.Repeat("é", 100), strings.Repeat("é", 100), ""},
		{"<script>", "<script>", "Use letters, digits, spaces and common punctuation only."},
		{"Acme\x00Ltd", "Acme\x00Ltd", "Use letters, digits, spaces and common punctuation only."},
		{"Acme\u200bLtd", "Acme\u200bLtd", "Remove the invisible character U+200B (zero width space): a name may not contain zero-width or text-direction characters."},
		{"!!", "!!", "The name needs at least one letter or digit."},
		{"\xff\xfe", "", "Use letters, digits, spaces and common punctuation only."},
	}
	for _, c := range cases {
		got, msg := CheckName(c.in)
		if got != c.want || msg != c.msg {
			t.Errorf("CheckName(%q) = %q, %q; want %q, %q", c.in, got, msg, c.want, c.msg)
		}
	}
}

func TestNameKeyIgnoresCaseAccentsSpaces(t *testing.T) {
	same := []string{"Acme Ltd", "ACME  Ltd", "acme ltd", "Acmé Ltd", " Acme\tLtd "}
	for _, n := range same {
		if NameKey(n) != NameKey(same[0]) {
			t.Errorf("NameKey(%q) = %q, want %q", n, NameKey(n), NameKey(same[0]))
		}
	}
	if NameKey("Acme Ltd") == NameKey("Acme Inc") {
		t.Error("different names share a key")
	}
}

func TestCheckSlug(t *testing.T) {
	ok := []string{"acme", "a-b", "abc", "acme-2", "123", strings.Repeat("a", 40), "x1-y2-z3"}
	for _, s := range ok {
		if msg := CheckSlug(s); msg != "" {
			t.Errorf("CheckSlug(%q) = %q, want ok", s, msg)
		}
	}
	bad := map[string]string{
		"":                      "Choose a subdomain.",
		"ab":                    "Use at least 3 characters.",
		strings.Repeat("a", 41): "Use at most 40 characters.",
		"-acme":                 "A subdomain cannot start or end with a hyphen.",
		"acme-":                 "A subdomain cannot start or end with a hyphen.",
		"ac--me":                "A subdomain cannot contain two hyphens in a row.",
		"xn--nxa":               "A subdomain cannot contain two hyphens in a row.",
		"Acme":                  "Use only lowercase letters a–z, digits and hyphens.",
		"ac_me":                 "Use only lowercase letters a–z, digits and hyphens.",
		"ac.me":                 "Use only lowercase letters a–z, digits and hyphens.",
		"acmé":                  "Use only lowercase letters a–z, digits and hyphens.",
		"ac me":                 "Use only lowercase letters a–z, digits and hyphens.",
	}
	for s, want := range bad {
		if msg := CheckSlug(s); msg != want {
			t.Errorf("CheckSlug(%q) = %q, want %q", s, msg, want)
		}
	}
	for _, r := range []string{"www", "admin", "api", "app", "mail", "static", "login", "signup", "orgs", "help",
		"support", "status", "docs", "blog", "ftp", "smtp", "imap", "pop", "ns1", "ns2", "cdn", "assets", "dashboard", "billing"} {
		if len(r) < SlugMin {
			continue
		}
		if msg := CheckSlug(r); !strings.Contains(msg, "reserved") {
			t.Errorf("CheckSlug(%q) = %q, want reserved", r, msg)
		}
	}
	for _, r := range []string{"o", "me", "www", "admin"} {
		if !IsReserved(r) {
			t.Errorf("IsReserved(%q) = false", r)
		}
	}
}

func TestSuggestSlug(t *testing.T) {
	cases := map[string]string{
		"Acme Ltd":                   "acme-ltd",
		"Café Müller & Söhne":        "cafe-muller-and-sohne",
		"  Große Straße GmbH ":       "grosse-strasse-gmbh",
		"Ørsted A/S":                 "orsted-a-s",
		"ACME":                       "acme",
		"AB":                         "ab-org",
		"Admin":                      "admin-org",
		"東京":                         "",
		"---":                        "",
		strings.Repeat("abcde ", 10): "abcde-abcde-abcde-abcde-abcde-abcde-abcd",
	}
	for in, want := range cases {
		got := SuggestSlug(in)
		if got != want {
			t.Errorf("SuggestSlug(%q) = %q, want %q", in, got, want)
		}
		if got != "" && CheckSlug(got) != "" {
			t.Errorf("SuggestSlug(%q) = %q breaks the rules: %s", in, got, CheckSlug(got))
		}
	}
	if got := NumberedSlug(strings.Repeat("a", 40), 2); got != strings.Repeat("a", 38)+"-2" || CheckSlug(got) != "" {
		t.Errorf("NumberedSlug = %q", got)
	}
}

func TestCheckVAT(t *testing.T) {
	good := []struct{ country, in, want string }{
		{"DE", "DE123456789", "DE123456789"},
		{"DE", "de 123 456 789", "DE123456789"},
		{"DE", "123456789", "DE123456789"},
		{"AT", "ATU12345678", "ATU12345678"},
		{"AT", "U12345678", "ATU12345678"},
		{"BE", "BE0123456789", "BE0123456789"},
		{"FR", "FR12345678901", "FR12345678901"},
		{"FR", "FRAB123456789", "FRAB123456789"},
		{"GR", "EL123456789", "EL123456789"},
		{"NL", "NL123456789B01", "NL123456789B01"},
		{"ES", "ESX1234567X", "ESX1234567X"},
		{"IE", "IE1234567T", "IE1234567T"},
		{"IE", "IE1234567WA", "IE1234567WA"},
		{"SE", "SE123456789701", "SE123456789701"},
		{"GB", "GB123456789", "GB123456789"},
		{"GB", "GB123456789012", "GB123456789012"},
		{"GB", "GBGD001", "GBGD001"},
		{"CH", "CHE-123.456.789 MWST", "CHE123456789MWST"},
		{"CH", "CHE123456789", "CHE123456789"},
		{"NO", "NO123456789MVA", "NO123456789MVA"},
		{"NO", "123456789", "NO123456789"},
		{"US", "", ""},
	}
	for _, c := range good {
		got, msg := CheckVAT(c.country, c.in, false)
		if got != c.want || msg != "" {
			t.Errorf("CheckVAT(%s, %q) = %q, %q; want %q", c.country, c.in, got, msg, c.want)
		}
	}
	bad := []struct{ country, in, wantMsg string }{
		{"DE", "", "Enter the VAT id, or tick “No VAT id”."},
		{"DE", "DE12345678", "not a valid VAT id for Germany: DE followed by 9 digits"},
		{"DE", "DE1234567890", "not a valid VAT id for Germany"},
		{"DE", "FR12345678901", "looks like a VAT id of France. For Germany it is DE followed by 9 digits"},
		{"GR", "GR123456789", "not a valid VAT id for Greece: EL followed by 9 digits"},
		{"NL", "NL123456789", "not a valid VAT id for Netherlands"},
		{"US", "US123", "United States has no VAT ids"},
		{"XX", "DE123456789", "Choose the country first."},
		{"", "", "Choose the country first."},
		{"DE", strings.Repeat("1", 40), "too long"},
	}
	for _, c := range bad {
		got, msg := CheckVAT(c.country, c.in, false)
		if got != "" || !strings.Contains(msg, c.wantMsg) {
			t.Errorf("CheckVAT(%s, %q) = %q, %q; want message with %q", c.country, c.in, got, msg, c.wantMsg)
		}
	}
	// "No VAT id" is allowed everywhere, but not together with an id.
	for _, c := range Countries() {
		if got, msg := CheckVAT(c.Code, "", true); got != "" || msg != "" {
			t.Errorf("no VAT in %s: %q, %q", c.Code, got, msg)
		}
	}
	if _, msg := CheckVAT("DE", "DE123456789", true); !strings.Contains(msg, "not both") {
		t.Errorf("id and no-VAT together: %q", msg)
	}
}

func TestCountries(t *testing.T) {
	cs := Countries()
	eu := 0
	for i, c := range cs {
		if c.EU {
			eu++
		}
		if i > 0 && cs[i-1].Name >= c.Name {
			t.Errorf("countries not sorted: %s before %s", cs[i-1].Name, c.Name)
		}
		if c.HasVAT() {
			// Every example in the messages must itself be accepted.
			if got, msg := CheckVAT(c.Code, c.Example, false); msg != "" || got == "" {
				t.Errorf("%s: example %q refused: %s", c.Code, c.Example, msg)
			}
		}
	}
	if eu != 27 {
		t.Errorf("%d EU countries, want 27", eu)
	}
	for _, code := range []string{"GB", "CH", "NO", "US"} {
		if _, ok := CountryByCode(code); !ok {
			t.Errorf("missing %s", code)
		}
	}
	if us, _ := CountryByCode("US"); us.HasVAT() {
		t.Error("US has VAT")
	}
	// The whole of ISO 3166-1 (249 countries), names from CLDR, none of the
	// withdrawn codes; a country without a known VAT format takes its tax id
	// as typed.
	if len(cs) != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", len(cs))
	}
	for code, name := range map[string]string{"JP": "Japan", "BR": "Brazil", "AU": "Australia", "CZ": "Czechia", "ZA": "South Africa"} {
		if c, ok := CountryByCode(code); !ok || c.Name != name {
			t.Errorf("CountryByCode(%s) = %+v, %v; want %s", code, c, ok, name)
		}
	}
	for _, code := range []string{"YU", "SU", "AN", "XK", "EU", "UN", "ZZ", "QO"} {
		if _, ok := CountryByCode(code); ok {
			t.Errorf("%s is listed: it is no ISO 3166-1 country", code)
		}
	}
	if got, msg := CheckVAT("JP", "t-1234 5678 9012", false); msg != "" || got != "T123456789012" {
		t.Errorf("a Japanese tax id: %q, %q", got, msg)
	}
	if _, msg := CheckVAT("JP", "x", false); !strings.Contains(msg, "4 to 20 letters or digits") {
		t.Errorf("a one-letter tax id in Japan: %q", msg)
	}
}

func TestPackagesAndPrices(t *testing.T) {
	ps := Packages()
	if len(ps) < 3 {
		t.Fatalf("%d packages, want at least 3", len(ps))
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Seats <= ps[i-1].Seats || ps[i].PriceCents <= ps[i-1].PriceCents {
			t.Errorf("packages not growing: %+v then %+v", ps[i-1], ps[i])
		}
	}
	if _, ok := PackageByID(CustomPackageID); ok {
		t.Error("custom is selectable")
	}
	if got := MonthlyCents("team", []string{"crm", "inbox"}); got != 9900+2000+3000 {
		t.Errorf("MonthlyCents = %d", got)
	}
	for cents, want := range map[int64]string{4900: "€49", 4950: "€49.50", 123456705: "€1,234,567.05", 0: "€0"} {
		if got := FormatEUR(cents); got != want {
			t.Errorf("FormatEUR(%d) = %q, want %q", cents, got, want)
		}
	}
	offers := Products()
	if len(offers) != 5 || offers[0].Key != "core" || !offers[0].Included || offers[0].PriceCents != 0 {
		t.Errorf("products: %+v", offers)
	}
	for _, o := range offers[1:] {
		if o.PriceCents <= 0 || len(o.Modules) == 0 {
			t.Errorf("product %s: %+v", o.Key, o)
		}
	}
}

func TestCheckDetails(t *testing.T) {
	in := Details{Slug: " Acme ", Country: "de", City: " Berlin ", Address: "Hauptstr.  1", VATID: "de123456789"}
	out, errs := CheckDetails(in)
	if !errs.OK() {
		t.Fatalf("errors: %v", errs)
	}
	want := Details{Slug: "acme", Country: "DE", City: "Berlin", Address: "Hauptstr. 1", VATID: "DE123456789"}
	if out != want {
		t.Errorf("CheckDetails = %+v, want %+v", out, want)
	}
	_, errs = CheckDetails(Details{Slug: "www", Country: "ZZ", City: "", Address: strings.Repeat("x", 201)})
	for _, f := range []string{"slug", "country", "city", "address"} {
		if errs[f] == "" {
			t.Errorf("no message for %s: %v", f, errs)
		}
	}
	if _, ok := errs["vat_id"]; ok {
		t.Errorf("VAT judged without a country: %v", errs)
	}
	_, errs = CheckDetails(Details{Slug: "acme", Country: "FR", City: "Paris", Address: "1 rue", VATID: "DE123456789"})
	if !strings.Contains(errs["vat_id"], "France") || len(errs) != 1 {
		t.Errorf("bad VAT for country: %v", errs)
	}
}

func TestCheckPlan(t *testing.T) {
	out, errs := CheckPlan(Plan{Products: []string{"medical", "core", "crm", "crm"}, Package: "team"})
	if !errs.OK() || strings.Join(out.Products, ",") != "crm,medical" || out.Package != "team" {
		t.Errorf("CheckPlan = %+v, %v", out, errs)
	}
	cases := []struct {
		in    Plan
		field string
	}{
		{Plan{Products: []string{"crm", "spaceships"}, Package: "team"}, "products"},
		{Plan{Products: []string{"CRM"}, Package: "team"}, "products"},
		{Plan{Package: ""}, "package"},
		{Plan{Package: "enterprise"}, "package"},
		{Plan{Package: CustomPackageID}, "package"},
		{Plan{Package: "Team"}, "package"},
	}
	for _, c := range cases {
		_, errs := CheckPlan(c.in)
		if errs[c.field] == "" {
			t.Errorf("CheckPlan(%+v): no message for %s (%v)", c.in, c.field, errs)
		}
	}
}

func TestCheckBilling(t *testing.T) {
	out, errs := CheckBilling(Billing{Name: " Ada  L ", Email: " ada@example.com ", PONumber: "PO-2025/17"})
	if !errs.OK() || out != (Billing{Name: "Ada L", Email: "ada@example.com", PONumber: "PO-2025/17"}) {
		t.Errorf("CheckBilling = %+v, %v", out, errs)
	}
	_, errs = CheckBilling(Billing{Name: "", Email: "nope", PONumber: "<x>"})
	for _, f := range []string{"billing_name", "billing_email", "po_number"} {
		if errs[f] == "" {
			t.Errorf("no message for %s", f)
		}
	}
}

func TestDraftSteps(t *testing.T) {
	var d Draft
	if got := d.FirstIncomplete(); got != StepCompany {
		t.Fatalf("empty draft: %d", got)
	}
	d.SetName("Acme Ltd")
	if got := d.FirstIncomplete(); got != StepDetails {
		t.Fatalf("after name: %d", got)
	}
	d.SetDetails(Details{Slug: SuggestSlug(d.Name), Country: "US", City: "Boston", Address: "1 Main St"})
	if got := d.FirstIncomplete(); got != StepPlan {
		t.Fatalf("after details: %d", got)
	}
	d.SetPlan(Plan{Products: []string{"crm"}, Package: "starter"})
	if got := d.FirstIncomplete(); got != StepReview {
		t.Fatalf("after plan: %d", got)
	}
	// A renamed company drops a subdomain that was only the old suggestion...
	d.SetName("Globex")
	if d.Slug != "" || d.FirstIncomplete() != StepDetails {
		t.Errorf("slug after rename: %q, first %d", d.Slug, d.FirstIncomplete())
	}
	// ...but keeps one the user chose.
	d.SetDetails(Details{Slug: "my-own", Country: "US", City: "Boston", Address: "1 Main St"})
	d.SetName("Initech")
	if d.Slug != "my-own" {
		t.Errorf("chosen slug lost: %q", d.Slug)
	}
	if d.MonthlyCents() != 4900+2000 {
		t.Errorf("MonthlyCents = %d", d.MonthlyCents())
	}
	if d.Check(Step(9)).OK() {
		t.Error("unknown step passes")
	}
}

func TestCheckQuote(t *testing.T) {
	q, errs := CheckQuote(" Acme ", " 250 ", " Hello\r\nthere ")
	if !errs.OK() || q != (Quote{Company: "Acme", Seats: 250, Message: "Hello\nthere"}) {
		t.Errorf("CheckQuote = %+v, %v", q, errs)
	}
	for _, seats := range []string{"", "abc", "0", "-3", "1000001", "1.5"} {
		if _, errs := CheckQuote("Acme", seats, ""); errs["seats"] == "" {
			t.Errorf("seats %q accepted", seats)
		}
	}
	if _, errs := CheckQuote("", "5", strings.Repeat("x", 2001)); errs["company"] == "" || errs["message"] == "" {
		t.Errorf("errors: %v", errs)
	}
}
