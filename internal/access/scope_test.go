package access

import "testing"

func TestScopeKeysAndOrder(t *testing.T) {
	for _, tc := range []struct {
		s   Scope
		key string
	}{{0, ""}, {ScopeOwn, "own"}, {ScopeTeam, "team"}, {ScopeAll, "all"}} {
		if tc.s.String() != tc.key {
			t.Errorf("%d.String() = %q, want %q", uint8(tc.s), tc.s.String(), tc.key)
		}
		if tc.s != 0 {
			if got, ok := ParseScope(tc.key); !ok || got != tc.s {
				t.Errorf("ParseScope(%q) = %v, %v", tc.key, got, ok)
			}
		}
	}
	for _, bad := range []string{"", "Team", "All", "mine", "teams"} {
		if _, ok := ParseScope(bad); ok {
			t.Errorf("ParseScope(%q) accepted", bad)
		}
	}
	if !(ScopeOwn < ScopeTeam && ScopeTeam < ScopeAll) {
		t.Errorf("own %d, team %d, all %d: own < team < all", ScopeOwn, ScopeTeam, ScopeAll)
	}
	cases := []struct {
		s, min Scope
		want   bool
	}{
		{ScopeAll, ScopeAll, true}, {ScopeAll, ScopeOwn, true}, {ScopeOwn, ScopeOwn, true},
		{ScopeOwn, ScopeAll, false}, {0, ScopeOwn, false}, {0, 0, false}, {ScopeAll, 0, false},
		{ScopeTeam, ScopeOwn, true}, {ScopeTeam, ScopeTeam, true}, {ScopeTeam, ScopeAll, false}, {ScopeOwn, ScopeTeam, false},
		{ScopeAll, ScopeTeam, true},
	}
	for _, tc := range cases {
		if got := tc.s.AtLeast(tc.min); got != tc.want {
			t.Errorf("%v.AtLeast(%v) = %v", tc.s, tc.min, got)
		}
	}
	if ScopeAll.Narrow(ScopeOwn) != ScopeOwn || ScopeOwn.Narrow(ScopeAll) != ScopeOwn || ScopeAll.Narrow(ScopeAll) != ScopeAll {
		t.Error("Narrow is not the smaller scope")
	}
}

// The catalog marks each scoped module's canAccessAll as its ScopeAll flag;
// canAssignToOthers is no scope flag; the other modules have no scope.
func TestCatalogScopeFlags(t *testing.T) {
	scoped := map[string]FlagID{"customers": FlagCustomersCanAccessAll, "crm": FlagCRMCanAccessAll, "chats": FlagChatsCanAccessAll}
	for _, m := range Modules() {
		want, isScoped := scoped[m.Key]
		if m.Scoped() != isScoped {
			t.Errorf("%s.Scoped() = %v", m.Key, m.Scoped())
		}
		f, ok := ScopeFlag(m.ID, ScopeAll)
		if ok != isScoped || (ok && f.ID != want) {
			t.Errorf("ScopeFlag(%s, all) = %+v, %v", m.Key, f, ok)
		}
		if _, ok := ScopeFlag(m.ID, ScopeOwn); ok {
			t.Errorf("%s has a flag for own scope", m.Key)
		}
	}
	if FlagChatsCanAssignToOthers.Def().Scope != 0 {
		t.Error("chats.canAssignToOthers marked as a scope flag")
	}
}

// Effective.Scope agrees with the flag for every role template and for
// custom sets with and without the flag, in every scoped module; it is
// absent for modules without scope, without view, and when suspended.
func TestEffectiveScope(t *testing.T) {
	all := AllProducts()
	check := func(name string, e Effective) {
		t.Helper()
		for _, m := range Modules() {
			got, ok := e.Scope(m.ID)
			f, scoped := ScopeFlag(m.ID, ScopeAll)
			switch {
			case !scoped || !e.Set.Accessible(m.ID):
				if ok || got != 0 {
					t.Errorf("%s: %s scope = %v, %v; want none", name, m.Key, got, ok)
				}
			case e.CanFlag(f.ID):
				if !ok || got != ScopeAll {
					t.Errorf("%s: %s scope = %v, %v; want all", name, m.Key, got, ok)
				}
			case e.CanFlag(MustFlag(m.Key + ".canAccessTeam")):
				if !ok || got != ScopeTeam {
					t.Errorf("%s: %s scope = %v, %v; want team", name, m.Key, got, ok)
				}
			default:
				if !ok || got != ScopeOwn {
					t.Errorf("%s: %s scope = %v, %v; want own", name, m.Key, got, ok)
				}
			}
		}
	}
	for _, r := range Roles() {
		check(string(r), Resolve(Input{Role: r, Products: all}))
		if s, ok := Resolve(Input{Role: r, Products: all, Suspended: true}).Scope(ModCustomers); ok || s != 0 {
			t.Errorf("suspended %s: customers scope %v", r, s)
		}
	}
	views, err := ParsePermissions("customers_view", "crm_view", "chats_view")
	if err != nil {
		t.Fatal(err)
	}
	withFlag := views
	withFlag.SetFlag(FlagCustomersCanAccessAll, true)
	withFlag.SetFlag(FlagChatsCanAssignToOthers, true) // not a scope flag: chats stays own
	check("custom without flags", Resolve(Input{Role: RoleAgent, Custom: &views, Products: all}))
	e := Resolve(Input{Role: RoleAgent, Custom: &withFlag, Products: all})
	check("custom with customers flag", e)
	if s, _ := e.Scope(ModCustomers); s != ScopeAll {
		t.Errorf("customers scope %v, want all", s)
	}
	if s, _ := e.Scope(ModChats); s != ScopeOwn {
		t.Errorf("chats scope %v, want own", s)
	}
	// A flag without view is inert: no scope.
	inert, _ := ParsePermissions("customers_edit")
	inert.SetFlag(FlagCustomersCanAccessAll, true)
	if s, ok := (Effective{Set: inert}).Scope(ModCustomers); ok || s != 0 {
		t.Errorf("flag without view: scope %v, %v", s, ok)
	}
	if s, ok := Resolve(Input{Role: RoleOwner, Products: all}).Scope(numModules); ok || s != 0 {
		t.Errorf("out-of-range module: %v, %v", s, ok)
	}
}

func BenchmarkScope(b *testing.B) {
	e := Resolve(Input{Role: RoleAgent, Products: AllProducts()})
	var n int
	for b.Loop() {
		if s, ok := e.Scope(ModCustomers); ok && s == ScopeOwn {
			n++
		}
	}
	if n == 0 {
		b.Fatal("agent has no own scope on customers")
	}
}
