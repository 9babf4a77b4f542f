package access

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckGrant(t *testing.T) {
	all := AllProducts()
	owner := Resolve(Input{Role: RoleOwner, Products: prods(t, "crm")})
	manager := Resolve(Input{Role: RoleManager, Products: all})
	agent := Resolve(Input{Role: RoleAgent, Products: all})
	scoped := Resolve(Input{Role: RoleAgent, Custom: ptr(set(t, "customers_view", "customers_edit", "+customers.canAccessAll")), Products: all})
	suspended := Resolve(Input{Role: RoleOwner, Suspended: true, Products: all})
	cases := []struct {
		name    string
		actor   Effective
		grant   Set
		missing []string // substrings of the error; nil = allowed
	}{
		{"owner grants anything, even outside products", owner, FullSet(), nil},
		{"manager grants a subset", manager, set(t, "customers_view", "customers_edit", "+customers.canAccessAll"), nil},
		{"empty grant is always fine", agent, Set{}, nil},
		{"manager cannot grant delete", manager, set(t, "customers_view", "customers_delete"), []string{"customers_delete"}},
		{"manager cannot grant billing", manager, set(t, "billing_view"), []string{"billing_view"}},
		{"agent cannot grant a flag", agent, set(t, "customers_view", "+customers.canAccessAll"), []string{`"See all customers" (customers.canAccessAll)`}},
		{"custom actor holds its flag", scoped, set(t, "customers_view", "+customers.canAccessAll"), nil},
		{"custom actor lacks its role's other rights", scoped, set(t, "chats_view"), []string{"chats_view"}},
		{"inert grant beyond actor still refused", scoped, set(t, "chats_edit"), []string{"chats_edit"}},
		{"suspended owner grants nothing", suspended, set(t, "dashboard_view"), []string{"dashboard_view"}},
		{"long lists are shortened", agent, FullSet(), []string{"reports_view", "and 79 more"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckGrant(c.actor, c.grant)
			if c.missing == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("allowed")
			}
			if !errors.Is(err, ErrEscalation) {
				t.Errorf("not ErrEscalation: %v", err)
			}
			var ge *GrantError
			if !errors.As(err, &ge) || !ge.Missing.SubsetOf(c.grant) || ge.Missing.IsEmpty() {
				t.Errorf("GrantError.Missing wrong: %v", err)
			}
			for _, m := range c.missing {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%q does not name %q", err, m)
				}
			}
		})
	}
}

func TestCheckRoleChange(t *testing.T) {
	cases := []struct {
		actor, target, next Role
		ok                  bool
	}{
		{RoleOwner, RoleOwner, RoleAdmin, true},
		{RoleOwner, RoleAgent, RoleOwner, true},
		{RoleAdmin, RoleAgent, RoleManager, true},
		{RoleAdmin, RoleAgent, RoleAdmin, true},
		{RoleAdmin, RoleOwner, RoleAdmin, false},
		{RoleAdmin, RoleOwner, RoleOwner, false},
		{RoleAdmin, RoleAgent, RoleOwner, false},
		{RoleManager, RoleAdmin, RoleOwner, false},
		{RoleManager, RoleOwner, RoleAgent, false},
	}
	for _, c := range cases {
		err := CheckRoleChange(c.actor, c.target, c.next)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrEscalation)) {
			t.Errorf("%s changes %s to %s: %v", c.actor, c.target, c.next, err)
		}
		if err != nil && !strings.Contains(err.Error(), "owner") {
			t.Errorf("message does not say why: %v", err)
		}
	}
}

func TestCheckRoleGrant(t *testing.T) {
	crm := prods(t, "crm")
	manager := Resolve(Input{Role: RoleManager, Products: crm})
	admin := Resolve(Input{Role: RoleAdmin, Products: crm})
	owner := Resolve(Input{Role: RoleOwner, Products: crm})
	if err := CheckRoleGrant(manager, RoleAgent); err != nil {
		t.Errorf("manager -> agent: %v", err)
	}
	if err := CheckRoleGrant(manager, RoleAdmin); !errors.Is(err, ErrEscalation) || !strings.Contains(err.Error(), "Admin") {
		t.Errorf("manager -> admin: %v", err)
	}
	// Admin's own set is restricted to products; so is the template it grants.
	if err := CheckRoleGrant(admin, RoleAdmin); err != nil {
		t.Errorf("admin -> admin: %v", err)
	}
	if err := CheckRoleGrant(admin, RoleOwner); !errors.Is(err, ErrEscalation) {
		t.Errorf("admin -> owner: %v", err)
	}
	if err := CheckRoleGrant(owner, RoleOwner); err != nil {
		t.Errorf("owner -> owner: %v", err)
	}
}
