package access

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// useCatalog installs a catalog built from test declarations for the rest of
// the test: the engine's tables only (Install installs a whole declaration).
// The package's tests do not run in parallel, so this is safe; the pages,
// menu, roles and groups still describe the real catalog meanwhile.
func useCatalog(t *testing.T, decl []productSpec) *tables {
	t.Helper()
	c, err := buildCatalog(decl)
	if err != nil {
		t.Fatal(err)
	}
	old := cat
	installTables(c)
	t.Cleanup(func() { installTables(&old) })
	return c
}

// bigCatalog is larger than the real one in every direction the old Set
// could not go: 40 modules (it held 32), 40 flags (32), a module with eight
// actions (5), of which three are its own.
func bigCatalog() []productSpec {
	var decl []productSpec
	n := 0
	for p := range 4 {
		ps := productSpec{product: Product{Key: fmt.Sprint("p", p), Label: fmt.Sprint("P", p)}}
		if p == 0 {
			ps.product.Key, ps.product.AlwaysIncluded = "core", true
		}
		for range 10 {
			ms := moduleSpec{key: fmt.Sprintf("mod_%02d", n), label: fmt.Sprint("Module ", n), actions: allActs,
				flags: []flagSpec{{"canAccessAll", "See all", ScopeAll}}}
			switch n {
			case 0:
				ms.actions = acts(View)
			case 13:
				ms.key = "chats"
				ms.actions = allActs.with("reply", "note", "attach")
			case 14:
				ms.actions = acts(View, Export).with("approve")
			}
			ps.modules = append(ps.modules, ms)
			n++
		}
		decl = append(decl, ps)
	}
	return decl
}

func TestCatalogFitsInSet(t *testing.T) {
	if cat.bits > setBits {
		t.Fatalf("the catalog needs %d bits, a Set holds %d", cat.bits, setBits)
	}
	t.Logf("the catalog uses %d of the %d bits of a Set", cat.bits, setBits)
	// The layout Effective relies on: runs in catalog order, contiguous,
	// each starting with its view slot and holding at least the five slots.
	next := uint16(0)
	for i, mb := range cat.mods {
		if mb.base != next || mb.slots < numActions || mb.end < mb.base+uint16(mb.slots) {
			t.Errorf("module %d: run %+v does not follow %d", i, mb, next)
		}
		next = mb.end
	}
	if int(next) != cat.bits {
		t.Errorf("runs end at %d, bits = %d", next, cat.bits)
	}
	// Too big a catalog is refused with a message naming the constant.
	decl := bigCatalog()
	decl = append(decl, productSpec{Product{Key: "p4"}, slices.Clone(decl[3].modules)})
	for i := range decl[4].modules {
		decl[4].modules[i].key += "_more"
	}
	if _, err := buildCatalog(decl); err == nil || !strings.Contains(err.Error(), "setWords") {
		t.Fatalf("oversized catalog: err = %v", err)
	}
}

func TestBigCatalog(t *testing.T) {
	c := useCatalog(t, bigCatalog())
	if len(Modules()) != 40 || len(Flags()) != 40 || c.bits > setBits {
		t.Fatalf("%d modules, %d flags, %d bits", len(Modules()), len(Flags()), c.bits)
	}
	chats := MustModule("chats")
	m := ModuleOf(chats)
	reply, note, attach := Action(numActions), Action(numActions+1), Action(numActions+2)
	if !slices.Equal(m.Actions, []Action{View, Create, Edit, Delete, Export, reply, note, attach}) ||
		!slices.Equal(m.OwnActions, []string{"reply", "note", "attach"}) {
		t.Fatalf("chats: %v %v", m.Actions, m.OwnActions)
	}
	if m.ActionKey(note) != "note" || m.ActionKey(Edit) != "edit" || m.ActionKey(numActions+3) != "action(8)" {
		t.Errorf("ActionKey: %q %q %q", m.ActionKey(note), m.ActionKey(Edit), m.ActionKey(numActions+3))
	}
	if a, ok := m.ParseAction("attach"); !ok || a != attach {
		t.Errorf("ParseAction(attach) = %v %v", a, ok)
	}

	// Names: standard five, then own ones in declaration order.
	s := set(t, "chats_attach", "chats_view", "chats_reply", "chats_export", "mod_39_delete", "mod_14_approve", "mod_14_view", "+mod_39.canAccessAll")
	want := []string{"chats_view", "chats_export", "chats_reply", "chats_attach", "mod_14_view", "mod_14_approve", "mod_39_delete"}
	if got := s.Permissions(); !slices.Equal(got, want) {
		t.Errorf("Permissions = %v, want %v", got, want)
	}
	if !s.Has(chats, attach) || s.Has(chats, note) || !s.HasFlag(MustFlag("mod_39.canAccessAll")) || s.HasFlag(MustFlag("chats.canAccessAll")) {
		t.Errorf("checks wrong on %v", s)
	}
	for _, bad := range []struct{ name, msg string }{
		{"mod_15_reply", `unknown action "reply"`}, // another module's own action
		{"mod_00_edit", `does not offer "edit"`},
		{"mod_14_create", `does not offer "create"`},
		{"chats_Reply", `unknown action "Reply"`},
	} {
		if _, _, err := ParsePermission(bad.name); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("ParsePermission(%q) = %v, want %q", bad.name, err, bad.msg)
		}
	}
	var g Set
	g.Grant(chats, numActions+3) // no such action
	g.Grant(MustModule("mod_00"), Edit)
	g.SetFlag(FlagID(40), true)
	if !g.IsEmpty() {
		t.Errorf("granted the impossible: %v", g)
	}

	// JSON in the same order, and back.
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"chats":{"actions":["view","export","reply","attach"],"flags":{"canAccessAll":false}},` +
		`"mod_14":{"actions":["view","approve"],"flags":{"canAccessAll":false}},` +
		`"mod_39":{"actions":["delete"],"flags":{"canAccessAll":true}}}`
	if string(raw) != wantJSON {
		t.Errorf("JSON = %s\nwant   %s", raw, wantJSON)
	}
	var back Set
	if err := json.Unmarshal(raw, &back); err != nil || back != s {
		t.Errorf("round trip = %v, %v", back, err)
	}
	_, errs := DecodeSet([]byte(`{"mod_14":{"actions":["reply"]}}`), "p")
	if len(errs) != 1 || errs[0].Error() != `p.mod_14.actions[0]: unknown action "reply"` {
		t.Errorf("errors = %v", errs)
	}
	_, errs = DecodeSet([]byte(`{"mod_14":{"actions":["edit"]}}`), "p")
	if len(errs) != 1 || !strings.HasSuffix(errs[0].Error(), `(it offers view, export, approve)`) {
		t.Errorf("errors = %v", errs)
	}

	// Layers: inert grants (own actions, flags) go with view; products cut runs.
	eff := s.Effective()
	if want := set(t, "chats_view", "chats_export", "chats_reply", "chats_attach", "mod_14_view", "mod_14_approve"); eff != want {
		t.Errorf("Effective = %v, want %v", eff, want)
	}
	if got := s.RestrictTo(prods(t, "p3")); got != set(t, "mod_39_delete", "+mod_39.canAccessAll") {
		t.Errorf("RestrictTo(p3) = %v", got)
	}
	if got := s.RestrictTo(prods(t, "p1")); got != set(t, "chats_view", "chats_export", "chats_reply", "chats_attach", "mod_14_view", "mod_14_approve") {
		t.Errorf("RestrictTo(p1) = %v", got)
	}
	if got := s.RestrictTo(prods(t, "p2")); !got.IsEmpty() || !prods(t, "p1").HasModule(chats) || prods(t, "p2").HasModule(chats) {
		t.Errorf("RestrictTo(p2) = %v", got)
	}
	implied, added := set(t, "chats_note", "mod_39_export").WithImpliedView()
	if want := set(t, "chats_view", "chats_note", "mod_39_view", "mod_39_export"); implied != want ||
		!slices.Equal(added, []ModuleID{chats, MustModule("mod_39")}) {
		t.Errorf("WithImpliedView = %v %v", implied, added)
	}
	full := FullSet()
	if got := len(full.Permissions()); got != 1+5*37+8+3 {
		t.Errorf("FullSet has %d permissions", got)
	}
	if len(full.FlagKeys()) != 40 || full.count() != 1+5*37+8+3 || !full.Touches(MustModule("mod_39")) {
		t.Errorf("FullSet: %d flags, count %d", len(full.FlagKeys()), full.count())
	}
	// Still a value: comparable and a map key.
	seen := map[Set]int{s: 1, full: 2}
	if seen[set(t, "chats_view", "chats_export", "chats_reply", "chats_attach", "mod_14_view", "mod_14_approve", "mod_39_delete", "+mod_39.canAccessAll")] != 1 {
		t.Error("equal sets are different map keys")
	}
}

// effectiveByModule is Effective as the rule says it, one module at a time.
func effectiveByModule(s Set) Set {
	for i, mb := range cat.mods {
		if !s.Has(ModuleID(i), View) {
			s = s.Minus(mb.mask)
		}
	}
	return s
}

func TestEffectiveIsPerModule(t *testing.T) {
	check := func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		full := FullSet()
		for range 20000 {
			var s Set
			for i := range s.w {
				s.w[i] = r.Uint64() & full.w[i]
				if r.IntN(2) == 0 {
					s.w[i] &= r.Uint64()
				}
			}
			if got, want := s.Effective(), effectiveByModule(s); got != want {
				t.Fatalf("Effective(%v) = %v, want %v", s, got, want)
			}
		}
	}
	t.Run("real", check)
	t.Run("big", func(t *testing.T) { useCatalog(t, bigCatalog()); check(t) })
	t.Run("full", func(t *testing.T) {
		// A catalog that fills the Set to the last bit: the carry leaves the top.
		var decl []productSpec
		ps := productSpec{product: Product{Key: "core", AlwaysIncluded: true}}
		for i := range setBits / 8 {
			ps.modules = append(ps.modules, moduleSpec{key: fmt.Sprint("m", i), actions: allActs.with("a", "b", "c")})
		}
		decl = append(decl, ps)
		if c := useCatalog(t, decl); c.bits != setBits {
			t.Fatalf("bits = %d", c.bits)
		}
		check(t)
	})
}

func TestBuildCatalogRefuses(t *testing.T) {
	mod := func(key string, a actionSpec) []productSpec {
		return []productSpec{{Product{Key: "core"}, []moduleSpec{{"ok", "OK", allActs, nil, nil}, {key, "X", a, nil, nil}}}}
	}
	for name, decl := range map[string][]productSpec{
		"no view":         mod("x", acts(Edit)),
		"own not a-z":     mod("x", allActs.with("Reply")),
		"own with _":      mod("x", allActs.with("re_ply")),
		"own empty":       mod("x", allActs.with("")),
		"own is standard": mod("x", allActs.with("edit")),
		"own twice":       mod("x", allActs.with("note", "note")),
		"std twice":       mod("x", acts(View, View)),
		"module twice":    mod("ok", allActs),
		"product twice":   append(mod("x", allActs), productSpec{Product{Key: "core"}, nil}),
		"flag twice":      {{Product{Key: "core"}, []moduleSpec{{"x", "X", allActs, []flagSpec{{"a", "A", 0}, {"a", "B", 0}}, nil}}}},
	} {
		if _, err := buildCatalog(decl); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := buildCatalog(mod("x", acts(View).with("reply"))); err != nil {
		t.Errorf("a view-only module with an own action: %v", err)
	}
}

// With more than eight products RestrictTo adds the products' bits up
// instead of looking them up; both give the same sets.
func TestRestrictToManyProducts(t *testing.T) {
	var decl []productSpec
	for p := range 12 {
		ps := productSpec{product: Product{Key: fmt.Sprint("p", p)}}
		if p == 0 {
			ps.product.Key = "core"
		}
		for i := range 2 {
			ps.modules = append(ps.modules, moduleSpec{key: fmt.Sprintf("m%d_%d", p, i), actions: allActs,
				flags: []flagSpec{{"f", "F", 0}}})
		}
		decl = append(decl, ps)
	}
	c := useCatalog(t, decl)
	if c.prodMasks != nil {
		t.Fatal("twelve products are looked up")
	}
	full := FullSet()
	for _, keys := range [][]string{nil, {"p3"}, {"p1", "p11"}} {
		got := full.RestrictTo(prods(t, keys...))
		want := Set{}
		for _, m := range Modules() {
			if m.Product == "core" || slices.Contains(keys, m.Product) {
				want = want.Union(full.and(&c.mods[m.ID].mask))
			}
		}
		if got != want || len(got.Permissions()) != 10*(1+len(keys)) || len(got.FlagKeys()) != 2*(1+len(keys)) {
			t.Errorf("RestrictTo(%v) = %v", keys, got)
		}
	}
}
