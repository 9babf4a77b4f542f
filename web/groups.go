package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
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

// groupRefusal is a change refused for a reason the user must read (an
// anti-escalation or owner rule, a predefined group): nothing was written.
type groupRefusal struct {
	status int
	msg    string
}

func (e *groupRefusal) Error() string { return e.msg }

func groupPath(slug string, id int64) string {
	return "/o/" + slug + "/settings/groups/" + strconv.FormatInt(id, 10)
}

// loadGroup reads :id; a malformed id or another organization's group is a 404.
func (s *Server) loadGroup(c echo.Context) (store.Group, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.Group{}, errNotFound
	}
	g, err := s.db.Group(c.Request().Context(), authOf(c).Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Group{}, errNotFound
	}
	return g, err
}

// groupAudit is an audit entry made by the current actor.
func groupAudit(c echo.Context, action, target, before, after string) store.AuditEntry {
	a := authOf(c)
	return store.AuditEntry{OrgID: a.Org.ID, ActorID: a.User.ID, ActorEmail: a.User.Email, Action: action,
		Target: target, Before: before, After: after, IP: c.RealIP()}
}

func (s *Server) groupsList(c echo.Context) error {
	a := authOf(c)
	gs, err := s.db.Groups(c.Request().Context(), a.Org.ID)
	if err != nil {
		return err
	}
	return s.ok(c, "Permission groups", groups.List(groups.ListProps{Slug: a.Org.Slug, Groups: gs, Products: a.Org.Products,
		CanCreate: a.Can(access.ModGroups, access.Create)}))
}

// groupForm prepares the form of a group (nil: a new one).
func groupForm(c echo.Context, g *store.Group, canEdit bool) groups.FormProps {
	a := authOf(c)
	f := groups.FormProps{Slug: a.Org.Slug, CSRF: csrfToken(c), CanEdit: canEdit, Errors: map[string]string{},
		Grid: permgrid.Props{Products: a.Org.Products, ReadOnly: !canEdit, Grantable: PermGrantable(a)}}
	if g != nil {
		f.GroupID, f.Name, f.Description, f.Predefined = g.ID, g.Name, g.Description, g.Predefined()
		f.Grid.Set = g.Set.RestrictTo(a.Org.Products)
	}
	return f
}

func validateGroupName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "Enter a name for the group."
	case n > groupNameMax:
		return fmt.Sprintf("Use at most %d characters (this has %d).", groupNameMax, n)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return "Use letters, digits, spaces and punctuation only."
	}
	return ""
}

func groupNameTaken(name string) string {
	return fmt.Sprintf("A group named %q already exists in this organization.", name)
}

// readGroupForm validates the submitted name, description and grid into f
// (field errors in f.Errors) and runs the anti-escalation check, marking
// the cells the actor does not hold. It returns the grid and the status to
// answer with when f cannot be saved (0 when it can).
func readGroupForm(c echo.Context, f *groups.FormProps) (PermForm, int, error) {
	a := authOf(c)
	form, err := c.FormParams()
	if err != nil {
		return PermForm{}, 0, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
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
	pf, err := DecodePermForm(form, a.Org.Products)
	if err != nil {
		f.Errors["perm"] = err.Error()
	} else {
		f.Grid.Set, f.Grid.AddedView = pf.Set, pf.AddedView
	}
	if len(f.Errors) > 0 {
		return pf, http.StatusUnprocessableEntity, nil
	}
	if missing := CheckGridGrant(a, pf.Set); !missing.IsEmpty() {
		f.Grid.Missing = missing
		f.Errors["form"] = "Nothing was saved: you can only grant permissions you hold yourself."
		return pf, http.StatusForbidden, nil
	}
	return pf, 0, nil
}

// renderGroupForm answers with the form section (htmx) or its whole page.
func (s *Server) renderGroupForm(c echo.Context, status int, f groups.FormProps, g *store.Group) error {
	if isHTMX(c) {
		return render(c, status, groups.FormSection(f), nil)
	}
	if g == nil {
		return render(c, status, s.fullPage(c, "New group", groups.New(f)), nil)
	}
	d, err := s.groupDetailProps(c, *g, f, "")
	if err != nil {
		return err
	}
	return render(c, status, s.fullPage(c, g.Name, groups.Detail(d)), nil)
}

func (s *Server) groupNew(c echo.Context) error {
	return s.ok(c, "New group", groups.New(groupForm(c, nil, true)))
}

func (s *Server) groupCreate(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	f := groupForm(c, nil, true)
	pf, status, err := readGroupForm(c, &f)
	if err != nil {
		return err
	}
	if status != 0 {
		return s.renderGroupForm(c, status, f, nil)
	}
	var id int64
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if taken, err := tx.GroupNameTaken(ctx, a.Org.ID, f.Name, 0); err != nil || taken {
			return orConflict(err, taken)
		}
		var err error
		if id, err = tx.CreateGroup(ctx, a.Org.ID, f.Name, f.Description, pf.Set, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(c, "group.create", "group "+f.Name, "", store.JSON(pf.Set)))
	})
	if errors.Is(err, store.ErrConflict) {
		f.Errors["name"] = groupNameTaken(f.Name)
		return s.renderGroupForm(c, http.StatusUnprocessableEntity, f, nil)
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", strings.TrimSpace("Group "+f.Name+" created. "+permgrid.AddedViewMessage(pf.AddedView)))
	return redirect(c, groupPath(a.Org.Slug, id))
}

func orConflict(err error, taken bool) error {
	if err != nil {
		return err
	}
	if taken {
		return &store.ConflictError{Field: "name"}
	}
	return nil
}

// groupDetailProps builds a group's page around its form.
func (s *Server) groupDetailProps(c echo.Context, g store.Group, f groups.FormProps, q string) (groups.DetailProps, error) {
	a := authOf(c)
	m, err := s.groupMembersProps(c, g, q)
	if err != nil {
		return groups.DetailProps{}, err
	}
	return groups.DetailProps{Name: g.Name, Form: f, Members: m, MemberCount: m.Total,
		CanReset:  g.Predefined() && a.Can(access.ModGroups, access.Edit),
		CanDelete: !g.Predefined() && a.Can(access.ModGroups, access.Delete)}, nil
}

// groupMembersProps lists the members and, for a search q, the candidates.
func (s *Server) groupMembersProps(c echo.Context, g store.Group, q string) (groups.MembersProps, error) {
	a := authOf(c)
	ctx := c.Request().Context()
	members, err := s.db.GroupMembers(ctx, a.Org.ID, g.ID, groupMembersShown)
	if err != nil {
		return groups.MembersProps{}, err
	}
	total := len(members)
	if total >= groupMembersShown { // the list is cut: count them all
		if total, err = s.db.GroupMemberCount(ctx, g.ID); err != nil {
			return groups.MembersProps{}, err
		}
	}
	m := groups.MembersProps{Slug: a.Org.Slug, CSRF: csrfToken(c), GroupID: g.ID, GroupName: g.Name, Members: members, Total: total,
		CanEdit: a.Can(access.ModGroups, access.Edit), ActorOwner: a.Eff.IsOwner(), Query: truncateRunes(strings.TrimSpace(q), groupQueryMax)}
	if a.Can(access.ModMembers, access.View) {
		m.MembersHref = "/o/" + a.Org.Slug + "/settings/members?group=" + strconv.FormatInt(g.ID, 10)
	}
	if m.CanEdit && !CheckGridGrant(a, g.Set.RestrictTo(a.Org.Products)).IsEmpty() {
		m.AddBlocked = "You cannot add members to " + g.Name + ": it grants permissions you do not hold yourself."
	}
	if m.Query != "" && m.CanEdit && m.AddBlocked == "" {
		m.Searched = true
		if m.Candidates, err = s.db.GroupCandidates(ctx, a.Org.ID, g.ID, m.Query, groupCandidateMax); err != nil {
			return m, err
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

func (s *Server) groupDetail(c echo.Context) error {
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	f := groupForm(c, &g, authOf(c).Can(access.ModGroups, access.Edit))
	d, err := s.groupDetailProps(c, g, f, c.QueryParam("q"))
	if err != nil {
		return err
	}
	return s.ok(c, g.Name, groups.Detail(d))
}

func (s *Server) groupUpdate(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	f := groupForm(c, &g, true)
	pf, status, err := readGroupForm(c, &f)
	if err != nil {
		return err
	}
	if status != 0 {
		return s.renderGroupForm(c, status, f, &g)
	}
	changed := true
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.GroupByID(ctx, a.Org.ID, g.ID)
		if err != nil {
			return err
		}
		// The grid only shows the organization's products; grants kept for
		// products it no longer has are left as they are (they are inert).
		set := pf.Set.Union(cur.Set.Minus(cur.Set.RestrictTo(a.Org.Products)))
		if cur.Name == f.Name && cur.Description == f.Description && cur.Set == set {
			changed = false
			return nil
		}
		// Only a new name can collide (the check reads all the
		// organization's group names: most of a permission save's cost).
		if cur.Name != f.Name {
			if taken, err := tx.GroupNameTaken(ctx, a.Org.ID, f.Name, g.ID); err != nil || taken {
				return orConflict(err, taken)
			}
		}
		if err := tx.UpdateGroup(ctx, a.Org.ID, g.ID, f.Name, f.Description, set); err != nil {
			return err
		}
		target := "group " + f.Name
		if cur.Name != f.Name {
			target += " (renamed from " + cur.Name + ")"
		}
		return tx.Audit(ctx, groupAudit(c, "group.update", target, store.JSON(cur.Set), store.JSON(set)))
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, store.ErrConflict):
		f.Errors["name"] = groupNameTaken(f.Name)
		return s.renderGroupForm(c, http.StatusUnprocessableEntity, f, &g)
	case err != nil:
		return err
	}
	f.Success = "Saved. Members of " + f.Name + " get these permissions on their next page load."
	if !changed {
		f.Success = "Nothing changed."
	}
	if isHTMX(c) {
		return render(c, http.StatusOK, groups.FormSection(f), nil)
	}
	s.flash(c, "success", strings.TrimSpace(f.Success+" "+permgrid.AddedViewMessage(pf.AddedView)))
	return redirect(c, groupPath(a.Org.Slug, g.ID))
}

// groupRefused re-renders a group's page with a refusal; nothing was changed.
func (s *Server) groupRefused(c echo.Context, g store.Group, r *groupRefusal) error {
	a := authOf(c)
	d, err := s.groupDetailProps(c, g, groupForm(c, &g, a.Can(access.ModGroups, access.Edit)), "")
	if err != nil {
		return err
	}
	d.Error = r.msg
	if isHTMX(c) {
		return render(c, r.status, groups.Detail(d), nil)
	}
	return render(c, r.status, s.fullPage(c, g.Name, groups.Detail(d)), nil)
}

func (s *Server) groupReset(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.GroupByID(ctx, a.Org.ID, g.ID)
		if err != nil {
			return err
		}
		def, ok := access.PredefinedGroup(cur.PredefinedKey)
		if !ok {
			return &groupRefusal{http.StatusConflict, cur.Name + " is a custom group: only predefined groups have a default to reset to."}
		}
		set := def.Set.RestrictTo(a.Org.Products)
		if missing := CheckGridGrant(a, set); !missing.IsEmpty() {
			return &groupRefusal{http.StatusForbidden, "Not reset: the default of " + cur.Name +
				" grants permissions you do not hold yourself: " + listSome(permgrid.Describe(missing)) + "."}
		}
		if err := tx.UpdateGroup(ctx, a.Org.ID, g.ID, cur.Name, cur.Description, set); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(c, "group.reset", "group "+cur.Name, store.JSON(cur.Set), store.JSON(set)))
	})
	if err := s.groupWriteErr(c, g, err); err != nil {
		return ignoreAnswered(err)
	}
	s.flash(c, "success", "The permissions of "+g.Name+" were reset to their default.")
	return redirect(c, groupPath(a.Org.Slug, g.ID))
}

// groupWriteErr maps a refused or failed group change to its answer; nil
// when the change was made.
func (s *Server) groupWriteErr(c echo.Context, g store.Group, err error) error {
	var r *groupRefusal
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.As(err, &r):
		if rerr := s.groupRefused(c, g, r); rerr != nil {
			return rerr
		}
		return errAnswered
	}
	return err
}

// errAnswered: the response is written; the handler returns nil.
var errAnswered = errors.New("answered")

func listSome(xs []string) string {
	const max = 8
	if len(xs) > max {
		return strings.Join(xs[:max], ", ") + fmt.Sprintf(" and %d more", len(xs)-max)
	}
	return strings.Join(xs, ", ")
}

func (s *Server) groupDelete(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	var members int
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.GroupByID(ctx, a.Org.ID, g.ID)
		if err != nil {
			return err
		}
		if cur.Predefined() {
			return &groupRefusal{http.StatusConflict, cur.Name + " is a predefined group: it cannot be deleted. You can edit it, or reset it to its default."}
		}
		// Members for whom this is the only group fall back to their role
		// template (DESIGN §3 rule 5), which may grant more than the group.
		roles, err := tx.SoleGroupRoles(ctx, a.Org.ID, g.ID)
		if err != nil {
			return err
		}
		for _, role := range roles {
			before := access.Resolve(access.Input{Role: role, Groups: store.Grants([]store.Group{cur}), Products: a.Org.Products})
			after := access.Resolve(access.Input{Role: role, Products: a.Org.Products})
			if missing := CheckGridGrant(a, after.Set.Minus(before.Set)); !missing.IsEmpty() {
				return &groupRefusal{http.StatusForbidden, fmt.Sprintf("Not deleted: members whose only group is %s would fall back to the %s role's permissions, "+
					"which include permissions you do not hold yourself: %s.", cur.Name, role.Label(), listSome(permgrid.Describe(missing)))}
			}
		}
		if members, err = tx.GroupMemberCount(ctx, g.ID); err != nil {
			return err
		}
		if err := tx.DeleteGroup(ctx, a.Org.ID, g.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(c, "group.delete", "group "+cur.Name, store.JSON(cur.Set), ""))
	})
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
	s.flash(c, "success", msg)
	return redirect(c, "/o/"+a.Org.Slug+"/settings/groups")
}

func ignoreAnswered(err error) error {
	if errors.Is(err, errAnswered) {
		return nil
	}
	return err
}

func (s *Server) groupCandidates(c echo.Context) error {
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	if !isHTMX(c) {
		return redirect(c, groupPath(authOf(c).Org.Slug, g.ID)+"?q="+url.QueryEscape(q))
	}
	m, err := s.groupMembersProps(c, g, q)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, groups.Candidates(m), nil)
}

// memberLayers is a membership's input to the engine with its groups.
func memberLayers(ctx context.Context, tx *store.Tx, org store.Org, mid int64) (access.Input, []store.Group, error) {
	m, err := tx.Membership(ctx, org.ID, mid)
	if err != nil {
		return access.Input{}, nil, err
	}
	gs, err := tx.GroupsOfMember(ctx, org.ID, mid)
	if err != nil {
		return access.Input{}, nil, err
	}
	return access.Input{Role: m.Role, Custom: m.Custom, Groups: store.Grants(gs), Products: org.Products}, gs, nil
}

func (s *Server) groupMemberAdd(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	mid, perr := strconv.ParseInt(c.FormValue("membership_id"), 10, 64)
	if perr != nil || mid <= 0 {
		return s.groupMembersAnswer(c, g, http.StatusUnprocessableEntity, "", "Choose a member to add.")
	}
	var target store.GroupMember
	already := false
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if target, err = tx.MemberForGroup(ctx, a.Org.ID, mid); err != nil {
			return err
		}
		if target.Role == access.RoleOwner && !a.Eff.IsOwner() {
			return &groupRefusal{http.StatusForbidden, "Only an owner can change an owner's groups."}
		}
		cur, err := tx.GroupByID(ctx, a.Org.ID, g.ID)
		if err != nil {
			return err
		}
		// Adding grants the whole group: the actor must hold all of it.
		if missing := CheckGridGrant(a, cur.Set.RestrictTo(a.Org.Products)); !missing.IsEmpty() {
			return &groupRefusal{http.StatusForbidden, "Not added: " + cur.Name + " grants permissions you do not hold yourself: " +
				listSome(permgrid.Describe(missing)) + "."}
		}
		before, err := tx.GroupsOfMember(ctx, a.Org.ID, mid)
		if err != nil {
			return err
		}
		for _, bg := range before {
			if bg.ID == g.ID {
				already = true
				return nil
			}
		}
		if err := tx.AddGroupMember(ctx, a.Org.ID, g.ID, mid); err != nil {
			return err
		}
		after, err := tx.GroupsOfMember(ctx, a.Org.ID, mid)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(c, "group.member_add", target.Email,
			store.JSON(map[string]any{"groups": store.GroupNames(before)}), store.JSON(map[string]any{"groups": store.GroupNames(after)})))
	})
	if done, err := s.groupMembersErr(c, g, err); done {
		return err
	}
	msg := "Added " + target.Name + " to " + g.Name + ". They get its permissions on their next page load."
	if already {
		msg = target.Name + " is already in " + g.Name + "."
	}
	return s.groupMembersAnswer(c, g, http.StatusOK, msg, "")
}

func (s *Server) groupMemberRemove(c echo.Context) error {
	a := authOf(c)
	ctx := c.Request().Context()
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	mid, perr := strconv.ParseInt(c.Param("mid"), 10, 64)
	if perr != nil || mid <= 0 {
		return errNotFound
	}
	var target store.GroupMember
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if target, err = tx.MemberForGroup(ctx, a.Org.ID, mid); err != nil {
			return err
		}
		if target.Role == access.RoleOwner && !a.Eff.IsOwner() {
			return &groupRefusal{http.StatusForbidden, "Only an owner can change an owner's groups."}
		}
		in, before, err := memberLayers(ctx, tx, *a.Org, mid)
		if err != nil {
			return err
		}
		// Leaving a group usually only takes away, but leaving the last one
		// falls back to the role template: the actor must hold any gain.
		var rest []store.Group
		for _, bg := range before {
			if bg.ID != g.ID {
				rest = append(rest, bg)
			}
		}
		if len(rest) == len(before) {
			return store.ErrNotFound
		}
		was := access.Resolve(in)
		in.Groups = store.Grants(rest)
		if missing := CheckGridGrant(a, access.Resolve(in).Set.Minus(was.Set)); !missing.IsEmpty() {
			return &groupRefusal{http.StatusForbidden, fmt.Sprintf("Not removed: without %s, %s would fall back to the %s role's permissions, "+
				"which include permissions you do not hold yourself: %s.", g.Name, target.Name, in.Role.Label(), listSome(permgrid.Describe(missing)))}
		}
		if err := tx.RemoveGroupMember(ctx, a.Org.ID, g.ID, mid); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(c, "group.member_remove", target.Email,
			store.JSON(map[string]any{"groups": store.GroupNames(before)}), store.JSON(map[string]any{"groups": store.GroupNames(rest)})))
	})
	if done, err := s.groupMembersErr(c, g, err); done {
		return err
	}
	return s.groupMembersAnswer(c, g, http.StatusOK, "Removed "+target.Name+" from "+g.Name+".", "")
}

// groupMembersErr answers a failed membership change (done = true).
func (s *Server) groupMembersErr(c echo.Context, g store.Group, err error) (bool, error) {
	var r *groupRefusal
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, store.ErrNotFound):
		return true, errNotFound
	case errors.As(err, &r):
		return true, s.groupMembersAnswer(c, g, r.status, "", r.msg)
	}
	return true, err
}

// groupMembersAnswer shows the members section (htmx) or the group's page
// with a message; a success without htmx redirects (POST-redirect-GET).
func (s *Server) groupMembersAnswer(c echo.Context, g store.Group, status int, success, failure string) error {
	a := authOf(c)
	if status == http.StatusOK && !isHTMX(c) {
		s.flash(c, "success", success)
		return redirect(c, groupPath(a.Org.Slug, g.ID))
	}
	fresh, err := s.db.Group(c.Request().Context(), a.Org.ID, g.ID)
	if err != nil {
		return err
	}
	d, err := s.groupDetailProps(c, fresh, groupForm(c, &fresh, a.Can(access.ModGroups, access.Edit)), "")
	if err != nil {
		return err
	}
	d.Members.Success, d.Members.Error = success, failure
	if isHTMX(c) {
		return render(c, status, groups.MembersChanged(d), nil)
	}
	return render(c, status, s.fullPage(c, fresh.Name, groups.Detail(d)), nil)
}
