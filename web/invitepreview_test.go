package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"gatehouse/internal/testkit"
)

// The invite form's preview: the role alone, and the groups that replace
// it said before sending; the flash after sending says the same. It
// writes nothing and needs members_create.
func TestInvitePreviewSaysTheGroupReplacesTheRole(t *testing.T) {
	fx := newGroupsFx(t)
	night := strconv.FormatInt(fx.mustGroup("Night shift").ID, 10)
	path := "/o/acme/settings/members/invite/preview"
	form := url.Values{"email": {"tom@acme.test"}, "role": {"agent"}, "groups": {night}}
	before := fx.snapshot()
	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Name: "the form shows the role's panel", Actor: "admin", Path: "/o/acme/settings/members/invite", Status: 200,
			Contains: []string{`id="invite-preview"`, "The new member will get Dashboard", `hx-post="` + path + `"`}},
		{Name: "groups replace the role", Actor: "admin", Method: "POST", Path: path, Form: form, HTMX: true, Status: 200,
			Contains: []string{"tom@acme.test will be in a group, so their role (Agent) is no longer used: they will lose Customers and Pipelines.",
				"tom@acme.test will get Dashboard and Conversations."}},
		{Name: "the role alone", Actor: "admin", Method: "POST", Path: path, Form: url.Values{"role": {"agent"}}, HTMX: true, Status: 200,
			Contains: []string{"The new member will get Dashboard, Customers"}, NotContains: []string{"no longer used"}},
		{Name: "an unknown role", Actor: "admin", Method: "POST", Path: path, Form: url.Values{"role": {"emperor"}}, HTMX: true, Status: 422,
			Contains: []string{"Choose one of the roles."}},
		{Name: "without members_create", Actor: "agent", Method: "POST", Path: path, Form: form, HTMX: true, Status: 403, NotContains: []string{"will get"}},
		{Name: "the outsider", Actor: "outsider", Method: "POST", Path: path, Form: form, HTMX: true, Status: 404},
	})
	if after := fx.snapshot(); after != before {
		t.Fatalf("previews changed the database:\nbefore %s\nafter  %s", before, after)
	}
}
