package access

import (
	"cmp"
	"slices"
)

// The effect of a change before it is saved (ARCHITECTURE.md, Previews):
// every screen that changes access (a group's permissions, a member's
// groups or role, an invitation, individual permissions) resolves each
// member it reaches before and after the change, here, and sums the
// differences. Nothing else computes what a change does.

// DiffKind is what kind of difference an Item is.
type DiffKind uint8

const (
	ModuleGained DiffKind = iota + 1 // the module becomes accessible
	ModuleLost                       // the module is no longer accessible
	ActionGained                     // another action of a module kept
	ActionLost
	FlagGained // a flag that is no scope flag, of a module kept
	FlagLost
	ScopeChanged // the data scope of a scoped module kept (own, team, all)
	FieldChanged // the level of a field of a module kept (hidden, read, edit)
)

// Item is one difference and how many members it applies to.
type Item struct {
	Kind     DiffKind
	Module   ModuleID
	Action   Action // ActionGained, ActionLost
	Flag     FlagID // FlagGained, FlagLost
	From, To Scope  // ScopeChanged
	// Field, FromLevel and ToLevel: FieldChanged. A field going between
	// read and edit because the module's edit is gained or lost is not
	// listed: the action's item says it.
	Field              FieldDef
	FromLevel, ToLevel Level
	Members            int
}

// Gain reports whether the item gives rather than takes (a wider scope gives).
func (it Item) Gain() bool {
	switch it.Kind {
	case ModuleGained, ActionGained, FlagGained:
		return true
	case ScopeChanged:
		return it.To > it.From
	case FieldChanged:
		return it.ToLevel > it.FromLevel
	}
	return false
}

// LayerShift counts members whose deciding layer goes From → To.
type LayerShift struct {
	From, To Layer
	Members  int
}

// Impact sums what a change does to the members it reaches.
type Impact struct {
	Members int // members counted
	Changed int // members whose effective access differs
	Items   []Item
	Shifts  []LayerShift // by deciding layer before → after, also unchanged ones
	index   map[Item]int // Item with Members 0 → its place in Items
}

// Add counts n members who hold before now and after the change (both as
// the store assembles them; pass them as if active to preview what a
// suspended member gets back).
func (im *Impact) Add(before, after Input, n int) {
	im.AddResolved(Resolve(before), Resolve(after), n)
}

// AddResolved is Add for sides already resolved.
func (im *Impact) AddResolved(b, a Effective, n int) {
	if n <= 0 {
		return
	}
	im.Members += n
	im.shift(b.Layer, a.Layer, n)
	if sameAccess(b, a) {
		return
	}
	im.Changed += n
	for i := range modules {
		m := &modules[i]
		was, will := b.Set.Accessible(m.ID), a.Set.Accessible(m.ID)
		switch {
		case will && !was:
			im.count(Item{Kind: ModuleGained, Module: m.ID}, n)
		case was && !will:
			im.count(Item{Kind: ModuleLost, Module: m.ID}, n)
		case was && will:
			for _, act := range m.Actions {
				if bh, ah := b.Set.Has(m.ID, act), a.Set.Has(m.ID, act); bh != ah {
					im.count(Item{Kind: pick(ah, ActionGained, ActionLost), Module: m.ID, Action: act}, n)
				}
			}
			for _, f := range m.Flags {
				if f.Scope != 0 {
					continue // said as a scope change below
				}
				if bh, ah := b.Set.HasFlag(f.ID), a.Set.HasFlag(f.ID); bh != ah {
					im.count(Item{Kind: pick(ah, FlagGained, FlagLost), Module: m.ID, Flag: f.ID}, n)
				}
			}
			bs, _ := b.Scope(m.ID)
			as, _ := a.Scope(m.ID)
			if bs != as {
				im.count(Item{Kind: ScopeChanged, Module: m.ID, From: bs, To: as}, n)
			}
			im.fieldItems(b, a, m, n)
		}
	}
}

// sameAccess reports whether two resolved sides grant the same: actions,
// flags and the levels of the fields of accessible modules (the levels a
// set states are not compared, only what they resolve to).
func sameAccess(b, a Effective) bool {
	bs, as := b.Set, a.Set
	bs.f, as.f = 0, 0
	return bs == as && visibleFields(b) == visibleFields(a)
}

// visibleFields is e's field word with the fields of modules it cannot
// open cleared (FieldLevel answers hidden there whatever the word holds).
func visibleFields(e Effective) uint64 {
	w := e.fields
	for _, f := range fields {
		if !e.Set.Accessible(f.Module) {
			w = withLevel(w, f.idx, 0)
		}
	}
	return w
}

// fieldItems counts the level changes of module m's fields, kept on both
// sides; a change between read and edit that the module's edit being
// gained or lost explains is left to that action's item.
func (im *Impact) fieldItems(b, a Effective, m *Module, n int) {
	editChanged := b.Set.Has(m.ID, Edit) != a.Set.Has(m.ID, Edit)
	for _, f := range m.Fields {
		from, to := levelAt(b.fields, f.idx), levelAt(a.fields, f.idx)
		if from == to || editChanged && min(from, to) == LevelRead && max(from, to) == LevelEdit {
			continue
		}
		im.count(Item{Kind: FieldChanged, Module: m.ID, Field: f, FromLevel: from, ToLevel: to}, n)
	}
}

// Merge adds o's counts to im.
func (im *Impact) Merge(o Impact) {
	im.Members += o.Members
	im.Changed += o.Changed
	for _, it := range o.Items {
		n := it.Members
		it.Members = 0
		im.count(it, n)
	}
	for _, s := range o.Shifts {
		im.shift(s.From, s.To, s.Members)
	}
}

// Sorted is the items in catalog order (module, then kind, action, flag,
// scope), the order a preview lists them in.
func (im Impact) Sorted() []Item {
	out := slices.Clone(im.Items)
	slices.SortFunc(out, func(x, y Item) int {
		return cmp.Or(cmp.Compare(x.Module, y.Module), cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Action, y.Action),
			cmp.Compare(x.Flag, y.Flag), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To),
			cmp.Compare(x.Field.idx, y.Field.idx), cmp.Compare(x.FromLevel, y.FromLevel), cmp.Compare(x.ToLevel, y.ToLevel))
	})
	return out
}

// Of is the items of one kind, in catalog order.
func (im Impact) Of(kinds ...DiffKind) []Item {
	var out []Item
	for _, it := range im.Sorted() {
		if slices.Contains(kinds, it.Kind) {
			out = append(out, it)
		}
	}
	return out
}

// Deciding is how many members counted have layer l deciding after the change.
func (im Impact) Deciding(l Layer) int {
	n := 0
	for _, s := range im.Shifts {
		if s.To == l {
			n += s.Members
		}
	}
	return n
}

func (im *Impact) count(key Item, n int) {
	if im.index == nil {
		im.index = map[Item]int{}
	}
	if i, ok := im.index[key]; ok {
		im.Items[i].Members += n
		return
	}
	im.index[key] = len(im.Items)
	key.Members = n
	im.Items = append(im.Items, key)
}

func (im *Impact) shift(from, to Layer, n int) {
	for i := range im.Shifts {
		if im.Shifts[i].From == from && im.Shifts[i].To == to {
			im.Shifts[i].Members += n
			return
		}
	}
	im.Shifts = append(im.Shifts, LayerShift{From: from, To: to, Members: n})
}

func pick(gain bool, g, l DiffKind) DiffKind {
	if gain {
		return g
	}
	return l
}
