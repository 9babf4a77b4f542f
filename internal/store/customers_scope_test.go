package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A customer query cannot run without a scope: the zero CustomerScope, own
// scope without a member and a scope without organization are refused by
// every query (ErrNoScope) before any SQL; a valid scope reaches exactly its
// rows, and Mine narrows all to own, never widens.
func TestCustomerQueriesNeedAScope(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org domain.Org
	var m domain.Membership
	var mineID, otherID int64
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, m, err = orgWithAgent(ctx, tx, NewOrg{Name: "Scope Co", NameKey: "scopeco", Slug: "scope-co", Seats: 5}); err != nil {
			return err
		}
		if mineID, err = tx.CreateCustomer(ctx, Customer{OrgID: org.ID, Name: "Mine", AssignedTo: m.ID}); err != nil {
			return err
		}
		otherID, err = tx.CreateCustomer(ctx, Customer{OrgID: org.ID, Name: "Other"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for name, sc := range map[string]CustomerScope{
		"zero":               {},
		"no scope":           CustomersIn(org.ID, 0, m.ID),
		"own without member": CustomersIn(org.ID, access.ScopeOwn, 0),
		"no organization":    CustomersIn(0, access.ScopeAll, 0),
		"unknown scope":      CustomersIn(org.ID, 4, m.ID),
	} {
		_, _, err1 := s.Customers(ctx, sc, CustomerQuery{})
		_, _, err2 := s.Customers(ctx, sc, CustomerQuery{Search: "Mine", Limit: 1})
		_, err3 := s.Customer(ctx, sc, mineID)
		err4 := s.EachCustomer(ctx, sc, "", func(Customer) error { return nil })
		_, _, err5 := s.CustomerCounts(ctx, sc, m.ID)
		err6 := s.Write(ctx, func(tx *Tx) error { return tx.UpdateCustomer(ctx, sc, Customer{ID: mineID, Name: "Changed"}) })
		err7 := s.Write(ctx, func(tx *Tx) error { return tx.DeleteCustomer(ctx, sc, mineID) })
		for i, err := range []error{err1, err2, err3, err4, err5, err6, err7} {
			if !errors.Is(err, ErrNoScope) {
				t.Errorf("%s: query %d: %v, want ErrNoScope", name, i+1, err)
			}
		}
	}
	all := CustomersIn(org.ID, access.ScopeAll, m.ID)
	own := CustomersIn(org.ID, access.ScopeOwn, m.ID)
	if all.Scope() != access.ScopeAll || all != CustomersIn(org.ID, access.ScopeAll, 0) || all.OrgID() != org.ID {
		t.Errorf("all scope keeps the member: %+v", all)
	}
	if all.Mine(m.ID) != own || own.Mine(m.ID) != own || (CustomerScope{}).Mine(m.ID) != (CustomerScope{}) {
		t.Error("Mine is not own scope of the member")
	}
	ids := func(sc CustomerScope) []int64 {
		t.Helper()
		rows, _, err := s.Customers(ctx, sc, CustomerQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(all); !slices.Equal(got, []int64{mineID, otherID}) {
		t.Errorf("all: %v", got)
	}
	if got := ids(own); !slices.Equal(got, []int64{mineID}) {
		t.Errorf("own: %v", got)
	}
	if _, err := s.Customer(ctx, own, otherID); !errors.Is(err, ErrNotFound) {
		t.Errorf("own scope loads another's customer: %v", err)
	}
	if n, mine, err := s.CustomerCounts(ctx, own, m.ID); err != nil || n != 1 || mine != 1 {
		t.Errorf("own counts %d, %d, %v", n, mine, err)
	}
	if n, mine, err := s.CustomerCounts(ctx, all, m.ID); err != nil || n != 2 || mine != 1 {
		t.Errorf("all counts %d, %d, %v", n, mine, err)
	}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.DeleteCustomer(ctx, own, otherID) }); !errors.Is(err, ErrNotFound) {
		t.Errorf("own scope deletes another's customer: %v", err)
	}
}
