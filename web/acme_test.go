package web_test

import (
	"gatehouse/internal/access"
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
