package payment

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestInvoiceCheckout(t *testing.T) {
	p := Invoice{Now: func() time.Time { return time.Date(2025, 11, 7, 12, 0, 0, 0, time.UTC) }}
	if p.Name() != "invoice" {
		t.Fatalf("name %q", p.Name())
	}
	o := Order{OrgName: "Acme", OrgSlug: "acme", Package: "team", Seats: 25, MonthlyCents: 9900, Currency: "EUR",
		BillingName: "Ada", BillingEmail: "billing@acme.test", PONumber: "PO-7"}
	r, err := p.Checkout(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Provider != "invoice" || r.Reference != "INV-20251107-ACME" || r.Status != "invoice_pending" ||
		!strings.Contains(r.Message, "billing@acme.test") || !strings.Contains(r.Message, "PO-7") {
		t.Errorf("receipt %+v", r)
	}
	for _, bad := range []Order{
		{OrgSlug: "acme", BillingEmail: "b@x.test"},
		{OrgSlug: "acme", BillingName: "Ada", BillingEmail: "nope"},
		{BillingName: "Ada", BillingEmail: "b@x.test"},
		{OrgSlug: "acme", BillingName: "Ada", BillingEmail: "b@x.test", MonthlyCents: -1},
	} {
		if _, err := p.Checkout(context.Background(), bad); !errors.Is(err, ErrInvalidOrder) {
			t.Errorf("Checkout(%+v) err = %v", bad, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Checkout(ctx, o); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if got, ok := Lookup("invoice", Default()); !ok || got.Name() != "invoice" {
		t.Error("Lookup(invoice) failed")
	}
	if _, ok := Lookup("card", Default()); ok {
		t.Error("Lookup(card) found a provider")
	}
}

func TestLooksLikeCardNumber(t *testing.T) {
	cards := []string{"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444",
		"378282246310005", "my card is 4111111111111111 thanks", "6011111111111117", "4111111111111111 ", "4111  1111 - 1111 1111"}
	for _, s := range cards {
		if !LooksLikeCardNumber(s) {
			t.Errorf("%q not recognized", s)
		}
	}
	notCards := []string{"", "4111111111111112", "DE123456789", "GB123456789012", "123456789012", "PO-2025-17",
		"+49 30 1234567", "41111111111111111111111", "SE123456789701", "1 Main Street"}
	for _, s := range notCards {
		if LooksLikeCardNumber(s) {
			t.Errorf("%q taken for a card", s)
		}
	}
}

func TestCardData(t *testing.T) {
	clean := url.Values{"_csrf": {"4111111111111111"}, "billing_name": {"Ada"}, "po_number": {"PO-1"}, "card_holder": {""}}
	if f, ok := CardData(clean); ok {
		t.Errorf("clean form flagged at %q", f)
	}
	cases := map[string]url.Values{
		"po_number":   {"po_number": {"4111 1111 1111 1111"}},
		"card_number": {"card_number": {"1234"}},
		"cvv":         {"billing_name": {"Ada"}, "cvv": {"123"}},
		"cc-exp":      {"cc-exp": {"12/30"}},
		"name":        {"name": {"Acme 5555555555554444"}},
	}
	for want, form := range cases {
		if f, ok := CardData(form); !ok || f != want {
			t.Errorf("CardData(%v) = %q, %v; want %q", form, f, ok, want)
		}
	}
}
