package members

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	gmail "gatehouse/internal/mail"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/components"
	"gatehouse/views/members"
	"gatehouse/web/app"
)

// membersPageSize is the members list's page.
const membersPageSize = 50

// membersList is the members page; htmx requests from its search, filters,
// sort links and pagination get only the results.
func (s *Handlers) membersList(c echo.Context) error {
	ctx := c.Request().Context()
	resultsOnly := c.Request().Header.Get("HX-Target") == "members-results" && app.IsHTMX(c)
	p, status, groups, err := s.listProps(c, app.AuthOf(c).Org)
	if err != nil {
		return err
	}
	if resultsOnly {
		// A search from the filter form also swaps the invitations (out of
		// band); paging and sorting leave them be.
		if c.Request().Header.Get("HX-Trigger") != members.FilterFormID {
			return app.Render(c, status, members.Results(p), nil)
		}
		p.Invites.OOB = true
		return app.Render(c, status, templ.Join(members.Results(p), members.Invites(p.Invites)), nil)
	}
	if p.GroupOptions, err = groups.optionsHTML(ctx, p.Filter.GroupID); err != nil {
		return err
	}
	if len(groups.teams) > 0 {
		if p.TeamOptions, err = groups.teamOptionsHTML(ctx, p.Filter.TeamID); err != nil {
			return err
		}
	}
	if status == http.StatusOK {
		return s.OK(c, "Members", members.Page(p))
	}
	content := members.Page(p)
	if app.IsHTMX(c) {
		return app.Render(c, status, content, content)
	}
	return app.Render(c, status, s.FullPage(c, "Members", content), nil)
}

// listProps is the list's results and invitations of org (the request's,
// or as a write left it) for the query string's filter (status: 422 when
// the search was not text), and the groups that named them.
func (s *Handlers) listProps(c echo.Context, org *domain.Org) (members.ListProps, int, *groupRefEntry, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	// A search that is not text is never run: the page says what to fix,
	// above the results, with the search box emptied.
	qProblem := app.QueryProblem(c.QueryParam("q"))
	// The organization's groups (cached per permission version) validate
	// the group filter, name each member's groups and fill the filter menu.
	groups, err := s.groupRefs.get(ctx, s.DB, org)
	if err != nil {
		return members.ListProps{}, 0, nil, err
	}
	f, warning := parseMemberFilter(c, groups.index.Refs, groups.teams)
	status := http.StatusOK
	if qProblem != "" {
		f.Q, warning, status = "", qProblem, domain.CodeInvalid.Status()
	}
	q := store.MemberQuery{Search: f.Q, Role: access.Role(f.Role), Status: f.Status, GroupID: f.GroupID, TeamID: f.TeamID, Sort: f.Sort, Desc: f.Desc,
		After: c.QueryParam("after"), Before: c.QueryParam("before"), Last: c.QueryParam("last") == "1", Limit: membersPageSize,
		Groups: groups.index}
	var page memberListPage
	if qProblem == "" {
		if page, err = s.lists.memberPage(ctx, s.DB, org, q); err != nil {
			return members.ListProps{}, 0, nil, err
		}
	}
	p := members.ListProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Filter: f, Total: page.Total, AtLeast: page.AtLeast,
		Warning: warning, Now: time.Unix(s.DB.Now(), 0), CanInvite: a.Can(access.ModMembers, access.Create),
		FilterUsed: qProblem != "" || f != (members.Filter{Sort: f.Sort, Desc: f.Desc})}
	p.Rows, p.RowsHTML = page.rows, page.rowsHTML
	if a.Can(access.ModMembers, access.Edit) {
		p.BulkURL, p.CanRemove = members.MembersURL(a.Org.Slug)+"/bulk", a.Can(access.ModMembers, access.Delete)
		if a.Can(access.ModGroups, access.Edit) {
			p.BulkGroupOptions = groups.groups.HTML() // the filter's options, none selected
		}
	}
	if a.Can(access.ModMembers, access.Export) {
		p.ExportURL = members.MembersURL(a.Org.Slug) + "/export.csv"
		if v := f.Values(); len(v) > 0 {
			p.ExportURL += "?" + v.Encode()
		}
	}
	pagePositions(&p, page.MemberPage, q, c.QueryParam("pos"))
	// The role filter and the bulk bar (in the results) both list the roles.
	for _, r := range access.Roles() {
		p.Roles = append(p.Roles, members.Option{Value: string(r), Label: r.Label()})
	}
	extras, err := s.lists.memberPageExtras(ctx, s.DB, org)
	if err != nil {
		return members.ListProps{}, 0, nil, err
	}
	// The search box filters the pending invitations too.
	p.Invites = s.invitesPropsOf(c, matchingInvites(extras.Invites, f.Q))
	p.Invites.Search = f.Q
	p.Seats = extras.Seats
	return p, status, groups, nil
}

// matchingInvites is the invitations whose email or name holds q (any case).
func matchingInvites(list []store.Invite, q string) []store.Invite {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return list
	}
	var out []store.Invite
	for _, inv := range list {
		if strings.Contains(strings.ToLower(inv.Email), q) || strings.Contains(strings.ToLower(inv.Name), q) {
			out = append(out, inv)
		}
	}
	return out
}

// parseMemberFilter reads the list's query string; a value that is not
// valid is ignored and named in the returned warning.
func parseMemberFilter(c echo.Context, groups []store.GroupRef, teams []store.TeamRef) (members.Filter, string) {
	var f members.Filter
	var bad []string
	f.Q = strings.TrimSpace(c.QueryParam("q"))
	if utf8.RuneCountInString(f.Q) > 100 {
		f.Q = string([]rune(f.Q)[:100])
		bad = append(bad, "the search was cut to 100 characters")
	}
	if r := c.QueryParam("role"); r != "" {
		if _, ok := access.ParseRole(r); ok {
			f.Role = r
		} else {
			bad = append(bad, "unknown role “"+app.Clip(r)+"”")
		}
	}
	switch st := c.QueryParam("status"); st {
	case "", domain.StatusActive, domain.StatusSuspended:
		f.Status = st
	default:
		bad = append(bad, "unknown status “"+app.Clip(st)+"”")
	}
	if g := c.QueryParam("group"); g != "" {
		if id, ok := refID(g, groups); ok {
			f.GroupID = id
		} else {
			bad = append(bad, "unknown group")
		}
	}
	// Another organization's team is as unknown as one that never was.
	if v := c.QueryParam("team"); v != "" {
		if id, ok := refID(v, teams); ok {
			f.TeamID = id
		} else {
			bad = append(bad, "unknown team")
		}
	}
	f.Sort = c.QueryParam("sort")
	if f.Sort != "" && !store.ValidMemberSort(f.Sort) {
		bad = append(bad, "unknown sort “"+app.Clip(f.Sort)+"”")
		f.Sort = ""
	}
	if f.Sort == "" {
		f.Sort = store.SortName
	}
	f.Desc = members.DefaultDesc(f.Sort)
	switch c.QueryParam("dir") {
	case "":
	case "asc":
		f.Desc = false
	case "desc":
		f.Desc = true
	default:
		bad = append(bad, "unknown direction")
	}
	if len(bad) == 0 {
		return f, ""
	}
	return f, "Ignored: " + strings.Join(bad, "; ") + "."
}

// refID is the id v names among refs (false when it names none of them).
func refID(v string, refs []store.GroupRef) (int64, bool) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	for _, ref := range refs {
		if ref.ID == id {
			return id, true
		}
	}
	return 0, false
}

// pagePositions fills "Showing x–y" and the page links. Keyset pages do not
// know their offset, so the links carry it (pos) for display only.
func pagePositions(p *members.ListProps, page store.MemberPage, q store.MemberQuery, posParam string) {
	pos, err := strconv.Atoi(posParam)
	if err != nil || pos < 1 {
		pos = 1
	}
	if !page.HasPrev {
		pos = 1
	}
	if q.Last && !page.AtLeast {
		pos = page.Total - len(page.Rows) + 1
	}
	pos = max(1, min(pos, max(1, page.Total-len(page.Rows)+1)))
	p.From, p.To = pos, pos+len(page.Rows)-1
	link := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return listURL(*p, v)
	}
	if page.HasPrev {
		p.FirstURL = link()
		p.PrevURL = link("before", page.Prev, "pos", strconv.Itoa(max(1, p.From-q.Limit)))
	}
	if page.HasNext {
		p.NextURL = link("after", page.Next, "pos", strconv.Itoa(p.To+1))
		if !page.AtLeast {
			p.LastURL = link("last", "1")
		}
	}
}

// listURL is the members list with p's filter plus extra parameters.
func listURL(p members.ListProps, extra url.Values) string {
	v := p.Filter.Values()
	for k, vs := range extra {
		v[k] = vs
	}
	if len(v) == 0 {
		return members.MembersURL(p.Slug)
	}
	return members.MembersURL(p.Slug) + "?" + v.Encode()
}

// personOf is a member as every member view shows them.
func personOf(m domain.Membership, name, email string, photoVersion int64) components.Person {
	p := components.Person{ID: m.ID, Name: name, Email: email, Role: string(m.Role), Status: m.Status}
	if photoVersion > 0 {
		p.PhotoURL = app.PhotoURL(m.UserID, photoVersion)
	}
	return p
}

func memberRow(r store.MemberRow) members.Row {
	row := members.Row{Person: personOf(r.Membership, r.Name, r.Email, r.PhotoVersion)}
	if r.LastActiveAt > 0 {
		row.LastActive = time.Unix(r.LastActiveAt, 0)
	}
	if len(r.Groups) > 0 {
		row.Groups = make([]string, len(r.Groups))
		for i, g := range r.Groups {
			row.Groups[i] = g.Name
		}
	}
	row.Teams = domain.TeamLabels(r.Teams)
	return row
}

// memberID reads :id (a malformed id is a 404, like another org's member).
func memberID(c echo.Context) (int64, error) { return app.PathID(c, "id") }

// memberDetail is a member's page.
func (s *Handlers) memberDetail(c echo.Context) error {
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, err := s.detailProps(c, id)
	if err != nil {
		return err
	}
	return s.OK(c, cmp.Or(p.Member.Name, p.Member.Email), members.Detail(p))
}

// detailProps loads a member's page as the actor may see it. The
// account's sessions (IP, device) and its global controls are shown only
// when this organization manages the account (membership.Reach).
func (s *Handlers) detailProps(c echo.Context, id int64) (members.DetailPage, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	mi, err := s.DB.MemberInfo(ctx, a.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return members.DetailPage{}, app.ErrNotFound
	} else if err != nil {
		return members.DetailPage{}, err
	}
	p := members.DetailPage{}
	p.DetailProps = members.DetailProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Now: time.Unix(s.DB.Now(), 0),
		CanEdit: a.Can(access.ModMembers, access.Edit), CanRemove: a.Can(access.ModMembers, access.Delete),
		IsSelf: mi.UserID == a.User.ID,
		Member: members.Member{Person: personOf(mi.Membership, mi.Name, mi.Email, mi.PhotoVersion),
			Joined: time.Unix(mi.CreatedAt, 0), Custom: mi.Custom != nil}}
	if mi.LastActiveAt > 0 {
		p.Member.LastActive = time.Unix(mi.LastActiveAt, 0)
	}
	layers, mine, err := s.DB.MemberLayers(ctx, *a.Org, mi.Membership)
	if err != nil {
		return p, err
	}
	teams, err := s.DB.TeamsOfMember(ctx, a.Org.ID, mi.ID)
	if err != nil {
		return p, err
	}
	p.Member.Teams = domain.TeamLabels(teams)
	// The scope words are the engine's, from the same layers the controls
	// are judged on.
	p.Member.Scopes = app.ScopeLines(access.Explain(layers), false)
	in := map[int64]bool{}
	for _, g := range mine {
		in[g.ID] = true
		p.Member.Groups = append(p.Member.Groups, withUntil(g.Name, g.Until))
	}
	p.Member.RoleUntil, p.Member.CustomUntil = roleUntilText(mi.Membership), untilText(mi.CustomUntil)
	// The services' own rule decides which controls are enabled.
	if p.CanEdit || p.CanRemove {
		p.Locked = touchRefusal(a.Eff, mi, layers)
	}
	if p.IsSelf {
		p.SelfWhy = map[string]string{"suspend": membership.SelfSuspend, "reset": membership.SelfReset, "remove": membership.SelfRemove}
	}
	if !p.CanEdit {
		return p, nil
	}
	p.Roles = roleOptions(a.Eff, mi.Role)
	p.Grants = grantOptions(mi.Membership, mine)
	if p.Locked == "" && len(p.Grants) > 0 {
		p.GrantsPreview, _ = s.grantsPreview(c, mi, mine, nil)
	}
	if p.Locked == "" {
		p.RolePreview, p.GroupsPreview = members.IdlePreviews(a.Org.Slug, mi.ID, displayNameOf(mi))
	}
	all, err := s.DB.Groups(ctx, a.Org.ID)
	if err != nil {
		return p, err
	}
	for _, g := range all {
		o := members.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Checked: in[g.ID]}
		// A group the actor could not grant can be kept or removed, not added.
		if !o.Checked && !membership.CanGrantGroup(a.Eff, g) {
			o.Disabled, o.Note = true, "Grants permissions you don't hold"
		}
		p.Groups = append(p.Groups, o)
	}
	if p.Managed, err = s.Members().Reach(ctx, app.Actor(c), mi); err != nil || !p.Managed {
		return p, err
	}
	if p.Sessions, err = s.memberSessions(c, mi.UserID); err != nil {
		return p, err
	}
	return p, nil
}

// touchRefusal is why the actor may not change mi's membership, as
// membership.MayTouch words it ("" when they may); layers is mi's input as
// the store assembles it.
func touchRefusal(actor access.Effective, mi store.MemberInfo, layers access.Input) string {
	if e := membership.MayTouch(actor, layers).Refusal(displayNameOf(mi)); e != nil {
		return e.Message
	}
	return ""
}

// roleOptions offers every role; those the actor may not give are disabled
// (the current one stays selectable so the form can be resent unchanged).
func roleOptions(eff access.Effective, current access.Role) []members.Option {
	ok := map[access.Role]bool{}
	for _, r := range membership.GrantableRoles(eff) {
		ok[r] = true
	}
	var out []members.Option
	for _, r := range access.Roles() {
		o := members.Option{Value: string(r), Label: r.Label(), Checked: r == current}
		if !ok[r] && r != current {
			o.Disabled, o.Note = true, "above your permissions"
		}
		out = append(out, o)
	}
	return out
}

// memberChange runs one change of a member's page and answers with the
// page's body (htmx) or a redirect (plain form); a refusal is shown in the
// section it concerns, with its code's status, and nothing is written.
func (s *Handlers) memberChange(section string, do func(c echo.Context, id int64) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := memberID(c)
		if err != nil {
			return err
		}
		notice, err := do(c, id)
		if err != nil {
			e, err := app.Refusal(err)
			if err != nil {
				return err
			}
			p, perr := s.detailProps(c, id)
			if perr != nil {
				return perr
			}
			sec := section
			if e.Code == domain.CodeForbidden && !errors.Is(e, access.ErrEscalation) {
				// An account beyond the organization's reach: the page
				// shows no sessions card then, so the reason goes with the
				// access controls.
				sec = "access"
			}
			p.Section, p.Error = sec, e.Message
			return s.renderDetail(c, e.Status(), p)
		}
		a := app.AuthOf(c)
		if !app.IsHTMX(c) {
			s.Flash(c, "success", notice)
			return app.Redirect(c, members.MemberURL(a.Org.Slug, id))
		}
		p, err := s.detailProps(c, id)
		if err != nil {
			return err
		}
		p.Section, p.Notice = section, notice
		return s.renderDetail(c, http.StatusOK, p)
	}
}

func (s *Handlers) renderDetail(c echo.Context, status int, p members.DetailPage) error {
	return app.Render(c, status, s.FullPage(c, p.Member.DisplayName(), members.Detail(p)), members.DetailBody(p))
}

func (s *Handlers) memberRole(c echo.Context) error {
	return s.memberChange("role", func(c echo.Context, id int64) (string, error) {
		role := c.FormValue("role")
		summary := s.savedSummary(c)
		if err := s.Members().ChangeRole(c.Request().Context(), app.Actor(c), id, role); err != nil {
			return "", err
		}
		return strings.TrimSpace("Role saved: " + access.Role(role).Label() + ". " + summary), nil
	})(c)
}

func (s *Handlers) memberGroups(c echo.Context) error {
	return s.memberChange("groups", func(c echo.Context, id int64) (string, error) {
		form, err := c.FormParams()
		if err != nil {
			return "", domain.Invalid("groups", "The form could not be read.")
		}
		ids, err := parseGroupIDs(form["groups"])
		if err != nil {
			return "", err
		}
		summary := s.savedSummary(c)
		if err := s.Members().SetGroups(c.Request().Context(), app.Actor(c), id, ids); err != nil {
			return "", err
		}
		return strings.TrimSpace("Groups saved. " + summary), nil
	})(c)
}

func (s *Handlers) memberSuspend(c echo.Context) error {
	return s.accessChange(c, s.Members().Suspend, nil,
		"Access suspended. They lose access to this organization on their next request.")
}

func (s *Handlers) memberReenable(c echo.Context) error {
	return s.accessChange(c, s.Members().Reenable, nil,
		"Access re-enabled with their previous role, groups and permissions.")
}

func (s *Handlers) memberForceReset(c echo.Context) error {
	return s.accessChange(c, s.Members().ForceReset, s.mailForcedReset,
		"Password reset forced: every session of theirs has ended and they must set a new password at their next login.")
}

// accessChange runs one change of the access section (do), then, when
// set, after; the notice is the page's once it is done.
func (s *Handlers) accessChange(c echo.Context, do func(context.Context, domain.Actor, int64) error,
	after func(echo.Context, int64), notice string) error {
	return s.memberChange("access", func(c echo.Context, id int64) (string, error) {
		if err := do(c.Request().Context(), app.Actor(c), id); err != nil {
			return "", err
		}
		if after != nil {
			after(c, id)
		}
		return notice, nil
	})(c)
}

// mailForcedReset tells the member why their password stopped working and
// what happens at their next login.
func (s *Handlers) mailForcedReset(c echo.Context, id int64) {
	a := app.AuthOf(c)
	mi, err := s.DB.MemberInfo(c.Request().Context(), a.Org.ID, id)
	if err != nil {
		s.Log.Warn("forced reset mail: member not read", "member", id, "err", err)
		return
	}
	by := cmp.Or(a.User.Name, a.User.Email)
	s.SendMail(gmail.Message{To: mi.Email, Subject: "Choose a new Gatehouse password",
		Text: fmt.Sprintf("Hello %s,\n\n%s, an administrator of %s, asked you to choose a new password for your Gatehouse account.\n"+
			"Your old password no longer works and every session of yours has ended.\n\n"+
			"Log in with your old password at %s and you will be asked to set a new one; then you continue where you were.\n\n"+
			"If you did not expect this, contact an administrator of %s.\n",
			cmp.Or(mi.Name, mi.Email), by, a.Org.Name, s.AbsURL("/login"), a.Org.Name)})
}

// memberRemove takes the member out; the page is gone, so it goes back to the list.
func (s *Handlers) memberRemove(c echo.Context) error {
	id, err := memberID(c)
	if err != nil {
		return err
	}
	a := app.AuthOf(c)
	mi, err := s.DB.MemberInfo(c.Request().Context(), a.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.Members().Remove(c.Request().Context(), app.Actor(c), id); err != nil {
		return s.memberChange("access", func(echo.Context, int64) (string, error) { return "", err })(c)
	}
	s.Flash(c, "success", cmp.Or(mi.Name, mi.Email)+" was removed from "+a.Org.Name+". Their account still exists.")
	return app.Redirect(c, members.MembersURL(a.Org.Slug))
}
