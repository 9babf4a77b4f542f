package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// The one assembly reads the same layers inside and outside a
// transaction; DecidingLayers leaves the groups out exactly where the
// owner role or individual permissions decide, AllLayers never; and
// MemberLayers is AllLayers with the groups themselves.
func TestMemberInputReadsTheLayersOnce(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org domain.Org
	members := map[string]domain.Membership{}
	var dash access.Set
	dash.Grant(access.ModDashboard, access.View)
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, err = tx.CreateOrg(ctx, NewOrg{Name: "Layer Co", NameKey: "layerco", Slug: "layer-co", Seats: 9}); err != nil {
			return err
		}
		g, err := tx.CreateGroup(ctx, org.ID, "Night", "", dash, "")
		if err != nil {
			return err
		}
		for _, mm := range []struct {
			key    string
			role   access.Role
			status string
			custom *access.Set
		}{
			{"owner", access.RoleOwner, domain.StatusActive, nil},
			{"custom", access.RoleAgent, domain.StatusActive, &access.Set{}},
			{"grouped", access.RoleAgent, domain.StatusActive, nil},
			{"suspended", access.RoleAgent, domain.StatusSuspended, nil},
		} {
			u, err := tx.CreateUser(ctx, mm.key+"@example.test", mm.key, "")
			if err != nil {
				return err
			}
			m, err := tx.AddMember(ctx, org.ID, u.ID, mm.role, mm.status, mm.custom)
			if err != nil {
				return err
			}
			if err := tx.AddGroupMember(ctx, org.ID, g, m.ID); err != nil {
				return err
			}
			members[mm.key] = m
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if org, _ = s.OrgBySlug(ctx, "layer-co"); org.ID == 0 {
		t.Fatal("no org")
	}
	for key, m := range members {
		for _, l := range []Layers{DecidingLayers, AllLayers} {
			reader, err := s.MemberInput(ctx, org, m, l)
			if err != nil {
				t.Fatal(err)
			}
			var inTx access.Input
			if err := s.Write(ctx, func(tx *Tx) error {
				inTx, err = tx.MemberInput(ctx, org, m, l)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(reader.Groups) != len(inTx.Groups) || access.Resolve(reader) != access.Resolve(inTx) ||
				reader.Role != m.Role || reader.Suspended != m.Suspended() || reader.Custom != m.Custom && *reader.Custom != *m.Custom {
				t.Errorf("%s, layers %d: reader %+v, transaction %+v", key, l, reader, inTx)
			}
			wantGroups := l == AllLayers || key == "grouped" || key == "suspended"
			if (len(reader.Groups) == 1) != wantGroups {
				t.Errorf("%s, layers %d: groups %v", key, l, reader.Groups)
			}
		}
		all, groups, err := s.MemberLayers(ctx, org, m)
		if err != nil {
			t.Fatal(err)
		}
		reader, _ := s.MemberInput(ctx, org, m, AllLayers)
		if len(groups) != 1 || groups[0].Name != "Night" || !reflect.DeepEqual(all.Groups, reader.Groups) {
			t.Errorf("%s: MemberLayers %+v %v, MemberInput %+v", key, all, groups, reader)
		}
	}
}

// ActingFor refuses, in words and by reason, an actor whose organization
// or membership is gone, who is suspended, or who lacks the permission.
func TestActingForRefusesTheActorAsReadNow(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var org domain.Org
	var m domain.Membership
	var uid int64
	if err := s.Write(ctx, func(tx *Tx) error {
		crm, err := access.ParseProducts([]string{"crm"})
		if err != nil {
			return err
		}
		if org, err = tx.CreateOrg(ctx, NewOrg{Name: "Act Co", NameKey: "actco", Slug: "act-co", Seats: 9, Products: crm}); err != nil {
			return err
		}
		u, err := tx.CreateUser(ctx, "act@example.test", "Act", "")
		if err != nil {
			return err
		}
		uid = u.ID
		m, err = tx.AddMember(ctx, org.ID, u.ID, access.RoleAgent, domain.StatusActive, &access.Set{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	try := func(want error, code domain.Code, change func(tx *Tx) error) {
		t.Helper()
		err := s.Write(ctx, func(tx *Tx) error {
			if err := change(tx); err != nil {
				return err
			}
			_, err := tx.ActingFor(ctx, org.ID, uid, access.ModCustomers, access.Create)
			return err
		})
		if want == nil {
			if err != nil {
				t.Fatalf("allowed actor: %v", err)
			}
			return
		}
		if e := domain.AsError(err); e == nil || !errors.Is(err, want) || e.Code != code || e.Message == "" {
			t.Fatalf("want %v (%s), got %v", want, code, err)
		}
	}
	none := func(*Tx) error { return nil }
	try(ErrActorLacksPerm, domain.CodeForbidden, none)
	var set access.Set
	set.Grant(access.ModCustomers, access.View)
	set.Grant(access.ModCustomers, access.Create)
	try(nil, "", func(tx *Tx) error { return tx.SetCustom(ctx, org.ID, m.ID, &set) })
	try(ErrActorSuspended, domain.CodeForbidden, func(tx *Tx) error { return tx.SetStatus(ctx, org.ID, m.ID, domain.StatusSuspended) })
	try(ErrActorNotMember, domain.CodeNotFound, func(tx *Tx) error { return tx.RemoveMember(ctx, org.ID, m.ID) })
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.ActingFor(ctx, org.ID+1000, uid, access.ModCustomers, access.Create)
		if !errors.Is(err, ErrActorNoOrg) || !domain.HasCode(err, domain.CodeNotFound) {
			t.Errorf("no organization: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
