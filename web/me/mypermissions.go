package me

import (
	"bytes"
	"context"
	"gatehouse/web/app"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
	"gatehouse/views/mypermissions"
)

// myExplanation explains the member's own access with the engine's rules.
// It passes every group whatever the layer (the auth layer skips loading
// them when they cannot matter): layers are exclusive, so the resolved set
// is the auth layer's, and the page can name the groups an individual set
// or the owner role overrides.
func (s *Handlers) myExplanation(c echo.Context) (access.Explanation, error) {
	a := app.AuthOf(c)
	return s.ExplanationOf(c.Request().Context(), *a.Org, *a.Membership)
}

// ExplanationOf explains m with every layer the store assembles for it.
func (s *Handlers) ExplanationOf(ctx context.Context, org domain.Org, m domain.Membership) (access.Explanation, error) {
	in, err := s.DB.MemberInput(ctx, org, m, store.AllLayers)
	if err != nil {
		return access.Explanation{}, err
	}
	return access.Explain(in), nil
}

// MyPermissions is My Permissions. Its content is rendered once per
// member and permission version (see explainCache); the shell is not cached.
func (s *Handlers) MyPermissions(c echo.Context) error {
	a := app.AuthOf(c)
	key := explainKey{org: a.Org.ID, version: a.Org.PermVersion, expiry: a.Org.NextExpiry, role: a.Membership.Role, orgName: a.Org.Name, slug: a.Org.Slug}
	html, ok := s.explains.get(a.Membership.ID, key)
	if !ok {
		x, err := s.myExplanation(c)
		if err != nil {
			return err
		}
		customEmpty := a.Membership.Custom != nil && x.Set.IsEmpty()
		p := mypermissions.Props{OrgName: a.Org.Name, Slug: a.Org.Slug, Role: string(a.Membership.Role), Layer: string(x.Layer)}
		p.Headline, p.Notes = mypermissions.Explain(string(x.Layer), string(a.Membership.Role), x.Groups, customEmpty)
		p.Products = permissionTable(x, a.Org.Products)
		p.Scopes = app.ScopeLines(x, true)
		// Team changes bump the permission version, so the cached page
		// names the teams of now.
		teams, err := s.DB.TeamsOfMember(c.Request().Context(), a.Org.ID, a.Membership.ID)
		if err != nil {
			return err
		}
		p.Teams = domain.TeamLabels(teams)
		// Setting or removing an end bumps the permission version, so the
		// cached page names the ends of now.
		mine, err := s.DB.GroupsOfMember(c.Request().Context(), a.Org.ID, a.Membership.ID)
		if err != nil {
			return err
		}
		p.Notes = append(p.Notes, app.EndNotes("Your", *a.Membership, mine)...)
		if html, err = app.RenderBytes(c.Request().Context(), mypermissions.Page(p)); err != nil {
			return err
		}
		s.explains.put(a.Membership.ID, key, html)
	}
	return s.OK(c, "My Permissions", app.RawHTML(html))
}

// permissionTable lists the organization's products (only those) with
// their accessible modules in full and the others by name.
func permissionTable(x access.Explanation, products access.ProductSet) []mypermissions.Product {
	srcs := func(keys []string) []mypermissions.Source {
		out := make([]mypermissions.Source, len(keys))
		for i, k := range keys {
			out[i] = mypermissions.SourceOf(k)
		}
		return out
	}
	var out []mypermissions.Product
	for _, prod := range access.Products() {
		if !products.Has(prod.Key) {
			continue
		}
		vp := mypermissions.Product{Key: prod.Key, Label: prod.Label}
		for _, key := range prod.Modules {
			m, _ := access.ModuleByKey(key)
			if !x.Set.Accessible(m.ID) {
				vp.NoAccess = append(vp.NoAccess, m.Label)
				continue
			}
			vm := mypermissions.Module{Key: m.Key, Label: m.Label}
			action := func(act access.Action) mypermissions.Action {
				va := mypermissions.Action{Name: m.ActionKey(act), Label: m.ActionLabel(act), Perm: access.PermissionName(m.ID, act),
					Offered: m.Offers(act), Granted: x.Set.Has(m.ID, act)}
				if va.Granted {
					va.Sources = srcs(x.Permissions[va.Perm])
				}
				return va
			}
			for _, act := range access.AllActions() {
				vm.Actions = append(vm.Actions, action(act))
			}
			for _, act := range m.OwnActionIDs() {
				vm.Own = append(vm.Own, action(act))
			}
			for _, f := range m.Flags {
				on := x.Flags[f.FullKey]
				vf := mypermissions.Flag{Key: f.FullKey, Label: f.Label, On: on}
				if on {
					vf.Sources = srcs(x.FlagSources[f.FullKey])
				}
				vm.Flags = append(vm.Flags, vf)
			}
			vm.Fields = app.FieldLines(x, m)
			vp.Modules = append(vp.Modules, vm)
		}
		out = append(out, vp)
	}
	return out
}

// MyPermissionsJSON is `gatehouse access` for the signed-in member: the
// CLI's own builder and writer, so the two outputs are byte for byte the same.
func (s *Handlers) MyPermissionsJSON(c echo.Context) error {
	a := app.AuthOf(c)
	rep, err := orgio.Access(c.Request().Context(), s.DB, a.Org.Slug, a.User.Email)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := orgio.WriteJSON(&buf, rep); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, buf.Bytes())
}
