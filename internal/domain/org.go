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
	// MembersVersion, CustomersVersion and ConversationsVersion change
	// whenever the members page, a customers list or a conversations list
	// could read differently (migrations 4, 5 and 19); only the auth
	// context loads them.
	MembersVersion       int64
	CustomersVersion     int64
	ConversationsVersion int64
	CreatedAt            int64
}
