package store

import (
	"context"
	"testing"

	"gatehouse/internal/access"
)

// BenchmarkLoadAuth is the per-request auth query: session, user, the
// organization named in the URL and the membership in it.
func BenchmarkLoadAuth(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	var userID int64
	if err := s.Write(ctx, func(tx *Tx) error {
		u, err := tx.CreateUser(ctx, "ada@example.com", "Ada Lovelace", "$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
		if err != nil {
			return err
		}
		userID = u.ID
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Products: access.AllProducts(), Seats: 10})
		if err != nil {
			return err
		}
		_, err = tx.AddMember(ctx, o.ID, u.ID, access.RoleAgent, "active", nil)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateSession(ctx, Session{ID: "sess", UserID: userID, IP: "127.0.0.1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)"}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		a, err := s.LoadAuth(ctx, "sess", "acme", 0)
		if err != nil || a.Membership == nil {
			b.Fatal(err, a.Membership)
		}
	}
}
