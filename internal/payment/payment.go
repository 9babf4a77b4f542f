// Package payment is how a new organization pays. A Provider takes an Order
// and returns a Receipt; the default, self-hosted provider is "invoice": the
// billing contact gets an invoice, nothing is charged on the spot. Gatehouse
// never accepts card data: CardData finds anything in a form that looks like
// a card number so the caller can refuse the whole request.
package payment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Order is what is being bought.
type Order struct {
	OrgName      string
	OrgSlug      string
	Package      string
	Seats        int
	Products     []string
	MonthlyCents int64  // price per month
	Currency     string // ISO 4217, "EUR"
	BillingName  string
	BillingEmail string
	PONumber     string // optional purchase-order number
}

// Receipt is a provider's answer to a checkout.
type Receipt struct {
	Provider  string
	Reference string // the provider's reference (an invoice number for "invoice")
	Status    string // "invoice_pending" for the invoice provider
	Message   string // what happens next, for the user
}

// Provider is a payment method. Checkout runs before the organization is
// created and must not leave anything behind that a failed creation would
// have to undo (authorize, do not capture).
type Provider interface {
	Name() string
	Checkout(ctx context.Context, o Order) (Receipt, error)
}

// ErrInvalidOrder is returned for an order a provider cannot bill.
var ErrInvalidOrder = errors.New("payment: invalid order")

// Invoice is the default provider: an invoice is sent to the billing
// contact. Nothing is charged and no card data exists.
type Invoice struct {
	Now func() time.Time // nil: time.Now
}

// Name is "invoice".
func (Invoice) Name() string { return "invoice" }

// Checkout accepts any order with a billing contact and returns the invoice
// reference the billing contact will see.
func (p Invoice) Checkout(ctx context.Context, o Order) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	if strings.TrimSpace(o.BillingName) == "" || !strings.Contains(o.BillingEmail, "@") || o.OrgSlug == "" || o.MonthlyCents < 0 {
		return Receipt{}, ErrInvalidOrder
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	ref := fmt.Sprintf("INV-%s-%s", now().UTC().Format("20060102"), strings.ToUpper(o.OrgSlug))
	msg := "An invoice will be sent to " + o.BillingEmail + ", payable within 30 days by bank transfer."
	if o.PONumber != "" {
		msg = "An invoice quoting purchase order " + o.PONumber + " will be sent to " + o.BillingEmail + ", payable within 30 days by bank transfer."
	}
	return Receipt{Provider: "invoice", Reference: ref, Status: "invoice_pending", Message: msg}, nil
}

// Default is the provider used when none is configured.
func Default() Provider { return Invoice{} }

// Lookup finds a provider by name among ps.
func Lookup(name string, ps ...Provider) (Provider, bool) {
	for _, p := range ps {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
