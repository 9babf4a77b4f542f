package web_test

import (
	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/testkit"
)

// acmeTeam is the "acme" (CRM + Inbox) the members, member-permissions and
// groups screens are tested on: Olivia the owner, one admin, two managers
// ("boss" gets individual permissions in each fixture), one agent, and the
// members a fixture adds (more).
func acmeTeam(password string, more ...testkit.Member) testkit.Team {
	return testkit.Team{Name: "Acme Ltd", Slug: "acme", Products: []string{"crm", "inbox"}, Domain: "acme.test", Password: password,
		Owner: testkit.Member{Key: "owner", Name: "Olivia Owner"},
		Members: append([]testkit.Member{
			{Key: "admin", Name: "Adam Admin", Role: access.RoleAdmin},
			{Key: "manager", Name: "Mona Manager", Role: access.RoleManager},
			{Key: "boss", Name: "Bert Boss", Role: access.RoleManager},
			{Key: "agent", Name: "Aggie Agent", Role: access.RoleAgent},
		}, more...)}
}

// globexTeam is the other organization: Otto the outsider owns it.
func globexTeam(password string) testkit.Team {
	return testkit.Team{Name: "Globex", Slug: "globex", Products: []string{"crm"}, Domain: "acme.test", Password: password,
		Owner: testkit.Member{Key: "outsider", Name: "Otto Outsider"}}
}

// orgFx is what the screen fixtures share: acme (acmeTeam with the
// fixture's extra members) and globex, acme's actors by key with the
// outsider among them, and their signed-in clients as the tests make them.
type orgFx struct {
	app     *testkit.App
	acme    domain.Org
	globex  domain.Org
	users   map[string]domain.User
	members map[string]domain.Membership
	clients map[string]*testkit.Client
}

// newOrgFx creates acme (with more) and globex on app.
func newOrgFx(app *testkit.App, password string, more ...testkit.Member) orgFx {
	app.T.Helper()
	acme := app.Team(acmeTeam(password, more...))
	globex := app.Team(globexTeam(password))
	fx := orgFx{app: app, acme: acme.Org, globex: globex.Org, users: acme.Users, members: acme.Members,
		clients: map[string]*testkit.Client{}}
	fx.users["outsider"] = globex.Users["outsider"]
	return fx
}
