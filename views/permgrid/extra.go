package permgrid

import (
	"github.com/a-h/templ"

	"gatehouse/internal/access"
)

// extra is one checkbox of a module's extras row: its own actions, then
// its flags. Both tick the same way; they differ in field and attributes.
type extra struct {
	field, value, label, module     string
	readOnly, on, missing, disabled bool
	mark                            string // the read-only tick's attribute: data-perm or data-flag
	inputAttrs                      templ.Attributes
}

func (e extra) markAttrs() templ.Attributes {
	if !e.on {
		return nil
	}
	return templ.Attributes{e.mark: e.value}
}

// extras are module m's extras row, in order: own actions, then flags.
func (p Props) extras(m access.Module) []extra {
	var out []extra
	for _, a := range m.OwnActionIDs() {
		out = append(out, extra{field: PermField, value: access.PermissionName(m.ID, a), label: m.ActionLabel(a), module: m.Key,
			readOnly: p.ReadOnly, on: p.Set.Has(m.ID, a), missing: p.Missing.Has(m.ID, a), disabled: p.cellDisabled(m, a),
			mark: "data-perm", inputAttrs: templ.Attributes{"data-perm-action": m.ActionKey(a), "aria-label": cellLabel(m, a)}})
	}
	for _, f := range m.Flags {
		out = append(out, extra{field: FlagField, value: f.FullKey, label: f.Label, module: m.Key,
			readOnly: p.ReadOnly, on: p.Set.HasFlag(f.ID), missing: p.Missing.HasFlag(f.ID), disabled: p.flagDisabled(f),
			mark: "data-flag", inputAttrs: templ.Attributes{"data-perm-flag": f.Key}})
	}
	return out
}
