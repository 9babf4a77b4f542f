package access

import "fmt"

// Level is what a member may do with one field of a module (ARCHITECTURE.md,
// Fields). The zero Level means "not stated" in a set; resolved levels are
// never zero.
type Level uint8

const (
	LevelHidden Level = iota + 1
	LevelRead
	LevelEdit
)

var levelKeys = [...]string{"", "hidden", "read", "edit"}

// String is the JSON key: "hidden", "read", "edit" ("" when not stated).
func (l Level) String() string {
	if int(l) < len(levelKeys) {
		return levelKeys[l]
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// ParseLevel reads "hidden", "read" or "edit".
func ParseLevel(s string) (Level, bool) {
	for i := LevelHidden; i <= LevelEdit; i++ {
		if levelKeys[i] == s {
			return i, true
		}
	}
	return 0, false
}

// FieldDecl declares one field of a module; sensitive fields are hidden
// unless a set says otherwise.
type FieldDecl struct {
	Key, Label string
	Sensitive  bool
}

// FieldDef is a declared field as the catalog installed it.
type FieldDef struct {
	Module    ModuleID
	Key       string // "tax_id"
	FullKey   string // "customers.tax_id"
	Label     string
	Sensitive bool
	idx       uint8 // position in the set's field word
}

// maxFields is what a Set's field word holds: two bits per field.
const maxFields = 32

// fieldShift is where field i's two bits start in a Set's field word.
func fieldShift(i uint8) uint { return uint(i) * 2 }

func levelAt(w uint64, i uint8) Level { return Level(w >> fieldShift(i) & 3) }

func withLevel(w uint64, i uint8, l Level) uint64 {
	return w&^(3<<fieldShift(i)) | uint64(l)<<fieldShift(i)
}

// fieldOf finds field key of module m.
func fieldOf(m ModuleID, key string) (FieldDef, bool) {
	if int(m) >= len(modules) {
		return FieldDef{}, false
	}
	for _, f := range modules[m].Fields {
		if f.Key == key {
			return f, true
		}
	}
	return FieldDef{}, false
}

// FieldByFullKey finds a field by its full key ("customers.tax_id").
func FieldByFullKey(full string) (FieldDef, bool) {
	for _, f := range fields {
		if f.FullKey == full {
			return f, true
		}
	}
	return FieldDef{}, false
}

// FieldLevelStated is the level the set states for a field, 0 if none.
func (s Set) FieldLevelStated(m ModuleID, key string) Level {
	f, ok := fieldOf(m, key)
	if !ok {
		return 0
	}
	return levelAt(s.f, f.idx)
}

// FieldDefault is the level the set gives a field it states nothing for
// (resolveFields' default): edit, hidden if sensitive, capped at read
// without the module's edit. 0 for an unknown field.
func (s Set) FieldDefault(m ModuleID, key string) Level {
	f, ok := fieldOf(m, key)
	if !ok {
		return 0
	}
	s.f = withLevel(0, f.idx, 0)
	return levelAt(resolveFields(&s), f.idx)
}

// SetFieldLevel states a level for a field (0 removes the statement);
// unknown fields are ignored and reported as false.
func (s *Set) SetFieldLevel(m ModuleID, key string, l Level) bool {
	f, ok := fieldOf(m, key)
	if !ok || l > LevelEdit {
		return false
	}
	s.f = withLevel(s.f, f.idx, l)
	return true
}

// hasStatedFields reports whether the set states a level for a field of m.
func (s *Set) hasStatedFields(m ModuleID) bool {
	for _, f := range modules[m].Fields {
		if levelAt(s.f, f.idx) != 0 {
			return true
		}
	}
	return false
}

// withAllFields states level l for every declared field: the templates and
// predefined groups that open or restrict every field alike.
func withAllFields(s Set, l Level) Set {
	s.f = allLevels(l)
	return s
}

// resolveFields resolves one set alone: its stated levels, else the default
// (edit, hidden if sensitive), capped at read without the module's edit.
func resolveFields(s *Set) uint64 {
	var w uint64
	for _, f := range fields {
		l := levelAt(s.f, f.idx)
		switch {
		case l != 0:
		case f.Sensitive:
			l = LevelHidden
		default:
			l = LevelEdit
		}
		if l == LevelEdit && !s.hasAction(f.Module, Edit) {
			l = LevelRead
		}
		w = withLevel(w, f.idx, l)
	}
	return w
}

// allLevels is a field word with level l on every field: the owner's, edit.
func allLevels(l Level) uint64 {
	var w uint64
	for _, f := range fields {
		w = withLevel(w, f.idx, l)
	}
	return w
}

// templateFields resolves a role template: the full-view roles state edit
// on every field (financial, without customers edit, is capped at read);
// the others take the defaults.
func templateFields(r Role, t Set) uint64 {
	if r.FullViewByDefault() {
		t.f = allLevels(LevelEdit)
	}
	return resolveFields(&t)
}

// groupFields is the groups layer: each group resolved alone, then the
// most open level per field.
func groupFields(gs []GroupGrant) uint64 {
	w := resolveFields(&gs[0].Set)
	for i := 1; i < len(gs); i++ {
		w = mostOpen(w, resolveFields(&gs[i].Set))
	}
	return w
}

// mostOpen is, per field, the more open of two resolved field words.
func mostOpen(a, b uint64) uint64 {
	for _, f := range fields {
		if lb := levelAt(b, f.idx); lb > levelAt(a, f.idx) {
			a = withLevel(a, f.idx, lb)
		}
	}
	return a
}

// FieldLevel is the member's level on a field: hidden for an unknown field
// or a module the member cannot access.
func (e Effective) FieldLevel(m ModuleID, key string) Level {
	f, ok := fieldOf(m, key)
	if !ok || !e.Set.Accessible(m) {
		return LevelHidden
	}
	return levelAt(e.fields, f.idx)
}

// Stated is e.Set stating e's field levels wherever they differ from
// what that set alone defaults to: resolved alone (as individual
// permissions), it gives exactly e's access, fields included. Turning
// individual permissions on starts from it.
func (e Effective) Stated() Set {
	s := e.Set
	s.f = 0
	def := resolveFields(&s)
	for _, f := range fields {
		if !s.Accessible(f.Module) {
			continue
		}
		if l := levelAt(e.fields, f.idx); l != levelAt(def, f.idx) {
			s.f = withLevel(s.f, f.idx, l)
		}
	}
	return s
}

// FieldAccess is one field of a module with the member's level on it.
type FieldAccess struct {
	Field FieldDef
	Level Level
}

// Fields lists module m's fields in declaration order with the member's
// levels (Explain says what grants each).
func (e Effective) Fields(m ModuleID) []FieldAccess {
	if int(m) >= len(modules) {
		return nil
	}
	out := make([]FieldAccess, 0, len(modules[m].Fields))
	for _, f := range modules[m].Fields {
		out = append(out, FieldAccess{Field: f, Level: e.FieldLevel(m, f.Key)})
	}
	return out
}

// FieldGrantError names the field levels an actor tried to grant above
// their own.
type FieldGrantError struct {
	Fields []string // "customers.tax_id (edit, you hold read)"
	// Over are the same fields as data, for an editor to mark them.
	Over []FieldOver
}

// FieldOver is one field granted above the actor's level.
type FieldOver struct {
	Field      FieldDef
	Want, Held Level
}

func (e *FieldGrantError) Error() string {
	msg := "you can only grant field levels you hold yourself; you do not hold "
	for i, f := range e.Fields {
		if i > 0 {
			msg += ", "
		}
		msg += f
	}
	return msg
}

// Is makes errors.Is(err, ErrEscalation) true.
func (e *FieldGrantError) Is(target error) bool { return target == ErrEscalation }

// checkFieldGrant refuses a set that, resolved alone, opens a field of an
// accessible module beyond the actor's level there.
func checkFieldGrant(actor Effective, grant Set) error {
	if actor.IsOwner() {
		return nil
	}
	granted := resolveFields(&grant)
	var (
		bad  []string
		over []FieldOver
	)
	for _, f := range fields {
		if !grant.hasAction(f.Module, View) {
			continue
		}
		want, held := levelAt(granted, f.idx), actor.FieldLevel(f.Module, f.Key)
		if want > held {
			bad = append(bad, fmt.Sprintf("%s (%s, you hold %s)", f.FullKey, want, held))
			over = append(over, FieldOver{Field: f, Want: want, Held: held})
		}
	}
	if len(bad) > 0 {
		return &FieldGrantError{Fields: bad, Over: over}
	}
	return nil
}
