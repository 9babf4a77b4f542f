package web_test

import (
	"net/http"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// A page declared only in this test, with no screen of its own, is routed
// with the guard its declaration names and answered by the generic module
// page: nothing in web names it.
func TestTestDeclaredPageIsServed(t *testing.T) {
	ps := access.Pages()
	i := slices.IndexFunc(ps, func(p access.Page) bool { return p.Key == "flows.home" })
	web.DeclarePages(t, slices.Insert(ps, i+1, access.Page{Key: "flows.report", Module: "flows",
		Method: http.MethodGet, Path: "/flows/report", Action: access.Export}))
	f := newFixture(t)
	testkit.Run(t, f.app, f.clients, []testkit.Scenario{
		{Actor: "manager", Path: "/o/acme/flows/report", Status: 200, Contains: []string{"Flows", "✓ export"}},
		{Actor: "grouped", Path: "/o/acme/flows", Status: 200},
		{Actor: "grouped", Path: "/o/acme/flows/report", Status: 403},
		{Actor: "agentA", Path: "/o/acme/flows/report", Status: 403},
		{Actor: "outsider", Path: "/o/acme/flows/report", Status: 404},
		{Path: "/o/acme/flows/report", Status: 303, Location: "/login"},
	})
}
