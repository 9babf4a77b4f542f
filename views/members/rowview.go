package members

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"gatehouse/views/components"
)

// rowView is what memberRow writes for a row, as strings ready to write:
// templ would otherwise format each value, and run the badges' and
// avatar's class handling, per value. RowFor fills it ahead; a Row without
// it is viewed on the spot, as the list cache's rows are (it renders each
// row once, RowsMarkup, and keeps the markup).
type rowView struct {
	ok    bool
	id    string
	url   templ.SafeURL
	stamp string // utcStamp of the last activity
	// Markup: the avatar (components.Avatar), the name (or the email when
	// there is none), the email, the groups line, the badges
	// (components.RoleBadge, StatusBadge).
	avatar, name, email, groups, teams, roleBadge, statusBadge *markup
}

// markup is escaped HTML computed ahead. A *markup is a templ.Component
// that writes it; being a pointer, it goes into the interface without an
// allocation, where templ's { value } formats each value with fmt.
type markup struct{ html string }

func (m *markup) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, m.html)
	return err
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
	v := rowView{ok: true, id: strconv.FormatInt(r.ID, 10), url: templ.URL(MemberURL(slug, r.ID)), stamp: utcStamp(r.LastActive),
		avatar: &markup{renderString(components.Avatar(name, r.PhotoURL, 32))},
		name:   &markup{templ.EscapeString(name)}, email: &markup{templ.EscapeString(r.Email)}, groups: noGroups, teams: noGroups,
		roleBadge: badge(roleBadges, components.RoleBadge, r.Role), statusBadge: badge(statusBadges, components.StatusBadge, r.Status)}
	if len(r.Groups) > 0 {
		v.groups = &markup{templ.EscapeString(groupsLine(r.Groups))}
	}
	if len(r.Teams) > 0 {
		v.teams = &markup{templ.EscapeString(groupsLine(r.Teams))}
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

var noGroups = &markup{`<span class="subtle">—</span>`}

func renderBadges(c func(string) templ.Component, values ...string) map[string]*markup {
	m := make(map[string]*markup, len(values))
	for _, v := range values {
		m[v] = &markup{renderString(c(v))}
	}
	return m
}

func badge(known map[string]*markup, c func(string) templ.Component, v string) *markup {
	if m, ok := known[v]; ok {
		return m
	}
	return &markup{renderString(c(v))}
}

// renderString renders static markup; into a strings.Builder it cannot fail.
func renderString(c templ.Component) string {
	var b strings.Builder
	_ = c.Render(context.Background(), &b)
	return b.String()
}

// RowsMarkup renders the table's rows of a page (what Results writes for
// them: memberRow of each) for the organization slug, their relative times
// as of now.
func RowsMarkup(ctx context.Context, slug string, rows []Row, now time.Time) (string, error) {
	var b strings.Builder
	b.Grow(1024 * len(rows)) // a row is 600–1,000 bytes: one allocation, little slack kept
	p := ListProps{Slug: slug, Now: now}
	ctx = templ.InitializeContext(ctx) // once, not once per row
	for _, r := range rows {
		if err := memberRow(p, r).Render(ctx, &b); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}
