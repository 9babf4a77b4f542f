package store

import (
	"context"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// The sensitive columns round-trip (an unset credit limit stays unset, not
// 0.00), a search matches a field only when the projection reads it, and a
// sort on a field the projection cannot read is the default order.
func TestCustomerFieldsSearchAndSort(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org domain.Org
	ids := map[string]int64{}
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, _, err = orgWithAgent(ctx, tx, NewOrg{Name: "Fields Co", NameKey: "fieldsco", Slug: "fields-co", Seats: 5}); err != nil {
			return err
		}
		for _, c := range []Customer{
			{Name: "Carla", TaxID: "DE-111", CreditLimit: domain.Cents(500000), InternalNotes: "secret zebra"},
			{Name: "Bert", TaxID: "DE-333", CreditLimit: domain.Cents(0)},
			{Name: "Anna", TaxID: "DE-222"},
		} {
			c.OrgID = org.ID
			if ids[c.Name], err = tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	all := CustomersIn(org.ID, access.ScopeAll, 0)
	carla, err := s.Customer(ctx, all, ids["Carla"])
	if err != nil || carla.TaxID != "DE-111" || carla.CreditLimit != domain.Cents(500000) || carla.InternalNotes != "secret zebra" ||
		carla.FieldValue("credit_limit") != "5000.00" {
		t.Fatalf("carla %+v, %v", carla, err)
	}
	if anna, _ := s.Customer(ctx, all, ids["Anna"]); anna.CreditLimit.Set || anna.FieldValue("credit_limit") != "" {
		t.Errorf("an unset limit reads %+v", anna.CreditLimit)
	}
	names := func(q CustomerQuery) []string {
		t.Helper()
		rows, _, err := s.Customers(ctx, all, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Name)
		}
		var exported []string
		if err := s.EachCustomerOf(ctx, all, q, func(c Customer) error { exported = append(exported, c.Name); return nil }); err != nil {
			t.Fatal(err)
		}
		if q.Limit == 0 && !slices.Equal(out, exported) {
			t.Errorf("%+v: list %v, export %v", q, out, exported)
		}
		return out
	}
	set := func(levels ...string) access.Projection {
		var custom access.Set
		custom.Grant(access.ModCustomers, access.View)
		custom.Grant(access.ModCustomers, access.Edit)
		for i := 0; i+1 < len(levels); i += 2 {
			l, _ := access.ParseLevel(levels[i+1])
			custom.SetFieldLevel(access.ModCustomers, levels[i], l)
		}
		return access.Resolve(access.Input{Role: access.RoleAgent, Custom: &custom, Products: access.AllProducts()}).Projection(access.ModCustomers)
	}
	reads, hides := set("tax_id", "read", "credit_limit", "read"), set("tax_id", "hidden", "credit_limit", "hidden")
	for _, c := range []struct {
		q    CustomerQuery
		want []string
	}{
		{CustomerQuery{Search: "DE-2"}, []string{"Anna"}}, // the zero projection reads every field
		{CustomerQuery{Search: "DE-2", Fields: reads}, []string{"Anna"}},
		{CustomerQuery{Search: "DE-2", Fields: hides}, nil},
		{CustomerQuery{Search: "zebra"}, nil}, // internal notes are never searched
		{CustomerQuery{Search: "an", Fields: set("name", "hidden")}, nil},
		{CustomerQuery{Search: "an", Fields: hides}, []string{"Anna"}},
		{CustomerQuery{Sort: "tax_id", Fields: reads}, []string{"Carla", "Anna", "Bert"}},
		{CustomerQuery{Sort: "tax_id", Desc: true, Fields: reads}, []string{"Bert", "Anna", "Carla"}},
		{CustomerQuery{Sort: "credit_limit", Fields: reads}, []string{"Bert", "Carla", "Anna"}},
		{CustomerQuery{Sort: "credit_limit", Desc: true, Fields: reads}, []string{"Carla", "Bert", "Anna"}},
		{CustomerQuery{Sort: "tax_id", Fields: hides}, []string{"Anna", "Bert", "Carla"}},
		{CustomerQuery{Sort: "credit_limit", Desc: true, Fields: hides}, []string{"Anna", "Bert", "Carla"}},
		{CustomerQuery{Sort: "internal_notes"}, []string{"Anna", "Bert", "Carla"}},
		{CustomerQuery{Sort: "name", Desc: true}, []string{"Carla", "Bert", "Anna"}},
		{CustomerQuery{Sort: "tax_id", Fields: reads, Offset: 1, Limit: 1}, []string{"Anna"}},
	} {
		if got := names(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
}
