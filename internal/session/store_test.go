package session

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"gatehouse/internal/store"
)

func TestStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, "s@example.com", "S", "hash")
	if err != nil {
		t.Fatal(err)
	}
	st := &Store{DB: db}

	// No cookie: a new, empty session.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	sess, err := st.New(r, CookieName)
	if err != nil || !sess.IsNew || sess.ID != "" {
		t.Fatalf("no cookie: %+v %v", sess, err)
	}
	// Saving a new session needs the user.
	if err := st.Save(r, httptest.NewRecorder(), sess); err == nil {
		t.Fatal("a session without a user was saved")
	}
	sess.Values[UserKey] = u.ID
	sess.AddFlash("success|hello")
	w := httptest.NewRecorder()
	if err := st.Save(r, w, sess); err != nil {
		t.Fatal(err)
	}
	ck := w.Result().Cookies()[0]
	if ck.Name != CookieName || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Value != sess.ID {
		t.Fatalf("cookie: %+v", ck)
	}
	// The row is keyed by the hash, never the token itself.
	if _, err := db.SessionByID(ctx, ck.Value); err == nil {
		t.Fatal("the raw token is a row id")
	}
	row, err := db.SessionByID(ctx, HashToken(ck.Value))
	if err != nil || row.UserID != u.ID {
		t.Fatalf("row: %+v %v", row, err)
	}

	// The cookie brings the values back.
	r2 := httptest.NewRequest(http.MethodGet, "/", nil)
	r2.AddCookie(ck)
	again, err := st.New(r2, CookieName)
	if err != nil || again.IsNew || again.Values[UserKey] != u.ID {
		t.Fatalf("reload: %+v %v", again.Values, err)
	}
	if f := again.Flashes(); len(f) != 1 || f[0] != "success|hello" {
		t.Fatalf("flashes: %v", f)
	}

	// MaxAge < 0 revokes the row and clears the cookie.
	again.Options.MaxAge = -1
	w3 := httptest.NewRecorder()
	if err := st.Save(r2, w3, again); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByID(ctx, HashToken(ck.Value)); err == nil {
		t.Fatal("revoked session still live")
	}
	if c := w3.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("cookie not cleared: %+v", c)
	}
	r4 := httptest.NewRequest(http.MethodGet, "/", nil)
	r4.AddCookie(ck)
	if s4, _ := st.New(r4, CookieName); !s4.IsNew {
		t.Fatal("a revoked cookie still loads a session")
	}
}
