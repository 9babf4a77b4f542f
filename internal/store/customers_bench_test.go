package store

import (
	"context"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// BenchmarkCustomers is the customers list under each scope: a first page,
// a deep page, a search, and the dashboard's counts, over 3,000 customers of
// which a third are the member's own; the others are owned by one of 30
// teams, and the member is in 3 of them (team scope: uncached, next to own).
func BenchmarkCustomers(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	var org domain.Org
	var m domain.Membership
	if err := s.Write(ctx, func(tx *Tx) error {
		var teams []int64
		var err error
		if org, m, teams, err = benchTeamsOrg(ctx, tx); err != nil {
			return err
		}
		for i := range 3000 {
			c := Customer{OrgID: org.ID, Name: "Customer " + strconv.Itoa(i*7919%3000), Email: "c" + strconv.Itoa(i) + "@example.test", Company: "Co " + strconv.Itoa(i%40)}
			if i%3 == 0 {
				c.AssignedTo = m.ID
			} else {
				c.TeamID = teams[i%30]
			}
			if _, err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	scopes := []struct {
		name string
		sc   CustomerScope
	}{{"all", benchScopeAll(org.ID)}, {"own", benchScopeOwn(org.ID, m.ID)}, {"team", CustomersIn(org.ID, access.ScopeTeam, m.ID)}}
	for _, sc := range scopes {
		for _, q := range []struct {
			name string
			q    CustomerQuery
		}{
			{"page1", CustomerQuery{Limit: 25}},
			{"page20", CustomerQuery{Offset: 19 * 25, Limit: 25}},
			{"search", CustomerQuery{Search: "Co 7", Limit: 25}},
		} {
			b.Run(sc.name+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if rows, _, err := s.Customers(ctx, sc.sc, q.q); err != nil || len(rows) == 0 {
						b.Fatal(err, len(rows))
					}
				}
			})
		}
		b.Run(sc.name+"/counts", func(b *testing.B) {
			for b.Loop() {
				if n, _, err := s.CustomerCounts(ctx, sc.sc, m.ID); err != nil || n == 0 {
					b.Fatal(err, n)
				}
			}
		})
		b.Run(sc.name+"/detail", func(b *testing.B) {
			rows, _, _ := s.Customers(ctx, sc.sc, CustomerQuery{Limit: 1})
			for b.Loop() {
				if _, err := s.Customer(ctx, sc.sc, rows[0].ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchScopeAll(org int64) CustomerScope { return CustomersIn(org, access.ScopeAll, 0) }

func benchScopeOwn(org, m int64) CustomerScope { return CustomersIn(org, access.ScopeOwn, m) }

// benchTeamsOrg creates the benchmarks' organization: an agent member and
// 30 teams, the agent in the first 3.
func benchTeamsOrg(ctx context.Context, tx *Tx) (org domain.Org, m domain.Membership, teams []int64, err error) {
	if org, err = tx.CreateOrg(ctx, NewOrg{Name: "Bench Co", NameKey: "benchco", Slug: "bench-co", Products: access.AllProducts(), Seats: 10}); err != nil {
		return
	}
	u, err := tx.CreateUser(ctx, "agent@example.test", "Ada Agent", "")
	if err != nil {
		return
	}
	if m, err = tx.AddMember(ctx, org.ID, u.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
		return
	}
	teams = make([]int64, 30)
	for i := range teams {
		if teams[i], err = tx.CreateTeam(ctx, org.ID, "Team "+strconv.Itoa(i), ""); err != nil {
			return
		}
		if i < 3 {
			if _, err = tx.AddTeamMember(ctx, org.ID, teams[i], m.ID); err != nil {
				return
			}
		}
	}
	return
}
