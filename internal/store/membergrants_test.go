package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// groupGrants is Grants(GroupsOfMember(...)) read cheaper: same groups,
// same order, same sets, on the readers and in a transaction, and a
// permission edit shows at once (the memo is keyed by the document, so an
// edited group decodes its new text).
func TestGroupGrantsMatchesGroupsOfMember(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var m domain.Membership
	var night, sales int64
	var nightSet access.Set
	nightSet.Grant(access.ModCustomers, access.View)
	nightSet.SetFlag(access.FlagCustomersCanAccessAll, true)
	if err := s.Write(ctx, func(tx *Tx) error {
		org, err := tx.CreateOrg(ctx, NewOrg{Name: "Grant Co", NameKey: "grantco", Slug: "grant-co", Seats: 5})
		if err != nil {
			return err
		}
		u, err := tx.CreateUser(ctx, "g@example.test", "G", "")
		if err != nil {
			return err
		}
		if m, err = tx.AddMember(ctx, org.ID, u.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
			return err
		}
		if night, err = tx.CreateGroup(ctx, org.ID, "night shift", "", nightSet, ""); err != nil {
			return err
		}
		var salesSet access.Set
		salesSet.Grant(access.ModCustomers, access.Edit)
		salesSet.Grant(access.ModCustomers, access.View)
		if sales, err = tx.CreateGroup(ctx, org.ID, "Sales", "", salesSet, ""); err != nil {
			return err
		}
		if err := tx.AddGroupMember(ctx, org.ID, sales, m.ID); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, org.ID, night, m.ID)
	}); err != nil {
		t.Fatal(err)
	}
	// checkOn runs on the writer's goroutine too: it returns what is wrong
	// rather than stopping the test there.
	checkOn := func(r reads, want0 access.Set) error {
		groups, err := r.GroupsOfMember(ctx, m.OrgID, m.ID)
		if err != nil {
			return err
		}
		got, err := r.groupGrants(ctx, m.OrgID, m.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, Grants(groups)) {
			return fmt.Errorf("grants %+v, want %+v", got, Grants(groups))
		}
		if len(got) != 2 || got[0].Name != "night shift" || got[0].Set != want0 {
			return fmt.Errorf("grants %+v", got)
		}
		// Scoped: the membership's groups are not another organization's.
		if other, err := r.groupGrants(ctx, m.OrgID+1, m.ID); err != nil || len(other) != 0 {
			return fmt.Errorf("another org: %+v, %v", other, err)
		}
		return nil
	}
	check := func(want0 access.Set) {
		t.Helper()
		if err := checkOn(s.reads, want0); err != nil {
			t.Fatal("readers:", err)
		}
		if err := s.Write(ctx, func(tx *Tx) error { return checkOn(tx.reads, want0) }); err != nil {
			t.Fatal("in a transaction:", err)
		}
	}
	check(nightSet)
	check(nightSet) // from the memo
	var edited access.Set
	edited.Grant(access.ModChats, access.View)
	if err := s.Write(ctx, func(tx *Tx) error {
		return tx.UpdateGroup(ctx, m.OrgID, night, "night shift", "", edited)
	}); err != nil {
		t.Fatal(err)
	}
	check(edited)
}

// The memo gives exactly decodeSet's answer, broken documents included
// (they fail closed to the empty set).
func TestSetDecodeMemo(t *testing.T) {
	var c setDecodeCache
	for _, raw := range []string{`{"customers":{"actions":["view"],"flags":{"canAccessAll":true}}}`, `{}`, `not json`, `{"nope":{}}`, ``} {
		for range 2 {
			if got, want := c.decode([]byte(raw)), decodeSet(raw); got != want {
				t.Errorf("%q: %+v, want %+v", raw, got, want)
			}
		}
	}
	for i := range maxSetDecodes + 10 { // bounded: starts over rather than grow
		c.decode([]byte(`{"x":` + strconv.Itoa(i) + `}`))
	}
	if len(c.entries) > maxSetDecodes {
		t.Errorf("%d entries", len(c.entries))
	}
}
