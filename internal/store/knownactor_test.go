package store

import (
	"context"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A write's Acting reuses the request's effective set only while the
// organization's permission version is the one it was resolved at: any
// change of access in between (here a suspension, then new individual
// permissions) moves the version, and the actor is read and resolved again.
func TestActingReusesTheRequestsSetOnlyAtItsVersion(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	acting := func(ctx context.Context) (a Acting) {
		t.Helper()
		if err := s.Write(ctx, func(tx *Tx) (err error) { a, err = tx.Acting(ctx, m.OrgID, m.UserID); return err }); err != nil {
			t.Fatal(err)
		}
		return a
	}
	real := acting(ctx)
	// A marker set the real layers never give: seen back means reused.
	var marker access.Set
	marker.Grant(access.ModAudit, access.View)
	known := KnownActor{OrgID: m.OrgID, UserID: m.UserID, MembershipID: m.ID, PermVersion: real.Org.PermVersion, NextExpiry: domain.NoExpiry,
		Eff: access.Effective{Layer: access.LayerCustom, Role: m.Role, Set: marker, Products: real.Org.Products}}
	if real.Eff.Set == marker {
		t.Fatal("the fixture's member must not hold exactly the marker set")
	}
	if got := acting(WithKnownActor(ctx, known)); got.Eff.Set != marker {
		t.Fatalf("at the same version the request's set is not reused: %v", got.Eff.Set)
	}
	for name, k := range map[string]KnownActor{
		"another user":       {OrgID: known.OrgID, UserID: known.UserID + 1000, MembershipID: known.MembershipID, PermVersion: known.PermVersion, Eff: known.Eff},
		"another membership": {OrgID: known.OrgID, UserID: known.UserID, MembershipID: known.MembershipID + 1000, PermVersion: known.PermVersion, Eff: known.Eff},
		"an older version":   {OrgID: known.OrgID, UserID: known.UserID, MembershipID: known.MembershipID, PermVersion: known.PermVersion - 1, NextExpiry: domain.NoExpiry, Eff: known.Eff},
		// Same version, but a grant of the organization ended since the
		// request resolved the set (nothing written): resolved again.
		"a grant ended since": {OrgID: known.OrgID, UserID: known.UserID, MembershipID: known.MembershipID, PermVersion: known.PermVersion, NextExpiry: s.Now(), Eff: known.Eff},
		"an unknown next end": {OrgID: known.OrgID, UserID: known.UserID, MembershipID: known.MembershipID, PermVersion: known.PermVersion, Eff: known.Eff},
	} {
		if got := acting(WithKnownActor(ctx, k)); got.Eff.Set == marker {
			t.Errorf("%s: the request's set was reused", name)
		}
	}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.SetStatus(ctx, m.OrgID, m.ID, domain.StatusSuspended) }); err != nil {
		t.Fatal(err)
	}
	if got := acting(WithKnownActor(ctx, known)); got.Eff.Set == marker || !got.Membership.Suspended() {
		t.Fatalf("after a suspension the request's set was reused: %+v", got)
	}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.SetStatus(ctx, m.OrgID, m.ID, domain.StatusActive) }); err != nil {
		t.Fatal(err)
	}
	empty := access.Set{}
	if err := s.Write(ctx, func(tx *Tx) error { return tx.SetCustom(ctx, m.OrgID, m.ID, &empty) }); err != nil {
		t.Fatal(err)
	}
	if got := acting(WithKnownActor(ctx, known)); got.Eff.Set == marker || !got.Eff.Set.IsEmpty() {
		t.Fatalf("after new individual permissions the request's set was reused: %v", got.Eff.Set)
	}
}
