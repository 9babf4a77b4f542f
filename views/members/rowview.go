package members

import (
	"context"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/views/components"
)

// rowView is what memberRow writes for a row, as strings ready to write:
// templ would otherwise format each value, and run the badges' and
// avatar's class handling, on every row of every page. RowFor fills it when
// the row is built (the list cache keeps it with the page's data); a Row
// without it is viewed on the spot.
type rowView struct {
	ok          bool
	id          string
	url         templ.SafeURL
	display     string // the name, or the email when there is none
	avatarClass string
	initials    string
	photo       templ.SafeURL // "" when the avatar is initials
	roleBadge   string        // markup of components.RoleBadge
	statusBadge string        // markup of components.StatusBadge
	groups      string        // "" when the member is in none
	stamp       string        // utcStamp of the last activity
}

// RowFor returns r with what its table row writes computed for the
// organization slug.
func RowFor(slug string, r Row) Row {
	r.view = r.viewFor(slug)
	return r
}

func (r Row) viewFor(slug string) rowView {
	if r.view.ok {
		return r.view
	}
	name := orDefault(r.Name, r.Email)
	v := rowView{ok: true, id: strconv.FormatInt(r.ID, 10), url: templ.URL(MemberURL(slug, r.ID)), display: name,
		avatarClass: components.AvatarClass(name, 32), roleBadge: badge(roleBadges, components.RoleBadge, r.Role),
		statusBadge: badge(statusBadges, components.StatusBadge, r.Status), stamp: utcStamp(r.LastActive)}
	if r.PhotoURL != "" {
		v.photo = templ.URL(r.PhotoURL)
	} else {
		v.initials = components.Initials(name)
	}
	if len(r.Groups) > 0 {
		v.groups = groupsLine(r.Groups)
	}
	return v
}

// roleBadges and statusBadges are the badges of the roles and statuses
// there are, rendered once at start (immutable, not a cache); any other
// value is rendered when its row is.
var (
	roleBadges = renderBadges(components.RoleBadge, "owner", "admin", "manager", "financial", "sales", "agent",
		"agent_limited", "medical_doctor", "medical_assistant")
	statusBadges = renderBadges(components.StatusBadge, "active", "suspended", "pending", "revoked", "expired")
)

func renderBadges(c func(string) templ.Component, values ...string) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[v] = renderString(c(v))
	}
	return m
}

func badge(known map[string]string, c func(string) templ.Component, v string) string {
	if s, ok := known[v]; ok {
		return s
	}
	return renderString(c(v))
}

// renderString renders static markup; into a strings.Builder it cannot fail.
func renderString(c templ.Component) string {
	var b strings.Builder
	_ = c.Render(context.Background(), &b)
	return b.String()
}
