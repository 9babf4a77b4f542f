package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// BenchmarkGroupSave times a group permission save as the grid posts it
// (htmx, token in the header) through the real router, middleware and
// writer: every save is a real change, alternating between two sets, as in
// `make bench`, and posts the form's sync token as a browser does, so the
// answer is the status line alone. It is the in-process counterpart of that scenario, for
// comparing a change's CPU cost without the load generator beside it.
func BenchmarkGroupSave(b *testing.B) {
	app := testkit.NewApp(b)
	owner := app.CreateUser("owner@save.test", "Save Owner", "bench password 123")
	org := app.CreateOrg("Save Org", "save", []string{"crm", "inbox"}, owner)
	var groupID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		groupID, err = tx.CreateGroup(ctx, org.ID, "Night shift", "Covers the night.", testkit.Set(b, "dashboard_view", "chats_view"), "")
		return err
	})
	c := app.LoginAs("owner@save.test", "bench password 123")
	csrf := c.CSRF()
	cookies := []*http.Cookie{{Name: session.CookieName, Value: c.Cookie(session.CookieName)},
		{Name: testkit.CSRFCookie, Value: csrf}}
	path := "/o/save/settings/groups/" + strconv.FormatInt(groupID, 10)
	h := app.Server.Handler()
	// The form's sync token, as a browser posts it back: saves that the
	// form already shows are answered with the status line alone.
	page := httptest.NewRequest(http.MethodGet, path, nil)
	for _, ck := range cookies {
		page.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, page)
	m := regexp.MustCompile(`name="form_sync" value="([0-9a-f]+)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.Fatalf("the group page has no form_sync token: %d %.300s", rec.Code, rec.Body.String())
	}
	forms := [2]string{}
	for i, extra := range [][]string{nil, {"chats_create"}} {
		f := gridForm("Night shift", "Covers the night.", append([]string{"dashboard_view", "chats_view"}, extra...)...)
		f.Set("form_sync", m[1])
		forms[i] = f.Encode()
	}
	save := func(b *testing.B, i int) {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(forms[i%2]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", csrf)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Saved.") || rec.Header().Get("HX-Reswap") != "none" {
			b.Fatalf("save %d: %d %.300s", i, rec.Code, rec.Body.String())
		}
	}
	save(b, 1) // warm: the form and statements
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		save(b, i)
		i++
	}
}
