package web_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/testkit"
)

// The "all" list of every scoped module is guarded by a minimum scope (all),
// named by the flag that grants it; no other route needs a scope.
func TestAllListsNeedAllScope(t *testing.T) {
	app := testkit.NewApp(t)
	seen := map[string]bool{}
	for _, rt := range app.Server.Routes() {
		g := rt.Guard
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
		if m.Scoped() != seen[m.Key] {
			t.Errorf("module %s scoped %v, has an /all route %v", m.Key, m.Scoped(), seen[m.Key])
		}
	}
}
