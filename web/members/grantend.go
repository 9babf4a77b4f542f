package members

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/members"
	"gatehouse/views/preview"
	"gatehouse/web/app"
)

// memberGrantEnd sets (or clears) the end of one of a member's grants: a
// group membership, the individual permissions or the role
// (ARCHITECTURE.md, Time-bound grants). Fields: grant ("group:<id>",
// "custom", "role"), expires_at (empty: no end) and, for the role,
// role_then.
func (s *Handlers) memberGrantEnd(c echo.Context) error {
	return s.memberChange("grants", func(c echo.Context, id int64) (string, error) {
		until, err := ParseEnd(c.FormValue(membership.FieldExpiresAt))
		if err != nil {
			return "", err
		}
		grant := c.FormValue("grant")
		summary := s.grantEndSummary(c)
		if err := s.Members().SetGrantEnd(c.Request().Context(), app.Actor(c), id, grant, until, c.FormValue("role_then")); err != nil {
			return "", err
		}
		if until == 0 {
			return "The end was removed: the grant stays.", nil
		}
		return strings.TrimSpace("Saved: the grant lasts " + domain.UntilText(until) + ". " + summary), nil
	})(c)
}

// grantEndSummary is the Time limits preview's summary of the end about to
// be saved ("Then: …"), so the notice after the save says what the panel
// said before it; "" when there is nothing to say or it cannot be computed
// (the save decides).
func (s *Handlers) grantEndSummary(c echo.Context) string {
	mi, form, err := s.previewTarget(c)
	if err != nil {
		return ""
	}
	groups, err := s.DB.GroupsOfMember(c.Request().Context(), mi.OrgID, mi.ID)
	if err != nil {
		return ""
	}
	p, err := s.grantsPreview(c, mi, groups, form)
	if err != nil || p.Summary == "" {
		return ""
	}
	return "Then: " + p.Summary
}

// endLayouts are the forms an end is typed in: the date-time input's value,
// RFC 3339, a date alone (its midnight); UTC unless it says otherwise.
var endLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02"}

// ParseEnd reads an end (Unix seconds; "" is 0, none), refusing by the
// field what it cannot read.
func ParseEnd(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	for _, l := range endLayouts {
		if t, err := time.ParseInLocation(l, v, time.UTC); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, domain.Invalid(membership.FieldExpiresAt, "Type a date and time like 2026-12-31T14:00 (UTC).")
}

// untilText is "until …" for an end, "" for none.
func untilText(at int64) string {
	if at == 0 {
		return ""
	}
	return domain.UntilText(at)
}

// withUntil is a grant's label with its end: "Supervisors (until …)".
func withUntil(label string, at int64) string {
	if at == 0 {
		return label
	}
	return label + " (" + domain.UntilText(at) + ")"
}

// roleUntilText words a temporary role's end: "until …, then Agent".
func roleUntilText(m domain.Membership) string {
	if m.RoleUntil == 0 {
		return ""
	}
	return domain.UntilText(m.RoleUntil) + ", then " + m.RoleThen.Label()
}

// grantOptions are m's grants an end can be set on: each group, the
// individual permissions when set, the role unless it is owner.
func grantOptions(m domain.Membership, groups []domain.Group) []members.Option {
	var out []members.Option
	for _, g := range groups {
		out = append(out, members.Option{Value: membership.GroupGrantKey(g.ID), Label: "Group " + g.Name, Note: untilText(g.Until)})
	}
	if m.Custom != nil {
		out = append(out, members.Option{Value: membership.GrantCustom, Label: "Individual permissions", Note: untilText(m.CustomUntil)})
	}
	if m.Role != access.RoleOwner {
		out = append(out, members.Option{Value: membership.GrantRole, Label: "Role " + m.Role.Label(), Note: roleUntilText(m)})
	}
	return out
}

// GrantsPreviewID is the Time limits form's preview panel.
const GrantsPreviewID = "member-grants-preview"

// grantsPreview is the panel for an end chosen in the Time limits form:
// what the member holds from that instant (every grant ended by then gone)
// against now. No end chosen: an idle panel.
func (s *Handlers) grantsPreview(c echo.Context, mi store.MemberInfo, groups []domain.Group, form url.Values) (preview.Props, error) {
	u := members.MemberURL(app.AuthOf(c).Org.Slug, mi.ID) + "/grant-end/preview"
	name := displayNameOf(mi)
	idle := preview.Props{ID: GrantsPreviewID, URL: u, Pending: "Choose a grant and a time to see what changes for " + name + " then."}
	until, err := ParseEnd(form.Get(membership.FieldExpiresAt))
	if err != nil || until == 0 {
		return idle, err
	}
	at, ended, _, err := membership.WithEnd(mi.Membership, groups, form.Get("grant"), until, form.Get("role_then"), name)
	if err != nil {
		return idle, err
	}
	p, err := s.MemberPreview(c, mi.Membership, name, membership.AtInstant(at, ended, until))
	if err != nil {
		return idle, err
	}
	p.ID, p.URL = GrantsPreviewID, u
	p.Headline = "Until " + strings.TrimPrefix(domain.UntilText(until), "until ") + " nothing changes; then:"
	if until <= s.DB.Now() {
		p.Errors = append(p.Errors, "Choose a time in the future.")
	}
	return p, nil
}

func (s *Handlers) memberGrantEndPreview(c echo.Context) error {
	mi, form, err := s.previewTarget(c)
	if err != nil {
		return err
	}
	groups, err := s.DB.GroupsOfMember(c.Request().Context(), mi.OrgID, mi.ID)
	if err != nil {
		return err
	}
	p, err := s.grantsPreview(c, mi, groups, form)
	if e := domain.AsError(err); e != nil {
		p.Errors = append(p.Errors, e.Message)
		return app.Render(c, e.Status(), preview.Panel(p), nil)
	}
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, preview.Panel(p), nil)
}
