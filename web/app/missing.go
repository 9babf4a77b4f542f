package app

// A guard's refusal names the permission it found missing, so the 403 page
// can say what is missing, which layer decided it, and where the member can
// go instead (ARCHITECTURE.md, Errors). Nothing is computed until a request
// is refused.

import (
	"context"
	"errors"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/nav"
	"gatehouse/internal/store"
	"gatehouse/views/layout"
)

// missingPermission is what a guard lacked, in the UI's words
// ("Customers: Export", "See all customers").
type missingPermission string

func (m missingPermission) Error() string { return "missing permission " + string(m) }

// forbiddenFor is the 403 of a guard that lacks what.
func forbiddenFor(what string) error {
	return &domain.Error{Code: domain.CodeForbidden, Err: missingPermission(what)}
}

// actionWords is module action act as people read it: "Customers: Export".
func actionWords(m access.ModuleID, act access.Action) string {
	mod := access.ModuleOf(m)
	return mod.Label + ": " + mod.ActionLabel(act)
}

// FirstPage is the first page a member may open in the organization: the
// dashboard when they may view it, else the first entry of their sidebar.
// ok is false when nothing is open to them.
func FirstPage(slug string, eff access.Effective, hasTeams bool) (href, label string, ok bool) {
	if eff.Can(access.ModDashboard, access.View) {
		return "/o/" + slug, "Dashboard", true
	}
	for _, it := range nav.Build(slug, eff.Set, eff.Products, hasTeams, "") {
		for len(it.Children) > 0 {
			it = it.Children[0]
		}
		if it.Href != "" {
			return it.Href, it.Label, true
		}
	}
	return "", "", false
}

// explainRefusal fills a 403 page's missing permission, the deciding layer
// and the ways forward for an active member of the organization.
func explainRefusal(ctx context.Context, db *store.Store, a *Auth, err error, info *layout.ErrorInfo) {
	var mp missingPermission
	if !errors.As(err, &mp) || a == nil || a.Org == nil || a.Membership == nil || a.Membership.Suspended() {
		return
	}
	info.Needs = string(mp)
	info.Layer = decidingLayer(ctx, db, a)
	info.PermissionsHref = "/o/" + a.Org.Slug + "/me/permissions"
	if href, label, ok := FirstPage(a.Org.Slug, a.Eff, a.HasTeams); ok {
		info.ForwardHref, info.ForwardLabel = href, label
	}
}

// decidingLayer says which layer decides the member's access and that it
// does not grant the missing permission (the layers are exclusive).
func decidingLayer(ctx context.Context, db *store.Store, a *Auth) string {
	switch a.Eff.Layer {
	case access.LayerCustom:
		return "An administrator set individual permissions on your membership; they apply exactly as set and do not include it."
	case access.LayerGroups:
		gs, err := db.GroupsOfMember(ctx, a.Org.ID, a.Membership.ID)
		if err != nil || len(gs) == 0 {
			return "Your permission groups decide your access, and none of them grants it."
		}
		names := store.GroupNames(gs)
		if len(names) == 1 {
			return "Your permission group " + names[0] + " decides your access, and it does not grant it."
		}
		return "Your permission groups (" + strings.Join(names, ", ") + ") decide your access, and none of them grants it."
	case access.LayerRole:
		return "The template of your role " + a.Membership.Role.Label() + " decides your access, and it does not include it."
	}
	return ""
}
