package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// Assignees keeps an assignee list per organization version: asked again
// at the same versions it runs no query; a suspension, a reactivation, a
// rename and a change of the organization's products each move a version,
// and the next list (at the versions a request would read) is the
// uncached list.
func TestAssigneesFollowVersions(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	f.mustWrite(t, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET products = ? WHERE id = ?`, productsString(access.AllProducts()), f.acme.ID)
		return err
	})
	at := func() domain.Org {
		t.Helper()
		o, err := f.s.OrgBySlug(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.r.QueryRowContext(ctx, `SELECT perm_version, members_version FROM organizations WHERE id = ?`, o.ID).
			Scan(&o.PermVersion, &o.MembersVersion); err != nil {
			t.Fatal(err)
		}
		o.NextExpiry = domain.NoExpiry // as the auth row reads it: no grant ends
		return o
	}
	names := func(list []Assignee) string {
		var out []string
		for _, a := range list {
			out = append(out, a.Name+" <"+a.Email+">")
		}
		return fmt.Sprint(out)
	}
	check := func(step, want string) {
		t.Helper()
		org := at()
		got, err := f.s.Assignees(ctx, org, access.ModCustomers, 10)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := f.s.ModuleAssignees(ctx, org, access.ModCustomers, 10)
		if err != nil {
			t.Fatal(err)
		}
		if names(got) != want || names(fresh) != want {
			t.Errorf("%s: cached %s, uncached %s, want %s", step, names(got), names(fresh), want)
		}
		n0 := f.s.QueryCount()
		again, err := f.s.Assignees(ctx, org, access.ModCustomers, 10)
		if err != nil || !slices.Equal(again, got) || f.s.QueryCount() != n0 {
			t.Errorf("%s: asked again at the same versions: %s, %d queries, %v", step, names(again), f.s.QueryCount()-n0, err)
		}
	}
	all := "[Ann <ann@acme.test> Bob <bob@acme.test> Cat <cat@acme.test>]"
	check("at first", all)
	f.mustWrite(t, func(tx *Tx) error { return tx.SetStatus(ctx, f.acme.ID, f.bob, domain.StatusSuspended) })
	check("bob suspended", "[Ann <ann@acme.test> Cat <cat@acme.test>]")
	f.mustWrite(t, func(tx *Tx) error { return tx.SetStatus(ctx, f.acme.ID, f.bob, domain.StatusActive) })
	check("bob back", all)
	f.mustWrite(t, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET name = 'Zed' WHERE email = 'ann@acme.test'`)
		return err
	})
	check("ann renamed", "[Bob <bob@acme.test> Cat <cat@acme.test> Zed <ann@acme.test>]")
	// Without the products, nobody opens Customers (the permission version alone moves).
	f.mustWrite(t, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET products = '' WHERE id = ?`, f.acme.ID)
		return err
	})
	check("no products", "[]")
}
