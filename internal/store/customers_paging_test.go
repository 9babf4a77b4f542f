package store

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// Pages (the first one read directly, later ones through the index-only
// offset) put together are exactly the full list, in the same order, for
// both scopes and with a search; names that tie case-insensitively are
// ordered by id. Each row carries its assignee's current name.
func TestCustomerPagesMatchTheFullList(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org, other domain.Org
	var m domain.Membership
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, m, err = orgWithAgent(ctx, tx, NewOrg{Name: "Page Co", NameKey: "pageco", Slug: "page-co", Seats: 5}); err != nil {
			return err
		}
		if other, err = tx.CreateOrg(ctx, NewOrg{Name: "Other Co", NameKey: "otherco", Slug: "other-co", Seats: 5}); err != nil {
			return err
		}
		names := []string{"bravo", "Alpha", "alpha", "ALPHA", "charlie", "Delta", "echo", "Bravo"}
		for i := range 53 {
			c := Customer{OrgID: org.ID, Name: names[i%len(names)] + " " + strconv.Itoa(i%5), Email: "c" + strconv.Itoa(i) + "@example.test"}
			if i%3 == 0 {
				c.AssignedTo = m.ID
			}
			if _, err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
			if _, err := tx.CreateCustomer(ctx, Customer{OrgID: other.ID, Name: c.Name}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		sc     CustomerScope
		search string
	}{
		{"all", CustomersIn(org.ID, access.ScopeAll, 0), ""},
		{"mine", CustomersIn(org.ID, access.ScopeOwn, m.ID), ""},
		{"search", CustomersIn(org.ID, access.ScopeAll, 0), "alpha"},
	} {
		full, total, err := s.Customers(ctx, tc.sc, CustomerQuery{Search: tc.search})
		if err != nil || total != len(full) || total < 10 {
			t.Fatalf("%s: %d rows, total %d, %v", tc.name, len(full), total, err)
		}
		for _, per := range []int{1, 7, 25} {
			var paged []Customer
			for off := 0; off < total+per; off += per {
				rows, n, err := s.Customers(ctx, tc.sc, CustomerQuery{Search: tc.search, Offset: off, Limit: per})
				if err != nil || n != total || len(rows) > per {
					t.Fatalf("%s offset %d: %d rows, total %d, %v", tc.name, off, len(rows), n, err)
				}
				paged = append(paged, rows...)
			}
			if !reflect.DeepEqual(paged, full) {
				t.Errorf("%s, %d a page: pages differ from the full list", tc.name, per)
			}
		}
		for i, c := range full {
			if c.OrgID != org.ID {
				t.Errorf("%s: row %d of org %d", tc.name, i, c.OrgID)
			}
			if i > 0 && full[i-1].Name == c.Name && full[i-1].ID > c.ID {
				t.Errorf("%s: tie %q not ordered by id", tc.name, c.Name)
			}
		}
	}
	// The assignee's name follows a rename of the user.
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET name = 'Ada Renamed' WHERE id = ?`, m.UserID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	mine, _, _ := s.Customers(ctx, CustomersIn(org.ID, access.ScopeOwn, m.ID), CustomerQuery{Offset: 2, Limit: 3})
	if len(mine) != 3 || mine[0].AssigneeName != "Ada Renamed" {
		t.Fatalf("mine page: %+v", mine)
	}
	if cu, err := s.Customer(ctx, CustomersIn(org.ID, access.ScopeAll, 0), mine[0].ID); err != nil || cu.AssigneeName != "Ada Renamed" {
		t.Fatalf("customer: %+v %v", cu, err)
	}
}
