package store

import (
	"context"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// The list reads the photo version from the membership's copy (migration
// 3): a new photo shows in every organization's list at once, and a member
// added later starts with the user's current version, whatever the sort.
func TestMemberListPhotoVersionFollowsUser(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var userID, orgA, orgB int64
	if err := s.Write(ctx, func(tx *Tx) error {
		u, err := tx.CreateUser(ctx, "pic@example.com", "Pic Ture", "")
		if err != nil {
			return err
		}
		userID = u.ID
		a, err := tx.CreateOrg(ctx, NewOrg{Name: "A", NameKey: "a", Slug: "aaa", Seats: 5})
		if err != nil {
			return err
		}
		orgA = a.ID
		if _, err := tx.AddMember(ctx, a.ID, u.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET photo_version = 3 WHERE id = ?`, u.ID)
		if err != nil {
			return err
		}
		b, err := tx.CreateOrg(ctx, NewOrg{Name: "B", NameKey: "b", Slug: "bbb", Seats: 5})
		if err != nil {
			return err
		}
		orgB = b.ID
		_, err = tx.AddMember(ctx, b.ID, u.ID, access.RoleAgent, domain.StatusActive, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, org := range []int64{orgA, orgB} {
		for _, sort := range []string{SortName, SortEmail, SortRole, SortActive} {
			for _, q := range []MemberQuery{{Sort: sort}, {Sort: sort, Search: "pic"}, {Sort: sort, Search: "ture"}} {
				page, err := s.ListMembers(ctx, org, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Rows) != 1 || page.Rows[0].UserID != userID || page.Rows[0].PhotoVersion != 3 {
					t.Fatalf("org %d, %+v: rows %+v, want the user with photo version 3", org, q, page.Rows)
				}
			}
		}
	}
}
