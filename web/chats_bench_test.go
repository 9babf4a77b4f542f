package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// BenchmarkChatsList times the conversations list pages as make bench asks
// for them, at 500 teams, 4 channels, 10,000 customers and 20,000
// conversations (a tenth assigned to the agent, most owned by a team):
// All for the owner (first page and the page after 1,000 rows) and Those
// I serve for the agent, each request in full (auth, shell, list, page).
// Repeated requests: the pages, channel and team choices and rendered rows
// the server keeps are warm, as in make bench; "uncached" bumps the
// conversations version (untimed) before each request, as every message of
// a busy inbox does, so the page and the channels are read again (the team
// choices and rows stay). The store's queries alone are internal/store's
// BenchmarkConversations.
func BenchmarkChatsList(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@big.test", "Big Owner", "bench password 123")
	org := app.CreateOrg("Big Org", "big", []string{"crm", "inbox"}, owner)
	var deep string // the cursor after 1,000 rows of All
	agent := app.AddMember(org, app.CreateUser("agent@big.test", "Big Agent", "bench password 123"), access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		for i := range 4 {
			if _, err := tx.CreateChannel(ctx, org.ID, "Channel "+strconv.Itoa(i), "email", nil); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000)
			INSERT INTO customers (org_id, name, email, created_at) SELECT ?1, 'Customer ' || i, 'c' || i || '@example.test', 0 FROM s`, org.ID)
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)
			INSERT INTO teams (org_id, name, name_key, created_at) SELECT ?1, 'Team ' || i, 'team ' || i, 0 FROM s`, org.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)
			INSERT INTO conversations (org_id, customer_id, channel_id, team_id, assigned_to, status, subject, created_at, updated_at)
			SELECT ?1, (SELECT MIN(id) FROM customers WHERE org_id = ?1) + i % 10000, (SELECT MIN(id) FROM channels WHERE org_id = ?1) + i % 4,
			 CASE WHEN i % 7 = 0 THEN NULL ELSE (SELECT MIN(id) FROM teams WHERE org_id = ?1) + i % 500 END,
			 CASE WHEN i % 10 = 0 THEN ?2 END, CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'pending' ELSE 'closed' END,
			 'Order ' || i, 0, 1000000 + i * 7 % 20000 FROM s`, org.ID, agent.ID)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT updated_at || '.' || id FROM conversations WHERE org_id = ?
			ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET 999`, org.ID).Scan(&deep)
	})
	h := app.Server.Handler()
	for _, c := range []struct {
		name, email, path string
		uncached          bool
	}{
		{"all", "owner@big.test", "/o/big/chats/all", false},
		{"deep", "owner@big.test", "/o/big/chats/all?before=" + deep, false},
		{"mine", "agent@big.test", "/o/big/chats/mine", false},
		{"all uncached", "owner@big.test", "/o/big/chats/all", true},
		{"deep uncached", "owner@big.test", "/o/big/chats/all?before=" + deep, true},
	} {
		cl := app.LoginAs(c.email, "bench password 123")
		cookie := &http.Cookie{Name: session.CookieName, Value: cl.Cookie(session.CookieName)}
		b.Run(c.name, func(b *testing.B) { benchPage(b, app, h, cookie, c.path, c.uncached, org.ID) })
	}
}

// benchPage times GET path with cookie; uncached bumps orgID's
// conversations version (untimed) before each request.
func benchPage(b *testing.B, app *testkit.App, h http.Handler, cookie *http.Cookie, path string, uncached bool, orgID int64) {
	size := 0
	for b.Loop() {
		if uncached {
			b.StopTimer()
			app.Tx(func(ctx context.Context, tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE organizations SET conversations_version = conversations_version + 1 WHERE id = ?`, orgID)
				return err
			})
			b.StartTimer()
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "B/answer")
}

// BenchmarkChatsThread times a conversation's page with 200 messages (a
// few authors, a reply channel) for its owner, in full: "kept" repeats it
// (the rendered thread the server keeps is warm, as in make bench),
// "uncached" bumps the conversations version before each request, as
// every message does, so the thread is read and rendered again.
func BenchmarkChatsThread(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@thread.test", "Thread Owner", "bench password 123")
	org := app.CreateOrg("Thread Org", "thread", []string{"crm", "inbox"}, owner)
	var conv int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		ch, err := tx.CreateChannel(ctx, org.ID, "Mail", "email", nil)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO customers (org_id, name, email, created_at) VALUES (?, 'Carla Customer', 'carla@example.test', 0)`, org.ID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO conversations (org_id, customer_id, channel_id, status, subject, created_at, updated_at)
			VALUES (?1, (SELECT MIN(id) FROM customers WHERE org_id = ?1), ?2, 'open', 'A long thread', 0, 0) RETURNING id`, org.ID, ch).Scan(&conv); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200)
			INSERT INTO messages (org_id, conversation_id, author_id, kind, body, channel_id, sent_state, created_at)
			SELECT ?1, ?2, CASE WHEN i % 3 = 0 THEN NULL ELSE (SELECT MIN(id) FROM memberships WHERE org_id = ?1) END,
			 CASE WHEN i % 3 = 1 THEN 'note' ELSE 'reply' END, 'Message number ' || i || ' of a long thread, with some words in it.',
			 CASE WHEN i % 3 = 1 THEN NULL ELSE ?3 END, CASE WHEN i % 3 = 1 THEN '' ELSE 'sent' END, 1000000 + i * 60 FROM s`, org.ID, conv, ch)
		return err
	})
	h := app.Server.Handler()
	cl := app.LoginAs("owner@thread.test", "bench password 123")
	cookie := &http.Cookie{Name: session.CookieName, Value: cl.Cookie(session.CookieName)}
	path := "/o/thread/chats/" + strconv.FormatInt(conv, 10)
	for _, uncached := range []bool{false, true} {
		name := "kept"
		if uncached {
			name = "uncached"
		}
		b.Run(name, func(b *testing.B) { benchPage(b, app, h, cookie, path, uncached, org.ID) })
	}
}
