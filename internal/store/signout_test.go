package store

import (
	"context"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A member signed out of one organization: every session live then is
// refused there (the cached answer too), accepted everywhere else, and a
// session started afterwards, in the same second, is accepted again.
func TestSignOutOfOrgIsPerOrganizationAndANewSessionWins(t *testing.T) {
	s, _, m := authFixture(t)
	ctx := context.Background()
	var other domain.Org
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if other, err = tx.CreateOrg(ctx, NewOrg{Name: "Globex", NameKey: "globex", Slug: "globex", Seats: 10}); err != nil {
			return err
		}
		_, err = tx.AddMember(ctx, other.ID, m.UserID, access.RoleOwner, domain.StatusActive, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, Session{ID: "phone", UserID: m.UserID}); err != nil {
		t.Fatal(err)
	}
	// Warm the cache: the sign-out must be seen through it.
	for _, id := range []string{"sess", "phone"} {
		if a, err := s.LoadAuth(ctx, id, "acme", 0); err != nil || a.Membership == nil || a.SignedOut {
			t.Fatalf("%s before: %+v %v", id, a, err)
		}
	}
	var n int64
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		n, err = tx.SignOutOfOrg(ctx, m.OrgID, m.UserID)
		return err
	}); err != nil || n != 2 {
		t.Fatalf("signed out %d sessions, %v", n, err)
	}
	for _, id := range []string{"sess", "phone"} {
		for name, load := range map[string]func(context.Context, string, string, int64) (AuthRow, error){"read": s.LoadAuth, "write": s.LoadAuthForWrite} {
			a, err := load(ctx, id, "acme", 0)
			if err != nil || !a.SignedOut || a.Membership != nil || a.Org == nil || a.User.ID != m.UserID {
				t.Fatalf("%s (%s) in acme after the sign-out: signed out %v, membership %+v, %v", id, name, a.SignedOut, a.Membership, err)
			}
			if a, err := load(ctx, id, "globex", 0); err != nil || a.SignedOut || a.Membership == nil {
				t.Fatalf("%s (%s) in globex: %+v %v", id, name, a, err)
			}
			if a, err := load(ctx, id, "", 0); err != nil || a.SignedOut {
				t.Fatalf("%s (%s) outside any organization: %+v %v", id, name, a, err)
			}
		}
	}
	// A sign-in right after (the clock has not moved) is accepted.
	if err := s.CreateSession(ctx, Session{ID: "again", UserID: m.UserID}); err != nil {
		t.Fatal(err)
	}
	if a, err := s.LoadAuth(ctx, "again", "acme", 0); err != nil || a.SignedOut || a.Membership == nil {
		t.Fatalf("a new session in acme: %+v %v", a, err)
	}
	// Signing out again lists the new session too, and nothing twice.
	if err := s.Write(ctx, func(tx *Tx) (err error) {
		n, err = tx.SignOutOfOrg(ctx, m.OrgID, m.UserID)
		return err
	}); err != nil || n != 1 {
		t.Fatalf("second sign-out listed %d sessions, %v", n, err)
	}
}
