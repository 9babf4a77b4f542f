package demo_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgio"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

var ctx = context.Background()

func seeded(t *testing.T) (*store.Store, string) {
	t.Helper()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var out bytes.Buffer
	if err := demo.Seed(ctx, db, "http://localhost:8080/", &out); err != nil {
		t.Fatal(err)
	}
	return db, out.String()
}

func TestSeedEveryRoleAndPrintsLogins(t *testing.T) {
	db, out := seeded(t)
	if !strings.Contains(out, `Log in at http://localhost:8080/login with any of these emails and the password "gatehouse-demo":`) {
		t.Errorf("output lacks the login line:\n%s", out)
	}
	acme, err := orgio.Export(ctx, db, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(acme.Organization.Products, []string{"crm", "inbox", "finance", "medical"}) || acme.Organization.Name != demo.OrgName {
		t.Errorf("acme = %+v", acme.Organization)
	}
	roles := map[access.Role]int{}
	for _, m := range acme.Members {
		if m.Status == domain.StatusActive {
			roles[m.Role]++
		}
		if !strings.Contains(out, m.Email) {
			t.Errorf("login %s not printed", m.Email)
		}
	}
	for _, r := range access.Roles() {
		if roles[r] == 0 {
			t.Errorf("no active member with role %s", r)
		}
	}
	if roles[access.RoleAgent] != 2 {
		t.Errorf("%d active agents, want 2", roles[access.RoleAgent])
	}
	// Every account logs in with the one demo password (hashed once: same hash).
	var hashes []string
	for _, l := range demo.Logins() {
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, u.PasswordHash)
		if !u.Verified() {
			t.Errorf("demo account %s is not verified", l.Email)
		}
		if u.IsInstanceAdmin != (l.Email == demo.OwnerEmail) {
			t.Errorf("demo account %s: instance admin = %v", l.Email, u.IsInstanceAdmin)
		}
	}
	if !password.Check(hashes[0], demo.Password) || password.Check(hashes[0], "wrong-password") {
		t.Error("demo password does not check")
	}
	if len(slices.Compact(hashes)) != 1 {
		t.Error("the demo password was hashed more than once")
	}
	if owner, _ := db.UserByEmail(ctx, demo.OwnerEmail); !owner.IsInstanceAdmin {
		t.Error("the Acme owner should be the instance admin")
	}
}

func TestSeedLayers(t *testing.T) {
	db, _ := seeded(t)
	cases := []struct {
		email  string
		layer  access.Layer
		groups []string
	}{
		{demo.OwnerEmail, access.LayerOwner, []string{}},
		{demo.AgentEmail, access.LayerGroups, []string{demo.GroupNightShift, "Support Agents"}},
		{demo.SalesEmail, access.LayerGroups, []string{demo.GroupNightShift, "Sales Team"}},
		{demo.Agent2Email, access.LayerCustom, []string{"Support Agents"}},
		{demo.ManagerEmail, access.LayerRole, []string{}},
		{demo.SuspendedEmail, access.LayerSuspended, []string{}},
	}
	for _, c := range cases {
		rep, err := orgio.Access(ctx, db, demo.OrgSlug, c.email)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Layer != c.layer || !slices.Equal(rep.Groups, c.groups) {
			t.Errorf("%s: layer %s groups %q, want %s %q", c.email, rep.Layer, rep.Groups, c.layer, c.groups)
		}
	}
	// The agent serves its own customers only; agent2 sees all of them.
	agent, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.AgentEmail)
	if agent.Flags["customers.canAccessAll"] || agent.Permissions["customers_view"] == nil {
		t.Errorf("agent: %+v", agent)
	}
	agent2, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.Agent2Email)
	if !agent2.Flags["customers.canAccessAll"] || !slices.Equal(agent2.Permissions["customers_view"], []string{"custom"}) {
		t.Errorf("agent2: %+v", agent2)
	}
	// Globex is a separate organization: the Acme agent is not in it.
	if _, err := orgio.Access(ctx, db, demo.OtherOrgSlug, demo.AgentEmail); err == nil {
		t.Error("the Acme agent is a member of Globex")
	}
	g, err := orgio.Export(ctx, db, demo.OtherOrgSlug)
	if err != nil || !slices.Equal(g.Organization.Products, []string{"crm"}) || len(g.Members) != 2 {
		t.Errorf("globex = %+v, %v", g, err)
	}
}

func TestSeedCustomersAssignedToAgents(t *testing.T) {
	db, _ := seeded(t)
	org, _ := db.OrgBySlug(ctx, demo.OrgSlug)
	all, total, err := db.Customers(ctx, store.CustomersIn(org.ID, access.ScopeAll, 0), store.CustomerQuery{})
	if err != nil || total < 25 {
		t.Fatalf("%d customers, %v", total, err)
	}
	names := map[string]bool{}
	for _, c := range all {
		if names[c.Name] {
			t.Errorf("customer name %q twice", c.Name)
		}
		names[c.Name] = true
	}
	for _, email := range []string{demo.AgentEmail, demo.Agent2Email, demo.SalesEmail} {
		u, _ := db.UserByEmail(ctx, email)
		m, err := db.MembershipOfUser(ctx, org.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		mine, n, err := db.Customers(ctx, store.CustomersIn(org.ID, access.ScopeOwn, m.ID), store.CustomerQuery{})
		if err != nil || n < 5 {
			t.Fatalf("%s has %d customers (%v)", email, n, err)
		}
		var got []string
		for _, c := range mine {
			got = append(got, c.Name)
		}
		want := demo.CustomersOf(email)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s customers %q, want %q", email, got, want)
		}
	}
	// Globex customers are Globex's only.
	globex, _ := db.OrgBySlug(ctx, demo.OtherOrgSlug)
	gs, n, _ := db.Customers(ctx, store.CustomersIn(globex.ID, access.ScopeAll, 0), store.CustomerQuery{})
	if n == 0 {
		t.Fatal("Globex has no customers")
	}
	for _, c := range gs {
		if names[c.Name] {
			t.Errorf("%q is a customer of both organizations", c.Name)
		}
	}
}

func TestSeedOnlyOnAnEmptyDatabase(t *testing.T) {
	db, _ := seeded(t)
	before, _ := db.CountUsers(ctx)
	var out bytes.Buffer
	if err := demo.Seed(ctx, db, "http://localhost:8080", &out); err != nil {
		t.Fatal(err)
	}
	after, _ := db.CountUsers(ctx)
	if after != before || !strings.Contains(out.String(), "already has users") {
		t.Fatalf("second seed: users %d → %d, output %q", before, after, out.String())
	}
	org, _ := db.OrgBySlug(ctx, demo.OrgSlug)
	if _, n, _ := db.Customers(ctx, store.CustomersIn(org.ID, access.ScopeAll, 0), store.CustomerQuery{}); n != 30 {
		t.Errorf("%d customers after a second seed, want 30", n)
	}

	// A database with any user at all is left alone.
	other, err := store.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.CreateUser(ctx, "someone@example.com", "Some One", ""); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, other, "http://localhost:8080", &out); err != nil {
		t.Fatal(err)
	}
	if _, err := other.OrgBySlug(ctx, demo.OrgSlug); err == nil {
		t.Error("seeded a database that already had a user")
	}
}

// The demo has teams EMEA and Americas owning customers, and a supervisor
// leading EMEA whose team scope reaches EMEA's customers and not Americas'.
func TestSeedTeamsAndSupervisor(t *testing.T) {
	db, _ := seeded(t)
	org, err := db.OrgBySlug(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	teams, total, err := db.Teams(ctx, org.ID, store.TeamQuery{})
	if err != nil || total != 2 || teams[0].Name != demo.TeamAmericas || teams[1].Name != demo.TeamEMEA {
		t.Fatalf("teams %+v %d %v", teams, total, err)
	}
	u, err := db.UserByEmail(ctx, demo.SupervisorEmail)
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.MembershipOfUser(ctx, org.ID, u.ID)
	if err != nil || m.Role != access.RoleSupervisor {
		t.Fatalf("supervisor %+v %v", m, err)
	}
	mine, err := db.TeamsOfMember(ctx, org.ID, m.ID)
	if err != nil || len(mine) != 1 || mine[0].Name != demo.TeamEMEA || !mine[0].Lead {
		t.Errorf("supervisor's teams %+v %v", mine, err)
	}
	in, err := db.MemberInput(ctx, org, m, store.AllLayers)
	if err != nil {
		t.Fatal(err)
	}
	scope, _ := access.Resolve(in).Scope(access.ModCustomers)
	if scope != access.ScopeTeam {
		t.Fatalf("supervisor's customers scope %v", scope)
	}
	rows, n, err := db.Customers(ctx, store.CustomersIn(org.ID, scope, m.ID), store.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
		if r.TeamName != demo.TeamEMEA {
			t.Errorf("%s owned by %q", r.Name, r.TeamName)
		}
	}
	want := demo.CustomersOfTeam(demo.TeamEMEA)
	slices.Sort(names)
	slices.Sort(want)
	if n != len(want) || !slices.Equal(names, want) || len(want) < 2 {
		t.Errorf("supervisor sees %q (%d), want EMEA's %q", names, n, want)
	}
	for _, other := range demo.CustomersOfTeam(demo.TeamAmericas) {
		if slices.Contains(names, other) {
			t.Errorf("supervisor sees Americas' %s", other)
		}
	}
}
