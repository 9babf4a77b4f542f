// Package permgrid renders the module × action permission grid, grouped by
// product, with each module's flags by their UI labels. It is shared by the
// group editor and the member's "Individual permission" tab; web.DecodePermForm
// reads back what it submits.
package permgrid

import (
	"fmt"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/access"
	"gatehouse/internal/cache"
)

// Form field names of the grid: one value per ticked box.
const (
	PermField = "perm" // "customers_view"
	FlagField = "flag" // "customers.canAccessAll"
)

// Props configures one grid.
type Props struct {
	// Set is what is ticked.
	Set access.Set
	// Products are the organization's products: only their modules are
	// listed (core first, catalog order).
	Products access.ProductSet
	// ReadOnly shows ticks instead of checkboxes (a viewer, an owner's page).
	ReadOnly bool
	// Grantable is what the actor may grant (their effective set); nil means
	// everything (an owner). Unticked boxes outside it are disabled, ticked
	// ones stay enabled so they can be taken away. The server decides anyway.
	Grantable *access.Set
	// Missing highlights the cells the actor tried to grant without holding
	// them (access.GrantError.Missing), with a message listing them.
	Missing access.Set
	// AddedView lists modules whose view was ticked automatically on the
	// last save, so the grid can say so.
	AddedView []access.ModuleID
	// Held is the actor's effective access, whose field levels bound the
	// levels they may choose (access.CheckGrant); nil means every level (an
	// owner). Like Grantable, the server decides anyway.
	Held *access.Effective
	// NoFields leaves the modules' fields out: a grid of a resolved set or
	// a role template, whose field levels its statements do not tell (the
	// page lists them from the engine instead).
	NoFields bool
	// FieldErrors are submitted field levels that could not be read, by
	// full key ("customers.tax_id"), shown by the field's choices.
	FieldErrors map[string]string
	// ID is the wrapper's id; default "permgrid". Set it when a page holds two grids.
	ID string
	// Rows, when set, keeps rendered module rows across grids (the
	// server's, see RowMemo); nil renders every row.
	Rows *RowMemo
}

func (p Props) id() string {
	if p.ID != "" {
		return p.ID
	}
	return "permgrid"
}

// productRows is one product and its modules, in catalog order.
type productRows struct {
	Product access.Product
	Modules []access.Module
}

func (p Props) products() []productRows {
	var out []productRows
	for _, pr := range access.Products() {
		if !p.Products.Has(pr.Key) {
			continue
		}
		r := productRows{Product: pr}
		for _, k := range pr.Modules {
			m, _ := access.ModuleByKey(k)
			r.Modules = append(r.Modules, m)
		}
		out = append(out, r)
	}
	return out
}

// standardLabel is a standard action's column heading ("View"); a module's
// own actions sit in its extras row (hasExtras) under their own labels.
func standardLabel(a access.Action) string { return a.Label() }

// hasExtras reports whether the module has a second row: its own actions
// and its flags.
func hasExtras(m access.Module) bool { return len(m.Flags) > 0 || len(m.OwnActions) > 0 }

func (p Props) disabled(ticked bool, has func(access.Set) bool) bool {
	return !ticked && p.Grantable != nil && !has(*p.Grantable)
}

func (p Props) cellDisabled(m access.Module, a access.Action) bool {
	return p.disabled(p.Set.Has(m.ID, a), func(s access.Set) bool { return s.Has(m.ID, a) })
}

func (p Props) flagDisabled(f access.FlagDef) bool {
	return p.disabled(p.Set.HasFlag(f.ID), func(s access.Set) bool { return s.HasFlag(f.ID) })
}

const missingTitle = "You do not hold this permission, so you cannot grant it."

func (p Props) addedViewMessage() string {
	return AddedViewMessage(p.AddedView)
}

func (p Props) missingMessage() string {
	return "You can only grant permissions you hold yourself. Untick the highlighted ones: " +
		strings.Join(Describe(p.Missing), ", ") + "."
}

// AddedViewMessage says which modules got view added automatically ("" for none).
func AddedViewMessage(mods []access.ModuleID) string {
	if len(mods) == 0 {
		return ""
	}
	labels := make([]string, len(mods))
	for i, m := range mods {
		labels[i] = access.ModuleOf(m).Label
	}
	return fmt.Sprintf("View was added automatically to %s, because another action was ticked there.", joinAnd(labels))
}

// Describe lists a set's permissions and flags for people: "Billing: View",
// "See all customers". Catalog order.
func Describe(s access.Set) []string {
	var out []string
	for _, m := range access.Modules() {
		for _, a := range m.Actions {
			if s.Has(m.ID, a) {
				out = append(out, m.Label+": "+m.ActionLabel(a))
			}
		}
		for _, f := range m.Flags {
			if s.HasFlag(f.ID) {
				out = append(out, f.Label)
			}
		}
	}
	return out
}

// Summary names the modules a set makes accessible within the products:
// "Dashboard, Customers, Pipelines and 4 more", or "No modules".
func Summary(s access.Set, products access.ProductSet) string {
	s = s.RestrictTo(products)
	var labels []string
	for _, m := range access.Modules() {
		if s.Accessible(m.ID) {
			labels = append(labels, m.Label)
		}
	}
	const show = 4
	switch {
	case len(labels) == 0:
		return "No modules"
	case len(labels) > show+1:
		return strings.Join(labels[:show], ", ") + fmt.Sprintf(" and %d more", len(labels)-show)
	}
	return joinAnd(labels)
}

func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func cellLabel(m access.Module, a access.Action) string { return m.Label + ": " + m.ActionLabel(a) }

// rowKey is everything one module's rows depend on: the module and, for
// each of its actions and flags, whether it is ticked, grantable and
// missing. A grid is about a hundred cells, and rendering them was a
// fifth of a permission save; a module's rows take few distinct states
// across every group and member, so they are rendered once per state.
type rowKey struct {
	module                  access.ModuleID
	readOnly, limited       bool
	noFields                bool
	set, grantable, missing uint64 // bit i: action i; bit 32+j: flag j
	fields, held            uint64 // two bits per field: stated levels, the actor's levels
}

func rowKeyOf(p Props, m access.Module) rowKey {
	k := rowKey{module: m.ID, readOnly: p.ReadOnly, noFields: p.NoFields, set: moduleBits(p.Set, m),
		fields: fieldBits(m, func(f access.FieldDef) access.Level { return p.Set.FieldLevelStated(m.ID, f.Key) })}
	if !p.ReadOnly { // a read-only grid shows ticks only
		k.missing = moduleBits(p.Missing, m)
		if p.Grantable != nil {
			k.limited, k.grantable = true, moduleBits(*p.Grantable, m)
		}
		if p.Held != nil {
			k.held = fieldBits(m, p.held)
		}
	}
	return k
}

// moduleBits is s restricted to module m, as bits. A module with more than
// 32 actions or flags would need a wider key: it panics at its first render.
func moduleBits(s access.Set, m access.Module) uint64 {
	if len(m.Actions) > 32 || len(m.Flags) > 32 {
		panic("permgrid: module " + m.Key + " has more actions or flags than a row key holds")
	}
	var b uint64
	for _, a := range m.Actions {
		if s.Has(m.ID, a) {
			b |= 1 << a
		}
	}
	for j, f := range m.Flags {
		if s.HasFlag(f.ID) {
			b |= 1 << (32 + j)
		}
	}
	return b
}

// RowMemo holds rendered module rows under their rowKey: under 1 KB
// each, a few states per module. Without it a group's page took a third
// longer (BenchmarkPages/Permissions uncached). The server owns one and
// hands it to every grid through Props.Rows.
type RowMemo struct{ html *cache.HTML[rowKey] }

// NewRowMemo returns an empty memo of at most 2,048 rows and 1 MiB.
func NewRowMemo() *RowMemo { return &RowMemo{html: cache.NewHTML[rowKey](2048, 1<<20)} }

func cachedModuleRows(p Props, m access.Module) templ.Component {
	if p.Rows == nil || len(p.FieldErrors) > 0 { // errors are rare: not kept
		return moduleRows(p, m)
	}
	return p.Rows.html.Component(rowKeyOf(p, m), func() templ.Component { return moduleRows(p, m) })
}

// Layout is what an editable grid's markup depends on besides which boxes
// are ticked: its id, the products it lists and which boxes are disabled.
// A box is disabled when it is unticked and not grantable, so the disabled
// ones are the products' boxes outside Grantable ∪ Set. Two grids with the
// same Layout and the same ticks render the same markup.
//
// The field choices add their state (fieldState): what a field states,
// the default it shows and which choices are disabled.
//
// A grid showing messages (Missing, AddedView, FieldErrors) or only ticks (ReadOnly)
// has no Layout (""): after a save it must be rendered again.
func (p Props) Layout() string {
	if p.ReadOnly || !p.Missing.IsEmpty() || len(p.AddedView) > 0 || len(p.FieldErrors) > 0 {
		return ""
	}
	enabled := "all" // an owner's grid: nothing is disabled
	if p.Grantable != nil {
		enabled = p.Grantable.Union(p.Set).RestrictTo(p.Products).String()
	}
	return fmt.Sprintf("%s|%d|%s%s", p.id(), uint16(p.Products), enabled, p.fieldState())
}
