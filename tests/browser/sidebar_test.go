package browser_test

import (
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// Issue 3's sidebar in a real browser, on the demo organization: the agent's
// "Customers" is a plain link straight to "Those I serve" listing only their
// own customers; the manager's "Customers" expands to both children.
func TestSidebarCustomersForAgentAndManager(t *testing.T) {
	app := testkit.NewDemoApp(t)

	t.Run("agent", func(t *testing.T) {
		b := testkit.NewBrowser(t)
		login(t, b, app, demo.AgentEmail, demo.Password)
		b.Navigate(app.URL + "/o/acme")
		s := customersEntry(b)
		if s.Direct != "/o/acme/customers/mine" || len(s.Children) != 0 {
			t.Fatalf("agent's Customers entry = %+v, want a direct link to /o/acme/customers/mine", s)
		}
		b.ClickNav(`#sidebar a.sidenav-link[href="/o/acme/customers/mine"]`)
		b.WaitURL(app.URL + "/o/acme/customers/mine")
		expectText(t, b, pageHeading, "Those I serve")
		body := b.Text("main")
		for _, name := range demo.CustomersOf(demo.AgentEmail) {
			if !strings.Contains(body, name) {
				t.Errorf("the agent's list lacks their customer %q", name)
			}
		}
		for _, name := range demo.CustomersOf(demo.Agent2Email) {
			if strings.Contains(body, name) {
				t.Errorf("the agent's list shows %q, another agent's customer", name)
			}
		}
		if got := b.Navigate(app.URL + "/o/acme/customers/all"); got != 403 {
			t.Errorf("agent opening /customers/all: %d, want 403", got)
		}
	})

	t.Run("manager", func(t *testing.T) {
		b := testkit.NewBrowser(t)
		login(t, b, app, demo.ManagerEmail, demo.Password)
		b.Navigate(app.URL + "/o/acme")
		s := customersEntry(b)
		if s.Direct != "" || !slices.Equal(s.Children, []string{"/o/acme/customers/mine", "/o/acme/customers/team", "/o/acme/customers/all"}) {
			t.Fatalf("manager's Customers entry = %+v, want a group with mine, team and all", s)
		}
		if !slices.Equal(s.Labels, []string{"Those I serve", "My teams", "All"}) {
			t.Fatalf("manager's Customers children labels = %v", s.Labels)
		}
		b.Click(`#sidebar details.sidenav-group summary`)
		b.ClickNav(`#sidebar .sidenav-sublist a[href="/o/acme/customers/all"]`)
		b.WaitURL(app.URL + "/o/acme/customers/all")
		body := b.Text("main")
		for _, email := range []string{demo.AgentEmail, demo.Agent2Email} {
			if name := demo.CustomersOf(email)[0]; !strings.Contains(body, name) {
				t.Errorf("the manager's All list lacks %q", name)
			}
		}
	})
}
