// Package groups holds the permission groups screens: the list, the
// create/edit form with its permission grid, and the group's members.
package groups

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/permgrid"
	"gatehouse/views/preview"
)

// ListProps is the groups list.
type ListProps struct {
	Slug      string
	Groups    []domain.Group
	Products  access.ProductSet
	CanCreate bool
}

// FormProps is the create/edit form section.
type FormProps struct {
	Slug        string
	CSRF        string
	GroupID     int64 // 0: a new group
	Name        string
	Description string
	Predefined  bool
	CanEdit     bool
	Errors      map[string]string // "name", "description", "perm", "form"
	Success     string
	Grid        permgrid.Props
	Preview     preview.Props // the effect of the grid's edits (an existing group, editable)
	// SyncSalt is mixed into SyncToken: the server's, new at each start,
	// so a form rendered by an earlier build never passes for current.
	SyncSalt string
}

// SyncField is the form field carrying FormProps.SyncToken.
const SyncField = "form_sync"

// SyncToken names the form as rendered, apart from what a user edits (the
// name, the description, the ticks) and its status line. A save that posts
// it back, and whose saved form has the same token and exactly the values
// posted, can be answered with the status line alone (StatusUpdate): the
// form already shows what a full answer would. "" for a form that must be
// rendered whole after a save: a new group, a read-only form, or one
// showing errors or messages.
func (f FormProps) SyncToken() string {
	layout := f.Grid.Layout()
	if !f.CanEdit || f.GroupID == 0 || len(f.Errors) > 0 || layout == "" || f.SyncSalt == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00%s", f.SyncSalt, f.Slug, f.CSRF, f.GroupID, layout)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MembersProps is the members section of a group's page.
type MembersProps struct {
	Slug        string
	CSRF        string
	GroupID     int64
	GroupName   string
	Members     []store.GroupMember // the first ones, by name
	Total       int                 // how many members the group has
	MembersHref string              // the member list filtered by this group ("" without members_view)
	CanEdit     bool                // groups_edit: add and remove
	AddBlocked  string              // why adding is refused for this actor ("" = allowed)
	Actor       access.Effective    // whose rule decides who may change a member's groups
	Query       string
	Searched    bool
	Candidates  []store.GroupMember
	Effects     map[int64]string // per candidate: what adding them would change (the layer rule when it bites)
	Error       string
	Success     string
}

// DetailProps is a group's page.
type DetailProps struct {
	Name        string // the stored name (the form may hold an edited one)
	Form        FormProps
	Members     MembersProps
	MemberCount int
	CanReset    bool
	CanDelete   bool
	Error       string // a refused reset or delete
}

func groupsURL(slug string) string { return "/o/" + slug + "/settings/groups" }

func groupURL(slug string, id int64) string {
	return groupsURL(slug) + "/" + strconv.FormatInt(id, 10)
}

func (f FormProps) action() string {
	if f.GroupID == 0 {
		return groupsURL(f.Slug)
	}
	return groupURL(f.Slug, f.GroupID)
}

func (m MembersProps) url(suffix string) string { return groupURL(m.Slug, m.GroupID) + suffix }

func (m MembersProps) confirmURL(mid int64) string {
	return m.url("/members/" + strconv.FormatInt(mid, 10) + "/preview")
}

// RemovePreviewID is the panel of the confirm step of a removal.
const RemovePreviewID = "group-remove-preview"

// RemoveConfirmProps is the confirm step of removing a member: what it
// changes for them, then the button (none when Blocked says why not).
type RemoveConfirmProps struct {
	Slug, CSRF   string
	GroupID      int64
	GroupName    string
	MembershipID int64
	Name         string
	Preview      preview.Props
	Blocked      string
}

func (p RemoveConfirmProps) removeURL() string {
	return MembersProps{Slug: p.Slug, GroupID: p.GroupID}.removeURL(p.MembershipID)
}

func (m MembersProps) removeURL(mid int64) string {
	return m.url("/members/" + strconv.FormatInt(mid, 10) + "/remove")
}

// canRemove: the services' owner rule (only an owner changes an owner's groups).
func (m MembersProps) canRemove(gm store.GroupMember) bool {
	return m.CanEdit && !membership.OwnersOnly(m.Actor, gm.Role)
}

func (m MembersProps) canAdd(gm store.GroupMember) bool {
	return m.CanEdit && m.AddBlocked == "" && !membership.OwnersOnly(m.Actor, gm.Role)
}

// DeleteConfirm is the question asked before deleting a group.
func DeleteConfirm(name string, members int) string {
	switch members {
	case 0:
		return fmt.Sprintf("Delete %s? It has no members.", name)
	case 1:
		return fmt.Sprintf("Delete %s? 1 member loses the permissions it grants.", name)
	}
	return fmt.Sprintf("Delete %s? %d members lose the permissions it grants.", name, members)
}

// ResetConfirm is the question asked before resetting a predefined group.
func ResetConfirm(name string) string {
	return fmt.Sprintf("Reset the permissions of %s to their default? Changes made to them are lost.", name)
}

func memberCount(n int) string {
	if n == 1 {
		return "1 member"
	}
	return strconv.Itoa(n) + " members"
}

func (d DetailProps) subtitle() string {
	s := memberCount(d.MemberCount)
	if d.Form.Predefined {
		s += " · predefined group: editable and resettable, never deleted"
	}
	return s
}

func field(errs map[string]string, k string) string { return errs[k] }

// PreviewID is the group form's preview panel.
const PreviewID = "group-preview"

// PreviewURL is where the group form posts its grid for the preview.
func PreviewURL(slug string, id int64) string { return groupURL(slug, id) + "/preview" }

// IdlePreview is the panel before any edit: it costs no reading of the
// group's members.
func IdlePreview(slug string, g domain.Group) preview.Props {
	return preview.Props{ID: PreviewID, URL: PreviewURL(slug, g.ID),
		Pending: "No changes yet: tick or untick a box to see what saving would change for the members of " + g.Name + "."}
}
