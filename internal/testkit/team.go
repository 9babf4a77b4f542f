package testkit

import (
	"context"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Member is one person of a test organization: the key tests call them by
// (their address is key@Team.Domain), their name, their role and, when
// set, the status they are given once added (domain.StatusSuspended).
type Member struct {
	Key, Name string
	Role      access.Role
	Status    string
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

// Team creates the organization, its owner and its members (active unless
// their Status says otherwise).
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
		ms := a.AddMember(c.Org, user(m), m.Role)
		if m.Status != "" {
			a.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetStatus(ctx, c.Org.ID, ms.ID, m.Status) })
			ms.Status = m.Status
		}
		c.Members[m.Key] = ms
	}
	return c
}
