// Package memberperms is a member's permissions page
// (/o/{slug}/settings/members/{id}/permissions): the "Role & groups" tab
// (role template, groups, the layer that decides) and the "Individual
// permission" tab (the switch, the grid and a live preview of a save).
package memberperms

import (
	"fmt"
	"strconv"
	"strings"

	"gatehouse/views/components"
	"gatehouse/views/permgrid"
	"gatehouse/views/preview"
)

// Tabs, as in ?tab=.
const (
	TabRole       = "role"
	TabIndividual = "individual"
)

// GoldenRule is stated on an owner's page (ARCHITECTURE.md, Catalog).
const GoldenRule = "Owners always have every permission; individual permissions and groups never restrict an owner."

// Props is the page.
type Props struct {
	Slug    string
	CSRF    string
	OrgName string
	Member  Member
	Tab     string // TabRole or TabIndividual
	Warning string // e.g. an unknown ?tab= value, named
	// CanEdit: the actor holds members_edit.
	CanEdit bool
	// Locked says why the actor may not change this member although they
	// hold members_edit (the member holds permissions they lack).
	Locked string
	// Fallback says why the actor may not return the member to inherited
	// permissions: what would then decide grants more than they hold.
	Fallback string
	// Owner: the member is an owner; the page is read-only (golden rule).
	Owner    bool
	Deciding Deciding
	// RoleGrid is the role template, read-only.
	RoleGrid permgrid.Props
	Groups   []GroupOption // editable: every group; else the member's
	Custom   bool          // individual permissions are on
	// Current is what the member has now, read-only (switch off, owner).
	Current permgrid.Props
	// Grid is the individual set; editable when Editable().
	Grid      permgrid.Props
	GridError string        // the submitted grid could not be read
	Preview   preview.Props // what saving the grid would change (views/preview)
	Notice    string
	Error     string
}

// Member is whose permissions these are.
type Member = components.Person

// Deciding is the layer that decides the member's permissions now.
type Deciding struct {
	Layer    string // owner, custom, groups, role
	Headline string
	Notes    []string
	Summary  string // accessible modules, "Dashboard, Customers and Pipelines"
	// Fields are their levels on the fields of the modules they can use,
	// each with what grants it (access.Explanation.FieldText).
	Fields []components.FieldLine
}

// GroupOption is one group checkbox.
type GroupOption struct {
	ID       int64
	Name     string
	Checked  bool
	Disabled bool
	Note     string
}

// Editable reports whether the actor may change this member's permissions here.
func (p Props) Editable() bool { return p.CanEdit && p.Locked == "" && !p.Owner }

// PageURL is the page; TabURL one of its tabs.
func PageURL(slug string, id int64) string {
	return "/o/" + slug + "/settings/members/" + strconv.FormatInt(id, 10) + "/permissions"
}

// TabURL is the page on one tab.
func TabURL(slug string, id int64, tab string) string { return PageURL(slug, id) + "?tab=" + tab }

func (p Props) url(suffix string) string { return PageURL(p.Slug, p.Member.ID) + suffix }
func (p Props) tabURL(tab string) string { return TabURL(p.Slug, p.Member.ID, tab) }
func (p Props) memberURL() string {
	return "/o/" + p.Slug + "/settings/members/" + strconv.FormatInt(p.Member.ID, 10)
}
func (p Props) membersURL() string { return "/o/" + p.Slug + "/settings/members" }

func onOff(on bool) string {
	if on {
		return "true"
	}
	return "false"
}

// DecidingText words the layer that decides a member's permissions, in the
// third person, for an administrator.
func DecidingText(layer, role string, groups []string, suspended bool) (string, []string) {
	var h string
	var notes []string
	switch layer {
	case "owner":
		h = "Owner: every permission of this organization."
		notes = append(notes, GoldenRule)
		if len(groups) > 0 {
			notes = append(notes, "Their "+groupsPhrase(groups)+" and any individual permissions are kept, and used again only if they stop being owner.")
		}
	case "custom":
		h = "Individual permissions decide."
		if len(groups) > 0 {
			notes = append(notes, "Their "+groupsPhrase(groups)+" and the role template ("+components.RoleLabel(role)+") are not used while individual permissions are on.")
		} else {
			notes = append(notes, "The role template ("+components.RoleLabel(role)+") is not used while individual permissions are on.")
		}
	case "groups":
		if len(groups) == 1 {
			h = "Their group decides: " + groups[0] + "."
		} else {
			h = "Their groups decide: everything granted by " + joinAnd(groups) + "."
		}
		notes = append(notes, "The role template ("+components.RoleLabel(role)+") is not used while they are in a group.")
	case "role":
		h = "The role template decides: " + components.RoleLabel(role) + "."
		notes = append(notes, "They are in no group and have no individual permissions.")
	}
	if suspended {
		notes = append(notes, "Their access is suspended: they can use nothing in this organization until it is re-enabled. This is what they get back then.")
	}
	return h, notes
}

// OverridesText says what an individual set replaces ("" for an owner).
func OverridesText(role string, groups []string) string {
	switch len(groups) {
	case 0:
		return "Individual permissions will replace the role template (" + components.RoleLabel(role) + ")."
	case 1:
		return "Individual permissions will replace what 1 group grants: " + groups[0] + "."
	}
	return fmt.Sprintf("Individual permissions will replace what %d groups grant: %s.", len(groups), strings.Join(groups, ", "))
}

func groupsPhrase(groups []string) string {
	if len(groups) == 1 {
		return "group " + groups[0]
	}
	return strconv.Itoa(len(groups)) + " groups (" + strings.Join(groups, ", ") + ")"
}

func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func (p Props) disableConfirm() string {
	return "Return " + p.Member.DisplayName() + " to inherited permissions? Their individual permissions are deleted and their groups or role template decide again from their next request."
}

func (p Props) memberGroupNames() []string {
	var out []string
	for _, g := range p.Groups {
		if g.Checked {
			out = append(out, g.Name)
		}
	}
	return out
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// PreviewID is the individual tab's preview panel.
const PreviewID = "mp-preview"

// PreviewURL is where the grid posts for its preview.
func PreviewURL(slug string, id int64) string { return PageURL(slug, id) + "/preview" }
