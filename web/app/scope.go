package app

import (
	"gatehouse/internal/access"
	"gatehouse/views/components"
)

// ScopeLines words x's scope on each scoped module it can open, catalog
// order, from the engine's Scopes and ScopeText (never recomputed here);
// self says whether the page speaks to the member ("you") or of them.
// None for a suspended member or one who opens no scoped module.
func ScopeLines(x access.Explanation, self bool) []components.ScopeLine {
	them, their := "them", "their"
	if self {
		them, their = "you", "your"
	}
	var out []components.ScopeLine
	for _, m := range access.Modules() {
		sc, ok := x.Scopes[m.Key]
		if !ok {
			continue
		}
		l := components.ScopeLine{Module: m.Key, Label: m.Label, Text: x.ScopeText(m.Key)}
		switch sc {
		case access.ScopeOwn:
			l.Meaning = "only the records assigned to " + them
		case access.ScopeTeam:
			l.Meaning = "the records assigned to " + them + " or owned by " + their + " teams"
		case access.ScopeAll:
			l.Meaning = "every record of the organization"
		}
		out = append(out, l)
	}
	return out
}

// FieldLines words x's level on each field of module m, declaration
// order, from the engine's Fields and FieldText; none when m is not
// accessible (or declares no field).
func FieldLines(x access.Explanation, m access.Module) []components.FieldLine {
	var out []components.FieldLine
	for _, f := range m.Fields {
		l, ok := x.Fields[f.FullKey]
		if !ok {
			continue
		}
		out = append(out, components.FieldLine{Key: f.FullKey, Label: f.Label, Level: l.String(), Text: x.FieldText(f.FullKey)})
	}
	return out
}
