package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/password"
	"gatehouse/internal/testkit"
)

// A failed sign-in costs one argon2id derivation whatever the account: one
// with a password, an unknown address, and an account without a password
// (imported accounts have none until "forgot password"). Counted by what
// runs, not timed: timing would otherwise tell which addresses are
// imported accounts.
func TestFailedSignInRunsOneArgon2idForEveryKindOfAccount(t *testing.T) {
	app := testkit.NewApp(t)
	app.CreateUser("real@dummy.test", "Real", pw)
	app.CreateUser("imported@dummy.test", "Imported", "") // no password hash at all
	c := app.Client()
	c.Get("/login")
	password.Equalize("warm-up") // the dummy hash is made once, on first use

	for _, email := range []string{"real@dummy.test", "nobody@dummy.test", "imported@dummy.test"} {
		before := password.Derivations()
		r := c.Post("/login", url.Values{"email": {email}, "password": {"not the password 1"}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "Email or password is incorrect.") {
			t.Fatalf("%s: status %d, want 401 with the one message", email, r.Status)
		}
		if got := password.Derivations() - before; got != 1 {
			t.Errorf("failed sign-in as %s ran %d argon2id derivations, want 1 like every other", email, got)
		}
	}
	// An empty password against the imported account is no way in either.
	before := password.Derivations()
	if r := c.Post("/login", url.Values{"email": {"imported@dummy.test"}, "password": {""}}); r.Status != http.StatusUnauthorized {
		t.Fatalf("empty password for an account without one: %d, want 401", r.Status)
	}
	if got := password.Derivations() - before; got != 1 {
		t.Errorf("empty password: %d derivations, want 1", got)
	}
	if c.Cookie("gatehouse_session") != "" {
		t.Fatal("a failed sign-in left a session cookie")
	}
}
