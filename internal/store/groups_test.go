package store

import (
	"context"
	"errors"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// UpdateGroupContent changes description and permissions, keeps the name,
// and bumps the organization's permission version like any permission
// change (caches of effective permissions are keyed by it); another
// organization's group is not found and nothing changes.
func TestUpdateGroupContent(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var acme, globex domain.Org
	var gid int64
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if acme, err = tx.CreateOrg(ctx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Seats: 5}); err != nil {
			return err
		}
		if globex, err = tx.CreateOrg(ctx, NewOrg{Name: "Globex", NameKey: "globex", Slug: "globex", Seats: 5}); err != nil {
			return err
		}
		gid, err = tx.CreateGroup(ctx, acme.ID, "Night shift", "Covers the night.", access.Set{}, "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		o, err := s.OrgBySlug(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		return o.PermVersion
	}
	before := version()
	var set access.Set
	set.Grant(access.ModCustomers, access.View)
	if err := s.Write(ctx, func(tx *Tx) error { return tx.UpdateGroupContent(ctx, acme.ID, gid, "Evenings too.", set) }); err != nil {
		t.Fatal(err)
	}
	g, err := s.Group(ctx, acme.ID, gid)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "Night shift" || g.Description != "Evenings too." || g.Set != set {
		t.Fatalf("after the update: %q %q %v", g.Name, g.Description, g.Set)
	}
	if after := version(); after != before+1 {
		t.Errorf("perm_version %d -> %d, want one bump", before, after)
	}
	err = s.Write(ctx, func(tx *Tx) error { return tx.UpdateGroupContent(ctx, globex.ID, gid, "Stolen.", access.Set{}) })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("another organization's group: %v, want ErrNotFound", err)
	}
	if g2, _ := s.Group(ctx, acme.ID, gid); g2 != g {
		t.Errorf("the refused update changed the group: %+v", g2)
	}
}
