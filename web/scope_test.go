package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// Scope is a value (issue 18): for every demo member, the engine's scope on
// each scoped module is what its canAccessAll flag says, and every customers
// path (list mine, list all, search, export, detail, edit form, update,
// delete, the dashboard's figures) and the other scoped modules' pages reach
// exactly the records of that scope. A member with own scope never sees
// another's customer: not its id, not its name; its detail, edit and delete
// are 404.
func TestScopeOfEveryDemoMember(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every customers path for every demo member")
	}
	app := testkit.NewApp(t)
	ctx := context.Background()
	if err := demo.Seed(ctx, app.DB, app.URL, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	orgs := map[string]store.OrgSnapshot{}
	customers := map[string][]store.Customer{} // every customer of the organization, in full
	for _, slug := range []string{demo.OrgSlug, demo.OtherOrgSlug} {
		snap, err := app.DB.OrgSnapshot(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		orgs[slug] = snap
		if err := app.DB.EachCustomer(ctx, store.CustomersIn(snap.Org.ID, access.ScopeAll, 0), "", func(c store.Customer) error {
			customers[slug] = append(customers[slug], c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	seenOwn, seenTeam, seenAll := 0, 0, 0
	for _, l := range demo.Logins() {
		snap := orgs[l.Org]
		i := slices.IndexFunc(snap.Members, func(m store.OrgMember) bool { return m.Email == l.Email })
		if i < 0 {
			t.Fatalf("%s not in %s", l.Email, l.Org)
		}
		m := snap.Members[i]
		if m.Suspended() {
			continue // a suspended member reaches nothing at all (matrix test)
		}
		groups, err := app.DB.GroupsOfMember(ctx, m.OrgID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		eff := access.Resolve(access.Input{Role: m.Role, Custom: m.Custom, Groups: store.Grants(groups), Products: snap.Org.Products})
		t.Run(l.Email, func(t *testing.T) {
			// The engine's value against the flag, for every scoped module.
			for _, mod := range access.Modules() {
				got, ok := eff.Scope(mod.ID)
				all, hasFlag := access.FlagByFullKey(mod.Key + ".canAccessAll")
				team, _ := access.FlagByFullKey(mod.Key + ".canAccessTeam")
				want := access.ScopeOwn
				if hasFlag && eff.CanFlag(all.ID) {
					want = access.ScopeAll
				} else if hasFlag && eff.CanFlag(team.ID) {
					want = access.ScopeTeam
				}
				switch {
				case !hasFlag || !eff.Can(mod.ID, access.View):
					if ok || got != 0 {
						t.Errorf("%s: scope %v, want none", mod.Key, got)
					}
				case !ok || got != want:
					t.Errorf("%s: scope %v (%v), want %v from the flags", mod.Key, got, ok, want)
				}
			}
			c := app.LoginAs(l.Email, demo.Password)
			base := "/o/" + l.Org
			scope, _ := eff.Scope(access.ModCustomers)
			if scope == 0 {
				for _, p := range []string{"/customers/mine", "/customers/all", "/customers/export.csv"} {
					if r := c.Get(base + p); r.Status != http.StatusForbidden {
						t.Errorf("GET %s without customers: %d", p, r.Status)
					}
				}
				return
			}
			switch scope {
			case access.ScopeAll:
				seenAll++
			case access.ScopeTeam:
				seenTeam++
			default:
				seenOwn++
			}
			teams, err := app.DB.TeamsOfMember(ctx, m.OrgID, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			inTeams := func(cu store.Customer) bool {
				return slices.ContainsFunc(teams, func(tm domain.MemberTeam) bool { return cu.TeamID != 0 && tm.TeamID == cu.TeamID })
			}
			all := customers[l.Org]
			var inScope, mine, ofTeams []store.Customer
			for _, cu := range all {
				if cu.AssignedTo == m.ID {
					mine = append(mine, cu)
				}
				if cu.AssignedTo == m.ID || inTeams(cu) {
					ofTeams = append(ofTeams, cu)
				}
				if scope == access.ScopeAll || cu.AssignedTo == m.ID || (scope == access.ScopeTeam && inTeams(cu)) {
					inScope = append(inScope, cu)
				}
			}
			// Lists and searches, every page.
			checkCustomerList(t, c, base+"/customers/mine", "", mine, all)
			for _, q := range []string{"an", "Clinic", all[len(all)-1].Name} {
				checkCustomerList(t, c, base+"/customers/mine", q, matching(mine, q), all)
			}
			if scope == access.ScopeAll {
				checkCustomerList(t, c, base+"/customers/all", "", inScope, all)
				for _, q := range []string{"an", "Clinic", all[len(all)-1].Name} {
					checkCustomerList(t, c, base+"/customers/all", q, matching(inScope, q), all)
				}
			} else if r := c.Get(base + "/customers/all"); r.Status != http.StatusForbidden {
				t.Errorf("GET /customers/all with own scope: %d, want 403", r.Status)
			}
			// "My teams": assigned or owned by their teams, whatever wider
			// scope, only with team scope or more in an organization with a
			// team (acme has teams, globex none); the sidebar says the same.
			hasTeams, err := app.DB.OrgHasTeams(ctx, m.OrgID)
			if err != nil || hasTeams != (l.Org == demo.OrgSlug) {
				t.Fatalf("OrgHasTeams %v (%v) for %s", hasTeams, err, l.Org)
			}
			teamOpen := hasTeams && scope.AtLeast(access.ScopeTeam)
			if teamOpen {
				checkCustomerList(t, c, base+"/customers/team", "", ofTeams, all)
				checkCustomerList(t, c, base+"/customers/team", "an", matching(ofTeams, "an"), all)
				if eff.Can(access.ModCustomers, access.Export) {
					checkExport(t, c, base+"/customers/export.csv?list=team", ofTeams)
				}
			} else if r := c.Get(base + "/customers/team"); r.Status != http.StatusForbidden {
				t.Errorf("GET /customers/team (scope %v, teams %v): %d, want 403", scope, hasTeams, r.Status)
			}
			for _, mod := range []string{"crm", "chats"} {
				s, ok := eff.Scope(access.MustModule(mod))
				if !ok {
					continue
				}
				want := http.StatusForbidden
				if hasTeams && s.AtLeast(access.ScopeTeam) {
					want = http.StatusOK
				}
				if r := c.Get(base + "/" + mod + "/team"); r.Status != want {
					t.Errorf("GET /%s/team (scope %v, teams %v): %d, want %d", mod, s, hasTeams, r.Status, want)
				}
			}
			if r := c.Get(base + "/customers/mine"); strings.Contains(r.Body, `href="`+base+`/customers/team"`) != teamOpen {
				t.Errorf("customers page links My teams %v, want %v", !teamOpen, teamOpen)
			}
			if r := c.Get(base + "/customers"); r.Location != base+"/customers/"+map[access.Scope]string{access.ScopeOwn: "mine", access.ScopeTeam: "mine", access.ScopeAll: "all"}[scope] {
				t.Errorf("GET /customers goes to %q", r.Location)
			}
			// Export: the scope, or the own ones with ?list=mine, and a search.
			if eff.Can(access.ModCustomers, access.Export) {
				checkExport(t, c, base+"/customers/export.csv", inScope)
				checkExport(t, c, base+"/customers/export.csv?list=mine", mine)
				checkExport(t, c, base+"/customers/export.csv?q=an", matching(inScope, "an"))
			} else if r := c.Get(base + "/customers/export.csv"); r.Status != http.StatusForbidden {
				t.Errorf("export without customers_export: %d", r.Status)
			}
			// Dashboard figures count within the scope.
			if eff.Can(access.ModDashboard, access.View) {
				r := c.Get(base)
				want := `<div class="stat-value">` + strconv.Itoa(len(mine)) + `</div>`
				if scope == access.ScopeAll {
					want = `<div class="stat-value">` + strconv.Itoa(len(inScope)) + `</div>`
				}
				if r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
					t.Errorf("dashboard (%d) lacks %s", r.Status, want)
				}
			}
			// Detail, edit form, update and delete of every customer of the
			// organization: exactly those in scope are reachable.
			for _, cu := range all {
				in := slices.ContainsFunc(inScope, func(x store.Customer) bool { return x.ID == cu.ID })
				p := base + "/customers/" + strconv.FormatInt(cu.ID, 10)
				checkReach(t, c.Get(p), "GET "+p, in, cu, all)
				if eff.Can(access.ModCustomers, access.Edit) {
					checkReach(t, c.Get(p+"/edit"), "GET "+p+"/edit", in, cu, all)
					if !in {
						r := c.Post(p, url.Values{"name": {"Hijacked"}})
						checkReach(t, r, "POST "+p, false, cu, all)
					}
				}
				if eff.Can(access.ModCustomers, access.Delete) && !in {
					checkReach(t, c.Post(p+"/delete", nil), "POST "+p+"/delete", false, cu, all)
				}
			}
			// The other scoped modules' pages say the scope in words.
			for _, mod := range []string{"crm", "chats"} {
				id := access.MustModule(mod)
				s, ok := eff.Scope(id)
				if !ok {
					continue
				}
				r := c.Get(base + "/" + mod + "/mine")
				wantAll := strings.Contains(r.Body, "You see all ")
				if r.Status != http.StatusOK || wantAll != (s == access.ScopeAll) || (!wantAll && !strings.Contains(r.Body, "assigned to you.")) {
					t.Errorf("%s page (%d): scope %v, says all %v", mod, r.Status, s, wantAll)
				}
				if hasAllTab := strings.Contains(r.Body, `href="`+base+"/"+mod+`/all"`); hasAllTab != (s == access.ScopeAll) {
					t.Errorf("%s page: tab to all %v with scope %v", mod, hasAllTab, s)
				}
			}
		})
	}
	// Nothing was changed by the refused writes.
	for slug, want := range customers {
		var got []store.Customer
		if err := app.DB.EachCustomer(ctx, store.CustomersIn(orgs[slug].Org.ID, access.ScopeAll, 0), "", func(c store.Customer) error {
			got = append(got, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: customers changed by refused writes", slug)
		}
	}
	if seenOwn == 0 || seenTeam == 0 || seenAll == 0 {
		t.Errorf("demo members with own scope %d, team scope %d, all scope %d: want each", seenOwn, seenTeam, seenAll)
	}
}

var customerHref = regexp.MustCompile(`/customers/(\d+)`)

// checkCustomerList reads every page of a list (with search q) and wants
// exactly the ids and names of want, and no other customer's name.
func checkCustomerList(t *testing.T, c *testkit.Client, path, q string, want, all []store.Customer) {
	t.Helper()
	got := map[int64]bool{}
	var bodies []string
	for page := 1; page <= len(want)/25+2; page++ {
		v := url.Values{"page": {strconv.Itoa(page)}}
		if q != "" {
			v.Set("q", q)
		}
		r := c.Get(path + "?" + v.Encode())
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s?%s: %d", path, v.Encode(), r.Status)
		}
		bodies = append(bodies, r.Body)
		for _, m := range customerHref.FindAllStringSubmatch(r.Body, -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			got[id] = true
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s q=%q: %d customers, want %d", path, q, len(got), len(want))
	}
	body := strings.Join(bodies, "\n")
	for _, cu := range all {
		w := slices.ContainsFunc(want, func(x store.Customer) bool { return x.ID == cu.ID })
		if got[cu.ID] != w {
			t.Errorf("%s q=%q: customer %d %q listed %v, want %v", path, q, cu.ID, cu.Name, got[cu.ID], w)
		}
		if !w && cu.Name != q && strings.Contains(body, cu.Name) { // the search box shows q itself
			t.Errorf("%s q=%q: names %q, not in the list", path, q, cu.Name)
		}
	}
}

// checkExport wants exactly the ids of want in the CSV, and no other name.
func checkExport(t *testing.T, c *testkit.Client, path string, want []store.Customer) {
	t.Helper()
	r := c.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.Status)
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("GET %s: %v", path, err)
	}
	var got, wantIDs []string
	for _, rec := range recs[1:] {
		got = append(got, rec[0])
	}
	for _, cu := range want {
		wantIDs = append(wantIDs, strconv.FormatInt(cu.ID, 10))
	}
	if !slices.Equal(got, wantIDs) {
		t.Errorf("GET %s: ids %v, want %v", path, got, wantIDs)
	}
}

// checkReach: a customer in scope answers 200 with its name; one outside is
// a 404 that names no customer.
func checkReach(t *testing.T, r *testkit.Response, what string, in bool, cu store.Customer, all []store.Customer) {
	t.Helper()
	if in {
		if r.Status != http.StatusOK || !strings.Contains(r.Body, cu.Name) {
			t.Errorf("%s (%s, in scope): %d", what, cu.Name, r.Status)
		}
		return
	}
	if r.Status != http.StatusNotFound {
		t.Errorf("%s (%s, out of scope): %d, want 404", what, cu.Name, r.Status)
	}
	for _, x := range all {
		if strings.Contains(r.Body, x.Name) {
			t.Errorf("%s (404) names %q", what, x.Name)
		}
	}
}

// matching is what the list search finds: q in name, email, phone or
// company, ignoring ASCII case (SQLite LIKE).
func matching(cs []store.Customer, q string) []store.Customer {
	var out []store.Customer
	lq := strings.ToLower(q)
	for _, c := range cs {
		for _, f := range []string{c.Name, c.Email, c.Phone, c.Company} {
			if strings.Contains(strings.ToLower(f), lq) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
