package groups

import (
	"crypto/rand"
	"errors"
	"fmt"
	"gatehouse/web/app"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/views/groups"
	"gatehouse/views/permgrid"
)

const (
	groupNameMax      = 60
	groupDescMax      = 300
	groupCandidateMax = 20
	groupQueryMax     = 100
	groupMembersShown = 200 // a group page lists this many; the member list pages through the rest
)

// groupRefusal is the refusal in err, nil when err is something else.
func groupRefusal(err error) *domain.Error { return domain.AsError(err) }

// refusalText is a refusal's sentence, naming the permissions it lacks.
func refusalText(r *domain.Error) string {
	return r.Text(func(missing access.Set) string { return app.ListSome(permgrid.Describe(missing)) })
}

func groupPath(slug string, id int64) string {
	return "/o/" + slug + "/settings/groups/" + strconv.FormatInt(id, 10)
}

// loadGroup reads :id; a malformed id or another organization's group is a 404.
func (s *Handlers) loadGroup(c echo.Context) (domain.Group, error) {
	return app.InOrg(c, "id", s.DB.Group)
}

func (s *Handlers) groupsList(c echo.Context) error {
	a := app.AuthOf(c)
	gs, err := s.DB.Groups(c.Request().Context(), a.Org.ID)
	if err != nil {
		return err
	}
	return s.OK(c, "Permission groups", groups.List(groups.ListProps{Slug: a.Org.Slug, Groups: gs, Products: a.Org.Products,
		CanCreate: a.Can(access.ModGroups, access.Create)}))
}

// groupForm prepares the form of a group (nil: a new one).
func (s *Handlers) groupForm(c echo.Context, g *domain.Group, canEdit bool) groups.FormProps {
	a := app.AuthOf(c)
	f := groups.FormProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), CanEdit: canEdit, Errors: map[string]string{}, SyncSalt: formSyncSalt,
		Grid: permgrid.Props{Products: a.Org.Products, ReadOnly: !canEdit, Grantable: app.PermGrantable(a), Held: app.PermHeld(a), Rows: s.GridRows}}
	if g != nil {
		f.GroupID, f.Name, f.Description, f.Predefined = g.ID, g.Name, g.Description, g.Predefined()
		f.Grid.Set = g.Set.RestrictTo(a.Org.Products)
		if canEdit {
			f.Preview = groups.IdlePreview(a.Org.Slug, *g)
		}
	}
	return f
}

func validateGroupName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Enter a name for the group."
	case n > groupNameMax:
		return fmt.Sprintf("Use at most %d characters (this has %d).", groupNameMax, n)
	case names.HiddenCharacter(name) != "":
		return names.HiddenCharacter(name)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return "Use letters, digits, spaces and punctuation only."
	}
	return ""
}

// readGroupForm validates the submitted name, description and grid into f
// (field errors in f.Errors). It returns the grid and the status to answer
// with when f cannot be saved (0 when it can). Whether the actor may grant
// the grid is the service's check (refusedGroupForm shows its refusal).
func readGroupForm(c echo.Context, f *groups.FormProps) (app.PermForm, int, error) {
	a := app.AuthOf(c)
	form, err := c.FormParams()
	if err != nil {
		return app.PermForm{}, 0, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	f.Name = strings.TrimSpace(form.Get("name"))
	f.Description = strings.TrimSpace(form.Get("description"))
	if msg := validateGroupName(f.Name); msg != "" {
		f.Errors["name"] = msg
	}
	if n := utf8.RuneCountInString(f.Description); n > groupDescMax {
		f.Errors["description"] = fmt.Sprintf("Use at most %d characters (this has %d).", groupDescMax, n)
	} else if !utf8.ValidString(f.Description) {
		f.Errors["description"] = "The description is not valid text."
	}
	pf, err := app.DecodePermForm(form, a.Org.Products)
	if err != nil {
		f.Errors["perm"] = err.Error()
		f.Grid.FieldErrors = pf.FieldErrors
	} else {
		f.Grid.Set, f.Grid.AddedView = pf.Set, pf.AddedView
	}
	if len(f.Errors) > 0 {
		return pf, domain.CodeInvalid.Status(), nil
	}
	return pf, 0, nil
}

// renderGroupForm answers with the form section (htmx) or its whole page.
func (s *Handlers) renderGroupForm(c echo.Context, status int, f groups.FormProps, g *domain.Group) error {
	if app.IsHTMX(c) {
		return app.Render(c, status, groups.FormSection(f), nil)
	}
	if g == nil {
		return app.Render(c, status, s.FullPage(c, "New group", groups.New(f)), nil)
	}
	d, err := s.groupDetailProps(c, *g, f, "")
	if err != nil {
		return err
	}
	return app.Render(c, status, s.FullPage(c, g.Name, groups.Detail(d)), nil)
}

func (s *Handlers) groupNew(c echo.Context) error {
	return s.OK(c, "New group", groups.New(s.groupForm(c, nil, true)))
}

func (s *Handlers) groupCreate(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	f := s.groupForm(c, nil, true)
	pf, status, err := readGroupForm(c, &f)
	if err != nil {
		return err
	}
	if status != 0 {
		return s.renderGroupForm(c, status, f, nil)
	}
	id, err := s.Members().CreateGroup(ctx, app.Actor(c), f.Name, f.Description, pf.Set)
	if r := groupRefusal(err); r != nil {
		return s.refusedGroupForm(c, r, f, nil)
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", strings.TrimSpace("Group "+f.Name+" created. "+permgrid.AddedViewMessage(pf.AddedView)))
	return app.Redirect(c, groupPath(a.Org.Slug, id))
}

// refusedGroupForm answers a refused create or save with its form: the
// message next to the name, or over the form with the grid's missing cells.
func (s *Handlers) refusedGroupForm(c echo.Context, r *domain.Error, f groups.FormProps, g *domain.Group) error {
	if r.Field == "name" { // a name taken
		f.Errors["name"] = r.Message
	} else { // the grid marks the missing cells and the fields above the actor's levels
		f.Errors["form"] = r.Message
		f.Grid.Missing = r.Missing
		f.Grid.FieldErrors = app.FieldOverreach(app.AuthOf(c), f.Grid.Set)
	}
	return s.renderGroupForm(c, r.Status(), f, g)
}

// groupDetailProps builds a group's page around its form.
func (s *Handlers) groupDetailProps(c echo.Context, g domain.Group, f groups.FormProps, q string) (groups.DetailProps, error) {
	a := app.AuthOf(c)
	m, err := s.groupMembersProps(c, g, q)
	if err != nil {
		return groups.DetailProps{}, err
	}
	return groups.DetailProps{Name: g.Name, Form: f, Members: m, MemberCount: m.Total,
		CanReset:  g.Predefined() && a.Can(access.ModGroups, access.Edit),
		CanDelete: !g.Predefined() && a.Can(access.ModGroups, access.Delete)}, nil
}

// groupMembersProps lists the members and, for a search q, the candidates.
func (s *Handlers) groupMembersProps(c echo.Context, g domain.Group, q string) (groups.MembersProps, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	members, err := s.DB.GroupMembers(ctx, a.Org.ID, g.ID, groupMembersShown)
	if err != nil {
		return groups.MembersProps{}, err
	}
	total := len(members)
	if total >= groupMembersShown { // the list is cut: count them all
		if total, err = s.DB.GroupMemberCount(ctx, g.ID); err != nil {
			return groups.MembersProps{}, err
		}
	}
	m := groups.MembersProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), GroupID: g.ID, GroupName: g.Name, Members: members, Total: total,
		CanEdit: a.Can(access.ModGroups, access.Edit), Actor: a.Eff, Query: truncateRunes(strings.TrimSpace(q), groupQueryMax)}
	if a.Can(access.ModMembers, access.View) {
		m.MembersHref = "/o/" + a.Org.Slug + "/settings/members?group=" + strconv.FormatInt(g.ID, 10)
	}
	// The service's own rule (membership.CanGrantGroup: actions, flags and field levels).
	if m.CanEdit && !membership.CanGrantGroup(a.Eff, g) {
		m.AddBlocked = "You cannot add members to " + g.Name + ": it grants permissions you do not hold yourself."
		var fe *access.FieldGrantError
		if errors.As(access.CheckGrant(a.Eff, membership.GroupGrant(g, a.Org.Products)), &fe) {
			m.AddBlocked = "You cannot add members to " + g.Name + ": it grants field levels above your own: " + app.ListSome(fe.Fields) + "."
		}
	}
	if m.Query != "" && m.CanEdit && m.AddBlocked == "" {
		m.Searched = true
		if m.Candidates, err = s.DB.GroupCandidates(ctx, a.Org.ID, g.ID, m.Query, groupCandidateMax); err != nil {
			return m, err
		}
		// What adding each would change, said before the click.
		m.Effects = map[int64]string{}
		for _, gm := range m.Candidates {
			m.Effects[gm.MembershipID] = s.membershipEffect(c, g, gm.MembershipID, true)
		}
	}
	return m, nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func (s *Handlers) groupDetail(c echo.Context) error {
	if err := app.CheckQuery(c, "q"); err != nil {
		return err
	}
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	f := s.groupForm(c, &g, app.AuthOf(c).Can(access.ModGroups, access.Edit))
	d, err := s.groupDetailProps(c, g, f, c.QueryParam("q"))
	if err != nil {
		return err
	}
	return s.OK(c, g.Name, groups.Detail(d))
}

// groupUpdate saves a group's form. The service reads the group again
// inside its transaction and has the last word; the group read here gives
// the save's summary, the same as the preview's (ARCHITECTURE.md, Previews).
func (s *Handlers) groupUpdate(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	id := g.ID
	f := s.groupForm(c, &g, true)
	pf, status, err := readGroupForm(c, &f)
	if err != nil {
		return err
	}
	if status != 0 {
		return s.unsavedGroupForm(c, status, nil, f)
	}
	summary := ""
	if pf.Set != g.Set.RestrictTo(a.Org.Products) {
		im, err := s.groupImpact(c, g, pf.Set)
		if err != nil {
			return err
		}
		summary = groupPreviewProps(a, g, im, pf.Set).Summary
	}
	changed, err := s.Members().UpdateGroup(ctx, app.Actor(c), id, f.Name, f.Description, pf.Set)
	if r := groupRefusal(err); r != nil {
		return s.unsavedGroupForm(c, 0, r, f)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return app.ErrNotFound
	case err != nil:
		return err
	}
	f.Success = strings.TrimSpace("Saved. Members of " + f.Name + " get these permissions on their next page load. " + summary)
	if !changed {
		f.Success = "Nothing changed."
	}
	if app.IsHTMX(c) && formShowsSaved(c, f) {
		c.Response().Header().Set("HX-Reswap", "none")
		return app.Render(c, http.StatusOK, groups.StatusUpdate(f), nil)
	}
	if app.IsHTMX(c) {
		return app.Render(c, http.StatusOK, groups.FormSection(f), nil)
	}
	s.Flash(c, "success", strings.TrimSpace(f.Success+" "+permgrid.AddedViewMessage(pf.AddedView)))
	return app.Redirect(c, groupPath(a.Org.Slug, id))
}

// unsavedGroupForm answers a save that was not made, for an invalid form
// (status) or the service's refusal r, with the form as posted on the
// group's page.
func (s *Handlers) unsavedGroupForm(c echo.Context, status int, r *domain.Error, f groups.FormProps) error {
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	f.Predefined = g.Predefined()
	if r != nil {
		return s.refusedGroupForm(c, r, f, &g)
	}
	return s.renderGroupForm(c, status, f, &g)
}

// formSyncSalt makes the forms' sync tokens this process's own: a form
// rendered before a restart, perhaps by another build with other markup,
// is answered in full.
var formSyncSalt = rand.Text()

// formShowsSaved reports whether the client's form already shows f, the
// form as saved, apart from its status line: it posted the token of a form
// rendered like f (groups.FormProps.SyncToken), and exactly the values
// saved (nothing trimmed, no View added). Such a save is answered with the
// status line alone: a tenth of the bytes, and a fifth less work per save.
func formShowsSaved(c echo.Context, f groups.FormProps) bool {
	tok := f.SyncToken()
	return tok != "" && c.FormValue(groups.SyncField) == tok &&
		c.FormValue("name") == f.Name && c.FormValue("description") == f.Description
}

// groupRefused re-renders a group's page with a refusal; nothing was changed.
func (s *Handlers) groupRefused(c echo.Context, g domain.Group, r *domain.Error) error {
	a := app.AuthOf(c)
	d, err := s.groupDetailProps(c, g, s.groupForm(c, &g, a.Can(access.ModGroups, access.Edit)), "")
	if err != nil {
		return err
	}
	d.Error = refusalText(r)
	if app.IsHTMX(c) {
		return app.Render(c, r.Status(), groups.Detail(d), nil)
	}
	return app.Render(c, r.Status(), s.FullPage(c, g.Name, groups.Detail(d)), nil)
}

func (s *Handlers) groupReset(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	err = s.Members().ResetGroup(ctx, app.Actor(c), g.ID)
	if err := s.groupWriteErr(c, g, err); err != nil {
		return ignoreAnswered(err)
	}
	s.Flash(c, "success", "The permissions of "+g.Name+" were reset to their default.")
	return app.Redirect(c, groupPath(a.Org.Slug, g.ID))
}

// groupWriteErr maps a refused or failed group change to its answer; nil
// when the change was made.
func (s *Handlers) groupWriteErr(c echo.Context, g domain.Group, err error) error {
	switch r := groupRefusal(err); {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return app.ErrNotFound
	case r != nil:
		if rerr := s.groupRefused(c, g, r); rerr != nil {
			return rerr
		}
		return errAnswered
	}
	return err
}

// errAnswered: the response is written; the handler returns nil.
var errAnswered = errors.New("answered")

func (s *Handlers) groupDelete(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	members, err := s.Members().DeleteGroup(ctx, app.Actor(c), g.ID)
	if err := s.groupWriteErr(c, g, err); err != nil {
		return ignoreAnswered(err)
	}
	msg := "Group " + g.Name + " deleted."
	switch members {
	case 0:
	case 1:
		msg += " 1 member lost the permissions it granted."
	default:
		msg += fmt.Sprintf(" %d members lost the permissions it granted.", members)
	}
	s.Flash(c, "success", msg)
	return app.Redirect(c, "/o/"+a.Org.Slug+"/settings/groups")
}

func ignoreAnswered(err error) error {
	if errors.Is(err, errAnswered) {
		return nil
	}
	return err
}

func (s *Handlers) groupCandidates(c echo.Context) error {
	if err := app.CheckQuery(c, "q"); err != nil {
		return err
	}
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	if !app.IsHTMX(c) {
		return app.Redirect(c, groupPath(app.AuthOf(c).Org.Slug, g.ID)+"?q="+url.QueryEscape(q))
	}
	m, err := s.groupMembersProps(c, g, q)
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, groups.Candidates(m), nil)
}

func (s *Handlers) groupMemberAdd(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	mid, perr := strconv.ParseInt(c.FormValue("membership_id"), 10, 64)
	if perr != nil || mid <= 0 {
		return s.groupMembersAnswer(c, g, domain.CodeInvalid.Status(), "", "Choose a member to add.")
	}
	effect := s.membershipEffect(c, g, mid, true)
	target, already, err := s.Members().AddToGroup(ctx, app.Actor(c), g.ID, mid)
	if done, err := s.groupMembersErr(c, g, err); done {
		return err
	}
	msg := strings.TrimSpace("Added " + target.Name + " to " + g.Name + ". They get its permissions on their next page load. " + effect)
	if already {
		msg = target.Name + " is already in " + g.Name + "."
	}
	return s.groupMembersAnswer(c, g, http.StatusOK, msg, "")
}

func (s *Handlers) groupMemberRemove(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	mid, err := app.PathID(c, "mid")
	if err != nil {
		return err
	}
	effect := s.membershipEffect(c, g, mid, false)
	target, err := s.Members().RemoveFromGroup(ctx, app.Actor(c), g.ID, mid)
	if done, err := s.groupMembersErr(c, g, err); done {
		return err
	}
	return s.groupMembersAnswer(c, g, http.StatusOK, strings.TrimSpace("Removed "+target.Name+" from "+g.Name+". "+effect), "")
}

// groupMembersErr answers a failed membership change (done = true).
func (s *Handlers) groupMembersErr(c echo.Context, g domain.Group, err error) (bool, error) {
	switch r := groupRefusal(err); {
	case err == nil:
		return false, nil
	case errors.Is(err, store.ErrNotFound):
		return true, app.ErrNotFound
	case r != nil:
		return true, s.groupMembersAnswer(c, g, r.Status(), "", refusalText(r))
	}
	return true, err
}

// groupMembersAnswer shows the members section (htmx) or the group's page
// with a message; a success without htmx redirects (POST-redirect-GET).
func (s *Handlers) groupMembersAnswer(c echo.Context, g domain.Group, status int, success, failure string) error {
	a := app.AuthOf(c)
	if status == http.StatusOK && !app.IsHTMX(c) {
		s.Flash(c, "success", success)
		return app.Redirect(c, groupPath(a.Org.Slug, g.ID))
	}
	fresh, err := s.DB.Group(c.Request().Context(), a.Org.ID, g.ID)
	if err != nil {
		return err
	}
	d, err := s.groupDetailProps(c, fresh, s.groupForm(c, &fresh, a.Can(access.ModGroups, access.Edit)), "")
	if err != nil {
		return err
	}
	d.Members.Success, d.Members.Error = success, failure
	if app.IsHTMX(c) {
		return app.Render(c, status, groups.MembersChanged(d), nil)
	}
	return app.Render(c, status, s.FullPage(c, fresh.Name, groups.Detail(d)), nil)
}
