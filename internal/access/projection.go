package access

// Projection is one member's levels on one module's fields, the one value
// every path of that module asks what it may show, search, sort, export
// and write (ARCHITECTURE.md, Fields): list columns, detail, form, search,
// sort, CSV, audit and writes all read it, none reads a level itself. It is
// a small comparable value, so caches put it in their keys and two members
// with different levels never share an entry.
//
// The zero Projection is "no member's projection": for callers that act
// for the operator (CLI, demo seed, tests) every field is edit. A member's
// projection is made only by Effective.Projection, so a member who cannot
// access the module has every field hidden, never the zero value's edit.
type Projection struct {
	m      ModuleID
	levels uint64 // resolved levels (fields.go); 0 where hidden
	member bool   // made from an effective set; false: the zero value
}

// Projection is the member's levels on module m's fields.
func (e Effective) Projection(m ModuleID) Projection {
	p := Projection{m: m, member: true}
	if int(m) >= len(modules) || !e.Set.Accessible(m) {
		return p
	}
	for _, f := range modules[m].Fields {
		p.levels = withLevel(p.levels, f.idx, levelAt(e.fields, f.idx))
	}
	return p
}

// Level is the level on field key: hidden for a field m does not declare,
// edit for every field of the zero Projection.
func (p Projection) Level(key string) Level {
	if !p.member {
		return LevelEdit
	}
	f, ok := fieldOf(p.m, key)
	if !ok {
		return LevelHidden
	}
	if l := levelAt(p.levels, f.idx); l != 0 {
		return l
	}
	return LevelHidden
}

// Readable: the field may be shown, searched, sorted on and exported.
func (p Projection) Readable(key string) bool { return p.Level(key) >= LevelRead }

// Editable: the field may be changed.
func (p Projection) Editable(key string) bool { return p.Level(key) >= LevelEdit }

// Fillable: the field may be given a value on create, where creating is
// the write (ARCHITECTURE.md, Fields): read fields may be filled, hidden ones not.
func (p Projection) Fillable(key string) bool { return p.Readable(key) }

// Unrestricted reports whether every field of the module is edit, so a
// path may skip asking field by field.
func (p Projection) Unrestricted() bool {
	if !p.member {
		return true
	}
	for _, f := range modules[p.m].Fields {
		if levelAt(p.levels, f.idx) != LevelEdit {
			return false
		}
	}
	return true
}
