package domain

import (
	"math"

	"gatehouse/internal/access"
)

// NoExpiry is Org.NextExpiry when no grant of the organization ends.
const NoExpiry = math.MaxInt64

// ExpiryKnown reports whether o's NextExpiry was read (by the auth query).
func (o Org) ExpiryKnown() bool { return o.NextExpiry != 0 }

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
	// NextExpiry is the earliest end of a grant of the organization still
	// to come when the auth query read it (Unix seconds; NoExpiry: none; 0:
	// not read, so nothing resolved from this value may be cached). Only
	// the auth context loads it. With the versions it keys every cache of
	// resolved access: at that instant access changes with nothing written
	// (ARCHITECTURE.md, Time-bound grants).
	NextExpiry int64
	CreatedAt  int64
}
