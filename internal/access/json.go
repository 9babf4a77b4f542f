package access

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// FieldError is one problem in an input document, located by a JSON path
// such as `groups[2].permissions.customers.actions[1]`.
type FieldError struct {
	Path    string
	Message string
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// MarshalJSON writes the contract shape (ARCHITECTURE.md, Contracts):
//
//	{"customers":{"actions":["view","edit"],"flags":{"canAccessAll":false}}}
//
// Modules come in catalog order and only when they have an action or a true
// flag; such a module lists every flag it defines, true or false, so the
// output is explicit and byte-for-byte deterministic. The empty set is {}.
func (s Set) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	first := true
	for _, m := range modules {
		if !s.Touches(m.ID) && !s.hasStatedFields(m.ID) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendKey(b, m.Key)
		b = append(b, `:{"actions":[`...)
		n := 0
		for _, a := range m.Actions {
			if s.Has(m.ID, a) {
				if n > 0 {
					b = append(b, ',')
				}
				n++
				b = appendKey(b, m.ActionKey(a))
			}
		}
		b = append(b, ']')
		if len(m.Flags) > 0 {
			b = append(b, `,"flags":{`...)
			for i, f := range m.Flags {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendKey(b, f.Key)
				b = strconv.AppendBool(append(b, ':'), s.HasFlag(f.ID))
			}
			b = append(b, '}')
		}
		b = s.appendFields(b, m)
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// appendFields writes the stated field levels of m in declaration order,
// nothing when the set states none: exactly what is stored.
func (s *Set) appendFields(b []byte, m Module) []byte {
	n := 0
	for _, f := range m.Fields {
		l := levelAt(s.f, f.idx)
		if l == 0 {
			continue
		}
		if n == 0 {
			b = append(b, `,"fields":{`...)
		} else {
			b = append(b, ',')
		}
		n++
		b = appendKey(b, f.Key)
		b = append(b, ':', '"')
		b = append(b, l.String()...)
		b = append(b, '"')
	}
	if n > 0 {
		b = append(b, '}')
	}
	return b
}

// appendKey quotes a catalog key. Keys are plain identifiers, which need no
// escaping; strconv.AppendQuote (same bytes) is for anything else and was
// half the cost of encoding a set.
func appendKey(b []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, k)
		}
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"')
}

// UnmarshalJSON decodes strictly (see DecodeSet); all problems are joined
// into one error. JSON null leaves the set unchanged, as encoding/json does.
func (s *Set) UnmarshalJSON(raw []byte) error {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	set, errs := DecodeSet(raw, "")
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*s = set
	return nil
}

// DecodeSet decodes a permission set strictly and reports every problem as a
// FieldError whose path starts with path (e.g. "groups[2].permissions"):
// unknown module, unknown field, unknown or duplicate action, an action the
// module does not offer, unknown or duplicate flag, wrong JSON types. The
// returned Set holds the valid parts; use it only when there are no errors.
// null is an error here: callers that allow "not set" check for it first.
func DecodeSet(raw []byte, path string) (Set, []error) {
	d := &setDecoder{dec: json.NewDecoder(bytes.NewReader(raw))}
	d.dec.UseNumber()
	var s Set
	d.set(path, &s)
	if !d.broken {
		if _, err := d.dec.Token(); err != io.EOF {
			d.add(path, "unexpected data after the permission set")
		}
	}
	return s, d.errs
}

// setDecoder walks the token stream so that it can report duplicates and
// every error with its path, which json.Unmarshal into maps cannot.
type setDecoder struct {
	dec    *json.Decoder
	errs   []error
	broken bool // a syntax error ends decoding: the token stream is unusable
}

func (d *setDecoder) add(path, format string, args ...any) {
	d.errs = append(d.errs, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// token reads the next token; on a syntax error it records it and stops.
func (d *setDecoder) token(path string) (json.Token, bool) {
	if d.broken {
		return nil, false
	}
	t, err := d.dec.Token()
	if err != nil {
		d.broken = true
		if err == io.EOF {
			d.add(path, "unexpected end of JSON")
		} else {
			d.add(path, "invalid JSON: %v", err)
		}
		return nil, false
	}
	return t, true
}

// skip consumes the rest of a value whose first token was t.
func (d *setDecoder) skip(path string, t json.Token) {
	if t != json.Delim('{') && t != json.Delim('[') {
		return
	}
	for depth := 1; depth > 0; {
		t, ok := d.token(path)
		if !ok {
			return
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// open reads the opening delimiter of an object or array, or reports the
// wrong type and skips the value.
func (d *setDecoder) open(path string, want json.Delim, what string) bool {
	t, ok := d.token(path)
	if !ok {
		return false
	}
	if t != want {
		d.add(path, "expected %s, got %s", what, describe(t))
		d.skip(path, t)
		return false
	}
	return true
}

// key reads an object key, or the closing brace (done = true).
func (d *setDecoder) key(path string) (key string, done, ok bool) {
	if !d.dec.More() {
		_, ok = d.token(path) // '}'
		return "", true, ok
	}
	t, ok := d.token(path)
	if !ok {
		return "", false, false
	}
	key, isStr := t.(string) // the decoder only yields strings as keys
	if !isStr {
		d.broken = true
		d.add(path, "invalid JSON: object key is not a string")
		return "", false, false
	}
	return key, false, true
}

// object reads an object member by member: member gets each key, its path
// and whether the key came before, and must read the value. A syntax error
// ends the loop at the next key.
func (d *setDecoder) object(path, what string, member func(k, p string, dup bool)) {
	if !d.open(path, '{', what) {
		return
	}
	seen := map[string]bool{}
	for {
		k, done, ok := d.key(path)
		if done || !ok {
			return
		}
		member(k, joinPath(path, k), seen[k])
		seen[k] = true
	}
}

func (d *setDecoder) set(path string, s *Set) {
	d.object(path, "an object of modules", func(k, p string, dup bool) {
		id, known := moduleByKey[k]
		switch {
		case dup:
			d.add(p, "duplicate module %q", k)
			d.skipValue(p)
		case !known:
			d.add(p, "unknown module %q", k)
			d.skipValue(p)
		default:
			d.module(p, modules[id], s)
		}
	})
}

func (d *setDecoder) skipValue(path string) {
	if t, ok := d.token(path); ok {
		d.skip(path, t)
	}
}

func (d *setDecoder) module(path string, m Module, s *Set) {
	d.object(path, `an object with "actions" and "flags"`, func(k, p string, dup bool) {
		switch {
		case dup:
			d.add(p, "duplicate field %q", k)
			d.skipValue(p)
		case k == "actions":
			d.actions(p, m, s)
		case k == "flags":
			d.flags(p, m, s)
		case k == "fields":
			d.fields(p, m, s)
		default:
			d.add(p, "unknown field %q (expected \"actions\", \"flags\" or \"fields\")", k)
			d.skipValue(p)
		}
	})
}

func (d *setDecoder) actions(path string, m Module, s *Set) {
	if !d.open(path, '[', "an array of actions") {
		return
	}
	seen := map[Action]bool{}
	for i := 0; ; i++ {
		p := path + "[" + strconv.Itoa(i) + "]"
		t, ok := d.token(p)
		if !ok || t == json.Delim(']') {
			return
		}
		name, isStr := t.(string)
		if !isStr {
			d.add(p, "expected an action name, got %s", describe(t))
			d.skip(p, t)
			continue
		}
		a, known := m.ParseAction(name)
		switch {
		case !known:
			d.add(p, "unknown action %q", name)
		case !m.Offers(a):
			d.add(p, "module %q does not offer action %q (it offers %s)", m.Key, name, actionList(m))
		case seen[a]:
			d.add(p, "duplicate action %q", name)
		default:
			seen[a] = true
			s.Grant(m.ID, a)
		}
	}
}

func (d *setDecoder) flags(path string, m Module, s *Set) {
	d.object(path, "an object of flags", func(k, p string, dup bool) {
		t, ok := d.token(p)
		if !ok {
			return
		}
		f, known := flagByKey[m.Key+"."+k]
		v, isBool := t.(bool)
		switch {
		case dup:
			d.add(p, "duplicate flag %q", k)
		case !known:
			d.add(p, "unknown flag %q of module %q%s", k, m.Key, flagHint(m))
		case !isBool:
			d.add(p, "expected true or false, got %s", describe(t))
		default:
			s.SetFlag(f, v)
		}
		d.skip(p, t)
	})
}

func (d *setDecoder) fields(path string, m Module, s *Set) {
	d.object(path, "an object of field levels", func(k, p string, dup bool) {
		t, ok := d.token(p)
		if !ok {
			return
		}
		v, isStr := t.(string)
		l, known := ParseLevel(v)
		_, isField := fieldOf(m.ID, k)
		switch {
		case dup:
			d.add(p, "duplicate field %q", k)
		case !isField:
			d.add(p, "unknown field %q of module %q%s", k, m.Key, fieldHint(m))
		case !isStr || !known:
			d.add(p, `expected "hidden", "read" or "edit", got %s`, describeValue(t))
		default:
			s.SetFieldLevel(m.ID, k, l)
		}
		d.skip(p, t)
	})
}

// describeValue is describe, quoting a string's value (a wrong level).
func describeValue(t json.Token) string {
	if v, ok := t.(string); ok {
		return strconv.Quote(v)
	}
	return describe(t)
}

func fieldHint(m Module) string {
	keys := make([]string, len(m.Fields))
	for i, f := range m.Fields {
		keys[i] = f.Key
	}
	return keyHint("fields", keys)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		if v == '[' {
			return "an array"
		}
		return strconv.Quote(v.String())
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}

func actionList(m Module) string {
	var b []byte
	for i, a := range m.Actions {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, m.ActionKey(a)...)
	}
	return string(b)
}

func flagHint(m Module) string {
	keys := make([]string, len(m.Flags))
	for i, f := range m.Flags {
		keys[i] = f.Key
	}
	return keyHint("flags", keys)
}

// keyHint lists a module's keys of one kind for an error: " (it has a, b)".
func keyHint(kind string, keys []string) string {
	if len(keys) == 0 {
		return " (it has no " + kind + ")"
	}
	return " (it has " + strings.Join(keys, ", ") + ")"
}
