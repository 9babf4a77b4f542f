package orgsetup

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is a country an organization can be registered in, with the shape
// of its VAT id. A country without VAT (Pattern nil) takes no VAT id.
type Country struct {
	Code    string // ISO 3166-1 alpha-2
	Name    string
	Prefix  string         // what a VAT id starts with ("EL" for Greece, "CHE" for Switzerland)
	Pattern *regexp.Regexp // the whole normalized VAT id; nil: no VAT in this country
	Format  string         // the rule in words, for messages
	Example string         // a well-formed id
	EU      bool
}

// HasVAT reports whether the country has VAT ids.
func (c Country) HasVAT() bool { return c.Pattern != nil }

func vat(code, name, prefix, body, format, example string, eu bool) Country {
	return Country{Code: code, Name: name, Prefix: prefix, Pattern: regexp.MustCompile(`^` + prefix + `(?:` + body + `)$`),
		Format: format, Example: example, EU: eu}
}

// vatRules are the countries whose VAT id has a known shape: the 27 EU
// member states (VIES formats), GB, CH and NO. The United States has no VAT
// (Pattern nil); every other country takes its tax id as typed (otherTaxID).
var vatRules = []Country{
	vat("AT", "Austria", "ATU", `\d{8}`, "ATU followed by 8 digits", "ATU12345678", true),
	vat("BE", "Belgium", "BE", `[01]\d{9}`, "BE followed by 10 digits, starting with 0 or 1", "BE0123456789", true),
	vat("BG", "Bulgaria", "BG", `\d{9,10}`, "BG followed by 9 or 10 digits", "BG123456789", true),
	vat("HR", "Croatia", "HR", `\d{11}`, "HR followed by 11 digits", "HR12345678901", true),
	vat("CY", "Cyprus", "CY", `\d{8}[A-Z]`, "CY followed by 8 digits and a letter", "CY12345678X", true),
	vat("CZ", "Czechia", "CZ", `\d{8,10}`, "CZ followed by 8, 9 or 10 digits", "CZ12345678", true),
	vat("DK", "Denmark", "DK", `\d{8}`, "DK followed by 8 digits", "DK12345678", true),
	vat("EE", "Estonia", "EE", `\d{9}`, "EE followed by 9 digits", "EE123456789", true),
	vat("FI", "Finland", "FI", `\d{8}`, "FI followed by 8 digits", "FI12345678", true),
	vat("FR", "France", "FR", `[0-9A-HJ-NP-Z]{2}\d{9}`, "FR followed by 2 digits or letters and 9 digits", "FR12345678901", true),
	vat("DE", "Germany", "DE", `\d{9}`, "DE followed by 9 digits", "DE123456789", true),
	vat("GR", "Greece", "EL", `\d{9}`, "EL followed by 9 digits", "EL123456789", true),
	vat("HU", "Hungary", "HU", `\d{8}`, "HU followed by 8 digits", "HU12345678", true),
	vat("IE", "Ireland", "IE", `\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]`, "IE followed by 7 digits and 1 or 2 letters", "IE1234567T", true),
	vat("IT", "Italy", "IT", `\d{11}`, "IT followed by 11 digits", "IT12345678901", true),
	vat("LV", "Latvia", "LV", `\d{11}`, "LV followed by 11 digits", "LV12345678901", true),
	vat("LT", "Lithuania", "LT", `\d{9}|\d{12}`, "LT followed by 9 or 12 digits", "LT123456789", true),
	vat("LU", "Luxembourg", "LU", `\d{8}`, "LU followed by 8 digits", "LU12345678", true),
	vat("MT", "Malta", "MT", `\d{8}`, "MT followed by 8 digits", "MT12345678", true),
	vat("NL", "Netherlands", "NL", `\d{9}B\d{2}`, "NL followed by 9 digits, B and 2 digits", "NL123456789B01", true),
	vat("PL", "Poland", "PL", `\d{10}`, "PL followed by 10 digits", "PL1234567890", true),
	vat("PT", "Portugal", "PT", `\d{9}`, "PT followed by 9 digits", "PT123456789", true),
	vat("RO", "Romania", "RO", `[1-9]\d{1,9}`, "RO followed by 2 to 10 digits", "RO1234567", true),
	vat("SK", "Slovakia", "SK", `\d{10}`, "SK followed by 10 digits", "SK1234567890", true),
	vat("SI", "Slovenia", "SI", `\d{8}`, "SI followed by 8 digits", "SI12345678", true),
	vat("ES", "Spain", "ES", `[A-Z0-9]\d{7}[A-Z0-9]`, "ES followed by 9 characters: a letter or digit, 7 digits, a letter or digit", "ESX1234567X", true),
	vat("SE", "Sweden", "SE", `\d{10}01`, "SE followed by 12 digits ending in 01", "SE123456789701", true),
	vat("GB", "United Kingdom", "GB", `\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}`, "GB followed by 9 or 12 digits", "GB123456789", false),
	vat("CH", "Switzerland", "CHE", `\d{9}(?:MWST|TVA|IVA)?`, "CHE followed by 9 digits (MWST, TVA or IVA may follow)", "CHE-123.456.789 MWST", false),
	vat("NO", "Norway", "NO", `\d{9}(?:MVA)?`, "NO followed by 9 digits (MVA may follow)", "NO123456789MVA", false),
	{Code: "US", Name: "United States"},
}

// otherTaxID is the shape of a tax id where no format is known: letters and
// digits, as issued there.
func otherTaxID(code, name string) Country {
	return Country{Code: code, Name: name, Pattern: regexp.MustCompile(`^[A-Z0-9]{4,20}$`),
		Format: "4 to 20 letters or digits, as issued there", Example: "123456789"}
}

// notISO are codes CLDR still names that are not ISO 3166-1 countries:
// withdrawn ones kept for old data, and Kosovo's user-assigned XK.
var notISO = map[string]bool{"AN": true, "CS": true, "NT": true, "SU": true, "YU": true, "XK": true}

// countries is every ISO 3166-1 country, with its English name from CLDR
// (golang.org/x/text, not a hand-typed list), sorted by name; built once.
var countries = sync.OnceValue(func() []Country {
	known := map[string]Country{}
	for _, c := range vatRules {
		known[c.Code] = c
	}
	names := display.English.Regions()
	var out []Country
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			// A country (not a grouping), with a UN M.49 number, not an alias
			// of another code.
			if err != nil || !r.IsCountry() || r.M49() == 0 || r.Canonicalize().String() != code || notISO[code] {
				continue
			}
			c, ok := known[code]
			if !ok {
				c = otherTaxID(code, names.Name(r))
			}
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y Country) int { return strings.Compare(x.Name, y.Name) })
	return out
})

// Countries lists every country by name.
func Countries() []Country { return slices.Clone(countries()) }

// CountryByCode finds a supported country by its ISO code (upper case).
func CountryByCode(code string) (Country, bool) {
	for _, c := range countries() {
		if c.Code == code {
			return c, true
		}
	}
	return Country{}, false
}

// CountryName is the name of a code, or the code itself when unknown.
func CountryName(code string) string {
	if c, ok := CountryByCode(code); ok {
		return c.Name
	}
	return code
}
