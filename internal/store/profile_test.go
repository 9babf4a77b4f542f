package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

func TestProfileUpdateAndEmailChange(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "a@example.test", "A", "")
	other, _ := s.CreateUser(ctx, "b@example.test", "B", "")
	if err := s.UpdateProfile(ctx, u.ID, Profile{Name: "Ann", Phone: "+1 555", JobTitle: "Lead", Location: "Oslo"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.UserByID(ctx, u.ID)
	if got.Name != "Ann" || got.Phone != "+1 555" || got.JobTitle != "Lead" || got.Location != "Oslo" {
		t.Errorf("profile %+v", got)
	}
	if err := s.UpdateProfile(ctx, 9999, Profile{Name: "X"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if err := s.ChangeEmail(ctx, u.ID, " B@Example.test "); !errors.Is(err, ErrConflict) {
		t.Errorf("taken email: %v", err)
	}
	if err := s.ChangeEmail(ctx, u.ID, " New@Example.test "); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(ctx, u.ID); got.Email != "new@example.test" {
		t.Errorf("email %q", got.Email)
	}
	if got, _ := s.UserByID(ctx, other.ID); got.Email != "b@example.test" {
		t.Errorf("other user changed: %q", got.Email)
	}
}

func TestPhotoVersions(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "p@example.test", "P", "")
	if _, _, err := s.Photo(ctx, u.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no photo: %v", err)
	}
	clock := time.UnixMilli(1_700_000_000_000)
	s.SetClock(func() time.Time { return clock })
	v1, err := s.SetPhoto(ctx, u.ID, []byte("one"))
	if err != nil || v1 != clock.UnixMilli() {
		t.Fatalf("v1 = %d, %v", v1, err)
	}
	v2, _ := s.SetPhoto(ctx, u.ID, []byte("two")) // same millisecond: still moves on
	if v2 != v1+1 {
		t.Errorf("v2 = %d, want %d", v2, v1+1)
	}
	data, v, err := s.Photo(ctx, u.ID)
	if err != nil || string(data) != "two" || v != v2 {
		t.Errorf("photo %q v%d %v", data, v, err)
	}
	if err := s.RemovePhoto(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(ctx, u.ID); got.PhotoVersion != 0 {
		t.Errorf("version after remove %d", got.PhotoVersion)
	}
	// Re-uploading after a removal (later than the same millisecond: a person
	// cannot) never reuses a version a browser cached.
	clock = clock.Add(time.Second)
	v3, _ := s.SetPhoto(ctx, u.ID, []byte("three"))
	if v3 <= v2 {
		t.Errorf("v3 = %d, not after v2 = %d", v3, v2)
	}
	if _, err := s.SetPhoto(ctx, 9999, []byte("x")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestGroupsByOrgAndSharesOrg(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a, _ := s.CreateUser(ctx, "a@example.test", "A", "")
	b, _ := s.CreateUser(ctx, "b@example.test", "B", "")
	c, _ := s.CreateUser(ctx, "c@example.test", "C", "")
	var acme, globex domain.Org
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if acme, err = tx.CreateOrg(ctx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Seats: 5}); err != nil {
			return err
		}
		if globex, err = tx.CreateOrg(ctx, NewOrg{Name: "Globex", NameKey: "globex", Slug: "globex", Seats: 5}); err != nil {
			return err
		}
		ma, err := tx.AddMember(ctx, acme.ID, a.ID, access.RoleAgent, domain.StatusActive, nil)
		if err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, acme.ID, b.ID, access.RoleAdmin, domain.StatusActive, nil); err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, globex.ID, a.ID, access.RoleOwner, domain.StatusSuspended, nil); err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, globex.ID, c.ID, access.RoleOwner, domain.StatusActive, nil); err != nil {
			return err
		}
		gs, err := tx.Groups(ctx, acme.ID)
		if err != nil {
			return err
		}
		for _, g := range gs {
			if g.Name == "User" || g.Name == "Guest" {
				if err := tx.AddGroupMember(ctx, acme.ID, g.ID, ma.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GroupsByOrg(ctx, a.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("%d orgs, %v", len(got), err)
	}
	if got[0].Org.Slug != "acme" || got[0].Role != access.RoleAgent || len(got[0].Groups) != 2 || got[0].Groups[0] != "Guest" || got[0].Groups[1] != "User" {
		t.Errorf("acme: %+v", got[0])
	}
	if got[1].Org.Slug != "globex" || got[1].Status != domain.StatusSuspended || len(got[1].Groups) != 0 {
		t.Errorf("globex: %+v", got[1])
	}
	for _, tc := range []struct {
		x, y int64
		want bool
	}{{a.ID, b.ID, true}, {b.ID, a.ID, true}, {a.ID, c.ID, true}, {b.ID, c.ID, false}, {a.ID, a.ID, true}} {
		if ok, err := s.SharesOrg(ctx, tc.x, tc.y); err != nil || ok != tc.want {
			t.Errorf("SharesOrg(%d, %d) = %v, %v", tc.x, tc.y, ok, err)
		}
	}
}

func TestRevokeOtherSessionsAndEachAudit(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "s@example.test", "S", "")
	v, _ := s.CreateUser(ctx, "v@example.test", "V", "")
	for _, id := range []string{"keep", "x1", "x2"} {
		if err := s.CreateSession(ctx, Session{ID: id, UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, Session{ID: "victim", UserID: v.ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.RevokeOtherSessions(ctx, u.ID, "keep"); err != nil || n != 2 {
		t.Fatalf("revoked %d, %v", n, err)
	}
	if ss, _ := s.UserSessions(ctx, u.ID); len(ss) != 1 || ss[0].ID != "keep" {
		t.Errorf("left %+v", ss)
	}
	if _, err := s.SessionByID(ctx, "victim"); err != nil {
		t.Error("another user's session ended")
	}

	var org domain.Org
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if org, err = tx.CreateOrg(ctx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Seats: 5}); err != nil {
			return err
		}
		for i := range 1234 {
			action := "a.even"
			if i%2 == 1 {
				action = "a.odd"
			}
			if err := tx.Audit(ctx, AuditEntry{OrgID: org.ID, Action: action}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := s.EachAudit(ctx, org.ID, AuditFilter{Action: "a.odd", Limit: 3, Before: 10}, func(e AuditEntry) error {
		ids = append(ids, e.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 617 {
		t.Errorf("EachAudit visited %d, want 617 (every odd entry, limit and cursor ignored)", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatal("not newest first / repeated")
		}
	}
	acts, err := s.AuditActions(ctx, org.ID)
	if err != nil || len(acts) < 2 || acts[0] != "a.even" || acts[1] != "a.odd" {
		t.Errorf("actions %v %v", acts, err)
	}
}
