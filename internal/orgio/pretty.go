package orgio

import (
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSON writes v as JSON for people: two-space indentation, but an
// object or array holding only plain values stays on one line when short
// (`"actions": ["view", "edit"]`), so permission sets read like the design's
// examples and diff well. Output ends with a newline and is deterministic.
func WriteJSON(w io.Writer, v any) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	dec := json.NewDecoder(&compact)
	dec.UseNumber()
	root, err := readNode(dec)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	root.write(&out, "")
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// inlineWidth is the longest container written on one line.
const inlineWidth = 72

type jnode struct {
	open byte     // '{' or '[' for containers, 0 for a plain value
	text string   // a plain value's JSON text
	keys []string // object keys, JSON-encoded
	kids []*jnode
}

func readNode(dec *json.Decoder) (*jnode, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'), json.Delim('['):
		n := &jnode{open: byte(t.(json.Delim))}
		for dec.More() {
			if n.open == '{' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, quote(k.(string)))
			}
			kid, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, kid)
		}
		if _, err := dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
		return n, nil
	}
	switch v := t.(type) {
	case string:
		return &jnode{text: quote(v)}, nil
	case json.Number:
		return &jnode{text: v.String()}, nil
	case bool:
		if v {
			return &jnode{text: "true"}, nil
		}
		return &jnode{text: "false"}, nil
	}
	return &jnode{text: "null"}, nil
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return string(bytes.TrimRight(b.Bytes(), "\n"))
}

func (n *jnode) closer() byte {
	if n.open == '{' {
		return '}'
	}
	return ']'
}

// inline renders a container of plain values on one line, or "" when it
// holds a container or would be too long.
func (n *jnode) inline() string {
	var b bytes.Buffer
	b.WriteByte(n.open)
	for i, k := range n.kids {
		if k.open != 0 && len(k.kids) > 0 {
			return ""
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if n.open == '{' {
			b.WriteString(n.keys[i])
			b.WriteString(": ")
		}
		if k.open != 0 {
			b.WriteByte(k.open)
			b.WriteByte(k.closer())
		} else {
			b.WriteString(k.text)
		}
	}
	b.WriteByte(n.closer())
	if b.Len() > inlineWidth {
		return ""
	}
	return b.String()
}

func (n *jnode) write(b *bytes.Buffer, indent string) {
	if n.open == 0 {
		b.WriteString(n.text)
		return
	}
	if s := n.inline(); s != "" {
		b.WriteString(s)
		return
	}
	inner := indent + "  "
	b.WriteByte(n.open)
	for i, k := range n.kids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		b.WriteString(inner)
		if n.open == '{' {
			b.WriteString(n.keys[i])
			b.WriteString(": ")
		}
		k.write(b, inner)
	}
	b.WriteByte('\n')
	b.WriteString(indent)
	b.WriteByte(n.closer())
}
