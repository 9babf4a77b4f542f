package access

import (
	"math/bits"
	"strings"
)

// setWords is the capacity of a Set in 64-bit words. It is a constant so
// that a Set stays a small comparable value (== works, it can be a map key);
// nothing else in the engine depends on it: the bit layout is derived from
// the catalog (catalog.go, tables), and buildCatalog refuses a catalog that
// needs more bits, naming this constant. The real catalog's headroom is
// TestCatalogFitsInSet's; raising it costs a few word operations per set
// operation and nothing per check.
const (
	setWords = 4
	setBits  = setWords * 64
)

// unionOf (resolve.go) spells the four words out so that they stay in
// registers; this line stops the build if setWords changes without it.
var _ = [1]struct{}{}[setWords-4]

// Set is a permission set: one bit per (module, action slot) and per flag,
// laid out by the catalog. It is a small comparable value, so it can be
// copied, cached and compared freely; a check is a table load, a shift and a
// mask. A flag that is not set is false. Grant keeps the invariant that a
// Set only holds actions its module offers, so Set ⊆ FullSet() always, and
// the bits outside the catalog are zero (so == means the same set).
type Set struct {
	w [setWords]uint64
	// f is the field levels the set states, two bits per catalog field
	// (fields.go); 0 = not stated. Only MarshalJSON, resolution and
	// CheckGrant read it: Union and Minus combine actions and flags only.
	f uint64
}

func (s *Set) has(b uint) bool { return s.w[b/64%setWords]&(1<<(b%64)) != 0 }
func (s *Set) set(b uint)      { s.w[b/64] |= 1 << (b % 64) }
func (s *Set) clear(b uint)    { s.w[b/64] &^= 1 << (b % 64) }

// bitRange is the set of the bits [lo, hi).
func bitRange(lo, hi uint) Set {
	var s Set
	for b := lo; b < hi && b < setBits; b++ {
		s.set(b)
	}
	return s
}

// and is s ∩ o, bit for bit.
func (s Set) and(o *Set) Set {
	for i := range s.w {
		s.w[i] &= o.w[i]
	}
	return s
}

// FullSet returns every action each module offers and every flag.
func FullSet() Set { return cat.offered.Union(cat.allFlags) }

// Has reports whether action a of module m is in the set.
func (s Set) Has(m ModuleID, a Action) bool { return s.hasAction(m, a) }

// hasAction is Has without copying the set (a value receiver called through
// a pointer copies it): for loops over many sets, such as Explain's.
func (s *Set) hasAction(m ModuleID, a Action) bool {
	b, ok := cat.actionBit(m, a)
	return ok && s.has(b)
}

// Accessible reports whether the module is accessible: its view is granted.
func (s Set) Accessible(m ModuleID) bool { return s.Has(m, View) }

// HasFlag reports whether the flag is true in the set.
func (s Set) HasFlag(f FlagID) bool { return s.hasFlag(f) }

// hasFlag is HasFlag without copying the set.
func (s *Set) hasFlag(f FlagID) bool {
	b, ok := cat.flagBitOf(f)
	return ok && s.has(b)
}

// Grant adds an action; actions the module does not offer are ignored.
func (s *Set) Grant(m ModuleID, a Action) {
	if b, ok := cat.actionBit(m, a); ok && cat.offered.has(b) {
		s.set(b)
	}
}

// Revoke removes an action.
func (s *Set) Revoke(m ModuleID, a Action) {
	if b, ok := cat.actionBit(m, a); ok {
		s.clear(b)
	}
}

// SetFlag turns a flag on or off; unknown flag IDs are ignored.
func (s *Set) SetFlag(f FlagID, on bool) {
	b, ok := cat.flagBitOf(f)
	switch {
	case !ok:
	case on:
		s.set(b)
	default:
		s.clear(b)
	}
}

// Union returns s ∪ o (flags OR-ed): the groups layer.
func (s Set) Union(o Set) Set {
	s.add(&o)
	return s
}

// add is Union in place, without copying sets around in loops.
func (s *Set) add(o *Set) {
	for i := range s.w {
		s.w[i] |= o.w[i]
	}
}

// Minus returns the actions and flags s has and o lacks (no field levels).
func (s Set) Minus(o Set) Set {
	for i := range s.w {
		s.w[i] &^= o.w[i]
	}
	s.f = 0
	return s
}

// SubsetOf reports whether every action and true flag of s is also in o.
func (s Set) SubsetOf(o Set) bool { return s.Minus(o).IsEmpty() }

// count is the number of granted actions.
func (s Set) count() int {
	n := 0
	for i, w := range s.w {
		n += bits.OnesCount64(w &^ cat.allFlags.w[i])
	}
	return n
}

// IsEmpty reports whether the set grants nothing and has no true flag
// (stated field levels alone grant nothing).
func (s Set) IsEmpty() bool { return s.w == [setWords]uint64{} }

// RestrictTo drops the modules (and their flags) outside the products.
func (s Set) RestrictTo(p ProductSet) Set {
	mask := p.moduleBits()
	if s.f != 0 {
		for _, f := range fields {
			if !p.HasModule(f.Module) {
				s.f = withLevel(s.f, f.idx, 0)
			}
		}
	}
	return s.and(&mask)
}

// KeepOutside returns s (a set over p's modules, as a grid submits it)
// with what o holds for the modules outside p: their actions, flags and
// stated field levels. Those are inert while the organization lacks the
// product and no editor shows them, so saving what it shows must not
// destroy them (ARCHITECTURE.md, Fields).
func (s Set) KeepOutside(o Set, p ProductSet) Set {
	inside := p.moduleBits()
	for i := range s.w {
		s.w[i] = s.w[i]&inside.w[i] | o.w[i]&^inside.w[i]
	}
	if s.f|o.f != 0 {
		for _, f := range fields {
			if !p.HasModule(f.Module) {
				s.f = withLevel(s.f, f.idx, levelAt(o.f, f.idx))
			}
		}
	}
	return s
}

// Effective drops inert grants: the actions and flags of a module whose view
// is not granted (ARCHITECTURE.md, Layers: a module is accessible iff view is granted).
//
// Each module's bits are one run that starts with its view bit (catalog.go),
// so the runs to keep are those whose first bit is set. With z the bits that
// start no run and v the view bits granted, z + (v<<1) carries from each
// granted view bit through its run and stops at the next run's start: the
// bits the addition flips inside z are exactly the rest of the kept runs.
// (A run has at least the five standard slots, so v<<1 never lands on a
// start.) That is a few word operations, whatever the number of modules.
func (s Set) Effective() Set {
	var keep Set
	var carry, prev uint64
	for i := range s.w {
		v := s.w[i] & cat.starts.w[i]
		z := ^cat.starts.w[i]
		var r uint64
		r, carry = bits.Add64(z, v<<1|prev>>63, carry)
		prev = v
		keep.w[i] = (r^z)&z | v
	}
	return s.and(&keep)
}

// WithImpliedView adds view wherever another action is ticked, as every
// editor must (and say so): it returns the modules that got view added, in
// catalog order (nil if none).
func (s Set) WithImpliedView() (Set, []ModuleID) {
	var added []ModuleID
	for i := range cat.mods {
		m := ModuleID(i)
		if s.Has(m, View) {
			continue
		}
		acts := s.and(&cat.mods[i].mask).and(&cat.offered)
		if !acts.IsEmpty() {
			s.Grant(m, View)
			added = append(added, m)
		}
	}
	return s, added
}

// ActionsOf returns the actions of module m in the set, in catalog order.
func (s Set) ActionsOf(m ModuleID) []Action {
	if int(m) >= len(modules) {
		return nil
	}
	var out []Action
	for _, a := range modules[m].Actions {
		if s.Has(m, a) {
			out = append(out, a)
		}
	}
	return out
}

// Touches reports whether the set has any action or true flag on module m.
func (s Set) Touches(m ModuleID) bool {
	if int(m) >= len(cat.mods) {
		return false
	}
	return !s.and(&cat.mods[m].mask).IsEmpty()
}

// FlagKeys returns the full keys of the true flags, in catalog order.
func (s Set) FlagKeys() []string {
	var out []string
	for _, f := range flags {
		if s.HasFlag(f.ID) {
			out = append(out, f.FullKey)
		}
	}
	return out
}

// String is for logs and test failures: permissions, then "+flag" for each
// true flag, space-separated; "{}" for the empty set.
func (s Set) String() string {
	parts := s.Permissions()
	for _, k := range s.FlagKeys() {
		parts = append(parts, "+"+k)
	}
	if len(parts) == 0 {
		return "{}"
	}
	return strings.Join(parts, " ")
}
