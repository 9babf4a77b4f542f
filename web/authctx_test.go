package web_test

import (
	"context"
	"fmt"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The auth context (session, user, organization, membership, permission
// version) is one query, and effective permissions come from a cache keyed
// by the organization's permission version: an authenticated request costs
// the same whether the member is in 1 group or 20, and a change to their
// access costs exactly one extra query on their next request, then none.
//
// The auth part is isolated with the htmx request of a generic module page:
// its handler runs no query and an htmx response has no shell (no
// organization switcher), so the whole request is the auth context.
func TestAuthContextCostsOneQuery(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@example.test", "Olivia Owner", fxPassword)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, owner)
	few := app.Join(org, "few@example.test", "Fay Few", fxPassword, access.RoleAgent)
	many := app.Join(org, "many@example.test", "Manny Many", fxPassword, access.RoleAgent)

	var groupIDs []int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for i := 1; i <= 21; i++ {
			var s access.Set
			s.Grant(access.ModDashboard, access.View)
			s.Grant(access.ModReports, access.View)
			s.Grant(access.ModCustomers, access.View)
			if i == 20 {
				s.Grant(access.ModFlows, access.View) // only the 20-group member gets it
			}
			id, err := tx.CreateGroup(ctx, org.ID, fmt.Sprintf("Group %02d", i), "", s, "")
			if err != nil {
				return err
			}
			groupIDs = append(groupIDs, id)
		}
		if err := tx.AddGroupMember(ctx, org.ID, groupIDs[0], few.ID); err != nil {
			return err
		}
		for _, id := range groupIDs[:20] {
			if err := tx.AddGroupMember(ctx, org.ID, id, many.ID); err != nil {
				return err
			}
		}
		return nil
	})

	clients := map[string]*testkit.Client{
		"few":  app.LoginAs("few@example.test", fxPassword),
		"many": app.LoginAs("many@example.test", fxPassword),
	}
	cost := func(actor, path string, htmx bool, wantStatus int) int64 {
		t.Helper()
		c := clients[actor]
		before := app.DB.QueryCount()
		var r *testkit.Response
		if htmx {
			r = c.GetHTMX(path)
		} else {
			r = c.Get(path)
		}
		n := app.DB.QueryCount() - before
		if r.Status != wantStatus {
			t.Fatalf("%s GET %s: status %d, want %d", actor, path, r.Status, wantStatus)
		}
		return n
	}

	dashboard := map[string]int64{}
	for _, actor := range []string{"few", "many"} {
		// Warm up: fills the permission cache and the "last active" stamp.
		cost(actor, "/o/acme", false, 200)
		cost(actor, "/o/acme", false, 200)

		if n := cost(actor, "/o/acme/reports", true, 200); n != 1 {
			t.Errorf("%s: auth context cost %d queries, want exactly 1", actor, n)
		}
		dashboard[actor] = cost(actor, "/o/acme", false, 200)
	}
	if dashboard["few"] != dashboard["many"] {
		t.Errorf("dashboard costs %d queries in 1 group but %d in 20 groups", dashboard["few"], dashboard["many"])
	}
	// Auth, the organization switcher and the customer counts.
	if dashboard["many"] > 3 {
		t.Errorf("dashboard costs %d queries, want at most 3", dashboard["many"])
	}

	// The 20 groups really are resolved (their union holds flows).
	cost("many", "/o/acme/flows", true, 200)
	cost("few", "/o/acme/flows", true, 403)

	// A change applies on the next request: the auth query runs again (the
	// data version moved, see store.authCache) and one more query reloads
	// the member's groups (however many); then both are cached again.
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.AddGroupMember(ctx, org.ID, groupIDs[19], few.ID); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, org.ID, groupIDs[20], many.ID)
	})
	for _, actor := range []string{"few", "many"} {
		if n := cost(actor, "/o/acme/flows", true, 200); n != 3 {
			t.Errorf("%s: first request after a change cost %d queries, want 3 (data version, auth, groups)", actor, n)
		}
		if n := cost(actor, "/o/acme/flows", true, 200); n != 1 {
			t.Errorf("%s: second request after a change cost %d queries, want 1", actor, n)
		}
	}
}
