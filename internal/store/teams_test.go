package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// teamsFixture is two organizations: acme with members ann (agent), bob
// (agent), cat (manager, all scope) and globex with gus and its own team.
type teamsFixture struct {
	s                *Store
	acme, globex     domain.Org
	ann, bob, cat    int64 // acme memberships
	gus              int64 // globex membership
	globexTeam       int64
	annCust, bobCust int64 // customers assigned to ann, bob
	freeCust         int64 // unassigned
	globexCustomer   int64
}

func newTeamsFixture(t *testing.T) *teamsFixture {
	t.Helper()
	f := &teamsFixture{s: openTest(t)}
	ctx := context.Background()
	err := f.s.Write(ctx, func(tx *Tx) error {
		var err error
		if f.acme, err = tx.CreateOrg(ctx, NewOrg{Name: "Acme", NameKey: "acme", Slug: "acme", Seats: 10}); err != nil {
			return err
		}
		if f.globex, err = tx.CreateOrg(ctx, NewOrg{Name: "Globex", NameKey: "globex", Slug: "globex", Seats: 10}); err != nil {
			return err
		}
		add := func(org int64, email, name string, role access.Role) int64 {
			u, e := tx.CreateUser(ctx, email, name, "")
			if e != nil {
				err = e
				return 0
			}
			m, e := tx.AddMember(ctx, org, u.ID, role, domain.StatusActive, nil)
			if e != nil {
				err = e
			}
			return m.ID
		}
		f.ann = add(f.acme.ID, "ann@acme.test", "Ann", access.RoleAgent)
		f.bob = add(f.acme.ID, "bob@acme.test", "Bob", access.RoleAgent)
		f.cat = add(f.acme.ID, "cat@acme.test", "Cat", access.RoleManager)
		f.gus = add(f.globex.ID, "gus@globex.test", "Gus", access.RoleAgent)
		if err != nil {
			return err
		}
		if f.globexTeam, err = tx.CreateTeam(ctx, f.globex.ID, "Globex crew", ""); err != nil {
			return err
		}
		cust := func(org int64, name string, to int64) int64 {
			id, e := tx.CreateCustomer(ctx, Customer{OrgID: org, Name: name, AssignedTo: to})
			if e != nil {
				err = e
			}
			return id
		}
		f.annCust = cust(f.acme.ID, "Ann's customer", f.ann)
		f.bobCust = cust(f.acme.ID, "Bob's customer", f.bob)
		f.freeCust = cust(f.acme.ID, "Nobody's customer", 0)
		f.globexCustomer = cust(f.globex.ID, "Globex customer", f.gus)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *teamsFixture) write(t *testing.T, fn func(tx *Tx) error) error {
	t.Helper()
	return f.s.Write(context.Background(), fn)
}

func (f *teamsFixture) mustWrite(t *testing.T, fn func(tx *Tx) error) {
	t.Helper()
	if err := f.write(t, fn); err != nil {
		t.Fatal(err)
	}
}

// team creates a team in acme with members (each in a write of its own).
func (f *teamsFixture) team(t *testing.T, name, description string, members ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	f.mustWrite(t, func(tx *Tx) (err error) { id, err = tx.CreateTeam(ctx, f.acme.ID, name, description); return })
	for _, m := range members {
		f.mustWrite(t, func(tx *Tx) error { _, err := tx.AddTeamMember(ctx, f.acme.ID, id, m); return err })
	}
	return id
}

func wantCode(t *testing.T, what string, err error, code domain.Code, field string) {
	t.Helper()
	e := domain.AsError(err)
	if e == nil || e.Code != code || (field != "" && e.Field != field) {
		t.Errorf("%s: %v (%#v), want %s on field %q", what, err, e, code, field)
	}
}

// A team's name is unique in its organization compared like organization
// names (case, accents, spaces), and free in another organization; an
// empty name is invalid on the name field; nothing is written on refusal.
func TestTeamNamesAreUniqueLikeOrgNames(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea := f.team(t, " EMEA ", "Europe")
	for _, name := range []string{"emea", "É M E A", "EMEA"} {
		err := f.write(t, func(tx *Tx) error { _, err := tx.CreateTeam(ctx, f.acme.ID, name, ""); return err })
		wantCode(t, "create "+name, err, domain.CodeConflict, "name")
		if !errors.Is(err, ErrConflict) || domain.CodeConflict.Status() != 409 {
			t.Errorf("create %q: %v is not ErrConflict / 409", name, err)
		}
	}
	for _, name := range []string{"", "   "} {
		err := f.write(t, func(tx *Tx) error { _, err := tx.CreateTeam(ctx, f.acme.ID, name, ""); return err })
		wantCode(t, fmt.Sprintf("create %q", name), err, domain.CodeInvalid, "name")
	}
	if err := f.write(t, func(tx *Tx) error { _, err := tx.CreateTeam(ctx, f.globex.ID, "EMEA", ""); return err }); err != nil {
		t.Errorf("another organization may use the name: %v", err)
	}
	other := f.team(t, "Americas", "")
	wantCode(t, "rename onto a taken name", f.write(t, func(tx *Tx) error { return tx.RenameTeam(ctx, f.acme.ID, other, "emea") }),
		domain.CodeConflict, "name")
	wantCode(t, "rename to empty", f.write(t, func(tx *Tx) error { return tx.RenameTeam(ctx, f.acme.ID, other, " ") }),
		domain.CodeInvalid, "name")
	if err := f.write(t, func(tx *Tx) error { return tx.RenameTeam(ctx, f.acme.ID, emea, "Emea") }); err != nil {
		t.Errorf("a team may change the case of its own name: %v", err)
	}
	got, err := f.s.Team(ctx, f.acme.ID, emea)
	if err != nil || got.Name != "Emea" || got.Description != "Europe" {
		t.Errorf("team after rename: %+v, %v", got, err)
	}
	teams, total, err := f.s.Teams(ctx, f.acme.ID, TeamQuery{})
	if err != nil || total != 2 || len(teams) != 2 || teams[0].Name != "Americas" || teams[1].Name != "Emea" {
		t.Errorf("acme teams after refusals: %+v, %d, %v", teams, total, err)
	}
}

// Another organization's team is not found for every read and write, and
// so is another organization's member; a lead must be a member.
func TestTeamsOfAnotherOrganizationAreNotFound(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea := f.team(t, "EMEA", "")
	g := f.globexTeam
	for name, fn := range map[string]func(tx *Tx) error{
		"rename":        func(tx *Tx) error { return tx.RenameTeam(ctx, f.acme.ID, g, "Mine") },
		"describe":      func(tx *Tx) error { return tx.DescribeTeam(ctx, f.acme.ID, g, "x") },
		"delete":        func(tx *Tx) error { _, err := tx.DeleteTeam(ctx, f.acme.ID, g, 0); return err },
		"delete into":   func(tx *Tx) error { _, err := tx.DeleteTeam(ctx, f.acme.ID, emea, g); return err },
		"add member":    func(tx *Tx) error { _, err := tx.AddTeamMember(ctx, f.acme.ID, g, f.ann); return err },
		"add foreigner": func(tx *Tx) error { _, err := tx.AddTeamMember(ctx, f.acme.ID, emea, f.gus); return err },
		"remove":        func(tx *Tx) error { return tx.RemoveTeamMember(ctx, f.acme.ID, g, f.gus) },
		"lead":          func(tx *Tx) error { return tx.SetTeamLead(ctx, f.acme.ID, g, f.gus, true) },
		"customer": func(tx *Tx) error {
			_, err := tx.CreateCustomer(ctx, Customer{OrgID: f.acme.ID, Name: "X", TeamID: g})
			return err
		},
		"customer edit": func(tx *Tx) error {
			return tx.UpdateCustomerWithTeam(ctx, CustomersIn(f.acme.ID, access.ScopeAll, 0), Customer{ID: f.annCust, Name: "X", TeamID: g})
		},
	} {
		err := f.write(t, fn)
		wantCode(t, name, err, domain.CodeNotFound, "")
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v is not ErrNotFound", name, err)
		}
	}
	if _, err := f.s.Team(ctx, f.acme.ID, g); !errors.Is(err, ErrNotFound) {
		t.Errorf("read: %v", err)
	}
	if _, _, err := f.s.TeamMembers(ctx, f.acme.ID, g, TeamMemberQuery{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("members: %v", err)
	}
	if got, err := f.s.Team(ctx, f.globex.ID, g); err != nil || got.Name != "Globex crew" {
		t.Errorf("globex's team changed: %+v, %v", got, err)
	}
	if n, _ := f.s.TeamRecordCount(ctx, f.acme.ID, emea); n != 0 {
		t.Errorf("a refused customer was written: %d", n)
	}
	wantCode(t, "lead who is not a member", f.write(t, func(tx *Tx) error { return tx.SetTeamLead(ctx, f.acme.ID, emea, f.ann, true) }),
		domain.CodeInvalid, "member")
	wantCode(t, "remove a non-member", f.write(t, func(tx *Tx) error { return tx.RemoveTeamMember(ctx, f.acme.ID, emea, f.ann) }),
		domain.CodeNotFound, "")
}

// Members, leads, counts and paging: a member may be in several teams;
// removing a member drops their lead mark; lists page and search.
func TestTeamMembersAndLeads(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea, amer := f.team(t, "EMEA", "Europe"), f.team(t, "Americas", "North and South")
	f.mustWrite(t, func(tx *Tx) error {
		for _, p := range [][2]int64{{emea, f.ann}, {emea, f.bob}, {amer, f.ann}} {
			if added, err := tx.AddTeamMember(ctx, f.acme.ID, p[0], p[1]); err != nil || !added {
				return fmt.Errorf("add %v: %v %v", p, added, err)
			}
		}
		if added, err := tx.AddTeamMember(ctx, f.acme.ID, emea, f.ann); err != nil || added {
			return fmt.Errorf("adding twice: %v %v", added, err)
		}
		return tx.SetTeamLead(ctx, f.acme.ID, emea, f.bob, true)
	})
	teams, total, err := f.s.Teams(ctx, f.acme.ID, TeamQuery{})
	if err != nil || total != 2 || teams[0].Name != "Americas" || teams[0].MemberCount != 1 || teams[1].MemberCount != 2 {
		t.Fatalf("teams: %+v %d %v", teams, total, err)
	}
	page, total, err := f.s.Teams(ctx, f.acme.ID, TeamQuery{Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(page) != 1 || page[0].Name != "EMEA" {
		t.Errorf("second page: %+v %d %v", page, total, err)
	}
	page, total, err = f.s.Teams(ctx, f.acme.ID, TeamQuery{Limit: 1})
	if err != nil || total != 2 || len(page) != 1 || page[0].Name != "Americas" {
		t.Errorf("first page: %+v %d %v", page, total, err)
	}
	if found, n, err := f.s.Teams(ctx, f.acme.ID, TeamQuery{Search: "south"}); err != nil || n != 1 || found[0].ID != amer {
		t.Errorf("search by description: %+v %d %v", found, n, err)
	}
	if found, n, err := f.s.Teams(ctx, f.acme.ID, TeamQuery{Search: "100%"}); err != nil || n != 0 || len(found) != 0 {
		t.Errorf("search with a wildcard: %+v %d %v", found, n, err)
	}
	mine, err := f.s.TeamsOfMember(ctx, f.acme.ID, f.ann)
	if err != nil || len(mine) != 2 || mine[0].Name != "Americas" || mine[1].Name != "EMEA" || mine[0].Lead || mine[1].Lead {
		t.Errorf("ann's teams: %+v %v", mine, err)
	}
	if theirs, err := f.s.TeamsOfMember(ctx, f.globex.ID, f.ann); err != nil || len(theirs) != 0 {
		t.Errorf("ann's teams seen from globex: %+v %v", theirs, err)
	}
	ms, n, err := f.s.TeamMembers(ctx, f.acme.ID, emea, TeamMemberQuery{})
	if err != nil || n != 2 || ms[0].MembershipID != f.bob || !ms[0].Lead || ms[1].MembershipID != f.ann || ms[1].Lead {
		t.Errorf("EMEA members (lead first): %+v %d %v", ms, n, err)
	}
	if ms, n, err := f.s.TeamMembers(ctx, f.acme.ID, emea, TeamMemberQuery{Search: "ann@", Limit: 1}); err != nil || n != 1 || ms[0].Email != "ann@acme.test" {
		t.Errorf("member search: %+v %d %v", ms, n, err)
	}
	f.mustWrite(t, func(tx *Tx) error { return tx.RemoveTeamMember(ctx, f.acme.ID, emea, f.bob) })
	f.mustWrite(t, func(tx *Tx) error { _, err := tx.AddTeamMember(ctx, f.acme.ID, emea, f.bob); return err })
	if ms, _, _ := f.s.TeamMembers(ctx, f.acme.ID, emea, TeamMemberQuery{}); len(ms) != 2 || ms[0].Lead || ms[1].Lead {
		t.Errorf("a member removed and added again is no lead: %+v", ms)
	}
	if has, err := f.s.OrgHasTeams(ctx, f.acme.ID); err != nil || !has {
		t.Errorf("acme has teams: %v %v", has, err)
	}
}

// Deleting a team moves the customers it owns to the chosen team, or to
// none, in the same transaction; the team's memberships go with it.
func TestDeleteTeamMovesItsRecords(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea, amer := f.team(t, "EMEA", "", f.ann), f.team(t, "Americas", "")
	f.mustWrite(t, func(tx *Tx) error {
		all := CustomersIn(f.acme.ID, access.ScopeAll, 0)
		for _, id := range []int64{f.annCust, f.freeCust} {
			c, err := tx.Customer(ctx, all, id)
			if err != nil {
				return err
			}
			c.TeamID = emea
			if err := tx.UpdateCustomerWithTeam(ctx, all, c); err != nil {
				return err
			}
		}
		return nil
	})
	wantCode(t, "delete into itself", f.write(t, func(tx *Tx) error { _, err := tx.DeleteTeam(ctx, f.acme.ID, emea, emea); return err }),
		domain.CodeInvalid, "move_to")
	var moved int
	f.mustWrite(t, func(tx *Tx) (err error) { moved, err = tx.DeleteTeam(ctx, f.acme.ID, emea, amer); return })
	if moved != 2 {
		t.Errorf("moved %d, want 2", moved)
	}
	if n, _ := f.s.TeamRecordCount(ctx, f.acme.ID, amer); n != 2 {
		t.Errorf("Americas owns %d, want 2", n)
	}
	c, err := f.s.Customer(ctx, CustomersIn(f.acme.ID, access.ScopeAll, 0), f.freeCust)
	if err != nil || c.TeamID != amer || c.TeamName != "Americas" {
		t.Errorf("moved customer: %+v %v", c, err)
	}
	if ts, _ := f.s.TeamsOfMember(ctx, f.acme.ID, f.ann); len(ts) != 0 {
		t.Errorf("ann is still in the deleted team: %+v", ts)
	}
	f.mustWrite(t, func(tx *Tx) (err error) { moved, err = tx.DeleteTeam(ctx, f.acme.ID, amer, 0); return })
	if c, _ := f.s.Customer(ctx, CustomersIn(f.acme.ID, access.ScopeAll, 0), f.freeCust); moved != 2 || c.TeamID != 0 || c.TeamName != "" {
		t.Errorf("delete to none: moved %d, customer %+v", moved, c)
	}
	if has, _ := f.s.OrgHasTeams(ctx, f.acme.ID); has {
		t.Error("acme still has teams")
	}
}

// Team changes move the counters that key the caches: perm_version (scopes),
// members_version (the members page shows teams) and customers_version (a
// team-scoped list); the other organization's stay.
func TestTeamChangesBumpVersions(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	versions := func(org int64) [3]int64 {
		t.Helper()
		var v [3]int64
		if err := f.s.r.QueryRow(`SELECT perm_version, members_version, customers_version FROM organizations WHERE id = ?`, org).
			Scan(&v[0], &v[1], &v[2]); err != nil {
			t.Fatal(err)
		}
		return v
	}
	var emea int64
	step := func(name string, perm, members, customers bool, fn func(tx *Tx) error) {
		t.Helper()
		before, other := versions(f.acme.ID), versions(f.globex.ID)
		f.mustWrite(t, fn)
		after := versions(f.acme.ID)
		for i, want := range []bool{perm, members, customers} {
			if moved := after[i] != before[i]; moved != want {
				t.Errorf("%s: counter %d moved %v, want %v (%v → %v)", name, i, moved, want, before, after)
			}
		}
		if versions(f.globex.ID) != other {
			t.Errorf("%s: globex's counters moved", name)
		}
	}
	step("create", true, false, false, func(tx *Tx) (err error) { emea, err = tx.CreateTeam(ctx, f.acme.ID, "EMEA", ""); return })
	step("describe", false, false, false, func(tx *Tx) error { return tx.DescribeTeam(ctx, f.acme.ID, emea, "Europe") })
	step("rename", true, true, true, func(tx *Tx) error { return tx.RenameTeam(ctx, f.acme.ID, emea, "Europe") })
	step("add member", true, true, true, func(tx *Tx) error { _, err := tx.AddTeamMember(ctx, f.acme.ID, emea, f.ann); return err })
	step("lead", true, false, false, func(tx *Tx) error { return tx.SetTeamLead(ctx, f.acme.ID, emea, f.ann, true) })
	step("unlead", true, false, false, func(tx *Tx) error { return tx.SetTeamLead(ctx, f.acme.ID, emea, f.ann, false) })
	step("remove member", true, true, true, func(tx *Tx) error { return tx.RemoveTeamMember(ctx, f.acme.ID, emea, f.ann) })
	step("delete", true, true, false, func(tx *Tx) error { _, err := tx.DeleteTeam(ctx, f.acme.ID, emea, 0); return err })
}

// Team scope in SQL: the member's own customers and those owned by their
// teams, for every list, search, count, export, detail and write; none of
// another team's; only their own when in no team. The "My teams" list
// (Team) is the same for a member who sees all.
func TestCustomersTeamScope(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea, amer := f.team(t, "EMEA", "", f.ann, f.cat), f.team(t, "Americas", "")
	var emeaCust, amerCust int64
	f.mustWrite(t, func(tx *Tx) error {
		var err error
		if emeaCust, err = tx.CreateCustomer(ctx, Customer{OrgID: f.acme.ID, Name: "EMEA customer", AssignedTo: f.bob, TeamID: emea}); err != nil {
			return err
		}
		amerCust, err = tx.CreateCustomer(ctx, Customer{OrgID: f.acme.ID, Name: "Americas customer", TeamID: amer})
		return err
	})
	ids := func(sc CustomerScope, search string) []int64 {
		t.Helper()
		rows, total, err := f.s.Customers(ctx, sc, CustomerQuery{Search: search})
		if err != nil || total != len(rows) {
			t.Fatalf("list: %d rows, total %d, %v", len(rows), total, err)
		}
		var out []int64
		for _, r := range rows {
			out = append(out, r.ID)
		}
		slices.Sort(out)
		var exported []int64
		if err := f.s.EachCustomer(ctx, sc, search, func(c Customer) error { exported = append(exported, c.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(exported)
		if !slices.Equal(out, exported) {
			t.Errorf("export %v differs from the list %v", exported, out)
		}
		return out
	}
	sorted := func(xs ...int64) []int64 { slices.Sort(xs); return xs }
	annTeam := CustomersIn(f.acme.ID, access.ScopeTeam, f.ann)
	bobTeam := CustomersIn(f.acme.ID, access.ScopeTeam, f.bob) // in no team
	if got, want := ids(annTeam, ""), sorted(f.annCust, emeaCust); !slices.Equal(got, want) {
		t.Errorf("ann's team scope: %v, want %v", got, want)
	}
	if got := ids(annTeam, "Americas"); len(got) != 0 {
		t.Errorf("ann finds another team's customer: %v", got)
	}
	if got := ids(annTeam, "EMEA"); !slices.Equal(got, []int64{emeaCust}) {
		t.Errorf("ann's search: %v", got)
	}
	if got, want := ids(bobTeam, ""), sorted(f.bobCust, emeaCust); !slices.Equal(got, want) {
		t.Errorf("bob (no team, assigned an EMEA customer): %v, want %v", got, want)
	}
	if n, mine, err := f.s.CustomerCounts(ctx, annTeam, f.ann); err != nil || n != 2 || mine != 1 {
		t.Errorf("ann's counts: %d %d %v", n, mine, err)
	}
	if _, err := f.s.Customer(ctx, annTeam, amerCust); !errors.Is(err, ErrNotFound) {
		t.Errorf("ann loads another team's customer: %v", err)
	}
	if c, err := f.s.Customer(ctx, annTeam, emeaCust); err != nil || c.TeamName != "EMEA" || c.TeamID != emea {
		t.Errorf("ann's team's customer: %+v %v", c, err)
	}
	for name, fn := range map[string]func(tx *Tx) error{
		"update": func(tx *Tx) error { return tx.UpdateCustomer(ctx, annTeam, Customer{ID: amerCust, Name: "Taken"}) },
		"update with team": func(tx *Tx) error {
			return tx.UpdateCustomerWithTeam(ctx, annTeam, Customer{ID: amerCust, Name: "Taken", TeamID: emea})
		},
		"delete": func(tx *Tx) error { return tx.DeleteCustomer(ctx, annTeam, amerCust) },
	} {
		if err := f.write(t, fn); !errors.Is(err, ErrNotFound) {
			t.Errorf("ann's %s of another team's customer: %v", name, err)
		}
	}
	if c, _ := f.s.Customer(ctx, CustomersIn(f.acme.ID, access.ScopeAll, 0), amerCust); c.Name != "Americas customer" || c.TeamID != amer {
		t.Errorf("a refused write changed the customer: %+v", c)
	}
	if err := f.write(t, func(tx *Tx) error {
		return tx.UpdateCustomer(ctx, annTeam, Customer{ID: emeaCust, Name: "EMEA customer 2", AssignedTo: f.bob})
	}); err != nil {
		t.Errorf("ann edits her team's customer: %v", err)
	}
	if c, _ := f.s.Customer(ctx, annTeam, emeaCust); c.TeamID != emea || c.Name != "EMEA customer 2" {
		t.Errorf("UpdateCustomer kept the team? %+v", c)
	}

	// "My teams" for cat, who sees all: her team's customers only.
	catAll := CustomersIn(f.acme.ID, access.ScopeAll, f.cat)
	if got := ids(catAll.Team(f.cat), ""); !slices.Equal(got, []int64{emeaCust}) {
		t.Errorf("cat's My teams: %v", got)
	}
	if got := len(ids(catAll, "")); got != 5 {
		t.Errorf("cat's all: %d customers, want 5", got)
	}
	annOwn := CustomersIn(f.acme.ID, access.ScopeOwn, f.ann)
	if annOwn.Team(f.ann) != annOwn || annTeam.Mine(f.ann) != annOwn || annTeam.Team(f.ann) != annTeam {
		t.Error("Team widened an own scope, or Mine/Team of team scope changed it")
	}
	if got := ids(annTeam.Mine(f.ann), ""); !slices.Equal(got, []int64{f.annCust}) {
		t.Errorf("ann's mine: %v", got)
	}
	if got := ids(CustomersIn(f.globex.ID, access.ScopeTeam, f.gus), ""); !slices.Equal(got, []int64{f.globexCustomer}) {
		t.Errorf("gus: %v", got)
	}
}

// Who may give a customer which owning team: none always; another
// organization's team is not found; own and team scope only their own
// teams (or keeping the current one); all scope any.
func TestCheckCustomerTeam(t *testing.T) {
	f := newTeamsFixture(t)
	ctx := context.Background()
	emea, amer := f.team(t, "EMEA", "", f.ann), f.team(t, "Americas", "")
	own := CustomersIn(f.acme.ID, access.ScopeOwn, f.ann)
	team := CustomersIn(f.acme.ID, access.ScopeTeam, f.ann)
	all := CustomersIn(f.acme.ID, access.ScopeAll, f.bob)
	for _, sc := range []CustomerScope{own, team, all} {
		if err := f.s.CheckCustomerTeam(ctx, sc, 0, amer); err != nil {
			t.Errorf("%v: no team: %v", sc.Scope(), err)
		}
		if err := f.s.CheckCustomerTeam(ctx, sc, f.globexTeam, 0); !errors.Is(err, ErrNotFound) {
			t.Errorf("%v: another organization's team: %v", sc.Scope(), err)
		}
	}
	for _, sc := range []CustomerScope{own, team} {
		if err := f.s.CheckCustomerTeam(ctx, sc, emea, 0); err != nil {
			t.Errorf("%v: her own team: %v", sc.Scope(), err)
		}
		wantCode(t, sc.Scope().String()+": another team", f.s.CheckCustomerTeam(ctx, sc, amer, 0), domain.CodeInvalid, "team")
		if err := f.s.CheckCustomerTeam(ctx, sc, amer, amer); err != nil {
			t.Errorf("%v: keeping the current team: %v", sc.Scope(), err)
		}
	}
	if err := f.s.CheckCustomerTeam(ctx, all, amer, 0); err != nil {
		t.Errorf("all scope, any team: %v", err)
	}
	if err := f.s.CheckCustomerTeam(ctx, CustomerScope{}, amer, 0); !errors.Is(err, ErrNoScope) {
		t.Errorf("no scope: %v", err)
	}
}
