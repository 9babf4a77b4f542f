package app

import (
	"errors"
	"slices"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/permgrid"
	"gatehouse/views/preview"
)

// MemberPreview is what edit would change for one member of the actor's
// organization (ARCHITECTURE.md, Previews): their layers as the store
// assembles them, edited on a copy, both resolved as if active by the
// engine and worded with name. A gain the actor does not hold is named as
// the refusal the save would meet. The caller sets the panel's ID and URL.
func (k *Kernel) MemberPreview(c echo.Context, m domain.Membership, name string, edit func(*access.Input)) (preview.Props, error) {
	a := AuthOf(c)
	before, err := k.DB.MemberInput(c.Request().Context(), *a.Org, m, store.AllLayers)
	if err != nil {
		return preview.Props{}, err
	}
	before.Suspended = false
	after := before
	after.Groups = slices.Clone(before.Groups)
	edit(&after)
	var im access.Impact
	im.Add(before, after, 1)
	p := preview.Build(im, preview.Who{Name: name, Role: after.Role})
	if msg := UnheldText(a, before, after); msg != "" {
		p.Errors = append(p.Errors, msg)
	}
	return p, nil
}

// UnheldText is a preview's refusal when the change from before to after
// gives what the actor does not hold, actions and flags, else field levels
// ("" when it gives nothing such).
func UnheldText(a *Auth, before, after access.Input) string {
	missing := access.UnheldGain(a.Eff, before, after)
	if missing.IsEmpty() {
		if fe := access.UnheldFieldGain(a.Eff, before, after); fe != nil {
			return "This cannot be saved: it opens field levels above your own (" + ListSome(fe.Fields) + ")."
		}
		return ""
	}
	return "This cannot be saved: it gives permissions you don't hold (" + ListSome(permgrid.Describe(missing)) + ")."
}

// MemberInfo reads member id of the actor's organization for a preview;
// another organization's member is a 404.
func (k *Kernel) MemberInfo(c echo.Context, id int64) (store.MemberInfo, error) {
	mi, err := k.DB.MemberInfo(c.Request().Context(), AuthOf(c).Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return mi, ErrNotFound
	}
	return mi, err
}
