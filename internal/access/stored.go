package access

import "strings"

// DecodeStored decodes a set in the exact form MarshalJSON writes, which is
// how the store keeps it, without the token-stream decoder (tens of
// microseconds per set). ok is false for any other text; the caller then
// uses DecodeSet, which also explains what is wrong. The result is checked
// by encoding it again: it is the set only if that gives the same bytes,
// so the fast path can never disagree with the strict decoder.
func DecodeStored(raw string) (s Set, ok bool) {
	p := storedParser{rest: raw}
	if !p.lit("{") {
		return Set{}, false
	}
	for n := 0; !p.lit("}"); n++ {
		if n > 0 && !p.lit(",") {
			return Set{}, false
		}
		id, known := moduleByKey[p.str()]
		if !known || !p.lit(`:{"actions":[`) {
			return Set{}, false
		}
		m := modules[id]
		for n := 0; !p.lit("]"); n++ {
			if n > 0 && !p.lit(",") {
				return Set{}, false
			}
			a, known := m.ParseAction(p.str())
			if !known || !m.Offers(a) {
				return Set{}, false
			}
			s.Grant(m.ID, a)
		}
		if len(m.Flags) > 0 {
			if !p.lit(`,"flags":{`) {
				return Set{}, false
			}
			for i, f := range m.Flags { // every flag, in catalog order
				if (i > 0 && !p.lit(",")) || p.str() != f.Key || !p.lit(":") {
					return Set{}, false
				}
				switch {
				case p.lit("true"):
					s.SetFlag(f.ID, true)
				case !p.lit("false"):
					return Set{}, false
				}
			}
			if !p.lit("}") {
				return Set{}, false
			}
		}
		if p.lit(`,"fields":{`) {
			for n := 0; !p.lit("}"); n++ {
				if n > 0 && !p.lit(",") {
					return Set{}, false
				}
				k := p.str()
				if !p.lit(":") {
					return Set{}, false
				}
				l, known := ParseLevel(p.str())
				if !known || !s.SetFieldLevel(m.ID, k, l) || p.failed {
					return Set{}, false
				}
			}
		}
		if !p.lit("}") || p.failed {
			return Set{}, false
		}
	}
	if p.rest != "" || p.failed {
		return Set{}, false
	}
	if enc, _ := s.MarshalJSON(); string(enc) != raw {
		return Set{}, false
	}
	return s, true
}

// storedParser reads the few shapes of the stored form; keys and action
// names are plain identifiers, so a string with a backslash is refused.
type storedParser struct {
	rest   string
	failed bool
}

func (p *storedParser) lit(want string) bool {
	if strings.HasPrefix(p.rest, want) {
		p.rest = p.rest[len(want):]
		return true
	}
	return false
}

// str reads a quoted string without escapes; "" and failed on anything else.
func (p *storedParser) str() string {
	if !p.lit(`"`) {
		p.failed = true
		return ""
	}
	i := strings.IndexByte(p.rest, '"')
	if i < 0 || strings.IndexByte(p.rest[:i], '\\') >= 0 {
		p.failed = true
		return ""
	}
	v := p.rest[:i]
	p.rest = p.rest[i+1:]
	return v
}
