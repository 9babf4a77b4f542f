// Package teams renders the service teams screens: the list at
// /o/{slug}/settings/service_teams and a team's page with its members.
package teams

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/domain"
	"gatehouse/views/preview"
)

// ListProps is the teams list.
type ListProps struct {
	Slug      string
	CSRF      string
	Q         string
	Teams     []domain.Team
	Total     int
	Page      int
	PerPage   int
	CanCreate bool // service_teams_create: the "New team" form
	// The "New team" form's values and refusals (field → message).
	Name, Description string
	Errors            map[string]string
}

// DetailProps is a team's page.
type DetailProps struct {
	Slug    string
	CSRF    string
	Team    domain.Team
	Members []domain.TeamMember
	Total   int
	CanEdit bool // service_teams_edit: rename, describe, members, leads
	// CanDelete: service_teams_delete; Heirs are the other teams that may
	// take over its Records.
	CanDelete bool
	Heirs     []domain.Team
	Records   int
	// OpensChannels are the channels only this team may use: deleting it
	// opens them to everyone who may reply.
	OpensChannels []string
	// Form values and refusals (field → message: name, description,
	// member, move_to); Success is the last change's confirmation.
	Name, Description, Email string
	Errors                   map[string]string
	Success                  string
}

func listURL(slug string) string { return "/o/" + slug + "/settings/service_teams" }

func teamURL(slug string, id int64) string { return listURL(slug) + "/" + strconv.FormatInt(id, 10) }

func memberURL(slug string, team, member int64, what string) string {
	return teamURL(slug, team) + "/members/" + strconv.FormatInt(member, 10) + "/" + what
}

// pageURL is page n of the list with the search q.
func pageURL(slug, q string, n int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return listURL(slug)
	}
	return listURL(slug) + "?" + v.Encode()
}

func (p ListProps) hasNext() bool { return p.Page*p.PerPage < p.Total }

func memberCount(n int) string {
	if n == 1 {
		return "1 member"
	}
	return strconv.Itoa(n) + " members"
}

// PreviewID is the add form's preview panel, ChangePreviewID the one of
// the confirm step of a removal or lead change.
const (
	PreviewID       = "team-preview"
	ChangePreviewID = "team-change-preview"
)

// AddPreviewURL is where the add form posts its address for the preview.
func AddPreviewURL(slug string, id int64) string { return teamURL(slug, id) + "/members/preview" }

// IdlePreview is the add form's panel before an address is typed.
func IdlePreview(slug string, t domain.Team) preview.Props {
	return preview.Props{ID: PreviewID, URL: AddPreviewURL(slug, t.ID),
		Pending: "Type a member's address to see what adding them to " + t.Name + " changes for them."}
}

// ConfirmProps is the confirm step of a removal or a lead change.
type ConfirmProps struct {
	Slug, CSRF   string
	Team         domain.Team
	MembershipID int64
	Name         string
	Change       string // remove, lead, unlead
	Preview      preview.Props
}

func (p ConfirmProps) action() string {
	if p.Change == "remove" {
		return memberURL(p.Slug, p.Team.ID, p.MembershipID, "remove")
	}
	return memberURL(p.Slug, p.Team.ID, p.MembershipID, "lead")
}

func (p ConfirmProps) question() string {
	switch p.Change {
	case "remove":
		return "Remove " + p.Name + " from " + p.Team.Name + "?"
	case "lead":
		return "Make " + p.Name + " a lead of " + p.Team.Name + "?"
	}
	return p.Name + " no longer leads " + p.Team.Name + "?"
}

func (p ConfirmProps) button() string {
	switch p.Change {
	case "remove":
		return "Remove " + p.Name
	case "lead":
		return "Make lead"
	}
	return "Not lead"
}

// confirmStep sends a row's form to the confirm step first (htmx): the
// panel and the button that does it land in #team-confirm.
func confirmStep(d DetailProps, mid int64) templ.Attributes {
	return templ.Attributes{"hx-post": memberURL(d.Slug, d.Team.ID, mid, "preview"), "hx-target": "#team-confirm", "hx-swap": "innerHTML"}
}

// opensChannelsText warns that deleting the team opens its channels.
func opensChannelsText(names []string) string {
	if len(names) == 1 {
		return "Only this team may use the channel " + names[0] + ": deleting the team opens it to everyone who may reply."
	}
	return "Only this team may use the channels " + strings.Join(names, ", ") + ": deleting the team opens them to everyone who may reply."
}
