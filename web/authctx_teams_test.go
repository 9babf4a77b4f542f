package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/views/customers"
)

// Team scope costs no query of its own: for a supervisor in three teams the
// auth context is still the one query (whether the organization has teams
// is read with it, the member's teams are a subquery of the list's SQL),
// and a repeated "My teams" page costs what "Those I serve" does. The
// `make bench` row "customers, My teams" relies on this.
func TestTeamScopeKeepsAuthContextOneQuery(t *testing.T) {
	app := testkit.NewApp(t)
	owner := app.CreateUser("owner@example.test", "Olivia Owner", fxPassword)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm"}, owner)
	sup := app.AddMember(org, app.CreateUser("sup@example.test", "Sam Supervisor", fxPassword), access.RoleSupervisor)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for i := range 5 {
			team, err := tx.CreateTeam(ctx, org.ID, fmt.Sprintf("Team %d", i), "")
			if err != nil {
				return err
			}
			if i < 3 {
				if _, err := tx.AddTeamMember(ctx, org.ID, team, sup.ID); err != nil {
					return err
				}
			}
			for j := range 12 {
				c := store.Customer{OrgID: org.ID, Name: fmt.Sprintf("Customer %d-%02d", i, j), TeamID: team}
				if j == 0 {
					c.AssignedTo = sup.ID
				}
				if _, err := tx.CreateCustomer(ctx, c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	c := app.LoginAs("sup@example.test", fxPassword)
	// cost is the queries of one GET: a page, or (fragment) the list's
	// results as live search and paging fetch them, with no shell.
	cost := func(path string, fragment bool) int64 {
		t.Helper()
		before := app.DB.QueryCount()
		var r *testkit.Response
		if fragment {
			c.Header.Set("HX-Target", customers.ResultsID)
			r = c.GetHTMX(path)
			c.Header.Del("HX-Target")
		} else {
			r = c.Get(path)
		}
		if r.Status != 200 {
			t.Fatalf("GET %s: status %d", path, r.Status)
		}
		return app.DB.QueryCount() - before
	}
	team, mine := "/o/acme/customers/team", "/o/acme/customers/mine"
	for _, p := range []string{team, mine} { // warm up: permissions, last active, list caches
		cost(p, false)
		cost(p, false)
	}
	if n := cost("/o/acme/reports", true); n != 1 {
		t.Errorf("supervisor in 3 teams: auth context cost %d queries, want exactly 1", n)
	}
	if n := cost(team, true); n != 1 {
		t.Errorf("a repeated My teams page of results cost %d queries, want 1 (the auth context; the page is cached)", n)
	}
	if nt, nm := cost(team, false), cost(mine, false); nt != nm {
		t.Errorf("a repeated My teams page costs %d queries, Those I serve %d", nt, nm)
	}
	// The list really is the team scope: the 3 teams' 36 customers and the
	// supervisor's own first customer of the two other teams, on two pages.
	p1, p2 := c.Get(team).Body, c.Get(team+"?page=2").Body
	for _, name := range []string{"Customer 0-00", "Customer 2-11", "Customer 3-00", "Customer 4-00"} {
		if !strings.Contains(p1+p2, name+"<") {
			t.Errorf("My teams lacks %s", name)
		}
	}
	if strings.Contains(p1+p2, "Customer 3-01") || strings.Contains(p1+p2, "Customer 4-11") {
		t.Error("My teams lists customers of a team the supervisor is not in")
	}
}
