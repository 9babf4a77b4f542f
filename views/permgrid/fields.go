package permgrid

import (
	"fmt"
	"strings"

	"gatehouse/internal/access"
)

// FieldPrefix starts the form name of a field's level: "field.customers.tax_id"
// with the value "hidden", "read" or "edit", or "" for not stated (the
// default). web/app.DecodePermForm reads them back (ARCHITECTURE.md, Fields).
const FieldPrefix = "field."

// FieldName is the form name of field f's level.
func FieldName(f access.FieldDef) string { return FieldPrefix + f.FullKey }

// levelChoices are a field's choices after "default", in order.
var levelChoices = [...]access.Level{access.LevelHidden, access.LevelRead, access.LevelEdit}

// fieldChoice is one radio of a field: "default" (Level 0) or a level.
type fieldChoice struct {
	Value string // "", "hidden", "read", "edit"
	Label string // "default: hidden (sensitive)", "Hidden", …
	// NoEdit is the default's label while the module's edit is not
	// ticked, when it differs from Label (the one with edit): the row
	// shows one as permgrid.js keeps data-module-edit in step with the box.
	NoEdit   string
	Checked  bool
	Disabled bool
	Title    string // why it is disabled
}

// aria is the choice's accessible name after the field's label.
func (c fieldChoice) aria() string {
	if c.Value == "" {
		return "default"
	}
	return c.Label
}

// fieldRow is one declared field of a module as the grid shows it.
type fieldRow struct {
	Def     access.FieldDef
	Name    string // the form name
	Stated  access.Level
	Text    string // read-only: "read" or "default: hidden (sensitive)"
	Error   string // a submitted level that could not be read
	Choices []fieldChoice
}

// levelLabel is a level for people: "Hidden", "Read", "Edit".
func levelLabel(l access.Level) string {
	s := l.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// defaultTexts are the default's label with the module's edit ticked
// and, when it differs, without.
func defaultTexts(s access.Set, f access.FieldDef) (edit, noEdit string) {
	s.Grant(f.Module, access.Edit)
	edit = DefaultText(s, f)
	s.Revoke(f.Module, access.Edit)
	if noEdit = DefaultText(s, f); noEdit == edit {
		noEdit = ""
	}
	return edit, noEdit
}

// DefaultText says what "default" means for field f in set s: "default:
// hidden (sensitive)", "default: read (no edit on Customers)", "default: edit".
func DefaultText(s access.Set, f access.FieldDef) string {
	l := s.FieldDefault(f.Module, f.Key)
	why := ""
	switch {
	case f.Sensitive && l == access.LevelHidden:
		why = " (sensitive)"
	case l == access.LevelRead:
		why = " (no edit on " + access.ModuleOf(f.Module).Label + ")"
	}
	return "default: " + l.String() + why
}

// held is the actor's level on f: edit for an owner (Held nil).
func (p Props) held(f access.FieldDef) access.Level {
	if p.Held == nil {
		return access.LevelEdit
	}
	return p.Held.FieldLevel(f.Module, f.Key)
}

// HeldText says why a level cannot be granted: "You hold hidden on Tax
// ID, so you cannot grant read." (a disabled choice's title, a refusal by
// the field).
func HeldText(f access.FieldDef, held, want access.Level) string {
	return fmt.Sprintf("You hold %s on %s, so you cannot grant %s.", held, f.Label, want)
}

// fieldRows are module m's fields with their choices. A choice above the
// actor's own level is disabled with the reason, unless it is the one
// stated (it can be taken away); the server decides anyway.
func (p Props) fieldRows(m access.Module) []fieldRow {
	out := make([]fieldRow, 0, len(m.Fields))
	for _, f := range m.Fields {
		r := fieldRow{Def: f, Name: FieldName(f), Stated: p.Set.FieldLevelStated(m.ID, f.Key), Error: p.FieldErrors[f.FullKey]}
		def := DefaultText(p.Set, f)
		if r.Stated != 0 {
			r.Text = r.Stated.String()
		} else {
			r.Text = def
		}
		if !p.ReadOnly {
			held := p.held(f)
			dl := p.Set.FieldDefault(m.ID, f.Key)
			c := fieldChoice{Value: "", Checked: r.Stated == 0}
			c.Label, c.NoEdit = defaultTexts(p.Set, f)
			if !c.Checked && dl > held {
				c.Disabled, c.Title = true, HeldText(f, held, dl)
			}
			r.Choices = append(r.Choices, c)
			for _, l := range levelChoices {
				c := fieldChoice{Value: l.String(), Label: levelLabel(l), Checked: r.Stated == l}
				if !c.Checked && l > held {
					c.Disabled, c.Title = true, HeldText(f, held, l)
				}
				r.Choices = append(r.Choices, c)
			}
		}
		out = append(out, r)
	}
	return out
}

// statedCount is how many of m's fields the set states a level for.
func (p Props) statedCount(m access.Module) int {
	n := 0
	for _, f := range m.Fields {
		if p.Set.FieldLevelStated(m.ID, f.Key) != 0 {
			n++
		}
	}
	return n
}

// fieldsSummary is the disclosure's line: "Fields: 8, 2 stated".
func (p Props) fieldsSummary(m access.Module) string {
	s := fmt.Sprintf("Fields: %d", len(m.Fields))
	if n := p.statedCount(m); n > 0 {
		s += fmt.Sprintf(", %d stated", n)
	} else {
		s += ", all default"
	}
	return s
}

// fieldsOpen opens the disclosure when it states levels or shows an error.
func (p Props) fieldsOpen(m access.Module) bool {
	if p.statedCount(m) > 0 {
		return true
	}
	for _, f := range m.Fields {
		if p.FieldErrors[f.FullKey] != "" {
			return true
		}
	}
	return false
}

// fieldBits packs module m's field levels as get gives them, two bits per
// field in declaration order (a row key; the catalog holds at most 32).
func fieldBits(m access.Module, get func(access.FieldDef) access.Level) uint64 {
	var b uint64
	for j, f := range m.Fields {
		b |= uint64(get(f)) << (2 * j)
	}
	return b
}

// fieldState is what the fields' markup depends on besides the choices
// the client already shows: per module with fields, the stated levels
// (the summary line, the open disclosure), the actor's levels and which
// "default" choices are disabled (they follow the module's edit). The
// default's label does not count: both are in the markup. Part of Layout.
func (p Props) fieldState() string {
	var b strings.Builder
	for _, pr := range p.products() {
		for _, m := range pr.Modules {
			if len(m.Fields) == 0 {
				continue
			}
			var off uint64
			for j, r := range p.fieldRows(m) {
				if len(r.Choices) > 0 && r.Choices[0].Disabled {
					off |= 1 << j
				}
			}
			fmt.Fprintf(&b, "|%s:%x:%x:%x", m.Key,
				fieldBits(m, func(f access.FieldDef) access.Level { return p.Set.FieldLevelStated(m.ID, f.Key) }),
				fieldBits(m, p.held), off)
		}
	}
	return b.String()
}

// moduleEdit is the fields row's data-module-edit: whether the module's
// edit is ticked, which decides which default label shows.
func (p Props) moduleEdit(m access.Module) string {
	if p.Set.Has(m.ID, access.Edit) {
		return "true"
	}
	return "false"
}
