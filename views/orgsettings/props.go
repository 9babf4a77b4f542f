// Package orgsettings holds the organization settings page
// (/o/{slug}/settings/organization): an edit form for members with
// settings_edit, a read-only summary for those with settings_view only.
package orgsettings

import (
	"strconv"
	"strings"

	"gatehouse/internal/orgsetup"
	"gatehouse/views/components"
)

// Props is the page's data.
type Props struct {
	CSRF    string
	Slug    string
	Host    string // the organization's subdomain host, e.g. acme.example.com
	CanEdit bool

	Name     string
	Country  string
	City     string
	Address  string
	VATID    string
	NoVAT    bool
	Products []string
	Package  string
	Seats    int

	SeatsActive  int // active members
	SeatsPending int // pending invites

	Errors    orgsetup.Errors
	FormError string
}

func (p Props) action() string { return "/o/" + p.Slug + "/settings/organization" }

func (p Props) err(field string) string { return p.Errors[field] }

func (p Props) hasProduct(key string) bool {
	for _, k := range p.Products {
		if k == key {
			return true
		}
	}
	return false
}

// customPackage: the organization's package is not a self-service tier
// (arranged by sales); it stays selectable as it is.
func (p Props) customPackage() bool {
	_, ok := orgsetup.PackageByID(p.Package)
	return !ok
}

func (p Props) packageText() string {
	return orgsetup.PackageName(p.Package) + " · " + strconv.Itoa(p.Seats) + " seats"
}

func (p Props) seatUsage() string {
	used := p.SeatsActive + p.SeatsPending
	s := strconv.Itoa(used) + " of " + strconv.Itoa(p.Seats) + " seats in use"
	if p.SeatsPending > 0 {
		s += " (" + components.Plural(p.SeatsActive, "active member", "active members") + ", " + components.Plural(p.SeatsPending, "pending invite", "pending invites") + ")"
	}
	return s
}

func (p Props) productsText() string {
	names := []string{"Core"}
	for _, k := range p.Products {
		names = append(names, orgsetup.ProductLabel(k))
	}
	return strings.Join(names, ", ")
}

func (p Props) vatText() string {
	switch {
	case p.VATID != "":
		return p.VATID
	case p.NoVAT:
		return "No VAT id"
	}
	return "None"
}

func (p Props) location() string {
	var parts []string
	for _, s := range []string{p.Address, p.City, orgsetup.CountryName(p.Country)} {
		if strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

func seatsPrice(pk orgsetup.Package) string {
	return strconv.Itoa(pk.Seats) + " seats · " + orgsetup.FormatEUR(pk.PriceCents) + " / month"
}

func addOn(cents int64) string { return "+" + orgsetup.FormatEUR(cents) + " / month" }

func moduleList(ms []string) string { return strings.Join(ms, ", ") }

func describedBy(id string, hasErr bool) string {
	if hasErr {
		return id + "-error"
	}
	return ""
}
