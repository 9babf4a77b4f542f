package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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

// Every free-text query parameter with a NUL byte or invalid UTF-8 is
// refused with 422 and the message on the page (next to its field where
// the page has one), never a 500, and no query runs with it.
func TestQueryParamsRefuseNULAndInvalidUTF8(t *testing.T) {
	app := testkit.NewApp(t)
	_, c := app.OwnedOrg("Query Ltd", "qltd", []string{"crm"}, "owner@example.com", "Owner", tokPW1)
	var groupID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT g.id FROM groups g JOIN organizations o ON o.id = g.org_id WHERE o.slug = 'qltd' LIMIT 1`).Scan(&groupID)
	})
	group := "/o/qltd/settings/groups/" + strconv.FormatInt(groupID, 10)
	// Page cursors and other parameters that are not free text are not
	// searched; they must not end in a 500 either.
	for _, path := range []string{"/o/qltd/settings/members?after=%00", "/o/qltd/settings/members?before=%ff",
		"/o/qltd/settings/members?role=%00", "/o/qltd/settings/members?sort=%ff", "/o/qltd/customers/all?page=%00",
		"/o/qltd/settings/audit?before=%00", "/orgs/new/check-name?name=%00", "/orgs/new/check-slug?slug=%ff"} {
		if r := c.Get(path); r.Status >= 500 {
			t.Errorf("GET %s: %d", path, r.Status)
		}
	}
	routes := []struct {
		path, param string
		htmx        bool
	}{
		{"/o/qltd/settings/members", "q", false},
		{"/o/qltd/settings/members", "q", true},
		{"/o/qltd/customers/all", "q", false},
		{"/o/qltd/customers/mine", "q", false},
		{"/o/qltd/customers/export.csv", "q", false},
		{"/o/qltd/settings/audit", "actor", false},
		{"/o/qltd/settings/audit", "target", false},
		{"/o/qltd/settings/audit", "action", false},
		{"/o/qltd/settings/audit", "from", false},
		{"/o/qltd/settings/audit", "to", false},
		{"/o/qltd/settings/audit/export.csv", "actor", false},
		{group, "q", false},
		{group + "/candidates", "q", true},
	}
	for _, rt := range routes {
		for _, bad := range []string{"%00", "%ff", "ab%00cd", "%c3%28"} {
			path := rt.path + "?" + rt.param + "=" + bad
			var r *testkit.Response
			if rt.htmx {
				r = c.GetHTMX(path)
			} else {
				r = c.Get(path)
			}
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("GET %s (htmx %v): %d, want 422; body %.300s", path, rt.htmx, r.Status, r.Body)
				continue
			}
			if strings.HasPrefix(rt.path, "/o/qltd/settings/members") && !strings.Contains(r.Body, `id="members-results"`) {
				t.Errorf("GET %s: the members page should answer with its own results and the message above them, not an error page", path)
			}
			if !strings.Contains(r.Body, "not text (invalid UTF-8)") && !strings.Contains(r.Body, "control character") &&
				!strings.Contains(r.Body, "Choose an action from the list") && !strings.Contains(r.Body, "Enter a date as YYYY-MM-DD") {
				t.Errorf("GET %s: the page does not say what is wrong: %.500s", path, r.Body)
			}
		}
	}
}
