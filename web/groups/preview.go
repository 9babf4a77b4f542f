package groups

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/groups"
	"gatehouse/views/preview"
	"gatehouse/web/app"
)

// The effect of a group's change on its members, before it is saved
// (ARCHITECTURE.md, Previews): every member resolved by the engine with
// the group as it is and as edited, counted per alike members.

// groupImpact is what giving the group set would change for its members.
func (s *Handlers) groupImpact(c echo.Context, g domain.Group, set access.Set) (access.Impact, error) {
	alike, err := s.groupMemberInputs(c, g.ID)
	if err != nil {
		return access.Impact{}, err
	}
	var im access.Impact
	for _, w := range alike {
		after := w.In
		after.Groups = make([]access.GroupGrant, len(w.In.Groups))
		copy(after.Groups, w.In.Groups)
		for i := range after.Groups {
			if after.Groups[i].Name == g.Name { // names are unique in an organization
				after.Groups[i].Set = set
			}
		}
		im.Add(w.In, after, w.Members)
	}
	return im, nil
}

// groupMemberInputs is store.GroupMemberInputs at the versions of the
// request's auth (ARCHITECTURE.md, Previews): each part comes from the
// cache when it was read at that version, else from the store, kept under
// the version the store read it at (so an entry is never newer or older
// than its key).
func (s *Handlers) groupMemberInputs(c echo.Context, groupID int64) ([]store.AlikeMembers, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	org := a.Org.ID
	gg, ok := s.grants.Get(groupAt{org, 0, a.Org.PermVersion, 0}, 0)
	if !ok {
		var err error
		if gg, err = s.DB.GroupGrants(ctx, org); err != nil {
			return nil, err
		}
		s.grants.Put(groupAt{org, 0, gg.PermVersion, 0}, gg, gg.Size(), 0)
	}
	sh, ok := s.shapes.Get(groupAt{org, groupID, a.Org.MembersVersion, a.Org.NextExpiry}, 0)
	if !ok {
		var err error
		if sh, err = s.DB.GroupMembersShape(ctx, org, groupID); err != nil {
			return nil, err
		}
		s.shapes.Put(groupAt{org, groupID, sh.MembersVersion, a.Org.NextExpiry}, sh, sh.Size(), 0)
	}
	return sh.Inputs(*a.Org, groupID, gg), nil
}

// groupPreviewProps words the impact for the group's panel.
func groupPreviewProps(a *app.Auth, g domain.Group, im access.Impact, set access.Set) preview.Props {
	p := preview.Build(im, preview.Who{Of: "of " + g.Name})
	p.ID, p.URL = groups.PreviewID, groups.PreviewURL(a.Org.Slug, g.ID)
	if msg := app.GrantRefusal(a, set); msg != "" {
		p.Errors = append(p.Errors, msg)
	}
	return p
}

// groupPreview answers the group form's grid with the preview panel; it
// writes nothing.
func (s *Handlers) groupPreview(c echo.Context) error {
	a := app.AuthOf(c)
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	pf, err := app.DecodePermForm(form, a.Org.Products)
	if err != nil {
		p := groups.IdlePreview(a.Org.Slug, g)
		p.Pending, p.Errors = "", []string{err.Error()}
		return app.Render(c, domain.CodeInvalid.Status(), preview.Panel(p), nil)
	}
	im, err := s.groupImpact(c, g, pf.Set)
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, preview.Panel(groupPreviewProps(a, g, im, pf.Set)), nil)
}

// membershipPreview is the panel of adding member mi to g (or removing
// them): the member's layers edited on a copy.
func (s *Handlers) membershipPreview(c echo.Context, g domain.Group, mi store.MemberInfo, add bool) (preview.Props, error) {
	return s.MemberPreview(c, mi.Membership, cmp.Or(mi.Name, mi.Email), func(in *access.Input) {
		in.Groups = slices.DeleteFunc(in.Groups, func(gg access.GroupGrant) bool { return gg.Name == g.Name })
		if add {
			in.Groups = append(in.Groups, access.GroupGrant{Name: g.Name, Set: g.Set})
		}
	})
}

// membershipEffect is, in one sentence, what adding member mid to g (or
// removing them) would change for them: the layer rule when it bites,
// else the summary; "" when it cannot be said (the change decides).
func (s *Handlers) membershipEffect(c echo.Context, g domain.Group, mid int64, add bool) string {
	mi, err := s.DB.MemberInfo(c.Request().Context(), app.AuthOf(c).Org.ID, mid)
	if err != nil {
		return ""
	}
	p, err := s.membershipPreview(c, g, mi, add)
	if err != nil {
		return ""
	}
	return cmp.Or(p.Rule, p.Summary)
}

// removePreview is the confirm step of removing member :mid from the
// group: the panel, then the button that removes them; it writes nothing.
func (s *Handlers) removePreview(c echo.Context) error {
	a := app.AuthOf(c)
	g, err := s.loadGroup(c)
	if err != nil {
		return err
	}
	mid, err := app.PathID(c, "mid")
	if err != nil {
		return err
	}
	mi, err := s.MemberInfo(c, mid)
	if err != nil {
		return err
	}
	p, err := s.membershipPreview(c, g, mi, false)
	if err != nil {
		return err
	}
	p.ID = groups.RemovePreviewID
	cp := groups.RemoveConfirmProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), GroupID: g.ID, GroupName: g.Name,
		MembershipID: mid, Name: cmp.Or(mi.Name, mi.Email), Preview: p}
	if membership.OwnersOnly(a.Eff, mi.Role) {
		cp.Blocked = "Only an owner can change an owner's groups."
	}
	return app.Render(c, http.StatusOK, groups.RemoveConfirm(cp), nil)
}
