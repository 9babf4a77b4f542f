package testkit

import (
	"context"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// Member is one person of a test organization: the key tests call them by
// (their address is key@Team.Domain), their name and their role.
type Member struct {
	Key, Name string
	Role      access.Role
}

// Team describes a test organization: its owner and the other members, all
// with password Password.
type Team struct {
	Name, Slug string
	Products   []string
	Domain     string
	Password   string
	Owner      Member // Role is ignored: the owner is an owner
	Members    []Member
}

// Crew is what App.Team made, by member key (the owner's included).
type Crew struct {
	Org     domain.Org
	Users   map[string]domain.User
	Members map[string]domain.Membership
}

// Team creates the organization, its owner and its members (all active).
func (a *App) Team(tm Team) Crew {
	a.T.Helper()
	c := Crew{Users: map[string]domain.User{}, Members: map[string]domain.Membership{}}
	user := func(m Member) domain.User {
		u := a.CreateUser(m.Key+"@"+tm.Domain, m.Name, tm.Password)
		c.Users[m.Key] = u
		return u
	}
	c.Org = a.CreateOrg(tm.Name, tm.Slug, tm.Products, user(tm.Owner))
	om, err := a.DB.MembershipOfUser(context.Background(), c.Org.ID, c.Users[tm.Owner.Key].ID)
	if err != nil {
		a.T.Fatal(err)
	}
	c.Members[tm.Owner.Key] = om
	for _, m := range tm.Members {
		c.Members[m.Key] = a.AddMember(c.Org, user(m), m.Role)
	}
	return c
}
