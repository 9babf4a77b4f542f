package main

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// The load generator reads the real pages to find what to post and where
// to go, so scenarios follow the application's forms and links as they are
// rather than guessing field names.

// Field is one form control.
type Field struct {
	Name, Type, Value string
	Checked, Disabled bool
	NoValue           bool // no value attribute: a checked box sends "on" (value="" sends "")
}

// Form is an HTML form as a browser would submit it.
type Form struct {
	Action, Method string
	Fields         []Field
}

// Values is what submitting the form sends: checked boxes and radios only,
// no buttons, no disabled controls.
func (f Form) Values() url.Values {
	v := url.Values{}
	for _, fl := range f.Fields {
		if fl.Name == "" || fl.Disabled {
			continue
		}
		switch fl.Type {
		case "checkbox", "radio":
			if fl.Checked {
				v.Add(fl.Name, orOn(fl))
			}
		case "submit", "button", "reset", "image", "file":
		default:
			v.Add(fl.Name, fl.Value)
		}
	}
	return v
}

func orOn(fl Field) string {
	if fl.NoValue {
		return "on"
	}
	return fl.Value
}

// Link is an anchor.
type Link struct{ Href, Rel, Text string }

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// ParsePage returns a page's forms and links.
func ParsePage(body []byte) (forms []Form, links []Link) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, nil
	}
	var cur *Form
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				action, _ := attr(n, "action")
				method, _ := attr(n, "method")
				forms = append(forms, Form{Action: action, Method: strings.ToLower(method)})
				cur = &forms[len(forms)-1] // HTML forms do not nest
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				cur = nil
				return
			case "a":
				href, _ := attr(n, "href")
				rel, _ := attr(n, "rel")
				links = append(links, Link{Href: href, Rel: rel, Text: textOf(n)})
			case "input", "textarea", "select", "button":
				if cur != nil {
					cur.Fields = append(cur.Fields, control(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return forms, links
}

func control(n *html.Node) Field {
	f := Field{}
	f.Name, _ = attr(n, "name")
	_, f.Disabled = attr(n, "disabled")
	switch n.Data {
	case "textarea":
		f.Type = "textarea"
		if c := n.FirstChild; c != nil && c.Type == html.TextNode {
			f.Value = c.Data // as typed: a save must not reflow the description
		}
	case "select":
		f.Type = "select"
		first := true
		var walk func(*html.Node)
		walk = func(o *html.Node) {
			if o.Type == html.ElementNode && o.Data == "option" {
				v, ok := attr(o, "value")
				if !ok {
					v = textOf(o)
				}
				if _, sel := attr(o, "selected"); sel || first {
					f.Value = v
				}
				first = false
			}
			for c := o.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
	case "button":
		f.Type = "button"
		if t, _ := attr(n, "type"); t == "" || t == "submit" {
			f.Type = "submit"
		}
	default:
		t, _ := attr(n, "type")
		f.Type = strings.ToLower(t)
		if f.Type == "" {
			f.Type = "text"
		}
		var has bool
		f.Value, has = attr(n, "value")
		f.NoValue = !has
		_, f.Checked = attr(n, "checked")
	}
	return f
}

// FindForm returns the POST form whose action is path (ignoring a query).
func FindForm(forms []Form, path string) (Form, bool) {
	for _, f := range forms {
		a, _, _ := strings.Cut(f.Action, "?")
		if f.Method == "post" && a == path {
			return f, true
		}
	}
	return Form{}, false
}
