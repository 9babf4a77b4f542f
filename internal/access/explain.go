package access

// Explanation is Resolve's result plus why: for "My Permissions", the member
// permission preview and the `gatehouse access` command.
type Explanation struct {
	Effective
	// Groups are the member's group names in the order given. They are
	// listed whatever the layer, so the UI can say which groups a custom
	// set or the owner role overrides; they only grant under LayerGroups.
	Groups []string
	// Permissions maps each effective permission to what grants it:
	// ["owner"], ["custom"], ["role:agent"] or every granting group as
	// ["group:Sales Team", "group:User"] in the order given.
	Permissions map[string][]string
	// Flags lists every flag of the accessible modules, true or false.
	Flags map[string]bool
	// FlagSources maps each true flag to what sets it, like Permissions.
	FlagSources map[string][]string
	// Scopes maps each accessible scoped module ("customers") to the
	// member's scope there: derived from the flags, never stored.
	Scopes map[string]Scope
	// ScopeSources maps each of those modules to what grants the flag that
	// decides its scope, like FlagSources; empty (not nil) for own scope.
	ScopeSources map[string][]string
	// Fields maps every field of the accessible modules ("customers.tax_id")
	// to the member's level; FieldSources says which sets decide it, like
	// Permissions: in the groups layer, each group whose own level is it.
	Fields       map[string]Level
	FieldSources map[string][]string
}

// Explain resolves and attributes every effective permission and flag.
func Explain(in Input) Explanation {
	eff := Resolve(in)
	x := Explanation{
		Effective:    eff,
		Groups:       make([]string, 0, len(in.Groups)),
		Permissions:  make(map[string][]string, eff.Set.count()),
		Flags:        map[string]bool{},
		FlagSources:  map[string][]string{},
		Scopes:       map[string]Scope{},
		ScopeSources: map[string][]string{},
		Fields:       map[string]Level{},
		FieldSources: map[string][]string{},
	}
	labels := make([]string, len(in.Groups))
	for i, g := range in.Groups {
		x.Groups = append(x.Groups, g.Name)
		labels[i] = "group:" + g.Name
	}
	set := x.Set
	// sources says who grants something that has survived resolution; in
	// the groups layer that is every group whose own set holds it.
	sources := func(has func(*Set) bool) []string {
		switch x.Layer {
		case LayerOwner:
			return []string{"owner"}
		case LayerCustom:
			return []string{"custom"}
		case LayerRole:
			return []string{"role:" + string(x.Role)}
		}
		n := 0
		for i := range in.Groups {
			if has(&in.Groups[i].Set) {
				n++
			}
		}
		out := make([]string, 0, n)
		for i := range in.Groups {
			if has(&in.Groups[i].Set) {
				out = append(out, labels[i])
			}
		}
		return out
	}
	for _, m := range modules {
		for _, a := range m.Actions {
			if set.Has(m.ID, a) {
				b, _ := cat.actionBit(m.ID, a)
				x.Permissions[PermissionName(m.ID, a)] = sources(func(s *Set) bool { return s.has(b) })
			}
		}
	}
	for _, f := range flags {
		if !set.Accessible(flagModule[f.ID]) {
			continue
		}
		on := set.HasFlag(f.ID)
		x.Flags[f.FullKey] = on
		if on {
			x.FlagSources[f.FullKey] = sources(func(s *Set) bool { return s.hasFlag(f.ID) })
		}
	}
	var groupLevels []uint64
	if x.Layer == LayerGroups {
		groupLevels = make([]uint64, len(in.Groups))
		for i := range in.Groups {
			groupLevels[i] = resolveFields(&in.Groups[i].Set)
		}
	}
	for _, f := range fields {
		if !set.Accessible(f.Module) {
			continue
		}
		l := levelAt(eff.fields, f.idx)
		x.Fields[f.FullKey] = l
		x.FieldSources[f.FullKey] = sources(func(s *Set) bool {
			i := indexOfGroup(in.Groups, s)
			return i >= 0 && s.hasAction(f.Module, View) && levelAt(groupLevels[i], f.idx) == l
		})
	}
	for _, m := range modules {
		sc, ok := eff.Scope(m.ID)
		if !ok {
			continue
		}
		x.Scopes[m.Key] = sc
		x.ScopeSources[m.Key] = []string{}
		if f, ok := ScopeFlag(m.ID, sc); ok {
			x.ScopeSources[m.Key] = x.FlagSources[f.FullKey]
		}
	}
	return x
}

// indexOfGroup is the index of the group whose set s points to, -1 if none.
func indexOfGroup(gs []GroupGrant, s *Set) int {
	for i := range gs {
		if &gs[i].Set == s {
			return i
		}
	}
	return -1
}

// ScopeText states the member's scope on a module in words with what grants
// it, for My Permissions and the member page: "team, from group Support
// leads", "all, as owner", "own". "" when the module has no scope for them.
func (x Explanation) ScopeText(module string) string {
	sc, ok := x.Scopes[module]
	if !ok {
		return ""
	}
	return withSources(sc.String(), x.ScopeSources[module])
}

// FieldText states the member's level on a field ("customers.tax_id") with
// the sets that decide it, for My Permissions and the member page: "read,
// from group Support", "edit, as owner", "hidden, from role Agent". ""
// when the field is not one of an accessible module.
func (x Explanation) FieldText(fullKey string) string {
	l, ok := x.Fields[fullKey]
	if !ok {
		return ""
	}
	return withSources(l.String(), x.FieldSources[fullKey])
}

// withSources is what, then what grants it in words.
func withSources(what string, src []string) string {
	if len(src) == 0 {
		return what
	}
	if src[0] == "owner" {
		return what + ", as owner"
	}
	words := make([]string, len(src))
	for i, s := range src {
		words[i] = SourceText(s)
	}
	return what + ", from " + joinWords(words)
}

// SourceText is a source key in words: "group:Support leads" → "group
// Support leads", "role:agent" → "role Agent", "custom" → "individual
// permissions", "owner" → "owner".
func SourceText(src string) string {
	switch {
	case src == "custom":
		return "individual permissions"
	case len(src) > 6 && src[:6] == "group:":
		return "group " + src[6:]
	case len(src) > 5 && src[:5] == "role:":
		return "role " + Role(src[5:]).Label()
	}
	return src
}

// joinWords lists items as "a", "a and b", "a, b and c".
func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	out := items[0]
	for _, s := range items[1 : len(items)-1] {
		out += ", " + s
	}
	return out + " and " + items[len(items)-1]
}
