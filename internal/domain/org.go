package domain

import "gatehouse/internal/access"

// Org is an organization (tenant).
type Org struct {
	ID           int64
	Name         string
	Slug         string
	Country      string
	City         string
	Address      string
	VATID        string
	Products     access.ProductSet
	Package      string
	Seats        int
	BillingName  string
	BillingEmail string
	PONumber     string
	PermVersion  int64
	// MembersVersion and CustomersVersion change whenever the members page
	// or a customers list could read differently (migrations 4 and 5); only
	// the auth context loads them.
	MembersVersion   int64
	CustomersVersion int64
	CreatedAt        int64
}
