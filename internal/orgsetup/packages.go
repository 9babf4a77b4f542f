package orgsetup

import (
	"strconv"

	"gatehouse/internal/access"
)

// Package is a subscription tier: a seat quota for a monthly price.
type Package struct {
	ID         string
	Name       string
	Seats      int
	PriceCents int64 // per month, EUR
	Blurb      string
}

// CustomPackageID is the "contact sales" tier: never selectable in the
// wizard, arranged through a quote request.
const CustomPackageID = "custom"

var packages = []Package{
	{ID: "starter", Name: "Starter", Seats: 10, PriceCents: 4900, Blurb: "For small teams getting started."},
	{ID: "team", Name: "Team", Seats: 25, PriceCents: 9900, Blurb: "For growing teams with several departments."},
	{ID: "business", Name: "Business", Seats: 100, PriceCents: 29900, Blurb: "For larger organizations."},
}

// Packages lists the self-service tiers, smallest first.
func Packages() []Package { return append([]Package(nil), packages...) }

// PackageByID finds a self-service tier.
func PackageByID(id string) (Package, bool) {
	for _, p := range packages {
		if p.ID == id {
			return p, true
		}
	}
	return Package{}, false
}

// PackageName is a package's name; unknown ids (custom deals made by an
// administrator) are shown as "Custom".
func PackageName(id string) string {
	if p, ok := PackageByID(id); ok {
		return p.Name
	}
	if id == "" {
		return "None"
	}
	return "Custom"
}

// ProductOffer is an optional product as offered in the wizard.
type ProductOffer struct {
	Key        string
	Label      string
	Modules    []string // module labels, for the description
	PriceCents int64    // per month, EUR; 0 for core
	Included   bool     // core: always there, not a choice
}

// productPrices are the monthly add-on prices of the optional products.
var productPrices = map[string]int64{"crm": 2000, "inbox": 3000, "finance": 2500, "medical": 4000}

// Products lists every product of the catalog with its price, core first.
func Products() []ProductOffer {
	var out []ProductOffer
	for _, p := range access.Products() {
		o := ProductOffer{Key: p.Key, Label: p.Label, PriceCents: productPrices[p.Key], Included: p.AlwaysIncluded}
		for _, mk := range p.Modules {
			if m, ok := access.ModuleByKey(mk); ok {
				o.Modules = append(o.Modules, m.Label)
			}
		}
		out = append(out, o)
	}
	return out
}

// ProductLabel is a product's label (the key itself when unknown).
func ProductLabel(key string) string {
	if p, ok := access.ProductByKey(key); ok {
		return p.Label
	}
	return key
}

// MonthlyCents is the price per month of a package with optional products.
// Unknown ids and keys cost nothing here: validation refuses them first.
func MonthlyCents(packageID string, products []string) int64 {
	var total int64
	if p, ok := PackageByID(packageID); ok {
		total = p.PriceCents
	}
	for _, k := range products {
		total += productPrices[k]
	}
	return total
}

// FormatEUR renders cents as "€49" or "€49.50".
func FormatEUR(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := "€" + groupThousands(cents/100)
	if c := cents % 100; c != 0 {
		s += "." + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	if neg {
		s = "−" + s
	}
	return s
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
