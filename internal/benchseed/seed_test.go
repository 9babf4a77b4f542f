package benchseed

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

func TestSeedSmall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := Options{Members: 400, Groups: 40, Customers: 120, MaxGroupsPerMember: 20, RandSeed: 7}
	// A seed of the same size from an older version or schema is pruned,
	// one of another size is kept.
	stale := filepath.Join(dir, "seed-v0-deadbeef-m400-g40-c120-k20-r7.db")
	other := filepath.Join(dir, "seed-v0-deadbeef-m999-g40-c120-k20-r7.db")
	for _, p := range []string{stale, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var logged int
	path, err := Ensure(ctx, dir, o, func(string, ...any) { logged++ })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale seed of the same size was kept")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a seed of another size was removed")
	}
	if logged != 2 || filepath.Base(path) != o.FileName() {
		t.Fatalf("seed log lines %d, path %s", logged, path)
	}
	// A second Ensure reuses the cache.
	if p2, err := Ensure(ctx, dir, o, func(string, ...any) { logged++ }); err != nil || p2 != path || logged != 2 {
		t.Fatalf("second Ensure reseeded or failed: %v %s %d", err, p2, logged)
	}

	in, err := Lookup(ctx, path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if in.Members != o.Members || in.Groups != o.Groups || in.Customers != o.Customers {
		t.Fatalf("counts: %+v", in)
	}
	if len(in.SaveGroups) != 5 || len(in.AgentCustIDs) != AgentCustomers {
		t.Fatalf("save groups %v, agent customers %d", in.SaveGroups, len(in.AgentCustIDs))
	}

	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := st.OrgBySlug(ctx, Slug)
	if err != nil {
		t.Fatal(err)
	}
	if org.Products != access.AllProducts() {
		t.Errorf("products %v, want every product", org.Products.Keys())
	}
	for _, tc := range []struct {
		email  string
		role   access.Role
		groups int
	}{{OwnerEmail, access.RoleOwner, 0}, {AgentEmail, access.RoleAgent, 2}, {Member20Email, access.RoleAgent, 20}} {
		u, err := st.UserByEmail(ctx, tc.email)
		if err != nil {
			t.Fatalf("%s: %v", tc.email, err)
		}
		if !password.Check(u.PasswordHash, Password) {
			t.Errorf("%s: the shared password does not match", tc.email)
		}
		m, err := st.MembershipOfUser(ctx, org.ID, u.ID)
		if err != nil || m.Role != tc.role || m.Suspended() {
			t.Fatalf("%s: membership %+v %v", tc.email, m, err)
		}
		gs, err := st.GroupsOfMember(ctx, m.OrgID, m.ID)
		if err != nil || len(gs) != tc.groups {
			t.Errorf("%s: in %d groups, want %d (%v)", tc.email, len(gs), tc.groups, err)
		}
	}
	// The agent sees only their customers, without canAccessAll.
	agent, _ := st.UserByEmail(ctx, AgentEmail)
	am, _ := st.MembershipOfUser(ctx, org.ID, agent.ID)
	gs, _ := st.GroupsOfMember(ctx, am.OrgID, am.ID)
	eff := access.Resolve(access.Input{Role: am.Role, Groups: store.Grants(gs), Products: org.Products})
	if !eff.Can(access.ModCustomers, access.View) || eff.CanFlag(access.FlagCustomersCanAccessAll) {
		t.Errorf("agent: customers view %v, canAccessAll %v", eff.Can(access.ModCustomers, access.View), eff.CanFlag(access.FlagCustomersCanAccessAll))
	}
	if got, _ := st.IntegrityCheck(ctx); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
}

func TestEmailPart(t *testing.T) {
	for in, want := range map[string]string{"Zoë": "zoe", "O'Brien": "obrien", "Van Dijk": "vandijk", "Søren": "soren", "Wiśniewski": "wisniewski"} {
		if got := emailPart(in); got != want {
			t.Errorf("emailPart(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Options{Members: 100, Groups: 10, Customers: 100, MaxGroupsPerMember: 20}).validate(); err == nil {
		t.Error("10 groups cannot hold a member in 20 groups, yet validate passed")
	}
	if err := Default().validate(); err != nil {
		t.Errorf("default options: %v", err)
	}
}
