package web_test

import (
	"context"
	"fmt"
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

// The list names each member's groups from the cached group list: joining
// a group, a rename and leaving show on the very next page, full or
// results-only, and the filter keeps the chosen group selected under its
// current name.
func TestMembersListGroupsFollowGroupChanges(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("own@example.com", "Own", pw)
	org := app.CreateOrg("Cache Co", "cache-co", []string{"crm"}, owner)
	gina := app.AddMember(org, app.CreateUser("gina@example.com", "Gina Group", pw), access.RoleAgent)
	c := app.LoginAs("own@example.com", pw)
	// row returns Gina's table row, from the full page or the htmx results.
	row := func(path string, htmx bool) string {
		t.Helper()
		var r *testkit.Response
		if htmx {
			r = getResults(app, c, path)
		} else {
			r = c.Get(path)
		}
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		i := strings.Index(r.Body, fmt.Sprintf(`data-member-id="%d"`, gina.ID))
		if i < 0 {
			t.Fatalf("%s: no row for Gina", path)
		}
		return r.Body[i : i+strings.Index(r.Body[i:], "</tr>")]
	}
	list := "/o/cache-co/settings/members"
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		id, err = tx.CreateGroup(ctx, org.ID, "Night shift", "", access.Set{}, "")
		return err
	})
	// The group is now in the cached list; Gina is not in it yet.
	for _, htmx := range []bool{false, true} {
		if strings.Contains(row(list, htmx), "Night shift") {
			t.Fatal("group shown before Gina joined it")
		}
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.AddGroupMember(ctx, org.ID, id, gina.ID) })
	for _, htmx := range []bool{false, true} {
		if !strings.Contains(row(list, htmx), "Night shift") {
			t.Fatalf("htmx=%v: Gina's new group is missing from her row", htmx)
		}
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.UpdateGroup(ctx, org.ID, id, "Day shift", "", access.Set{})
	})
	for _, htmx := range []bool{false, true} {
		if r := row(list, htmx); strings.Contains(r, "Night shift") || !strings.Contains(r, "Day shift") {
			t.Fatalf("htmx=%v: the renamed group is stale in Gina's row: %s", htmx, r)
		}
	}
	filtered := fmt.Sprintf("%s?group=%d", list, id)
	body := c.Get(filtered).Body
	if !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Day shift</option>`, id)) || strings.Contains(body, "Night shift") {
		t.Fatalf("the filter does not show the chosen group selected under its name: %s", between(body, "members-group", 600))
	}
	if strings.Count(body, " selected>") != 2 { // the group and the sort
		t.Fatalf("selected options: %d", strings.Count(body, " selected>"))
	}
	app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.RemoveGroupMember(ctx, org.ID, id, gina.ID) })
	for _, htmx := range []bool{false, true} {
		if strings.Contains(row(list, htmx), "Day shift") {
			t.Fatalf("htmx=%v: Gina left the group but her row still shows it", htmx)
		}
	}
}
