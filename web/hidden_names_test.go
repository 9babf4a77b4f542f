package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// A name with a zero-width or bidirectional control character is refused
// wherever a name is accepted, with a message naming the character, and
// nothing is written.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	app := testkit.NewApp(t)
	org, c := app.OwnedOrg("Name Ltd", "nameltd", []string{"crm"}, "owner@example.com", "Owner", tokPW1)
	ctx := context.Background()
	count := func(q string, args ...any) int {
		var n int
		app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.QueryRow(ctx, q, args...).Scan(&n) })
		return n
	}
	refused := func(what string, r *testkit.Response, char string) {
		t.Helper()
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "U+"+char) ||
			!strings.Contains(r.Body, "invisible character") {
			t.Errorf("%s: %d, want 422 naming U+%s; body %.400s", what, r.Status, char, r.Body)
		}
	}

	// Sign-up: "Admin" with a zero-width space inside.
	r := app.Client().Post("/signup", url.Values{"name": {"Ad\u200bmin"}, "email": {"zw@example.com"}, "password": {tokPW2}})
	refused("sign-up", r, "200B")
	if _, err := app.DB.UserByEmail(ctx, "zw@example.com"); err == nil {
		t.Error("sign-up with a hidden character created the account")
	}

	// Profile: a right-to-left override that makes "Owner" read otherwise.
	r = c.Post("/me/profile", url.Values{"name": {"Owner\u202Egnp.exe"}, "phone": {""}, "job_title": {""}, "location": {""}})
	refused("profile", r, "202E")
	if u, _ := app.DB.UserByEmail(ctx, "owner@example.com"); u.Name != "Owner" {
		t.Errorf("profile name changed to %q", u.Name)
	}

	// Invitation with a name.
	r = c.Post("/o/nameltd/settings/members/invite", url.Values{"email": {"inv@example.com"}, "name": {"\ufeffIvy"}, "role": {"agent"}})
	refused("invite", r, "FEFF")
	if n := count(`SELECT COUNT(*) FROM invites WHERE org_id = ?`, org.ID); n != 0 {
		t.Errorf("invite with a hidden character stored %d invitations", n)
	}

	// A bulk invitation file: the row is refused before anything is sent.
	r = c.PostFile("/o/nameltd/settings/members/import", "file", "people.csv",
		[]byte("email,name,role,groups\nbulk@example.com,Bu\u200bllk,agent,\n"), nil)
	refused("bulk invite", r, "200B")
	if n := count(`SELECT COUNT(*) FROM invites WHERE org_id = ?`, org.ID); n != 0 {
		t.Errorf("bulk invite with a hidden character stored %d invitations", n)
	}

	// Group name.
	groupsBefore := count(`SELECT COUNT(*) FROM groups WHERE org_id = ?`, org.ID)
	r = c.Post("/o/nameltd/settings/groups", url.Values{"name": {"Admins\u2066"}, "description": {""}})
	refused("group", r, "2066")
	if n := count(`SELECT COUNT(*) FROM groups WHERE org_id = ?`, org.ID); n != groupsBefore {
		t.Errorf("group with a hidden character created (%d → %d)", groupsBefore, n)
	}

	// Organization name: the wizard's first step and its live check, and
	// the settings page's rename.
	r = c.Post("/orgs/new", url.Values{"step": {"1"}, "name": {"Acme\u2060 Ltd"}})
	refused("wizard", r, "2060")
	if r := c.Get("/orgs/new/check-name?name=" + url.QueryEscape("Acme\u200f")); !strings.Contains(r.Body, "U+200F") {
		t.Errorf("wizard name check: %d %.300s", r.Status, r.Body)
	}
	r = c.Post("/o/nameltd/settings/organization", url.Values{"name": {"Name\u202a Ltd"}, "country": {"DE"}, "city": {"Berlin"},
		"address": {"Hauptstraße 1"}, "vat_id": {"DE123456789"}, "products": {"crm"}, "package": {"business"}})
	refused("organization settings", r, "202A")
	if o, err := app.DB.OrgBySlug(ctx, "nameltd"); err != nil || o.Name != "Name Ltd" {
		t.Errorf("organization renamed: %q %v", o.Name, err)
	}

	// A customer's name and company (the CRM's people).
	r = c.Post("/o/nameltd/customers", url.Values{"name": {"Zed‍Customer"}, "company": {"Acme"}})
	refused("customer name", r, "200D")
	r = c.Post("/o/nameltd/customers", url.Values{"name": {"Zed"}, "company": {"Ac⁢me"}})
	refused("customer company", r, "2062")
	if n := count(`SELECT COUNT(*) FROM customers WHERE org_id = ?`, org.ID); n != 0 {
		t.Errorf("customers with hidden characters stored: %d", n)
	}

	// The billing contact's name, the wizard's last step.
	w := app.LoginAs("owner@example.com", tokPW1)
	wzThroughStep3(t, w, "Bill Ltd", "billltd")
	form := wzStep4("11900")
	form.Set("billing_name", "Ada‮Billing")
	refused("billing contact", w.Post("/orgs/new", form), "202E")
	if wzOrgExists(t, app, "billltd") {
		t.Error("the organization was created with a hidden character in its billing contact")
	}
}
