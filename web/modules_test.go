package web_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/testkit"
)

// The generic module pages: one route per page, guarded by the module's
// view (and the canAccessAll flag for "all" lists); the page states what the
// member may do there, their scope, their flags and why.
func TestModulePages(t *testing.T) {
	f := newFixture(t)
	scenarios := []testkit.Scenario{
		// A scoped module's bare path goes to the list the member can see.
		{Actor: "agentA", Path: "/o/acme/chats", Status: 303, Location: "/o/acme/chats/mine"},
		{Actor: "manager", Path: "/o/acme/chats", Status: 303, Location: "/o/acme/chats/all"},
		{Actor: "agentA", Path: "/o/acme/crm", Status: 303, Location: "/o/acme/crm/mine"},
		{Actor: "fin", Path: "/o/acme/crm", Status: 303, Location: "/o/acme/crm/all"},

		// Conversations are a real module now (web/chats): its lists, not
		// the generic page; the guards are the same.
		{Actor: "agentA", Path: "/o/acme/chats/mine", Status: 200,
			Contains:    []string{"Those I serve", "Conversations assigned to you."},
			NotContains: append([]string{"You see all conversations", `href="/o/acme/chats/all"`}, hiddenFromAgent...)},
		{Actor: "agentA", Path: "/o/acme/chats/all", Status: 403, NotContains: []string{"You see"}},
		{Actor: "manager", Path: "/o/acme/chats/all", Status: 200,
			Contains:    []string{"All conversations", `href="/o/acme/chats/mine"`},
			NotContains: []string{"/o/acme/settings/billing"}},
		{Actor: "manager", Path: "/o/acme/chats/mine", Status: 200,
			Contains: []string{"Conversations assigned to you.", `href="/o/acme/chats/all"`}},
		{Actor: "owner", Path: "/o/acme/chats/all", Status: 200, Contains: []string{"All conversations"}},
		{Actor: "grouped", Path: "/o/acme/chats/mine", Status: 200, Contains: []string{"Those I serve"}},
		{Actor: "grouped", Path: "/o/acme/chats/all", Status: 403},
		{Actor: "seer", Path: "/o/acme/chats/mine", Status: 403},
		{Actor: "agentA", Path: "/o/acme/crm/mine", Status: 200, Contains: []string{"Pipelines · Mine", "You see the pipelines assigned to you"}},
		{Actor: "agentA", Path: "/o/acme/crm/all", Status: 403},
		{Actor: "fin", Path: "/o/acme/crm/all", Status: 200, Contains: []string{"You see all pipelines", "✓ view", "✗ create"}},
		{Actor: "sales", Path: "/o/acme/crm/all", Status: 403},

		// Unscoped modules.
		{Actor: "owner", Path: "/o/acme/financial", Status: 200, Contains: []string{"Financial", "Finance", "no per-member scope", "✓ export"}},
		{Actor: "fin", Path: "/o/acme/financial", Status: 200, Contains: []string{"✓ delete"}},
		{Actor: "agentA", Path: "/o/acme/financial", Status: 403},
		{Actor: "grouped", Path: "/o/acme/bulk_messages", Status: 200, Contains: []string{"✓ view", "✓ create", "✗ edit"}},
		{Actor: "grouped", Path: "/o/acme/flows", Status: 200, Contains: []string{"✓ view", "✗ create"}},
		{Actor: "agentA", Path: "/o/acme/flows", Status: 403},
		{Actor: "agentA", Path: "/o/acme/reports", Status: 403},
		{Actor: "sales", Path: "/o/acme/reports", Status: 200, Contains: []string{"✓ view", "✗ create", "✗ export"}, NotContains: []string{"delete"}},
		{Actor: "sales", Path: "/o/acme/utm", Status: 200},
		{Actor: "manager", Path: "/o/acme/medical", Status: 200},
		{Actor: "manager", Path: "/o/acme/documents", Status: 200},
		{Actor: "manager", Path: "/o/acme/pos", Status: 200},
		{Actor: "manager", Path: "/o/acme/prompts", Status: 200},
		{Actor: "seer", Path: "/o/acme/reports", Status: 403},

		// Settings modules built here (the others have screens of their own).
		{Actor: "owner", Path: "/o/acme/settings/billing", Status: 200, Contains: []string{"Billing", "✓ view", "✓ edit"}, NotContains: []string{"delete"}},
		{Actor: "fin", Path: "/o/acme/settings/billing", Status: 200},
		{Actor: "manager", Path: "/o/acme/settings/billing", Status: 403},
		{Actor: "manager", Path: "/o/acme/settings/integrations", Status: 403},
		{Actor: "admin", Path: "/o/acme/settings/integrations", Status: 200},
		{Actor: "manager", Path: "/o/acme/settings/service_teams", Status: 200, Contains: []string{`id="new-team"`, "No teams yet"}, NotContains: []string{"✗ delete"}}, // its own screen (web/teams)
		{Actor: "agentA", Path: "/o/acme/settings/service_teams", Status: 403},
		{Actor: "grouped", Path: "/o/acme/settings/channels", Status: 200, Contains: []string{"Channels"}},
		{Actor: "agentA", Path: "/o/acme/settings/channels", Status: 403},
		{Actor: "seer", Path: "/o/acme/settings/channels", Status: 403},

		// Membership first: suspended, other organization, signed out.
		{Actor: "suspended", Path: "/o/acme/chats/mine", Status: 403, Contains: suspendedBody, NotContains: []string{"You see"}},
		{Actor: "suspended", Path: "/o/acme/settings/billing", Status: 403, Contains: suspendedBody},
		{Actor: "outsider", Path: "/o/acme/chats/mine", Status: 404, NotContains: []string{"Acme Ltd"}},
		{Actor: "outsider", Path: "/o/acme/financial", Status: 404},
		{Path: "/o/acme/chats/mine", Status: 303, Location: "/login"},
		{Path: "/o/acme/settings/billing", Status: 303, Location: "/login"},
		// A module outside the organization's products is never accessible, even to its owner.
		{Actor: "outsider", Path: "/o/globex/chats/mine", Status: 403},
		{Actor: "outsider", Path: "/o/globex/financial", Status: 403},
		{Actor: "outsider", Path: "/o/globex/crm/all", Status: 200, Contains: []string{"You see all pipelines"}, NotContains: []string{"/o/globex/chats", "/o/globex/financial"}},

		// htmx navigation gets the content alone.
		{Actor: "manager", Path: "/o/acme/flows", HTMX: true, Status: 200, Contains: []string{"Flows"}, NotContains: []string{"<html", "sidenav"}},
	}
	testkit.Run(t, f.app, f.clients, scenarios)
}

// Every generic module page is registered with its own module's view guard,
// and the "all" lists also with the module's canAccessAll flag.
func TestModulePageGuards(t *testing.T) {
	app := testkit.NewApp(t)
	got := map[string]string{}
	for _, r := range app.Server.Routes() {
		if r.Method == "GET" {
			got[r.Path] = r.Guard.Name + " " + r.Guard.Module + " " + r.Guard.Action.String() + " " + r.Guard.Flag
		}
	}
	want := map[string]string{
		"/o/:slug/customers":              "module customers view ",
		"/o/:slug/customers/mine":         "module customers view ",
		"/o/:slug/customers/all":          "module customers view customers.canAccessAll",
		"/o/:slug/customers/new":          "module customers create ",
		"/o/:slug/customers/export.csv":   "module customers export ",
		"/o/:slug/customers/:id":          "module customers view ",
		"/o/:slug/customers/:id/edit":     "module customers edit ",
		"/o/:slug/chats":                  "module chats view ",
		"/o/:slug/chats/mine":             "module chats view ",
		"/o/:slug/chats/all":              "module chats view chats.canAccessAll",
		"/o/:slug/crm":                    "module crm view ",
		"/o/:slug/crm/mine":               "module crm view ",
		"/o/:slug/crm/all":                "module crm view crm.canAccessAll",
		"/o/:slug/settings/service_teams": "module service_teams view ",
		"/o/:slug/settings/channels":      "module channels view ",
		"/o/:slug/settings/integrations":  "module integrations view ",
		"/o/:slug/settings/billing":       "module billing view ",
	}
	for _, key := range []string{"bulk_messages", "flows", "prompts", "financial", "pos", "medical", "documents", "reports", "utm"} {
		want["/o/:slug/"+key] = "module " + key + " view "
	}
	for path, g := range want {
		if got[path] != g {
			t.Errorf("GET %s guard = %q, want %q", path, got[path], g)
		}
	}
	posts := map[string]string{}
	for _, r := range app.Server.Routes() {
		if r.Method == "POST" {
			posts[r.Path] = r.Guard.String()
		}
	}
	for path, g := range map[string]string{
		"/o/:slug/customers":            "customers_create",
		"/o/:slug/customers/:id":        "customers_edit",
		"/o/:slug/customers/:id/delete": "customers_delete",
	} {
		if posts[path] != g {
			t.Errorf("POST %s guard = %q, want %q", path, posts[path], g)
		}
	}
	_ = access.View
}

// The dashboard: welcome card, deciding layer in words, customer counts in
// scope, and a card for exactly the modules the sidebar shows.
func TestDashboard(t *testing.T) {
	f := newFixture(t)
	scenarios := []testkit.Scenario{
		{Actor: "agentA", Path: "/o/acme", Status: 200,
			Contains: []string{"Acme Ltd", "Welcome, Arthur Agent.", "Agent", "Role template", "template of your role (Agent)",
				"Customers you serve", `<div class="stat-value">2</div>`, `href="/o/acme/customers/mine"`, `href="/o/acme/chats/mine"`, `href="/o/acme/crm/mine"`,
				"You can: view, create, edit", "/o/acme/me/permissions"},
			NotContains: append([]string{"Customers you can see", "/o/acme/flows", "/o/acme/reports", "/o/acme/chats/all"}, hiddenFromAgent...)},
		{Actor: "owner", Path: "/o/acme", Status: 200,
			Contains: []string{"Owner", "always holds every permission", "Customers you can see", `<div class="stat-value">8</div>`, `<div class="stat-value">0</div>`,
				`href="/o/acme/customers/all"`, `href="/o/acme/financial"`, `href="/o/acme/settings/members"`, `href="/o/acme/settings/billing"`, `href="/o/acme/chats/all"`,
				"You can: view, create, edit, delete, export"}},
		{Actor: "seer", Path: "/o/acme", Status: 200,
			Contains:    []string{"Individual permissions", "Customers you can see", `<div class="stat-value">8</div>`, `href="/o/acme/customers/all"`},
			NotContains: []string{"/o/acme/chats", "/o/acme/crm", "/o/acme/financial", "/settings/"}},
		{Actor: "grouped", Path: "/o/acme", Status: 200,
			Contains:    []string{"Permission groups", `href="/o/acme/chats/mine"`, `href="/o/acme/bulk_messages"`, `href="/o/acme/settings/channels"`},
			NotContains: []string{"Customers you serve", "/o/acme/customers", "/o/acme/financial", "/settings/members"}},
		{Actor: "sales", Path: "/o/acme", Status: 200,
			Contains: []string{"Customers you serve", `<div class="stat-value">2</div>`, `href="/o/acme/reports"`, `href="/o/acme/utm"`}},
		{Actor: "fin", Path: "/o/acme", Status: 200,
			Contains: []string{"Customers you can see", `href="/o/acme/settings/billing"`, `href="/o/acme/crm/all"`}, NotContains: []string{"/o/acme/chats", "/settings/members"}},
		{Actor: "suspended", Path: "/o/acme", Status: 403, Contains: suspendedBody, NotContains: []string{"Customers you", "/o/acme/customers"}},
		{Actor: "outsider", Path: "/o/acme", Status: 404, NotContains: []string{"Acme Ltd"}},
		{Actor: "outsider", Path: "/o/globex", Status: 200, Contains: []string{"Globex Corp", `<div class="stat-value">1</div>`},
			NotContains: []string{"/o/globex/chats", "/o/globex/financial", "Acme"}},
		{Path: "/o/acme", Status: 303, Location: "/login"},
	}
	testkit.Run(t, f.app, f.clients, scenarios)

	// Cards match the sidebar exactly: every module link of the page is also
	// a sidebar link (a filter of a listed page is that page), for members
	// with very different access.
	for _, actor := range []string{"agentA", "seer", "grouped", "fin", "manager"} {
		body := f.clients[actor].Get("/o/acme").Body
		main := body[strings.Index(body, `<main`):]
		side := body[:strings.Index(body, `<main`)]
		for _, href := range hrefs(main, "/o/acme/") {
			if strings.HasPrefix(href, "/o/acme/me/") {
				continue
			}
			if page, _, _ := strings.Cut(href, "?"); !strings.Contains(side, `href="`+page+`"`) {
				t.Errorf("%s: dashboard links %s, which the sidebar hides", actor, href)
			}
		}
	}
}

// hrefs returns the href values starting with prefix.
func hrefs(body, prefix string) []string {
	var out []string
	for _, part := range strings.Split(body, `href="`)[1:] {
		v := part[:strings.IndexByte(part, '"')]
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}
