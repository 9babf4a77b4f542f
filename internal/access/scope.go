package access

import (
	"cmp"
	"fmt"
	"slices"
)

// Scope is how far a member reaches into a scoped module's records
// (customers, crm, chats): which records a list, search, count, export or
// detail may touch (ARCHITECTURE.md, Enforcement and the sidebar). Scopes
// are ordered, own < team < all, so "at least" is a comparison; the zero value is
// no scope at all: a module without per-member scope, or one the member
// cannot open.
//
// The engine computes it from the effective set (Effective.Scope), once,
// from the module's scope flags as the catalog marks them (FlagDef.Scope):
// nothing else decides scope from a flag.
type Scope uint8

const (
	// ScopeOwn reaches the records assigned to the member: every member
	// who can open a scoped module has at least this.
	ScopeOwn Scope = 1
	// ScopeTeam reaches the records assigned to the member and those owned
	// by one of the member's teams (none more when they are in no team).
	ScopeTeam Scope = 2
	// ScopeAll reaches every record of the organization.
	ScopeAll Scope = 3
)

// String is the scope's key: "own", "team", "all" ("" for no scope).
func (s Scope) String() string {
	switch s {
	case 0:
		return ""
	case ScopeOwn:
		return "own"
	case ScopeTeam:
		return "team"
	case ScopeAll:
		return "all"
	}
	return fmt.Sprintf("scope(%d)", uint8(s))
}

// ParseScope is the scope of a key ("own", "team", "all").
func ParseScope(key string) (Scope, bool) {
	switch key {
	case "own":
		return ScopeOwn, true
	case "team":
		return ScopeTeam, true
	case "all":
		return ScopeAll, true
	}
	return 0, false
}

// AtLeast reports whether s reaches min; no scope reaches nothing.
func (s Scope) AtLeast(min Scope) bool { return s != 0 && min != 0 && s >= min }

// Narrow is the smaller of two scopes: a "mine" list is the member's scope
// narrowed to own, never widened.
func (s Scope) Narrow(to Scope) Scope { return min(s, to) }

// indexScopeFlags fills c.scopeFlags, refusing a flag that grants own (own
// needs none) and two flags of one module granting the same scope.
func (c *tables) indexScopeFlags() error {
	c.scopeFlags = make([][]FlagID, len(c.modules))
	for _, f := range c.flags {
		if f.Scope == 0 {
			continue
		}
		if f.Scope <= ScopeOwn {
			return fmt.Errorf("flag %s grants scope %s: own needs no flag", f.FullKey, f.Scope)
		}
		m := c.flagModule[f.ID]
		for _, g := range c.scopeFlags[m] {
			if c.flags[g].Scope == f.Scope {
				return fmt.Errorf("module %s has two flags for scope %s", f.Module, f.Scope)
			}
		}
		c.scopeFlags[m] = append(c.scopeFlags[m], f.ID)
	}
	for m := range c.scopeFlags {
		slices.SortFunc(c.scopeFlags[m], func(a, b FlagID) int { return cmp.Compare(c.flags[b].Scope, c.flags[a].Scope) })
	}
	return nil
}

// Scoped reports whether the module has per-member scope (scope flags).
func (m Module) Scoped() bool {
	return int(m.ID) < len(cat.scopeFlags) && len(cat.scopeFlags[m.ID]) > 0
}

// ScopeFlag is the flag of module m that grants scope s (canAccessAll for
// ScopeAll); false when there is none (own needs none).
func ScopeFlag(m ModuleID, s Scope) (FlagDef, bool) {
	if int(m) < len(cat.scopeFlags) {
		for _, f := range cat.scopeFlags[m] {
			if flags[f].Scope == s {
				return flags[f], true
			}
		}
	}
	return FlagDef{}, false
}

// Scope is the member's scope on module m: the widest scope one of its true
// scope flags grants, else own. ok is false, with the zero Scope, for a
// module without scope and for one the member cannot open (no view: no
// records at all), and for a suspended member.
func (e Effective) Scope(m ModuleID) (s Scope, ok bool) {
	if int(m) >= len(cat.scopeFlags) || len(cat.scopeFlags[m]) == 0 || !e.Set.Accessible(m) {
		return 0, false
	}
	for _, f := range cat.scopeFlags[m] {
		if e.Set.HasFlag(f) {
			return flags[f].Scope, true
		}
	}
	return ScopeOwn, true
}

// MarshalText writes the scope's key, so JSON maps of scopes read "team".
func (s Scope) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// withImpliedScopes is s where a true scope flag also counts as every
// narrower scope flag of its module: for anti-escalation an actor who sees
// all customers holds customers.canAccessTeam (ARCHITECTURE.md,
// Anti-escalation). Only the actor's side is widened, never a grant.
func (s Set) withImpliedScopes() Set {
	for _, fs := range cat.scopeFlags { // per module, widest first
		for i, f := range fs {
			if s.hasFlag(f) {
				for _, g := range fs[i+1:] {
					s.SetFlag(g, true)
				}
				break
			}
		}
	}
	return s
}
