package audit

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"gatehouse/internal/access"
)

// Change is one line of an entry's before → after, in words.
type Change struct {
	Field string // "Role", "Permissions"…; "" when the whole value changed
	// Old and New are the values of a scalar change; for item changes they
	// say "not set" / "set" when one side is null (individual permissions).
	Old, New string
	Added    []string // permissions ("Customers: edit"), flags or list items gained
	Removed  []string // … and lost
	// Redacted: the field changed, but the viewer may not read it (a
	// customer field hidden from them, ARCHITECTURE.md, Fields): no values.
	Redacted bool
}

// IsItems reports a change listed item by item (sets and lists).
func (c Change) IsItems() bool { return len(c.Added) > 0 || len(c.Removed) > 0 }

// Diff compares the before and after JSON of an audit entry ("" = absent,
// as for a creation or a deletion) and lists what changed: permission sets
// as permissions and flags added and removed, lists as items added and
// removed, other values as old → new. Unchanged fields are left out.
func Diff(before, after string) []Change {
	b, bok := parse(before)
	a, aok := parse(after)
	var out []Change
	diffValue(&out, "", b, bok, a, aok)
	return out
}

// DiffHiding is Diff for an entry whose before and after are objects of
// fields, some of which the viewer may not read (hidden reports them by
// key): such a field that changed is listed as Redacted, with no values.
// An entry that is not an object (or null, as nothing) is redacted whole.
func DiffHiding(before, after string, hidden func(key string) bool) []Change {
	b, bok := parse(before)
	a, aok := parse(after)
	bok, aok = bok && b != nil, aok && a != nil
	bm, bIsMap := b.(map[string]any)
	am, aIsMap := a.(map[string]any)
	if bok && !bIsMap || aok && !aIsMap {
		return []Change{{Redacted: true}}
	}
	var out []Change
	for _, k := range keys(bm, am) {
		bv, bh := bm[k]
		av, ah := am[k]
		if !hidden(k) {
			diffValue(&out, k, bv, bh, av, ah)
		} else if bh != ah || !sameJSON(bv, av) {
			out = append(out, Change{Field: label(k), Redacted: true})
		}
	}
	return out
}

// parse reads JSON; text that is not JSON is kept as a string.
func parse(s string) (any, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, false
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return s, true
	}
	return v, true
}

func diffValue(out *[]Change, field string, b any, bok bool, a any, aok bool) {
	if !bok && !aok {
		return
	}
	if bs, ok := asSet(b, bok); ok {
		if as, ok := asSet(a, aok); ok && (isNonEmptyMap(b) || isNonEmptyMap(a) || isSetField(field)) {
			setChange(out, field, b, bok, bs, a, aok, as)
			return
		}
	}
	bm, bIsMap := b.(map[string]any)
	am, aIsMap := a.(map[string]any)
	if (bIsMap || !bok) && (aIsMap || !aok) && (bIsMap || aIsMap) {
		for _, k := range keys(bm, am) {
			bv, bh := bm[k]
			av, ah := am[k]
			diffValue(out, join(field, k), bv, bh, av, ah)
		}
		return
	}
	bl, bIsList := scalarList(b, bok)
	al, aIsList := scalarList(a, aok)
	if bIsList && aIsList && (bok || aok) {
		added, removed := minus(al, bl), minus(bl, al)
		if len(added) > 0 || len(removed) > 0 {
			*out = append(*out, Change{Field: label(field), Added: added, Removed: removed})
		}
		return
	}
	if bok && aok && sameJSON(b, a) {
		return
	}
	*out = append(*out, Change{Field: label(field), Old: show(b, bok), New: show(a, aok)})
}

// asSet decodes a permission set; absent and null count as "no set".
func asSet(v any, ok bool) (*access.Set, bool) {
	if !ok || v == nil {
		return nil, true
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return nil, false
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	s, errs := access.DecodeSet(raw, "")
	if len(errs) > 0 {
		return nil, false
	}
	return &s, true
}

func isNonEmptyMap(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) > 0
}

// isSetField names the fields that hold permission sets even when empty.
func isSetField(field string) bool {
	last := field[strings.LastIndexByte(field, '.')+1:]
	return last == "permissions" || last == "custom"
}

func setChange(out *[]Change, field string, b any, bok bool, bs *access.Set, a any, aok bool, as *access.Set) {
	var before, after access.Set
	if bs != nil {
		before = *bs
	}
	if as != nil {
		after = *as
	}
	c := Change{Field: label(field), Added: setItems(after.Minus(before)), Removed: setItems(before.Minus(after))}
	// null ↔ set is a change of state even when the set is empty.
	bNull, aNull := bok && b == nil, aok && a == nil
	if bNull != aNull && (bok && aok) {
		c.Old, c.New = nullWord(bNull), nullWord(aNull)
	}
	if c.IsItems() || c.Old != c.New {
		if field == "" && c.Field == "" {
			c.Field = "Permissions"
		}
		*out = append(*out, c)
	}
}

func nullWord(null bool) string {
	if null {
		return "not set (inherited)"
	}
	return "set"
}

// setItems words a set: "Customers: view", then flags by their UI label.
func setItems(s access.Set) []string {
	var out []string
	for _, m := range access.Modules() {
		for _, a := range m.Actions {
			if s.Has(m.ID, a) {
				out = append(out, m.Label+": "+m.ActionKey(a))
			}
		}
	}
	for _, k := range s.FlagKeys() {
		if f, ok := access.FlagByFullKey(k); ok {
			out = append(out, f.Label)
		}
	}
	return out
}

func scalarList(v any, ok bool) ([]string, bool) {
	if !ok || v == nil {
		return nil, true
	}
	l, isList := v.([]any)
	if !isList {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		switch x.(type) {
		case map[string]any, []any:
			return nil, false
		}
		out = append(out, show(x, true))
	}
	return out, true
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// keys is the sorted union of a's and b's keys.
func keys(a, b map[string]any) []string {
	u := make(map[string]any, len(a)+len(b))
	maps.Copy(u, a)
	maps.Copy(u, b)
	return slices.Sorted(maps.Keys(u))
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// show renders a value for "old → new".
func show(v any, ok bool) string {
	if !ok {
		return "—"
	}
	switch x := v.(type) {
	case nil:
		return "none"
	case string:
		if x == "" {
			return `""`
		}
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

var fieldLabels = map[string]string{
	"custom":      "Individual permissions",
	"permissions": "Permissions",
	"groups":      "Groups",
	"role":        "Role",
	"status":      "Status",
	"name":        "Name",
	"email":       "Email",
	"description": "Description",
	"products":    "Products",
	"seats":       "Seats",
	"slug":        "Subdomain",
	// customers (ARCHITECTURE.md, Fields)
	"tax_id":         "Tax ID",
	"credit_limit":   "Credit limit",
	"internal_notes": "Internal notes",
	"assigned_to":    "Assigned to",
	"team":           "Team",
}

// label words a field path: "custom" → "Individual permissions".
func label(field string) string {
	if field == "" {
		return ""
	}
	parts := strings.Split(field, ".")
	for i, p := range parts {
		if l, ok := fieldLabels[p]; ok {
			parts[i] = l
			continue
		}
		p = strings.ReplaceAll(p, "_", " ")
		if p != "" {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		parts[i] = p
	}
	return strings.Join(parts, " › ")
}
