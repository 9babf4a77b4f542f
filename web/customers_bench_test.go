package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// BenchmarkCustomersFields times the customers list page, uncached (the
// customers version bumped, untimed, before each request), at 10,000
// customers with every sensitive field filled: for the owner, whose
// projection reads every field (the fast path: nothing to blank), and for
// a member whose projection hides internal notes and the credit limit and
// reads the tax id (every row projected, fewer columns). BenchmarkPages'
// "CustomersPage uncached" is the same page for the owner; run it on the
// commit before the projection for the figure without it.
func BenchmarkCustomersFields(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@big.test", "Big Owner", "bench password 123")
	org := app.CreateOrg("Big Org", "big", []string{"crm", "inbox"}, owner)
	clerk := app.AddMember(org, app.CreateUser("clerk@big.test", "Big Clerk", "bench password 123"), access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000)
			INSERT INTO customers (org_id, name, email, phone, company, assigned_to, created_at, tax_id, credit_limit_cents, internal_notes)
			SELECT ?1, 'Customer ' || i, 'c' || i || '@example.test', '+1 555 ' || i, 'Company ' || (i % 97),
			 (SELECT MIN(id) FROM memberships WHERE org_id = ?1), 0, 'DE-' || (100000 + i), i * 100, 'internal ' || i FROM s`, org.ID); err != nil {
			return err
		}
		var s access.Set
		s.Grant(access.ModDashboard, access.View)
		s.Grant(access.ModCustomers, access.View)
		s.Grant(access.ModCustomers, access.Edit)
		s.SetFlag(access.FlagCustomersCanAccessAll, true)
		s.SetFieldLevel(access.ModCustomers, "tax_id", access.LevelRead)
		s.SetFieldLevel(access.ModCustomers, "internal_notes", access.LevelHidden)
		s.SetFieldLevel(access.ModCustomers, "credit_limit", access.LevelHidden)
		gid, err := tx.CreateGroup(ctx, org.ID, "Ledger", "", s, "")
		if err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, org.ID, gid, clerk.ID)
	})
	h := app.Server.Handler()
	for _, who := range []struct{ name, email string }{{"owner", "owner@big.test"}, {"projected", "clerk@big.test"}} {
		c := app.LoginAs(who.email, "bench password 123")
		cookie := &http.Cookie{Name: session.CookieName, Value: c.Cookie(session.CookieName)}
		b.Run(who.name+" uncached", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				app.BumpVersion(org.ID, "customers_version")
				b.StartTimer()
				req := httptest.NewRequest(http.MethodGet, "/o/big/customers/all", nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}
