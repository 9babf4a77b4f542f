package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// TestREADMEScreenshots renders the pages the README shows, from the demo
// data, into docs/screenshots. It runs only when GATEHOUSE_SCREENSHOTS names
// the output directory (make screenshots), so `make test` stays lean.
func TestREADMEScreenshots(t *testing.T) {
	out := os.Getenv("GATEHOUSE_SCREENSHOTS")
	if out == "" {
		t.Skip("set GATEHOUSE_SCREENSHOTS=dir to render the README screenshots")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	app := testkit.NewDemoApp(t)
	snap, err := app.DB.OrgSnapshot(context.Background(), demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	var agentID string
	for _, m := range snap.Members {
		if m.Email == demo.AgentEmail {
			agentID = strconv.FormatInt(m.ID, 10)
		}
	}
	var teamID string
	if len(snap.Teams) > 0 {
		teamID = strconv.FormatInt(snap.Teams[0].ID, 10)
	}
	chat := "/o/acme/chats/" + strconv.FormatInt(app.DemoIDs().AcmeChat, 10)
	shots := []struct {
		who, path, file string
		phone           bool
	}{
		{demo.OwnerEmail, "/o/acme/settings/members", "members.png", false},
		{demo.OwnerEmail, "/o/acme/settings/members/" + agentID + "/permissions?tab=individual", "individual-permissions.png", false},
		{demo.AgentEmail, "/o/acme/me/permissions", "my-permissions.png", false},
		{demo.OwnerEmail, "/o/acme/settings/groups", "groups.png", false},
		{demo.OwnerEmail, "/o/acme", "dashboard.png", false},
		{demo.OwnerEmail, "/o/acme/settings/audit", "audit.png", false},
		{demo.OwnerEmail, "/me/profile", "profile.png", false},
		{demo.OwnerEmail, "/orgs/new", "wizard.png", false},
		{demo.OwnerEmail, "/o/acme/settings/service_teams", "teams.png", false},
		{demo.OwnerEmail, "/o/acme/settings/service_teams/" + teamID, "team.png", false},
		{demo.OwnerEmail, "/o/acme/settings/channels", "channels.png", false},
		{demo.SupervisorEmail, "/o/acme/customers/team", "my-teams.png", false},
		{demo.AgentEmail, "/o/acme/settings/members", "forbidden.png", false},
		{demo.SupervisorEmail, "/o/acme/chats/team", "conversations.png", false},
		{demo.AgentEmail, chat, "conversation.png", false},
		{demo.AgentEmail, chat, "phone-conversation.png", true},
		{demo.OwnerEmail, "/o/acme/settings/members", "phone-members.png", true},
		{demo.OwnerEmail, "/o/acme/settings/service_teams/" + teamID, "phone-team.png", true},
		{demo.SupervisorEmail, "/o/acme/customers/team", "phone-my-teams.png", true},
		{demo.AgentEmail, "/o/acme/customers/mine", "phone-customers.png", true},
		{demo.OwnerEmail, "/o/acme/settings/members/" + agentID + "/permissions?tab=individual", "phone-permission-grid.png", true},
		{demo.AgentEmail, "/o/acme/me/permissions", "phone-my-permissions.png", true},
	}
	for _, s := range shots {
		b := testkit.NewBrowser(t)
		if s.phone {
			b.SetViewport(390, 844, true)
		}
		b.Navigate(app.URL + "/login")
		b.Fill(`input[name="email"]`, s.who)
		b.Fill(`input[name="password"]`, demo.Password)
		b.Submit(`form[action="/login"]`)
		b.Navigate(app.URL + s.path)
		b.Screenshot(filepath.Join(out, s.file))
	}
}
