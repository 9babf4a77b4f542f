package benchseed

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

func TestSeedSmall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := Options{Members: 400, Groups: 40, Customers: 120, MaxGroupsPerMember: 20, Teams: 12, RandSeed: 7, Conversations: 400, Messages: 1500}
	// A seed of the same size from an older version or schema is pruned
	// (also one named before seeds had teams), one of another size is kept.
	stale := filepath.Join(dir, "seed-v1-deadbeef-m400-g40-c120-k20-t12-r7.db")
	noTeams := filepath.Join(dir, "seed-v0-deadbeef-m400-g40-c120-k20-r7.db")
	other := filepath.Join(dir, "seed-v0-deadbeef-m999-g40-c120-k20-r7.db")
	otherTeams := filepath.Join(dir, "seed-v1-deadbeef-m400-g40-c120-k20-t13-r7.db")
	for _, p := range []string{stale, noTeams, other, otherTeams} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var logged int
	path, err := Ensure(ctx, dir, o, func(string, ...any) { logged++ })
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, noTeams} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("the stale seed %s of the same size was kept", filepath.Base(p))
		}
	}
	for _, p := range []string{other, otherTeams} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the seed %s of another size was removed", filepath.Base(p))
		}
	}
	if logged != 3 || filepath.Base(path) != o.FileName() {
		t.Fatalf("seed log lines %d, path %s", logged, path)
	}
	// A second Ensure reuses the cache.
	if p2, err := Ensure(ctx, dir, o, func(string, ...any) { logged++ }); err != nil || p2 != path || logged != 3 {
		t.Fatalf("second Ensure reseeded or failed: %v %s %d", err, p2, logged)
	}

	in, err := Lookup(ctx, path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if in.Members != o.Members || in.Groups != o.Groups || in.Customers != o.Customers || in.Teams != o.Teams || in.TeamLinks < o.Members/2 {
		t.Fatalf("counts: %+v", in)
	}
	if in.Chats != o.Conversations || in.Messages != o.Messages || in.LongChat == 0 || in.ChatsDeep == "" {
		t.Fatalf("conversations: %+v", in)
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
	}{{OwnerEmail, access.RoleOwner, 0}, {AgentEmail, access.RoleAgent, 2}, {Member20Email, access.RoleAgent, 20},
		{SupervisorEmail, access.RoleSupervisor, 0}} {
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
	am, err := Actor(ctx, st, AgentEmail)
	if err != nil {
		t.Fatal(err)
	}
	gs, _ := st.GroupsOfMember(ctx, am.OrgID, am.ID)
	eff := access.Resolve(access.Input{Role: am.Role, Groups: store.Grants(gs), Products: org.Products})
	if !eff.Can(access.ModCustomers, access.View) || eff.CanFlag(access.FlagCustomersCanAccessAll) {
		t.Errorf("agent: customers view %v, canAccessAll %v", eff.Can(access.ModCustomers, access.View), eff.CanFlag(access.FlagCustomersCanAccessAll))
	}
	// The long thread is the agent's, with LongThread messages, and its
	// row knows its newest message; the agent's own list has AgentChats.
	sc := store.ScopeIn(org.ID, access.ScopeOwn, am.ID)
	if last, err := st.ConversationLastMessage(ctx, sc, in.LongChat); err != nil || last != in.LongChatLast {
		t.Errorf("long thread's last message %d, %v; want %d", last, err, in.LongChatLast)
	}
	if ms, err := st.Thread(ctx, org.ID, in.LongChat, 0, 1000); err != nil || len(ms) != LongThread || ms[len(ms)-1].ID != in.LongChatLast {
		t.Errorf("long thread: %d messages, %v", len(ms), err)
	}
	if rows, _, err := st.Conversations(ctx, sc, store.ConversationQuery{Limit: 1000}); err != nil || len(rows) != AgentChats {
		t.Errorf("agent's conversations: %d, %v", len(rows), err)
	}
	checkTeams(t, st, path, org)
	if got, _ := st.IntegrityCheck(ctx); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
}

// checkTeams: every member in at most MaxTeamsPerMember teams, one lead
// per team, the agent and Member20 actors in none, and the supervisor in
// and leading SupervisorTeams teams, whose "My teams" reach their own
// customers and their teams' and nothing else.
func checkTeams(t *testing.T, st *store.Store, path string, org domain.Org) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var most, teamsWithoutOneLead, owned int
	for q, dst := range map[string]*int{
		`SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM team_members GROUP BY membership_id)`:                           &most,
		`SELECT COUNT(*) FROM teams t WHERE (SELECT COUNT(*) FROM team_members WHERE team_id = t.id AND is_lead) != 1`: &teamsWithoutOneLead,
		`SELECT COUNT(*) FROM customers WHERE team_id IS NOT NULL`:                                                     &owned,
	} {
		if err := db.QueryRowContext(ctx, q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	if most != MaxTeamsPerMember || teamsWithoutOneLead != 0 || owned < 120/2 {
		t.Errorf("most teams of a member %d, teams without exactly one lead %d, customers owned by a team %d", most, teamsWithoutOneLead, owned)
	}
	member := func(email string) domain.Membership {
		m, err := Actor(ctx, st, email)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, email := range []string{AgentEmail, Member20Email} {
		if ts, err := st.TeamsOfMember(ctx, org.ID, member(email).ID); err != nil || len(ts) != 0 {
			t.Errorf("%s is in teams %+v (%v)", email, ts, err)
		}
	}
	sup := member(SupervisorEmail)
	ts, err := st.TeamsOfMember(ctx, org.ID, sup.ID)
	if err != nil || len(ts) != SupervisorTeams {
		t.Fatalf("supervisor's teams %+v %v", ts, err)
	}
	mine := map[int64]bool{}
	for _, tm := range ts {
		mine[tm.TeamID] = true
		if !tm.Lead {
			t.Errorf("the supervisor does not lead %s", tm.Name)
		}
	}
	in, err := st.MemberInput(ctx, org, sup, store.AllLayers)
	if err != nil {
		t.Fatal(err)
	}
	scope, _ := access.Resolve(in).Scope(access.ModCustomers)
	if scope != access.ScopeTeam {
		t.Fatalf("supervisor's customers scope %v, want team", scope)
	}
	rows, _, err := st.Customers(ctx, store.CustomersIn(org.ID, scope, sup.ID), store.CustomerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var own, teams int
	for _, r := range rows {
		full, err := st.Customer(ctx, store.CustomersIn(org.ID, access.ScopeAll, 0), r.ID)
		switch {
		case err != nil:
			t.Fatal(err)
		case full.AssignedTo == sup.ID:
			own++
		case mine[full.TeamID]:
			teams++
		default:
			t.Errorf("the supervisor's list has %s, neither theirs nor their teams'", full.Name)
		}
	}
	if own != SupervisorCustomers || teams == 0 {
		t.Errorf("supervisor's My teams: %d own, %d of their teams", own, teams)
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
