// Package members holds the members screens: the list with seat usage and
// pending invitations, the invite and bulk-invite forms, a member's page
// (role, groups, access, sessions) and the public invitation page.
package members

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/components"
	"gatehouse/views/preview"
)

// Filter is the list's query string: search, filters and sort.
type Filter struct {
	Q       string
	Role    string
	Status  string
	GroupID int64
	TeamID  int64
	Sort    string // "name" (default), "email", "role", "active"
	Desc    bool
}

// Values is the filter as URL parameters (defaults left out).
func (f Filter) Values() url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Role != "" {
		v.Set("role", f.Role)
	}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.GroupID != 0 {
		v.Set("group", strconv.FormatInt(f.GroupID, 10))
	}
	if f.TeamID != 0 {
		v.Set("team", strconv.FormatInt(f.TeamID, 10))
	}
	if f.Sort != "" && f.Sort != "name" {
		v.Set("sort", f.Sort)
	}
	if f.Desc != DefaultDesc(f.Sort) {
		v.Set("dir", map[bool]string{true: "desc", false: "asc"}[f.Desc])
	}
	return v
}

// DefaultDesc: "last active" lists the most recent first, the rest A→Z.
func DefaultDesc(sort string) bool { return sort == "active" }

// Row is one member in the list.
type Row struct {
	components.Person
	Groups     []string
	Teams      []string  // "EMEA (lead)", by name
	LastActive time.Time // zero: never

	view rowView // what the row writes, when built by RowFor
}

// Invite is one pending (or expired) invitation.
type Invite struct {
	ID      int64
	Email   string
	Role    string
	Groups  []string
	Inviter string // "" when their account is gone
	Expires time.Time
	Expired bool
}

// Option is one choice of a select or checkbox list.
type Option struct {
	Value    string
	Label    string
	Checked  bool
	Disabled bool   // shown but not selectable (above the actor's permissions)
	Note     string // why it is disabled, or a hint
}

// ListProps is the members page.
type ListProps struct {
	Slug      string
	CSRF      string
	Filter    Filter
	Rows      []Row
	Total     int
	AtLeast   bool // Total is a lower bound ("1,000+")
	From, To  int  // positions of the first and last row shown
	PrevURL   string
	NextURL   string
	FirstURL  string
	LastURL   string
	Seats     store.Seats
	Roles     []Option // role filter
	Groups    []Option // group filter
	Teams     []Option // team filter (none: the organization has no teams)
	Invites   InvitesProps
	CanInvite bool
	ExportURL string // the CSV of this filter (members_export only)
	// BulkURL is where the selection's bulk actions post (members_edit only);
	// CanRemove offers removal among them (members_delete).
	BulkURL    string
	CanRemove  bool
	BulkGroups []Option     // the groups to add to or remove from (groups_edit)
	Warning    string       // an ignored filter
	Bulk       *BulkOutcome // what the bulk action just posted did (htmx)
	Now        time.Time
	FilterUsed bool

	// RowsHTML, when set, is the table's rows already rendered
	// (RowsMarkup, kept with the list page's data); when empty, Rows are
	// rendered here.
	RowsHTML string

	// GroupOptions is the group filter's options already rendered
	// (GroupOption of each group, cached per permission version); when
	// set, Groups is not used.
	GroupOptions string
	// TeamOptions and BulkGroupOptions are the team filter's and the bulk
	// bar's group options already rendered the same way; when set, Teams and
	// BulkGroups are not used.
	TeamOptions, BulkGroupOptions string
}

// HasTeams reports whether the team filter is shown (the organization has teams).
func (p ListProps) HasTeams() bool { return len(p.Teams) > 0 || p.TeamOptions != "" }

// HasBulkGroups reports whether the bulk bar offers group actions.
func (p ListProps) HasBulkGroups() bool { return len(p.BulkGroups) > 0 || p.BulkGroupOptions != "" }

// InvitesProps is the pending invitations section (swapped by htmx).
type InvitesProps struct {
	Slug      string
	CSRF      string
	Invites   []Invite
	CanManage bool   // members_create: resend and revoke
	Search    string // the list's search, which filters these too
	OOB       bool   // swapped out of band, beside the list's results
	Notice    string
	Error     string
	Refused   []Refusal // a bulk resend's invitations left alone, and why
	Now       time.Time
}

// BulkOutcome is a bulk action's result beside the bulk bar: what changed,
// and each member left alone with the reason; or why nothing was done.
type BulkOutcome struct {
	Notice  string
	Error   string
	Refused []Refusal
}

// BulkResultID is the bulk action's result panel.
const BulkResultID = "members-bulk-result"

// Refusal is one member or invitation a bulk action left alone, and why.
type Refusal struct {
	Who    string
	Reason string
}

// ResendPreview is what a bulk resend would do, before it is confirmed.
type ResendPreview struct {
	Resent  int       // invitations that get a new link
	Renewed int       // of Resent, expired ones that take a seat again
	Expires time.Time // the new links' expiry
	Free    int       // seats free once it is done
	Refused []Refusal
}

// InvitesBulkID is the invitations' bulk form; InvitesPreviewID its preview panel.
const (
	InvitesBulkID    = "invites-bulk"
	InvitesPreviewID = "invites-bulk-preview"
)

// InviteForm is the invite page.
type InviteForm struct {
	Slug      string
	CSRF      string
	Email     string
	Name      string
	Role      string
	Roles     []Option
	Groups    []Option
	Errors    map[string]string // "email", "name", "role", "groups", "form"
	Seats     store.Seats
	CanCreate bool
	Preview   preview.Props // what the chosen role and groups give
}

// InvitePreviewID is the invite form's preview panel.
const InvitePreviewID = "invite-preview"

// InvitePreviewURL is where the invite form posts for its preview.
func InvitePreviewURL(slug string) string { return MembersURL(slug) + "/invite/preview" }

// BulkRow is one previewed CSV row.
type BulkRow struct {
	Line     int
	Email    string
	Name     string
	Role     string
	Groups   []string
	Problems []string
}

// BulkProps is the bulk-invite page: upload, then a preview to confirm.
// BulkFileMax bounds a bulk-invite upload (checked in the browser and on
// the server), and BulkFileTooLarge is the refusal of a larger one.
const (
	BulkFileMax      = 1 << 20
	BulkFileTooLarge = "The file is larger than 1 MB. Split it into smaller files."
)

type BulkProps struct {
	Slug    string
	CSRF    string
	CSV     string // the uploaded file, carried to the confirm step
	Rows    []BulkRow
	Preview bool
	Bad     int
	Seats   store.Seats
	Error   string
	// The values a file may use: roles (key and label) and group names.
	Roles  []Option
	Groups []string
}

// Member is the member shown on their page.
type Member struct {
	components.Person
	Joined     time.Time
	LastActive time.Time
	Custom     bool     // individual permissions set
	Groups     []string // "Supervisors (until 31 Dec 2026 14:00 UTC)" for a time-bound one
	// RoleUntil and CustomUntil word a temporary role's and the individual
	// permissions' ends ("until 31 Dec 2026 14:00 UTC, then Agent"; "": none).
	RoleUntil, CustomUntil string
	Teams                  []string // "EMEA (lead)": the service teams they are in, by name
	// Scopes is their data scope on each scoped module they can open.
	Scopes []components.ScopeLine
}

// Session is one live session of the member.
type Session struct {
	ID       string
	Browser  string
	Device   string
	IP       string
	Location string
	Created  time.Time
	LastSeen time.Time
}

// DetailProps is a member's page; Section and Error/Notice say which part
// a change was about, so the message shows next to it.
type DetailProps struct {
	Slug      string
	CSRF      string
	Member    Member
	Roles     []Option
	Groups    []Option
	Sessions  []Session
	CanEdit   bool // members_edit: role, groups, suspend, reset, sessions
	CanRemove bool // members_delete
	IsSelf    bool
	Locked    string // why the viewer may not change this membership (membership.MayTouch); "" when they may
	// SelfWhy is why a control is off for the viewer's own membership
	// (the services' self rules), by control: "suspend", "reset", "remove".
	SelfWhy map[string]string
	// RolePreview and GroupsPreview are the effect of the role and groups
	// forms' unsaved edits (editable only).
	RolePreview, GroupsPreview preview.Props
	// GrantsPreview is what the end chosen in the Time limits form does at
	// its instant (editable only).
	GrantsPreview preview.Props
	// Grants are the member's grants an end can be set on (value: the
	// grant key, "group:<id>", "custom" or "role"; Note: its end now).
	Grants  []Option
	Section string // "role", "groups", "grants", "access", "sessions"
	Error   string
	Notice  string
	Now     time.Time
}

// AcceptProps is the public invitation page.
type AcceptProps struct {
	CSRF       string
	Token      string
	OrgName    string
	Role       string
	Email      string // the invited address
	Name       string // the invitee's name as the inviter typed it; pre-fills sign-up
	Inviter    string
	Expires    time.Time
	Dead       string // why the link no longer works ("" = it does)
	SignedInAs string // "" when signed out
	Error      string
	Now        time.Time
}

// MembersURL is the list.
func MembersURL(slug string) string { return "/o/" + slug + "/settings/members" }

// MemberURL is a member's page.
func MemberURL(slug string, id int64) string {
	return MembersURL(slug) + "/" + strconv.FormatInt(id, 10)
}

func (p DetailProps) url(suffix string) string { return MemberURL(p.Slug, p.Member.ID) + suffix }

func (p DetailProps) errorFor(section string) string {
	if p.Section == section {
		return p.Error
	}
	return ""
}

func (p DetailProps) noticeFor(section string) string {
	if p.Section == section {
		return p.Notice
	}
	return ""
}

func (p DetailProps) suspended() bool { return p.Member.Status == domain.StatusSuspended }

// listURL is the list with this filter and extra parameters.
func (p ListProps) listURL(extra url.Values) string {
	v := p.Filter.Values()
	for k, vs := range extra {
		v[k] = vs
	}
	if len(v) == 0 {
		return MembersURL(p.Slug)
	}
	return MembersURL(p.Slug) + "?" + v.Encode()
}

// sortURL toggles the direction when the column is already the sort.
func (p ListProps) sortURL(col string) string {
	f := p.Filter
	cur := f.Sort
	if cur == "" {
		cur = "name"
	}
	if cur == col {
		f.Desc = !f.Desc
	} else {
		f.Sort, f.Desc = col, DefaultDesc(col)
	}
	q := ListProps{Slug: p.Slug, Filter: f}
	return q.listURL(nil)
}

// sortState is the aria-sort value of a column header.
func (p ListProps) sortState(col string) string {
	cur := p.Filter.Sort
	if cur == "" {
		cur = "name"
	}
	if cur != col {
		return "none"
	}
	if p.Filter.Desc {
		return "descending"
	}
	return "ascending"
}

func (p ListProps) sortArrow(col string) string {
	switch p.sortState(col) {
	case "ascending":
		return "↑"
	case "descending":
		return "↓"
	}
	return ""
}

func (p ListProps) showing() string {
	if p.Total == 0 || len(p.Rows) == 0 {
		return "No members match"
	}
	of := components.Thousands(p.Total)
	if p.AtLeast {
		of += "+"
	}
	return fmt.Sprintf("Showing %s–%s of %s", components.Thousands(p.From), components.Thousands(p.To), of)
}

// FilterFormID is the search and filter form (htmx names it in HX-Trigger).
const FilterFormID = "members-filter"

// BulkPreviewID is the bulk bar's preview panel (the htmx target).
const BulkPreviewID = "members-bulk-preview"

// totalText is how many members match, for "select all".
func (p ListProps) totalText() string {
	if p.AtLeast {
		return components.Thousands(p.Total) + "+"
	}
	return components.Thousands(p.Total)
}

func (p ListProps) seatsText() string {
	return fmt.Sprintf("%d of %d seats", p.Seats.Used(), p.Seats.Quota)
}

func (p ListProps) seatsDetail() string {
	s := components.Plural(p.Seats.Active, "active member", "active members")
	if p.Seats.Pending > 0 {
		s += " · " + components.Plural(p.Seats.Pending, "pending invite", "pending invites")
	}
	if p.Seats.Suspended > 0 {
		s += " · " + components.Plural(p.Seats.Suspended, "suspended member", "suspended members") + " (not counted)"
	}
	return s
}

func (p InvitesProps) resendURL(id int64) string {
	return MembersURL(p.Slug) + "/invites/" + strconv.FormatInt(id, 10) + "/resend"
}

// MaxRefusalsShown bounds the refusals a bulk result lists by name.
const MaxRefusalsShown = 100

func (p ResendPreview) summary() string {
	if p.Resent == 0 {
		return "No invitation would be resent."
	}
	return components.Plural(p.Resent, "invitation", "invitations") + " will be resent with new links valid until " +
		p.Expires.UTC().Format("2 January 2006 15:04 UTC") + "; the current links stop working."
}

func (p ResendPreview) renewedText() string {
	return components.Plural(p.Renewed, "expired invitation is renewed and takes", "expired invitations are renewed and take") + " a seat again (" +
		components.Plural(p.Free, "seat", "seats") + " free afterwards)."
}

// ResendManyURL is where the selected invitations' bulk resend posts.
func ResendManyURL(slug string) string { return MembersURL(slug) + "/invites/resend" }

func (p InvitesProps) revokeURL(id int64) string {
	return MembersURL(p.Slug) + "/invites/" + strconv.FormatInt(id, 10) + "/revoke"
}

func (f InviteForm) err(k string) string { return f.Errors[k] }

func (b BulkProps) ok() int { return len(b.Rows) - b.Bad }

func (a AcceptProps) acceptURL() string { return "/invite/" + a.Token + "/accept" }

func (a AcceptProps) signupURL() string {
	q := url.Values{"email": {a.Email}, "next": {"/invite/" + a.Token}}
	if a.Name != "" {
		q.Set("name", a.Name)
	}
	return "/signup?" + q.Encode()
}

func (a AcceptProps) loginURL() string {
	return "/login?" + url.Values{"next": {"/invite/" + a.Token}}.Encode()
}

// wrongUser: signed in, but not as the invited address.
func (a AcceptProps) wrongUser() bool {
	return a.SignedInAs != "" && !equalFold(a.SignedInAs, a.Email)
}

// Ago is a short relative time: "just now", "5 minutes ago", "3 days ago".
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "Never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "Just now"
	case d < time.Hour:
		return components.Plural(int(d/time.Minute), "minute ago", "minutes ago")
	case d < 24*time.Hour:
		return components.Plural(int(d/time.Hour), "hour ago", "hours ago")
	case d < 60*24*time.Hour:
		return components.Plural(int(d/(24*time.Hour)), "day ago", "days ago")
	}
	return t.Format("2 Jan 2006")
}

// In is a short time until t: "in 6 days", "in 3 hours".
func In(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "expired"
	case d < time.Hour:
		return "in " + components.Plural(max(1, int(d/time.Minute)), "minute", "minutes")
	case d < 24*time.Hour:
		return "in " + components.Plural(int(d/time.Hour), "hour", "hours")
	}
	return "in " + components.Plural(int(d/(24*time.Hour)), "day", "days")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 32
		}
		if 'A' <= y && y <= 'Z' {
			y += 32
		}
		if x != y {
			return false
		}
	}
	return true
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// groupsText lists up to three groups and counts the rest.
func groupsText(gs []string) string {
	const show = 3
	if len(gs) <= show {
		return joinComma(gs)
	}
	return joinComma(gs[:show]) + fmt.Sprintf(" +%d", len(gs)-show)
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

func roleLabel(role string) string { return components.RoleLabel(role) }

// sortOptions are the list's sort keys, as the sort select offers them.
var sortOptions = []Option{
	{Value: "name", Label: "Sort by name"},
	{Value: "email", Label: "Sort by email"},
	{Value: "role", Label: "Sort by role"},
	{Value: "active", Label: "Sort by last active"},
}

// The member page's preview panels.
const (
	RolePreviewID   = "member-role-preview"
	GroupsPreviewID = "member-groups-preview"
)

// PreviewURL is where the member page's forms post for their preview.
func PreviewURL(slug string, id int64) string { return MemberURL(slug, id) + "/preview" }

// IdlePreviews are the role and groups panels before any edit.
func IdlePreviews(slug string, id int64, name string) (role, groups preview.Props) {
	u := PreviewURL(slug, id)
	return preview.Props{ID: RolePreviewID, URL: u, Pending: "Choose another role to see what it changes for " + name + "."},
		preview.Props{ID: GroupsPreviewID, URL: u, Pending: "Tick or untick a group to see what it changes for " + name + "."}
}
