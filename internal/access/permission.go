package access

import (
	"fmt"
	"strings"
)

// Permissions returns the set as "module_action" names in catalog order
// (modules, then actions: the standard ones, then the module's own ones),
// e.g. "customers_view", "bulk_messages_export".
func (s Set) Permissions() []string {
	out := []string{}
	for _, m := range modules {
		for _, a := range m.Actions {
			if s.Has(m.ID, a) {
				out = append(out, PermissionName(m.ID, a))
			}
		}
	}
	return out
}

// PermissionName returns "module_action". The names are built once with the
// catalog: listing permissions is common (UI, CLI, audit).
func PermissionName(m ModuleID, a Action) string {
	if int(m) < len(cat.mods) && int(a) < len(cat.mods[m].names) {
		return cat.mods[m].names[a]
	}
	return m.Key() + "_" + a.String()
}

// ParsePermission splits a permission at its LAST '_' (module keys contain
// underscores: "bulk_messages_export"; action keys never do) and checks that
// the module exists and offers the action, standard or its own.
func ParsePermission(name string) (ModuleID, Action, error) {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 || i == len(name)-1 {
		return 0, 0, fmt.Errorf("invalid permission %q: expected module_action, e.g. customers_view", name)
	}
	mk, ak := name[:i], name[i+1:]
	m, ok := moduleByKey[mk]
	if !ok {
		return 0, 0, fmt.Errorf("invalid permission %q: unknown module %q", name, mk)
	}
	a, ok := modules[m].ParseAction(ak)
	if !ok {
		return 0, 0, fmt.Errorf("invalid permission %q: unknown action %q", name, ak)
	}
	if !modules[m].Offers(a) {
		return 0, 0, fmt.Errorf("invalid permission %q: module %q does not offer %q", name, mk, ak)
	}
	return m, a, nil
}

// ParsePermissions is the set of the named permissions ("customers_view",
// …) and flags ("+customers.canAccessAll"); the first invalid name is the
// error.
func ParsePermissions(names ...string) (Set, error) {
	var s Set
	for _, n := range names {
		if k, ok := strings.CutPrefix(n, "+"); ok {
			f, found := FlagByFullKey(k)
			if !found {
				return Set{}, fmt.Errorf("unknown flag %q", k)
			}
			s.SetFlag(f.ID, true)
			continue
		}
		m, a, err := ParsePermission(n)
		if err != nil {
			return Set{}, err
		}
		s.Grant(m, a)
	}
	return s, nil
}
