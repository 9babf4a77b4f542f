package browser_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// sidebarCustomers describes the sidebar's Customers entry: its direct link
// ("" when it is a group) and the hrefs and labels of its children.
type sidebarCustomers struct {
	Direct   string   `json:"direct"`
	Children []string `json:"children"`
	Labels   []string `json:"labels"`
}

const sidebarCustomersJS = `(() => {
	const out = {direct: "", children: [], labels: []};
	const link = [...document.querySelectorAll('#sidebar .sidenav-list > li > a.sidenav-link')]
		.find(a => a.innerText.trim() === 'Customers');
	if (link) out.direct = link.getAttribute('href');
	const group = [...document.querySelectorAll('#sidebar details.sidenav-group')]
		.find(d => d.querySelector('summary').innerText.trim() === 'Customers');
	if (group) group.querySelectorAll('.sidenav-sublist a').forEach(a => {
		out.children.push(a.getAttribute('href')); out.labels.push(a.textContent.trim());
	});
	return out;
})()`

func customersEntry(b *testkit.Browser) sidebarCustomers {
	var s sidebarCustomers
	b.WaitVisible(`#sidebar`)
	b.Eval(sidebarCustomersJS, &s)
	return s
}

// An admin turns on individual permissions for an agent from the member's
// page, ticks "See all customers" (the live preview says what changes) and
// saves: the agent's next page shows Customers with "Those I serve" and
// "All". The admin returns the agent to inherited permissions (confirmed):
// Customers is a single direct link again, and the agent's My Permissions
// names the group behind every permission.
func TestMemberIndividualPermissionsInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	const pw = "a fine long password"
	owner := app.CreateUser("owner@acme.test", "Olivia Owner", pw)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, owner)
	app.AddMember(org, app.CreateUser("admin@acme.test", "Adam Admin", pw), access.RoleAdmin)
	tess := app.AddMember(org, app.CreateUser("tess@acme.test", "Tess Target", pw), access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		gs, err := tx.Groups(ctx, org.ID)
		if err != nil {
			return err
		}
		var ids []int64
		for _, g := range gs {
			if g.Name == "User" || g.Name == "Sales Team" {
				ids = append(ids, g.ID)
			}
		}
		return tx.SetMemberGroups(ctx, org.ID, tess.ID, ids)
	})

	agent := testkit.NewBrowser(t)
	login(t, agent, app, "tess@acme.test", pw)
	agent.Navigate(app.URL + "/o/acme")
	if s := customersEntry(agent); s.Direct != "/o/acme/customers/mine" || len(s.Children) != 0 {
		t.Fatalf("before: Customers in the agent's sidebar = %+v, want one direct link to Those I serve", s)
	}

	b := testkit.NewBrowser(t)
	dialogs := acceptDialogs(b)
	login(t, b, app, "admin@acme.test", pw)
	b.Navigate(fmt.Sprintf("%s/o/acme/settings/members/%d", app.URL, tess.ID))
	b.ClickNav(`#main a[href$="/permissions"]`) // not My Permissions in the profile menu
	b.WaitText(`#mp-deciding`, "Their groups decide: everything granted by Sales Team and User.")
	b.Click(`#mp-tab-individual`) // htmx tab, its own URL
	b.WaitVisible(`#mp-enable`)
	b.WaitURL(fmt.Sprintf("%s/o/acme/settings/members/%d/permissions?tab=individual", app.URL, tess.ID))
	b.Click(`#mp-enable`)
	b.WaitText(`#mp-notice`, "Individual permissions are on, starting from a copy of exactly what Tess Target had.")
	b.WaitText(`#mp-preview`, "Individual permissions will replace what 2 groups grant: Sales Team, User.")
	b.Click(`#mp-grid input[name=flag][value="customers.canAccessAll"]`)
	b.WaitText(`#mp-preview`, "See all customers")
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/member-individual-permission.png")
	}
	b.Click(`#mp-save`)
	b.WaitText(`#mp-notice`, "Saved. Tess Target's individual permissions apply from their next request.")

	agent.Navigate(app.URL + "/o/acme")
	s := customersEntry(agent)
	if s.Direct != "" || strings.Join(s.Children, " ") != "/o/acme/customers/mine /o/acme/customers/all" ||
		strings.Join(s.Labels, "|") != "Those I serve|All" {
		t.Fatalf("after save: Customers in the agent's sidebar = %+v, want a group with Those I serve and All", s)
	}
	if st := agent.Navigate(app.URL + "/o/acme/customers/all"); st != 200 {
		t.Fatalf("agent /customers/all after save: %d", st)
	}

	b.Click(`#mp-disable`)
	b.WaitText(`#mp-notice`, "Tess Target is back on inherited permissions")
	if asked := strings.Join(dialogs(), "\n"); !strings.Contains(asked, "Return Tess Target to inherited permissions?") {
		t.Errorf("returning to inherited permissions did not ask first; asked: %q", asked)
	}
	b.WaitVisible(`#mp-enable`)

	agent.Navigate(app.URL + "/o/acme")
	if s := customersEntry(agent); s.Direct != "/o/acme/customers/mine" || len(s.Children) != 0 {
		t.Fatalf("after return: Customers in the agent's sidebar = %+v, want one direct link again", s)
	}

	// My Permissions names the group(s) behind each permission.
	agent.Navigate(app.URL + "/o/acme/me/permissions")
	agent.WaitText(`main`, "Your permissions come from your groups: Sales Team, User.")
	var cells map[string]string
	agent.Eval(`Object.fromEntries([...document.querySelectorAll('td.perm-on[data-perm]')]
		.map(td => [td.dataset.perm, td.querySelector('.perm-source').innerText.trim()]))`, &cells)
	if len(cells) == 0 {
		t.Fatal("My Permissions lists no granted permission")
	}
	want := map[string]string{
		"customers_view":   "Sales Team, User",
		"customers_export": "Sales Team",
		"chats_view":       "User",
		"utm_view":         "Sales Team",
		"reports_view":     "User",
	}
	for perm, src := range want {
		if cells[perm] != src {
			t.Errorf("My Permissions: %s granted by %q, want %q", perm, cells[perm], src)
		}
	}
	for perm, src := range cells {
		if src == "" || strings.Contains(src, "individual") {
			t.Errorf("My Permissions: %s granted by %q, want a group", perm, src)
		}
	}
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		agent.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/my-permissions.png")
	}
}
