package web_test

import (
	"context"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The members filter's group list is cached per permission version: a group
// created, renamed or deleted shows (or goes) on the very next page.
func TestMembersGroupFilterFollowsGroupChanges(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("own@example.com", "Own", pw)
	org := app.CreateOrg("Cache Co", "cache-co", []string{"crm"}, owner)
	c := app.LoginAs("own@example.com", pw)
	page := func() string {
		r := c.Get("/o/cache-co/settings/members")
		if r.Status != 200 {
			t.Fatalf("members page: %d", r.Status)
		}
		return r.Body
	}
	if strings.Contains(page(), "Zeta team") {
		t.Fatal("group listed before it exists")
	}
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		id, err = tx.CreateGroup(ctx, org.ID, "Zeta team", "", access.Set{}, "")
		return err
	})
	if !strings.Contains(page(), "Zeta team") {
		t.Fatal("a new group is missing from the filter")
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.UpdateGroup(ctx, org.ID, id, "Omega team", "", access.Set{})
	})
	if body := page(); strings.Contains(body, "Zeta team") || !strings.Contains(body, "Omega team") {
		t.Fatal("a renamed group is stale in the filter")
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.DeleteGroup(ctx, org.ID, id) })
	if strings.Contains(page(), "Omega team") {
		t.Fatal("a deleted group is still in the filter")
	}
}
