package web_test

import (
	"encoding/base64"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/testkit"
)

// The bulk-invite page names the values a file may use and offers a
// template, which previews clean; role labels read like keys.
func TestBulkInviteTemplateAndLabels(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	r := owner.Get(fx.url("/import"))
	for _, want := range []string{"Valid roles and groups", "Agent <span class=\"mono\">(agent)</span>", "Manager <span class=\"mono\">(manager)</span>",
		"/o/acme/settings/members/import/template.csv"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("import page lacks %q", want)
		}
	}
	for name := range fx.groups {
		if !strings.Contains(r.Body, name) {
			t.Errorf("import page does not name group %q", name)
		}
	}

	tmpl := owner.Get(fx.url("/import/template.csv"))
	if tmpl.Status != 200 || tmpl.Body != "email,name,role,groups\nana@example.com,Ana Silva,Agent,\n" ||
		!strings.HasPrefix(tmpl.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("template: %d %q", tmpl.Status, tmpl.Body)
	}
	before := fx.snapshot()
	if r := owner.PostFile(fx.url("/import"), "file", "t.csv", []byte(tmpl.Body), nil); r.Status != 200 || strings.Count(r.Body, "Gets an invitation") != 1 {
		t.Fatalf("the template itself does not preview clean: %d %.300s", r.Status, between(r.Body, "bulk-preview", 600))
	}
	labels := "email,name,role,groups\nl1@example.com,L One,Agent,\nl2@example.com,L Two,MANAGER,\nl3@example.com,L Three,sales,\nl4@example.com,L Four,Agents,\n"
	r = owner.PostFile(fx.url("/import"), "file", "l.csv", []byte(labels), nil)
	if r.Status != 422 || strings.Count(r.Body, "Gets an invitation") != 3 || !strings.Contains(r.Body, "unknown role &#34;agents&#34;") {
		t.Fatalf("labels: %d %.600s", r.Status, between(r.Body, "bulk-preview", 900))
	}
	if fx.snapshot() != before {
		t.Fatal("a preview changed the database")
	}

	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Actor: "admin", Path: fx.url("/import/template.csv"), Status: 200, Contains: []string{"email,name,role,groups"}},
		{Actor: "manager", Path: fx.url("/import/template.csv"), Status: http.StatusForbidden},
		{Actor: "agent", Path: fx.url("/import/template.csv"), Status: http.StatusForbidden},
		{Actor: "outsider", Path: fx.url("/import/template.csv"), Status: http.StatusNotFound},
		{Actor: "anonymous", Path: fx.url("/import/template.csv"), Status: http.StatusSeeOther, Location: "/login"},
	})
}

// A file with problems: its bad rows download with a problem column, and
// its valid rows can be invited alone; refusals write nothing.
func TestBulkInviteValidRowsAndProblemsFile(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	file := "email,name,role,groups\n" +
		"good1@example.com,Good One,Agent,\n" +
		"broken,Broken,agent,\n" +
		"good2@example.com,Good Two,sales,\n" +
		"x@example.com,=X,wizard,\n"
	// A new form per request: a client's Post adds its token to the map.
	enc := base64.StdEncoding.EncodeToString([]byte(file))
	carried := func() url.Values { return url.Values{"csv": {enc}} }
	validOnly := func() url.Values { return url.Values{"csv": {enc}, "valid_only": {"1"}} }
	before := fx.snapshot()
	r := owner.PostFile(fx.url("/import"), "file", "p.csv", []byte(file), nil)
	if r.Status != 422 || !strings.Contains(r.Body, "Download 2 rows with problems") || !strings.Contains(r.Body, "Invite the 2 valid rows") {
		t.Fatalf("preview: %d %.400s", r.Status, between(r.Body, "card-footer", 900))
	}

	r = owner.Post(fx.url("/import/problems.csv"), carried())
	if r.Status != 200 {
		t.Fatalf("problems file: %d %.300s", r.Status, r.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "email,name,role,groups,problem" ||
		rows[1][0] != "broken" || !strings.Contains(rows[1][4], "bad email") ||
		rows[2][0] != "x@example.com" || rows[2][1] != "'=X" || !strings.Contains(rows[2][4], `unknown role "wizard"`) {
		t.Fatalf("problems file (%v):\n%s", err, r.Body)
	}
	if fx.snapshot() != before {
		t.Fatal("the problems file changed the database")
	}

	// Without members_create, or another organization's member: nothing.
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Actor: "manager", Method: "POST", Path: fx.url("/import/confirm"), Form: validOnly(), Status: http.StatusForbidden, NotContains: []string{csrfRefusal}},
		{Actor: "manager", Method: "POST", Path: fx.url("/import/problems.csv"), Form: carried(), Status: http.StatusForbidden, NotContains: []string{"broken", csrfRefusal}},
		{Actor: "outsider", Method: "POST", Path: fx.url("/import/problems.csv"), Form: carried(), Status: http.StatusNotFound, NotContains: []string{"broken"}},
		{Actor: "outsider", Method: "POST", Path: fx.url("/import/confirm"), Form: validOnly(), Status: http.StatusNotFound},
	})
	allBad := url.Values{"csv": {base64.StdEncoding.EncodeToString([]byte("broken,B,agent,\n"))}, "valid_only": {"1"}}
	if r := owner.Post(fx.url("/import/confirm"), allBad); r.Status != 422 || !strings.Contains(r.Body, "No row is valid") {
		t.Fatalf("valid-only with no valid row: %d %.300s", r.Status, between(r.Body, "alert", 300))
	}
	if r := owner.Post(fx.url("/import/problems.csv"), url.Values{"csv": {"not base64!"}}); r.Status != 422 {
		t.Fatalf("problems file of a broken form: %d", r.Status)
	}
	if fx.snapshot() != before {
		t.Fatal("a refused bulk invite changed the database")
	}

	r = owner.Post(fx.url("/import/confirm"), validOnly())
	if r.Status != http.StatusSeeOther {
		t.Fatalf("valid-only confirm: %d %.300s", r.Status, between(r.Body, "alert", 300))
	}
	es := fx.audit("invite.create")
	if len(es) != 2 {
		t.Fatalf("invite.create audit rows: %d, want 2", len(es))
	}
	for _, e := range es {
		if !strings.Contains(e.Target, "good") {
			t.Errorf("invited %q", e.Target)
		}
	}
	if r := owner.Follow(r); !strings.Contains(r.Body, "2 invitation(s) sent.") || !strings.Contains(r.Body, "2 row(s) with problems were left out.") {
		t.Fatalf("flash: %.300s", between(r.Body, "flashes", 400))
	}
}
