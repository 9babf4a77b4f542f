package members

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/members"
	"gatehouse/views/permgrid"
	"gatehouse/views/preview"
	"gatehouse/web/app"
)

// A member page's previews (ARCHITECTURE.md, Previews): the role form and
// the groups form post their unsaved values to …/members/:id/preview; the
// save states the same summary.

// parseGroupIDs reads the chosen groups of a form.
func parseGroupIDs(vals []string) ([]int64, error) {
	var ids []int64
	for _, v := range vals {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, domain.Invalid("groups", "One of the chosen groups is not valid. Reload the page and try again.")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// chosenGrants are the organization's groups chosen in a form (their ids);
// an id that is not one of them is refused like a malformed one.
func (s *Handlers) chosenGrants(c echo.Context, vals []string) ([]access.GroupGrant, error) {
	ids, err := parseGroupIDs(vals)
	if err != nil {
		return nil, err
	}
	all, err := s.DB.Groups(c.Request().Context(), app.AuthOf(c).Org.ID)
	if err != nil {
		return nil, err
	}
	var chosen []domain.Group
	for _, id := range ids {
		i := slices.IndexFunc(all, func(g domain.Group) bool { return g.ID == id })
		if i < 0 {
			return nil, domain.Invalid("groups", "One of the chosen groups is not valid. Reload the page and try again.")
		}
		chosen = append(chosen, all[i])
	}
	return store.Grants(chosen), nil
}

// memberFormPreview is what the posted role form (role) or groups form
// (groups_sent, groups) would change for member mi.
func (s *Handlers) memberFormPreview(c echo.Context, mi store.MemberInfo, form url.Values) (preview.Props, error) {
	slug := app.AuthOf(c).Org.Slug
	if form.Has("groups_sent") {
		grants, err := s.chosenGrants(c, form["groups"])
		if err != nil {
			return preview.Props{}, err
		}
		p, err := s.MemberPreview(c, mi.Membership, displayNameOf(mi), func(in *access.Input) { in.Groups = grants })
		p.ID, p.URL = members.GroupsPreviewID, members.PreviewURL(slug, mi.ID)
		return p, err
	}
	role, ok := access.ParseRole(form.Get("role"))
	if !ok {
		return preview.Props{}, domain.Invalid("role", "Choose one of the roles.")
	}
	p, err := s.MemberPreview(c, mi.Membership, displayNameOf(mi), func(in *access.Input) { in.Role = role })
	p.ID, p.URL = members.RolePreviewID, members.PreviewURL(slug, mi.ID)
	return p, err
}

// memberPreview answers the member page's role or groups form with its
// preview panel; it writes nothing.
func (s *Handlers) memberPreview(c echo.Context) error {
	mi, form, err := s.previewTarget(c)
	if err != nil {
		return err
	}
	p, err := s.memberFormPreview(c, mi, form)
	if e := domain.AsError(err); e != nil {
		p = preview.Props{ID: members.RolePreviewID, Errors: []string{e.Message}}
		if form.Has("groups_sent") {
			p.ID = members.GroupsPreviewID
		}
		return app.Render(c, e.Status(), preview.Panel(p), nil)
	}
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, preview.Panel(p), nil)
}

// previewTarget reads :id (another organization's member is a 404) and the form.
func (s *Handlers) previewTarget(c echo.Context) (store.MemberInfo, url.Values, error) {
	id, err := memberID(c)
	if err != nil {
		return store.MemberInfo{}, nil, err
	}
	mi, err := s.DB.MemberInfo(c.Request().Context(), app.AuthOf(c).Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return mi, nil, app.ErrNotFound
	} else if err != nil {
		return mi, nil, err
	}
	form, err := c.FormParams()
	if err != nil {
		return mi, nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	return mi, form, nil
}

// savedSummary is the preview's summary of a change about to be saved, for
// the notice after it ("" when it cannot be computed: the save decides).
func (s *Handlers) savedSummary(c echo.Context) string {
	mi, form, err := s.previewTarget(c)
	if err != nil {
		return ""
	}
	p, err := s.memberFormPreview(c, mi, form)
	if err != nil {
		return ""
	}
	return p.Summary
}

// invitePreview is what an invitee gets with role and the chosen groups:
// the role template, and what the groups change when they replace it.
func invitePreview(a *app.Auth, email string, role access.Role, grants []access.GroupGrant) preview.Props {
	products := a.Org.Products
	alone := access.Input{Role: role, Products: products}
	with := alone
	with.Groups = grants
	var im access.Impact
	im.Add(alone, with, 1)
	who := cmp.Or(email, "The new member")
	p := preview.Build(im, preview.Who{Name: who, Role: role})
	p.Pending = ""
	p.Headline = who + " will get " + permgrid.Summary(access.Resolve(with).Set, products) + "."
	if msg := app.UnheldText(a, access.Nobody(products), with); msg != "" {
		p.Errors = append(p.Errors, msg)
	}
	p.ID, p.URL = members.InvitePreviewID, members.InvitePreviewURL(a.Org.Slug)
	return p
}

// inviteFormPreview answers the invite form with its preview; it writes nothing.
func (s *Handlers) inviteFormPreview(c echo.Context) error {
	a := app.AuthOf(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	p, err := s.invitePreviewOf(c, form)
	if e := domain.AsError(err); e != nil {
		p = preview.Props{ID: members.InvitePreviewID, URL: members.InvitePreviewURL(a.Org.Slug), Errors: []string{e.Message}}
		return app.Render(c, e.Status(), preview.Panel(p), nil)
	}
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, preview.Panel(p), nil)
}

// invitePreviewOf reads the invite form's email, role and groups.
func (s *Handlers) invitePreviewOf(c echo.Context, form url.Values) (preview.Props, error) {
	role, ok := access.ParseRole(form.Get("role"))
	if !ok {
		return preview.Props{}, domain.Invalid("role", "Choose one of the roles.")
	}
	grants, err := s.chosenGrants(c, form["groups"])
	if err != nil {
		return preview.Props{}, err
	}
	return invitePreview(app.AuthOf(c), strings.TrimSpace(form.Get("email")), role, grants), nil
}
