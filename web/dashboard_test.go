package web_test

import (
	"context"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The module cards are cached per permission set: a role change, a removed
// product and a rename each show on the member's next dashboard, and two
// members who share a set share correct cards.
func TestDashboardCardsFollowAccessChanges(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "finance"}, app.CreateUser("owner@example.com", "Olivia", pw))
	m := app.Join(org, "agent@example.com", "Adam", pw, access.RoleAgent)
	app.Join(org, "agent2@example.com", "Bea", pw, access.RoleAgent)
	agent, agent2 := app.LoginAs("agent@example.com", pw), app.LoginAs("agent2@example.com", pw)

	modules := func(c *testkit.Client) string {
		t.Helper()
		r := c.Get("/o/acme")
		if r.Status != 200 {
			t.Fatalf("dashboard: %d", r.Status)
		}
		i := strings.Index(r.Body, `id="modules-title"`)
		if i < 0 {
			t.Fatalf("no modules section: %.300s", r.Body)
		}
		return r.Body[i:]
	}
	tx := func(f func(ctx context.Context, tx *store.Tx) error) { app.Tx(f) }

	if s := modules(agent); strings.Contains(s, "/o/acme/customers/all") || !strings.Contains(s, "/o/acme/customers/mine") {
		t.Fatalf("agent cards: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, org.ID, m.ID, access.RoleManager)
	})
	if s := modules(agent); !strings.Contains(s, "/o/acme/customers/all") {
		t.Fatalf("after becoming manager, no All customers link: %.600s", s)
	}
	if s := modules(agent2); strings.Contains(s, "/o/acme/customers/all") {
		t.Fatalf("the other agent got the manager's cards: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetRole(ctx, org.ID, m.ID, access.RoleFinancial)
	})
	if s := modules(agent); !strings.Contains(s, "/o/acme/financial") {
		t.Fatalf("financial role: no Financial card: %.600s", s)
	}
	tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET products = 'crm' WHERE id = ?`, org.ID)
		return err
	})
	if s := modules(agent); strings.Contains(s, "/o/acme/financial") {
		t.Fatalf("finance product removed, Financial card still shown: %.600s", s)
	}
}
