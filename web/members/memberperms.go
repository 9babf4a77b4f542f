package members

import (
	"cmp"
	"errors"
	"fmt"
	"gatehouse/web/app"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/memberperms"
	"gatehouse/views/permgrid"
	"gatehouse/views/preview"
)

// A member's permissions page (the README, Screens): tabs "Role
// & groups" and "Individual permission". Every change goes through the
// membership service (one transaction, anti-escalation, audit); the page
// only reads, decodes the grid and explains.

// mpTarget is the member whose permissions the page shows.
type mpTarget struct {
	mi     store.MemberInfo
	in     access.Input       // the member's layers as assembled (store.MemberLayers); previews edit copies
	groups []domain.Group     // the member's groups, by name
	x      access.Explanation // resolved as if active (a suspended member gets this back)
}

// pathTarget is the member of the path's :id (and that id), loaded as
// loadMPTarget does.
func (s *Handlers) pathTarget(c echo.Context) (int64, mpTarget, error) {
	id, err := memberID(c)
	if err != nil {
		return id, mpTarget{}, err
	}
	t, err := s.loadMPTarget(c, id)
	return id, t, err
}

func (s *Handlers) loadMPTarget(c echo.Context, id int64) (mpTarget, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	mi, err := s.DB.MemberInfo(ctx, a.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return mpTarget{}, app.ErrNotFound
	} else if err != nil {
		return mpTarget{}, err
	}
	in, groups, err := s.DB.MemberLayers(ctx, *a.Org, mi.Membership)
	if err != nil {
		return mpTarget{}, err
	}
	active := in
	active.Suspended = false
	return mpTarget{mi: mi, in: in, groups: groups, x: access.Explain(active)}, nil
}

// memberPermsProps builds the page as the actor may see and use it.
func (s *Handlers) memberPermsProps(c echo.Context, t mpTarget, tab string) (memberperms.Props, error) {
	a := app.AuthOf(c)
	products := a.Org.Products
	mi := t.mi
	p := memberperms.Props{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), OrgName: a.Org.Name, Tab: tab,
		Member:  personOf(mi.Membership, mi.Name, mi.Email, mi.PhotoVersion),
		CanEdit: a.Can(access.ModMembers, access.Edit), Owner: mi.Role == access.RoleOwner, Custom: mi.Custom != nil}
	names := store.GroupNames(t.groups)
	p.Deciding = memberperms.Deciding{Layer: string(t.x.Layer), Summary: permgrid.Summary(t.x.Set, products)}
	for _, m := range access.Modules() {
		if products.HasModule(m.ID) {
			p.Deciding.Fields = append(p.Deciding.Fields, app.FieldLines(t.x, m)...)
		}
	}
	p.Deciding.Headline, p.Deciding.Notes = memberperms.DecidingText(string(t.x.Layer), string(mi.Role), names, mi.Suspended())
	p.Deciding.Notes = append(p.Deciding.Notes, app.EndNotes("Their", mi.Membership, t.groups)...)
	// The service refuses changing someone who holds more than the actor
	// (membership.MayTouch); say so up front instead of offering a form.
	if p.CanEdit && !p.Owner {
		if missing := membership.MayTouch(a.Eff, t.in).Missing; !missing.IsEmpty() {
			p.Locked = fmt.Sprintf("%s holds permissions you don't have (%s), so only someone who holds them can change their permissions.",
				p.Member.DisplayName(), app.ListSome(permgrid.Describe(missing)))
		}
	}
	// Returning to inherited permissions is judged like every fall-back:
	// say up front when what would then decide grants more than the actor
	// holds (the service refuses it anyway).
	if p.CanEdit && !p.Owner && mi.Custom != nil {
		after := t.in
		after.Custom = nil
		if missing := access.UnheldGain(a.Eff, t.in, after); !missing.IsEmpty() {
			p.Fallback = fmt.Sprintf("Returning to inherited permissions would give %s permissions you don't have (%s), so only someone who holds them can turn individual permissions off.",
				p.Member.DisplayName(), app.ListSome(permgrid.Describe(missing)))
		} else if fe := access.UnheldFieldGain(a.Eff, t.in, after); fe != nil {
			p.Fallback = fmt.Sprintf("Returning to inherited permissions would open field levels above your own for %s (%s), so only someone who holds them can turn individual permissions off.",
				p.Member.DisplayName(), app.ListSome(fe.Fields))
		}
	}
	p.RoleGrid = permgrid.Props{Set: access.RoleTemplate(mi.Role).RestrictTo(products), Products: products, ReadOnly: true, NoFields: true, ID: "mp-role-grid", Rows: s.GridRows}
	p.Current = permgrid.Props{Set: t.x.Set, Products: products, ReadOnly: true, NoFields: true, ID: "mp-current-grid", Rows: s.GridRows}
	if mi.Custom != nil {
		p.Grid = permgrid.Props{Set: mi.Custom.RestrictTo(products), Products: products, ReadOnly: !p.Editable(),
			Grantable: app.PermGrantable(a), Held: app.PermHeld(a), ID: "mp-grid", Rows: s.GridRows}
		p.Preview = mpPreview(a, t, app.PermForm{Set: *mi.Custom})
	}
	in := map[int64]bool{}
	for _, g := range t.groups {
		in[g.ID] = true
	}
	if !p.Editable() {
		for _, g := range t.groups {
			p.Groups = append(p.Groups, memberperms.GroupOption{ID: g.ID, Name: g.Name, Checked: true})
		}
		return p, nil
	}
	all, err := s.DB.Groups(c.Request().Context(), a.Org.ID)
	if err != nil {
		return p, err
	}
	for _, g := range all {
		o := memberperms.GroupOption{ID: g.ID, Name: g.Name, Checked: in[g.ID]}
		// A group the actor could not grant can be kept or removed, not added.
		if !o.Checked && !membership.CanGrantGroup(a.Eff, g) {
			o.Disabled, o.Note = true, "Grants permissions you don't hold"
		}
		p.Groups = append(p.Groups, o)
	}
	return p, nil
}

// mpPreview says what saving pf as the member's individual permissions
// would do, compared with what they have now: the engine's diff
// (access.Impact) in the shared panel, with this tab's notes.
func mpPreview(a *app.Auth, t mpTarget, pf app.PermForm) preview.Props {
	id := memberperms.PreviewURL(a.Org.Slug, t.mi.ID)
	if t.mi.Role == access.RoleOwner {
		return preview.Props{ID: memberperms.PreviewID, URL: id, Errors: []string{memberperms.GoldenRule}}
	}
	products := a.Org.Products
	before := t.in // as if active
	before.Suspended = false
	after := before
	after.Custom = &pf.Set
	var im access.Impact
	im.Add(before, after, 1)
	v := preview.Build(im, preview.Who{Name: displayNameOf(t.mi), Role: t.mi.Role})
	v.ID, v.URL = memberperms.PreviewID, id
	v.Headline = "After saving, individual permissions decide: exactly what is ticked, from their next request."
	v.Rule = memberperms.OverridesText(string(t.mi.Role), store.GroupNames(t.groups))
	if im.Changed == 0 {
		v.Pending = "No changes yet: tick or untick a box to see what a save would change."
	}
	addedView := permgrid.AddedViewMessage(pf.AddedView)
	if inert := pf.Set.RestrictTo(products).Minus(access.Resolve(after).Set); !inert.IsEmpty() {
		addedView = strings.TrimSpace(addedView + " Without View these do nothing: " + app.ListSome(permgrid.Describe(inert)) + ".")
	}
	if addedView != "" {
		v.Notes = append(v.Notes, addedView)
	}
	if access.Resolve(after).Set.IsEmpty() {
		v.Warnings = append(v.Warnings, "These individual permissions grant nothing: "+displayNameOf(t.mi)+" will have no module at all in "+a.Org.Name+".")
	}
	if msg := app.GrantRefusal(a, pf.Set); msg != "" {
		v.Errors = append(v.Errors, msg)
	}
	return v
}

func displayNameOf(mi store.MemberInfo) string { return cmp.Or(mi.Name, mi.Email) }

func (s *Handlers) renderMemberPerms(c echo.Context, status int, p memberperms.Props) error {
	title := "Permissions · " + p.Member.DisplayName()
	return app.Render(c, status, s.FullPage(c, title, memberperms.Page(p)), memberperms.Body(p))
}

// memberPerms is the page; ?tab=role (default) or ?tab=individual. An
// htmx tab click gets the body only.
func (s *Handlers) memberPerms(c echo.Context) error {
	_, t, err := s.pathTarget(c)
	if err != nil {
		return err
	}
	tab, warning := memberperms.TabRole, ""
	switch q := c.QueryParam("tab"); q {
	case "", memberperms.TabRole:
	case memberperms.TabIndividual:
		tab = q
	default:
		warning = "There is no tab “" + app.Clip(q) + "”; showing Role & groups."
	}
	p, err := s.memberPermsProps(c, t, tab)
	if err != nil {
		return err
	}
	p.Warning = warning
	return s.renderMemberPerms(c, http.StatusOK, p)
}

// mpChange runs one change of the individual tab and answers with the
// page's body (htmx) or a redirect to the tab (plain form). A refusal is
// shown on the tab with its status (403 anti-escalation and owner rules,
// 422 otherwise); nothing is written then.
func (s *Handlers) mpChange(c echo.Context, do func(t mpTarget) (string, error)) error {
	id, t, err := s.pathTarget(c)
	if err != nil {
		return err
	}
	notice, err := do(t)
	if err != nil {
		return s.mpRefused(c, t, err, nil)
	}
	return s.mpSaved(c, id, notice)
}

// mpSaved answers a saved change of the individual tab: a flash and a
// redirect for a plain form, the reloaded tab with the notice for htmx.
func (s *Handlers) mpSaved(c echo.Context, id int64, notice string) error {
	if !app.IsHTMX(c) {
		s.Flash(c, "success", notice)
		return app.Redirect(c, memberperms.TabURL(app.AuthOf(c).Org.Slug, id, memberperms.TabIndividual))
	}
	t, err := s.loadMPTarget(c, id)
	if err != nil {
		return err
	}
	p, err := s.memberPermsProps(c, t, memberperms.TabIndividual)
	if err != nil {
		return err
	}
	p.Notice = notice
	return s.renderMemberPerms(c, http.StatusOK, p)
}

// mpRefused renders the individual tab with the service's refusal;
// adjust, when set, puts the submitted grid back (with missing cells).
func (s *Handlers) mpRefused(c echo.Context, t mpTarget, err error, adjust func(*memberperms.Props)) error {
	e, err := app.Refusal(err)
	if err != nil {
		return err
	}
	p, perr := s.memberPermsProps(c, t, memberperms.TabIndividual)
	if perr != nil {
		return perr
	}
	if adjust != nil {
		adjust(&p)
	}
	p.Error = e.Message
	return s.renderMemberPerms(c, e.Status(), p)
}

func (s *Handlers) memberPermsEnable(c echo.Context) error {
	return s.mpChange(c, func(t mpTarget) (string, error) {
		// The service decides (an owner, a member above the actor); a
		// second enable changes nothing.
		if _, err := s.Members().EnableCustom(c.Request().Context(), app.Actor(c), t.mi.ID); err != nil {
			return "", err
		}
		if t.mi.Custom != nil {
			return "Individual permissions are already on.", nil
		}
		return "Individual permissions are on, starting from a copy of exactly what " + displayNameOf(t.mi) +
			" had. Change them below and save.", nil
	})
}

func (s *Handlers) memberPermsDisable(c echo.Context) error {
	return s.mpChange(c, func(t mpTarget) (string, error) {
		if err := s.Members().ClearCustom(c.Request().Context(), app.Actor(c), t.mi.ID); err != nil {
			return "", err
		}
		if t.mi.Custom == nil {
			return displayNameOf(t.mi) + " already inherits their permissions.", nil
		}
		return displayNameOf(t.mi) + " is back on inherited permissions: their groups or role template decide from their next request.", nil
	})
}

// memberPermsSave replaces the individual set with the submitted grid.
func (s *Handlers) memberPermsSave(c echo.Context) error {
	a := app.AuthOf(c)
	id, t, pf, err := s.readMemberGrid(c)
	if gridUnreadable(err) {
		return s.mpRefused(c, t, &domain.Error{Code: domain.CodeInvalid, Field: "perm",
			Message: "Nothing was saved: the permission grid could not be read."}, func(p *memberperms.Props) {
			p.GridError = err.Error()
			p.Grid.FieldErrors = pf.FieldErrors
		})
	}
	if err != nil {
		return err
	}
	// Mark what the actor may not grant; the service checks again inside
	// its transaction and has the last word.
	withGrid := func(p *memberperms.Props) {
		if p.Editable() {
			p.Grid.Set, p.Grid.AddedView = pf.Set, pf.AddedView
			p.Grid.Missing = app.CheckGridGrant(a, pf.Set)
			p.Grid.FieldErrors = app.FieldOverreach(a, pf.Set)
			p.Preview = mpPreview(a, t, pf)
		}
	}
	if missing := app.CheckGridGrant(a, pf.Set); !missing.IsEmpty() && t.mi.Role != access.RoleOwner {
		return s.mpRefused(c, t, domain.Escalation("perm", missing,
			"Nothing was saved: you can only grant permissions you hold yourself. Untick the highlighted ones."), withGrid)
	}
	if err := s.Members().SetCustom(c.Request().Context(), app.Actor(c), id, pf.Set); err != nil {
		return s.mpRefused(c, t, err, withGrid)
	}
	notice := "Saved. " + displayNameOf(t.mi) + "'s individual permissions apply from their next request."
	if msg := permgrid.AddedViewMessage(pf.AddedView); msg != "" {
		notice += " " + msg
	}
	return s.mpSaved(c, id, notice)
}

// memberPermsPreview answers the grid's changes with the preview panel;
// it writes nothing.
func (s *Handlers) memberPermsPreview(c echo.Context) error {
	a := app.AuthOf(c)
	id, t, pf, err := s.readMemberGrid(c)
	if gridUnreadable(err) {
		v := preview.Props{ID: memberperms.PreviewID, URL: memberperms.PreviewURL(a.Org.Slug, id), Errors: []string{err.Error()}}
		return app.Render(c, domain.CodeInvalid.Status(), preview.Panel(v), nil)
	}
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, preview.Panel(mpPreview(a, t, pf)), nil)
}

// readMemberGrid loads the target member and decodes the submitted grid,
// shared by save and preview. A grid that does not decode comes back as
// an invalid *domain.Error (gridUnreadable); other errors are final.
func (s *Handlers) readMemberGrid(c echo.Context) (int64, mpTarget, app.PermForm, error) {
	id, t, err := s.pathTarget(c)
	if err != nil {
		return id, t, app.PermForm{}, err
	}
	form, err := c.FormParams()
	if err != nil {
		return id, t, app.PermForm{}, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	pf, err := app.DecodePermForm(form, app.AuthOf(c).Org.Products)
	if err != nil {
		return id, t, pf, err
	}
	return id, t, pf, nil
}

// gridUnreadable reports whether readMemberGrid's err is the grid's own
// (DecodePermForm's invalid refusal) rather than a missing member.
func gridUnreadable(err error) bool { return domain.HasCode(err, domain.CodeInvalid) }
