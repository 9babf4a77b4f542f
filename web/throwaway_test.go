package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/testkit"
)

// A module added as docs/ARCHITECTURE.md ("Adding a module") says, by its
// declaration alone (a product, one list page, an action of its own, a
// sidebar entry): nothing in web, views, nav or store names it, and it is
// routed and guarded, in the sidebar, in the permission grid, grantable
// through a group, and in My Permissions and the access JSON.
func TestThrowawayModuleEndToEnd(t *testing.T) {
	d := access.RealDeclaration()
	d.Products = append(d.Products, access.ProductDecl{Key: "parcels", Label: "Parcels"})
	d.Modules = append(d.Modules, access.ModuleDecl{
		Key: "parcels", Label: "Parcel desk", Product: "parcels",
		Actions: []access.Action{access.View, access.Create, access.Export}, Own: []string{"ship"},
		Menu:  access.MenuPlace{Section: "menu.settings", Icon: "send", Weight: 5},
		Pages: access.HomePage("/parcels"),
	})
	restore, err := access.Install(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)

	app := testkit.NewApp(t)
	org, owner := app.OwnedOrg("Acme", "acme", []string{"parcels"}, "owner@example.test", "Olive Owner", pw)
	agent := app.Join(org, "agent@example.test", "Aldo Agent", pw, access.RoleAgent)
	_, outsider := app.OwnedOrg("Globex", "globex", nil, "outsider@example.test", "Otto Outsider", pw)
	clients := map[string]*testkit.Client{"owner": owner, "agent": app.LoginAs("agent@example.test", pw), "outsider": outsider}

	route := ""
	for _, r := range app.Server.Routes() {
		if r.Path == "/o/:slug/parcels" && r.Method == http.MethodGet {
			route = r.Guard.String()
		}
	}
	if route != "parcels_view" {
		t.Fatalf("GET /o/:slug/parcels guard = %q, want parcels_view", route)
	}
	sidebarLink := `href="/o/acme/parcels"`
	testkit.Run(t, app, clients, []testkit.Scenario{
		{Actor: "owner", Path: "/o/acme/parcels", Status: 200,
			Contains: []string{"Parcel desk", "parcels_ship", "parcels_export", sidebarLink}, NotContains: []string{"parcels_edit"}},
		{Actor: "owner", Path: "/o/acme/settings/groups/new", Status: 200,
			Contains: []string{`value="parcels_view"`, `value="parcels_export"`, `value="parcels_ship"`, `data-perm-action="ship"`}, NotContains: []string{`value="parcels_edit"`}},
		{Actor: "agent", Path: "/o/acme/parcels", Status: 403},
		{Actor: "agent", Path: "/o/acme/me/permissions", Status: 200, NotContains: []string{sidebarLink}},
		{Actor: "outsider", Path: "/o/acme/parcels", Status: 404},
		{Path: "/o/acme/parcels", Status: 303, Location: "/login"},
	})

	// Granted through a group (view is added for ship), the agent opens it.
	r := clients["owner"].Post("/o/acme/settings/groups", url.Values{"name": {"Parcel shippers"}, "perm": {"parcels_ship"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "/o/acme/settings/groups/") {
		t.Fatalf("create group: %d %s %.300s", r.Status, r.Location, r.Body)
	}
	gid := r.Location[strings.LastIndexByte(r.Location, '/')+1:]
	r = clients["owner"].Post("/o/acme/settings/groups/"+gid+"/members", url.Values{"membership_id": {strconv.FormatInt(agent.ID, 10)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add to group: %d %.300s", r.Status, r.Body)
	}
	testkit.Run(t, app, clients, []testkit.Scenario{
		{Actor: "agent", Path: "/o/acme/parcels", Status: 200, Contains: []string{sidebarLink, "✓ ship"}},
		{Actor: "agent", Path: "/o/acme/me/permissions", Status: 200,
			Contains: []string{"Parcel desk", `data-perm="parcels_ship"`, "Ship", "Parcel shippers"}},
		{Actor: "agent", Path: "/o/acme/me/permissions.json", Status: 200,
			Contains: []string{`"parcels_view"`, `"parcels_ship"`}, NotContains: []string{"parcels_export"}},
	})
}
