package store

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"gatehouse/internal/access"
)

// MemberGroupGrants is Grants(MemberGroups(...)) read cheaper: same groups,
// same order, same sets, and a permission edit shows at once (the memo is
// keyed by the document, so an edited group decodes its new text).
func TestMemberGroupGrantsMatchesMemberGroups(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var m Membership
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
		if m, err = tx.AddMember(ctx, org.ID, u.ID, access.RoleAgent, StatusActive, nil); err != nil {
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
	check := func(want0 access.Set) {
		t.Helper()
		groups, err := s.MemberGroups(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.MemberGroupGrants(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, Grants(groups)) {
			t.Fatalf("grants %+v, want %+v", got, Grants(groups))
		}
		if len(got) != 2 || got[0].Name != "night shift" || got[0].Set != want0 {
			t.Fatalf("grants %+v", got)
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
