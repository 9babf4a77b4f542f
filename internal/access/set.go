package access

import (
	"math/bits"
	"strings"
)

// Set is a permission set: for each action a bitmask of the modules granting
// it, plus a bitmask of true flags. It is a small comparable value (== works),
// so it can be copied, cached and compared freely; a check is a shift and a
// mask. A flag that is not set is false. Grant keeps the invariant that a Set
// only holds actions its module offers, so Set ⊆ FullSet() always.
type Set struct {
	acts  [numActions]uint32
	flags uint32
}

// FullSet returns every action each module offers and every flag.
func FullSet() Set {
	return Set{acts: offered, flags: 1<<numFlags - 1}
}

// Has reports whether action a of module m is in the set.
func (s Set) Has(m ModuleID, a Action) bool {
	return a < numActions && s.acts[a]&(1<<m) != 0
}

// Accessible reports whether the module is accessible: its view is granted.
func (s Set) Accessible(m ModuleID) bool { return s.acts[View]&(1<<m) != 0 }

// HasFlag reports whether the flag is true in the set.
func (s Set) HasFlag(f FlagID) bool { return s.flags&(1<<f) != 0 }

// Grant adds an action; actions the module does not offer are ignored.
func (s *Set) Grant(m ModuleID, a Action) {
	if a < numActions {
		s.acts[a] |= offered[a] & (1 << m)
	}
}

// Revoke removes an action.
func (s *Set) Revoke(m ModuleID, a Action) {
	if a < numActions {
		s.acts[a] &^= 1 << m
	}
}

// SetFlag turns a flag on or off; unknown flag IDs are ignored.
func (s *Set) SetFlag(f FlagID, on bool) {
	if f >= numFlags {
		return
	}
	if on {
		s.flags |= 1 << f
	} else {
		s.flags &^= 1 << f
	}
}

// Union returns s ∪ o (flags OR-ed): the groups layer.
func (s Set) Union(o Set) Set {
	s.add(&o)
	return s
}

// add is Union in place, without copying sets around in loops.
func (s *Set) add(o *Set) {
	for a := range s.acts {
		s.acts[a] |= o.acts[a]
	}
	s.flags |= o.flags
}

// Minus returns what s has and o lacks.
func (s Set) Minus(o Set) Set {
	for a := range s.acts {
		s.acts[a] &^= o.acts[a]
	}
	s.flags &^= o.flags
	return s
}

// SubsetOf reports whether every action and true flag of s is also in o.
func (s Set) SubsetOf(o Set) bool { return s.Minus(o).IsEmpty() }

// count is the number of granted actions.
func (s Set) count() int {
	n := 0
	for _, m := range s.acts {
		n += bits.OnesCount32(m)
	}
	return n
}

// IsEmpty reports whether the set grants nothing and has no true flag.
func (s Set) IsEmpty() bool { return s == Set{} }

// RestrictTo drops the modules (and their flags) outside the products.
func (s Set) RestrictTo(p ProductSet) Set { return s.keepModules(p.moduleMask()) }

func (s Set) keepModules(mask uint32) Set {
	for a := range s.acts {
		s.acts[a] &= mask
	}
	s.flags &= flagsOf(mask)
	return s
}

// flagsOf is the flag mask of the modules in a module mask.
func flagsOf(mask uint32) uint32 {
	var f uint32
	for id, m := range flagModule {
		if mask&(1<<m) != 0 {
			f |= 1 << id
		}
	}
	return f
}

// Effective drops inert grants: the actions and flags of a module whose view
// is not granted (ARCHITECTURE.md, Layers: a module is accessible iff view is granted).
func (s Set) Effective() Set { return s.keepModules(s.acts[View]) }

// WithImpliedView adds view wherever another action is ticked, as every
// editor must (and say so): it returns the modules that got view added, in
// catalog order (nil if none).
func (s Set) WithImpliedView() (Set, []ModuleID) {
	var ticked uint32
	for a := Create; a < numActions; a++ {
		ticked |= s.acts[a]
	}
	missing := ticked &^ s.acts[View]
	if missing == 0 {
		return s, nil
	}
	var added []ModuleID
	for m := ModuleID(0); m < numModules; m++ {
		if missing&(1<<m) != 0 {
			added = append(added, m)
		}
	}
	s.acts[View] |= missing
	return s, added
}

// ActionsOf returns the actions of module m in the set, in catalog order.
func (s Set) ActionsOf(m ModuleID) []Action {
	var out []Action
	for a := View; a < numActions; a++ {
		if s.Has(m, a) {
			out = append(out, a)
		}
	}
	return out
}

// Touches reports whether the set has any action or true flag on module m.
func (s Set) Touches(m ModuleID) bool {
	if m >= numModules {
		return false
	}
	for a := range s.acts {
		if s.acts[a]&(1<<m) != 0 {
			return true
		}
	}
	return s.flags&moduleFlags[m] != 0
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
