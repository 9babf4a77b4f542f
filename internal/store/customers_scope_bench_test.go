package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/benchseed"
	"gatehouse/internal/store"
)

// BenchmarkCustomerScopes is the uncached customers list query of the two
// `make bench` rows it backs, over the bench seed's data shape (10,000
// customers, 500 teams, members in up to 3; fewer members, which only the
// members pages read): own scope is the agent's "Those I serve" (40
// customers), team scope the supervisor's "My teams" (in 3 teams, their
// customers and their own). A cache hit cannot hide either's cost.
func BenchmarkCustomerScopes(b *testing.B) {
	ctx := context.Background()
	o := benchseed.Default()
	o.Members, o.Groups = 10_000, 100
	path := filepath.Join(b.TempDir(), "bench.db")
	if err := benchseed.Seed(ctx, path, o); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	org, err := s.OrgBySlug(ctx, benchseed.Slug)
	if err != nil {
		b.Fatal(err)
	}
	member := func(email string) int64 {
		m, err := benchseed.Actor(ctx, s, email)
		if err != nil {
			b.Fatal(err)
		}
		return m.ID
	}
	agent, sup := member(benchseed.AgentEmail), member(benchseed.SupervisorEmail)
	for _, sc := range []struct {
		name string
		me   int64
		sc   store.CustomerScope
	}{
		{"own", agent, store.CustomersIn(org.ID, access.ScopeOwn, agent)},
		{"team", sup, store.CustomersIn(org.ID, access.ScopeTeam, sup)},
	} {
		for _, q := range []struct {
			name string
			q    store.CustomerQuery
		}{
			{"page1", store.CustomerQuery{Limit: 25}},
			{"page2", store.CustomerQuery{Offset: 25, Limit: 25}},
			{"search", store.CustomerQuery{Search: "a", Limit: 25}},
		} {
			b.Run(sc.name+"/"+q.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if rows, _, err := s.Customers(ctx, sc.sc, q.q); err != nil || len(rows) == 0 {
						b.Fatal(err, len(rows))
					}
				}
			})
		}
		b.Run(sc.name+"/counts", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if n, _, err := s.CustomerCounts(ctx, sc.sc, sc.me); err != nil || n == 0 {
					b.Fatal(err, n)
				}
			}
		})
	}
}
