package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// A guard's 403 names the missing permission and the layer that decides
// it, and offers the first page open to the member and My Permissions; a
// refusal that is not the member's (404, suspended) says none of it.
func TestForbiddenPageNamesWhatIsMissing(t *testing.T) {
	app := testkit.NewDemoApp(t)
	clients := map[string]*testkit.Client{}
	for _, who := range []string{demo.AgentEmail, demo.AgentLimitedEmail, demo.SuspendedEmail} {
		clients[who] = app.LoginAs(who, demo.Password)
	}
	testkit.Run(t, app, clients, []testkit.Scenario{
		{Name: "groups layer", Actor: demo.AgentEmail, Path: "/o/acme/settings/members", Status: http.StatusForbidden,
			Contains: []string{"Members: View", "Your permission groups (", demo.GroupNightShift, "none of them grants it",
				`href="/o/acme"`, "Go to Dashboard", `href="/o/acme/me/permissions"`}},
		{Name: "scope flag", Actor: demo.AgentEmail, Path: "/o/acme/customers/all", Status: http.StatusForbidden,
			Contains: []string{"See all customers", "none of them grants it"}},
		{Name: "role layer", Actor: demo.AgentLimitedEmail, Path: "/o/acme/settings/groups", Status: http.StatusForbidden,
			Contains: []string{"Permission groups: View", "The template of your role Agent (limited) decides your access"}, NotContains: []string{"permission groups ("}},
		{Name: "another organization", Actor: demo.AgentEmail, Path: "/o/globex/settings/members", Status: http.StatusNotFound,
			NotContains: []string{"Missing permission", "Members: View", "/o/globex/me/permissions"}},
		{Name: "suspended", Actor: demo.SuspendedEmail, Path: "/o/acme/settings/members", Status: http.StatusForbidden,
			Contains: []string{"suspended"}, NotContains: []string{"Missing permission", "Members: View", "Go to Dashboard"}},
		// The htmx fragment carries the same reason.
		{Name: "htmx fragment", Actor: demo.AgentEmail, Path: "/o/acme/settings/members", HTMX: true, Status: http.StatusForbidden,
			Contains: []string{"Members: View"}, NotContains: []string{"<html"}},
	})
}

// An upload over the server's body limit gets the error page in words,
// with the limit, never a bare 413; the photo input carries its own limit
// and the server's refusal for the browser's check (static/js/forms.js).
func TestTooLargeUploadIsExplained(t *testing.T) {
	app := testkit.NewDemoApp(t)
	c := app.LoginAs(demo.OwnerEmail, demo.Password)
	if r := c.Get("/me/profile"); !strings.Contains(r.Body, `data-max-bytes="5242880"`) ||
		!strings.Contains(r.Body, "The photo is larger than 5 MB") {
		t.Fatalf("the photo input lacks its limit; body %.300s", r.Body)
	}
	req, err := http.NewRequest(http.MethodPost, app.URL+"/me/profile/photo", strings.NewReader(strings.Repeat("x", 9<<20)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	r := c.Do(req)
	if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "That upload is too large") ||
		!strings.Contains(r.Body, "8 MB at most") || !strings.Contains(r.Body, "<main") {
		t.Fatalf("9 MB upload: %d; body %.1500s", r.Status, r.Body)
	}
}
