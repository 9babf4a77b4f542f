// Package mypermissions holds "My Permissions" (/o/{slug}/me/permissions):
// the layer that decides a member's access, in words, and every module of
// the organization's products with its actions and flags and what grants each.
package mypermissions

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/views/components"
)

// Props is the page.
type Props struct {
	OrgName  string
	Slug     string
	Role     string
	Layer    string // owner, custom, groups, role
	Headline string
	Notes    []string
	// Scopes is the member's data scope on each scoped module they can
	// open; Teams their service teams ("EMEA (lead)"), by name.
	Scopes   []components.ScopeLine
	Teams    []string
	Products []Product
}

// Product is one of the organization's products with its modules.
type Product struct {
	Key, Label string
	Modules    []Module // accessible modules, catalog order
	NoAccess   []string // labels of the product's modules without view
}

// Module is an accessible module: its actions and flags.
type Module struct {
	Key, Label string
	Actions    []Action // all five, in order; Offered false where the module lacks it
	Own        []Action // the module's own actions ("reply"), in declaration order
	Flags      []Flag
	Fields     []components.FieldLine // the module's fields with the member's level and its source
}

func (m Module) hasExtras() bool { return len(m.Flags) > 0 || len(m.Own) > 0 }

// Action is one cell of the table.
type Action struct {
	Name    string // "view"; an own action's key ("reply")
	Label   string // "View", "Reply"
	Perm    string // "customers_view"
	Offered bool
	Granted bool
	Sources []Source
}

// Flag is a scope flag of an accessible module.
type Flag struct {
	Key, Label string
	On         bool
	Sources    []Source
}

// Source is what grants a permission, in words.
type Source struct {
	Kind  string // "group", "individual", "role", "owner"
	Label string // "Sales Team", "individual", "role template (Agent)", "owner"
}

// SourceOf turns an engine source ("group:Sales Team", "custom",
// "role:agent", "owner") into words.
func SourceOf(s string) Source {
	switch {
	case s == "owner":
		return Source{Kind: "owner", Label: "owner"}
	case s == "custom":
		return Source{Kind: "individual", Label: "individual"}
	case strings.HasPrefix(s, "role:"):
		return Source{Kind: "role", Label: "role template (" + components.RoleLabel(strings.TrimPrefix(s, "role:")) + ")"}
	case strings.HasPrefix(s, "group:"):
		return Source{Kind: "group", Label: strings.TrimPrefix(s, "group:")}
	}
	return Source{Kind: "other", Label: s}
}

// Explain words the deciding layer: a headline and notes on what it overrides.
func Explain(layer, role string, groups []string, customEmpty bool) (string, []string) {
	var notes []string
	switch layer {
	case "owner":
		if len(groups) > 0 {
			notes = append(notes, "Your "+groupsPhrase(groups)+" and any individual permissions are kept, but not used while you are owner.")
		}
		return "You are the owner: you have every permission of this organization.", notes
	case "custom":
		h := "Your individual permissions apply"
		switch len(groups) {
		case 0:
			h += "."
		case 1:
			h += "; your group " + groups[0] + " is not used."
		default:
			h += "; your " + strconv.Itoa(len(groups)) + " groups are not used."
		}
		if customEmpty {
			notes = append(notes, "They grant no module at all: ask an administrator if you need access.")
		}
		return h, notes
	case "groups":
		if len(groups) == 1 {
			return "Your permissions come from your group: " + groups[0] + ".", nil
		}
		return "Your permissions come from your groups: " + strings.Join(groups, ", ") + ".", nil
	case "role":
		return "Your permissions come from your role template: " + components.RoleLabel(role) + ".",
			[]string{"You are in no group and have no individual permissions, so your role decides."}
	case "suspended":
		return "Your access to this organization is suspended.", nil
	}
	return "", nil
}

func groupsPhrase(groups []string) string {
	if len(groups) == 1 {
		return "group " + groups[0]
	}
	return strconv.Itoa(len(groups)) + " groups"
}

// JSONURL is the download of the same data as `gatehouse access`.
func (p Props) JSONURL() string { return "/o/" + p.Slug + "/me/permissions.json" }

func (p Props) jsonFile() string { return p.Slug + "-permissions.json" }

func actionHeaders() []string { return []string{"View", "Create", "Edit", "Delete", "Export"} }

// sourceSpans writes lists of sources. Each source's markup is built once
// per page: a page shows the same few sources (the member's groups) across
// dozens of cells, and rendering every span of every cell through templ was
// most of the page's cost.
type sourceSpans map[Source]string

// list is the sources of one cell or flag, as templ's sources would write them.
func (sp sourceSpans) list(ss []Source) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, `<span class="perm-source">`); err != nil {
			return err
		}
		for i, s := range ss {
			if i > 0 {
				if _, err := io.WriteString(w, ", "); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, sp.span(s)); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, `</span>`)
		return err
	})
}

func (sp sourceSpans) span(s Source) string {
	h, ok := sp[s]
	if !ok {
		h = ` <span class="` + templ.EscapeString(sourceClass(s)) + `">` + templ.EscapeString(s.Label) + `</span>`
		sp[s] = h
	}
	return h
}

func sourceClass(s Source) string { return "perm-src perm-src-" + s.Kind }

func yesNo(on bool) string {
	if on {
		return "Yes"
	}
	return "No"
}
