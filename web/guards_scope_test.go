package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The "all" list of every scoped module is guarded by a minimum scope (all),
// the "team" list by team scope and an organization with a team, each named
// by the flag that grants the scope; no other route needs a scope.
func TestAllListsNeedAllScope(t *testing.T) {
	app := testkit.NewApp(t)
	seen, seenTeam := map[string]bool{}, map[string]bool{}
	for _, rt := range app.Server.Routes() {
		g := rt.Guard
		if rest, isTeam := strings.CutSuffix(rt.Path, "/team"); isTeam {
			f, _ := access.ScopeFlag(access.MustModule(g.Module), access.ScopeTeam)
			if g.Name != "module" || g.Scope != access.ScopeTeam || !g.Teams || g.Flag != f.FullKey || !strings.HasSuffix(rest, "/"+g.Module) {
				t.Errorf("%s %s: guard %+v, want %s_view with scope team (%s) and teams", rt.Method, rt.Path, g, g.Module, f.FullKey)
			}
			seenTeam[g.Module] = true
			continue
		}
		if g.Teams {
			t.Errorf("%s %s: guard needs teams", rt.Method, rt.Path)
		}
		rest, isAll := strings.CutSuffix(rt.Path, "/all")
		if !isAll {
			if g.Scope != 0 {
				t.Errorf("%s %s: guard needs scope %v", rt.Method, rt.Path, g.Scope)
			}
			continue
		}
		m := access.MustModule(g.Module)
		f, _ := access.ScopeFlag(m, access.ScopeAll)
		if g.Name != "module" || g.Scope != access.ScopeAll || g.Flag != f.FullKey || !strings.HasSuffix(rest, "/"+g.Module) {
			t.Errorf("%s %s: guard %+v, want %s_view with scope all (%s)", rt.Method, rt.Path, g, g.Module, f.FullKey)
		}
		seen[g.Module] = true
	}
	for _, m := range access.Modules() {
		if m.Scoped() != seen[m.Key] || m.Scoped() != seenTeam[m.Key] {
			t.Errorf("module %s scoped %v, has an /all route %v, a /team route %v", m.Key, m.Scoped(), seen[m.Key], seenTeam[m.Key])
		}
	}
}

// "My teams" follows the organization's first and last team at once: the
// team changes bump the permission version the cached answer is keyed by.
func TestMyTeamsFollowsTheOrganizationsTeams(t *testing.T) {
	app := testkit.NewDemoApp(t)
	c := app.LoginAs(demo.GlobexOwnerEmail, demo.Password)
	base := "/o/" + demo.OtherOrgSlug
	check := func(want int, link bool) {
		t.Helper()
		if r := c.Get(base + "/customers/team"); r.Status != want {
			t.Errorf("GET /customers/team: %d, want %d", r.Status, want)
		}
		if r := c.Get(base + "/customers/mine"); r.Status != http.StatusOK || strings.Contains(r.Body, base+"/customers/team") != link {
			t.Errorf("customers page (%d) links My teams: want %v", r.Status, link)
		}
	}
	check(http.StatusForbidden, false)
	org := app.Org(demo.OtherOrgSlug)
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		id, err = tx.CreateTeam(ctx, org.ID, "Springfield", "")
		return err
	})
	check(http.StatusOK, true)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.DeleteTeam(ctx, org.ID, id, 0)
		return err
	})
	check(http.StatusForbidden, false)
}
