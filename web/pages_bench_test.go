package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// BenchmarkPages times the pages other than the members list through the
// real router and middleware, at 1,000 members, 50 groups and 10,000
// customers: each page repeated and "uncached" (the version its data
// caches are keyed by bumped, untimed, before each request), which is the
// figure a markup memo has to pay for itself in.
func BenchmarkPages(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@big.test", "Big Owner", "bench password 123")
	org := app.CreateOrg("Big Org", "big", []string{"crm", "inbox"}, owner)
	seedBig(b, app, org.ID, 1000, 50)
	var team int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000)
			INSERT INTO customers (org_id, name, email, phone, company, assigned_to, created_at)
			SELECT ?1, 'Customer ' || i, 'c' || i || '@example.test', '+1 555 ' || i, 'Company ' || (i % 97),
			 (SELECT MIN(id) FROM memberships WHERE org_id = ?1) + i % 20, 0 FROM s`, org.ID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT id FROM groups WHERE org_id = ? AND name = 'Team 25'`, org.ID).Scan(&team)
	})
	c := app.LoginAs("owner@big.test", "bench password 123")
	cookie := &http.Cookie{Name: session.CookieName, Value: c.Cookie(session.CookieName)}
	h := app.Server.Handler()
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
		}
	}
	bump := func(column string) {
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE organizations SET `+column+` = `+column+` + 1 WHERE id = ?`, org.ID)
			return err
		})
	}
	for _, bc := range []struct{ name, path, version string }{
		{"CustomersPage", "/o/big/customers/all", "customers_version"},
		{"Permissions", "/o/big/settings/groups/" + strconv.FormatInt(team, 10), "perm_version"},
		{"MyPermissions", "/o/big/me/permissions", "perm_version"},
		{"Dashboard", "/o/big", "perm_version"},
		{"Groups", "/o/big/settings/groups", "perm_version"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			get(b, bc.path)
			b.ResetTimer()
			for b.Loop() {
				get(b, bc.path)
			}
		})
		b.Run(bc.name+" uncached", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				bump(bc.version)
				b.StartTimer()
				get(b, bc.path)
			}
		})
	}
}
