package permgrid

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"gatehouse/internal/access"
)

func html(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCachedRowsMatchRender: every input the grid depends on changes the
// cached markup exactly as a fresh render does, in any order.
func TestCachedRowsMatchRender(t *testing.T) {
	var set, other, grantable access.Set
	set.Grant(access.ModCustomers, access.View)
	other.Grant(access.ModCustomers, access.View)
	other.Grant(access.ModCustomers, access.Edit)
	grantable.Grant(access.ModCustomers, access.View)
	var missing access.Set
	missing.Grant(access.ModGroups, access.Edit)
	flagged := set
	flagged.SetFlag(access.FlagCustomersCanAccessAll, true)
	all := access.AllProducts()
	stated := set
	stated.SetFieldLevel(access.ModCustomers, "tax_id", access.LevelRead)
	agent := access.Resolve(access.Input{Role: access.RoleAgent, Products: all}) // sensitive fields hidden
	props := []Props{
		{Set: stated, Products: all},
		{Set: stated, Products: all, ReadOnly: true},
		{Set: other, Products: all, Held: &agent},
		{Set: set, Products: all, NoFields: true},
		{Set: set, Products: all},
		{Set: other, Products: all},
		{Set: set, Products: all, Grantable: &grantable},
		{Set: set, Products: all, Missing: missing},
		{Set: set, Products: all, ReadOnly: true},
		{Set: flagged, Products: all},
		{Set: flagged, Products: all, ReadOnly: true},
		{Set: other, Products: all, ReadOnly: true},
		{Set: set, Products: all &^ (all - 1)}, // core only
	}
	memo := NewRowMemo()
	seen := map[string]int{}
	for round := range 2 { // the second round is served from the cache
		for i, p := range props {
			p.Rows = memo
			var b strings.Builder
			for _, pr := range p.products() {
				for _, m := range pr.Modules {
					b.WriteString(html(t, moduleRows(p, m)))
				}
			}
			want := b.String()
			b.Reset()
			for _, pr := range p.products() {
				for _, m := range pr.Modules {
					b.WriteString(html(t, cachedModuleRows(p, m)))
				}
			}
			if got := b.String(); got != want {
				t.Fatalf("round %d, props %d: cached rows differ from a fresh render", round, i)
			}
			if j, ok := seen[want]; ok && j != i {
				t.Errorf("props %d and %d render the same table; the test inputs should differ", i, j)
			}
			seen[want] = i
		}
	}
	// The grantable limit shows: a box outside it is disabled.
	if !strings.Contains(html(t, Grid(props[6])), "disabled") || strings.Contains(html(t, Grid(props[4])), "disabled") {
		t.Error("the grid with a grantable limit should disable boxes, the one without none")
	}
}

// rowKey keeps a module's action slots in bits 0–31 and its flags from bit
// 32 of a uint64: a module that outgrew that would make two states share a
// key, so rendering it panics rather than showing another state's row.
func TestRowKeyHasRoomForEveryModule(t *testing.T) {
	for _, m := range access.Modules() {
		if last := m.Actions[len(m.Actions)-1]; last >= 32 || len(m.Flags) > 32 {
			t.Errorf("module %s: action slot %d, %d flags; rowKey has room for 32 of each", m.Key, last, len(m.Flags))
		}
	}
}

// Field choices: the form names and the defaults; a level above the
// actor's is disabled with the reason; Layout follows what the markup
// shows of them but not the module's edit (both default labels are in it).
func TestFieldChoices(t *testing.T) {
	all := access.AllProducts()
	var set access.Set
	set.Grant(access.ModCustomers, access.View)
	set.SetFieldLevel(access.ModCustomers, "notes", access.LevelHidden)
	agent := access.Resolve(access.Input{Role: access.RoleAgent, Products: all})
	h := html(t, Grid(Props{Set: set, Products: all, Held: &agent}))
	for _, want := range []string{`name="field.customers.tax_id" value="" checked`, `name="field.customers.notes" value="hidden" checked`,
		"default: hidden (sensitive)", "default: read (no edit on Customers)", "default: edit", `data-module-edit="false"`,
		`title="You hold hidden on Tax ID, so you cannot grant read."`, "Fields: 8, 1 stated"} {
		if !strings.Contains(h, want) {
			t.Errorf("grid lacks %q", want)
		}
	}
	if strings.Contains(html(t, Grid(Props{Set: set, Products: all, NoFields: true})), "field.customers") {
		t.Error("NoFields still shows the fields")
	}
	withEdit := set
	withEdit.Grant(access.ModCustomers, access.Edit)
	owner := func(s access.Set) string { return Props{Set: s, Products: all}.Layout() }
	if owner(set) != owner(withEdit) {
		t.Error("ticking Edit changes an owner's Layout: the save would swap the whole form")
	}
	restated := set
	restated.SetFieldLevel(access.ModCustomers, "notes", 0)
	if owner(set) == owner(restated) {
		t.Error("a field's stated level does not change the Layout")
	}
	if (Props{Set: set, Products: all, FieldErrors: map[string]string{"customers.tax_id": "x"}}).Layout() != "" {
		t.Error("a grid showing field errors has a Layout")
	}
}
