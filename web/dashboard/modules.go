package dashboard

import (
	"gatehouse/web/app"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/views/modules"
)

// modulePage is one generic module page: a declared page (internal/access,
// modules.go) without a screen of its own.
type modulePage struct {
	access.Page
	Route    string // route path, "/o/:slug/chats/mine"
	List     string // "mine" or "all" for a scoped module's lists
	ListName string // the menu's label for that list ("Assigned to me")
	Redirect bool   // a scoped module's landing page: goes to "all" or "mine"
}

// GenericPage answers a declared page without a screen of its own (the
// page registry calls it only for those app.IsGeneric accepts).
func (s *Handlers) GenericPage(p access.Page) echo.HandlerFunc {
	mp, ok := modulePageOf(p)
	if !ok { // app.CheckScreens has already refused this
		panic("web: page " + p.Key + " has no screen")
	}
	return s.moduleHandler(mp)
}

// modulePageOf is the generic module page answering p, if it can (app.IsGeneric).
func modulePageOf(p access.Page) (modulePage, bool) {
	if !app.IsGeneric(p) {
		return modulePage{}, false
	}
	mp := modulePage{Page: p, Route: app.PageRoute(p)}
	if mod, _ := access.ModuleByKey(p.Module); mod.Scoped() {
		switch p.Name() {
		case "home":
			mp.Redirect = true
		case "mine", "all":
			mp.List, mp.ListName = p.Name(), p.MenuLabel
		}
	}
	return mp, true
}

// scopeNoun is what a scoped module holds, taken from the label of the flag
// that grants all scope ("See all conversations" → "conversations").
func scopeNoun(m access.Module) string {
	f, _ := access.ScopeFlag(m.ID, access.ScopeAll)
	return strings.TrimPrefix(f.Label, "See all ")
}

// scopeWords says the member's scope on a module in words, from the scope
// value the engine computed (Auth.Scope).
func scopeWords(a *app.Auth, m access.Module) string {
	if !m.Scoped() {
		return "Everything in " + m.Label + " is shared across " + a.Org.Name + ": there is no per-member scope."
	}
	if a.Scope(m.ID).AtLeast(access.ScopeAll) {
		return "You see all " + scopeNoun(m) + "."
	}
	return "You see the " + scopeNoun(m) + " assigned to you."
}

// moduleHandler answers one generic module page (no queries: the auth
// context already holds everything it shows).
func (s *Handlers) moduleHandler(p modulePage) echo.HandlerFunc {
	mod, _ := access.ModuleByKey(p.Module)
	var lists []modulePage
	for _, dp := range s.pages {
		if mp, ok := modulePageOf(dp); ok && mp.Module == p.Module && mp.List != "" {
			lists = append(lists, mp)
		}
	}
	if p.Redirect { // to the widest declared list the member's scope opens
		return func(c echo.Context) error {
			a := app.AuthOf(c)
			scope, to := a.Scope(mod.ID), modulePage{}
			for _, l := range lists {
				if (l.Scope == 0 || scope.AtLeast(l.Scope)) && (to.Route == "" || l.Scope > to.Scope) {
					to = l
				}
			}
			if to.Route == "" {
				return app.ErrForbidden
			}
			return app.Redirect(c, strings.Replace(to.Route, ":slug", a.Org.Slug, 1))
		}
	}
	product, _ := access.ProductByKey(mod.Product)
	return func(c echo.Context) error {
		a := app.AuthOf(c)
		scope := a.Scope(mod.ID)
		props := modules.Props{Label: mod.Label, Key: mod.Key, Product: product.Label, Heading: mod.Label,
			Role: a.Membership.Role.Label(), PermissionsHref: "/o/" + a.Org.Slug + "/me/permissions"}
		props.LayerLabel, props.LayerText = layerWords(a)
		for _, act := range mod.Actions {
			props.Chips = append(props.Chips, modules.Chip{Action: mod.ActionKey(act),
				Permission: access.PermissionName(mod.ID, act), Allowed: a.Can(mod.ID, act)})
		}
		for _, f := range mod.Flags {
			props.Flags = append(props.Flags, modules.Flag{Key: f.FullKey, Label: f.Label, On: a.Eff.CanFlag(f.ID)})
		}
		props.Scope = scopeWords(a, mod)
		if p.List != "" {
			props.Heading = mod.Label + " · " + p.ListName
			if p.List == "all" {
				props.PageNote = "This page lists every one of the " + scopeNoun(mod) + " of " + a.Org.Name + "."
			} else {
				props.PageNote = "This page lists the " + scopeNoun(mod) + " assigned to you."
			}
			for _, l := range lists {
				if l.Scope != 0 && !scope.AtLeast(l.Scope) {
					continue // never link to a list the member cannot open
				}
				href := strings.Replace(l.Route, ":slug", a.Org.Slug, 1)
				props.Tabs = append(props.Tabs, modules.Tab{Label: l.ListName, Href: href, Current: l.List == p.List})
			}
			if len(props.Tabs) < 2 {
				props.Tabs = nil
			}
		}
		return s.OK(c, props.Heading, modules.Page(props))
	}
}

// layerWords names the layer that decided the member's permissions and
// says in words what it means (ARCHITECTURE.md, Layers).
func layerWords(a *app.Auth) (label, text string) {
	switch a.Eff.Layer {
	case access.LayerOwner:
		return "Owner", "You are an owner of " + a.Org.Name + ": an owner always holds every permission of the organization's products, whatever groups or individual permissions say."
	case access.LayerCustom:
		return "Individual permissions", "An administrator set individual permissions on your membership. They apply exactly as set: your role and groups are not merged in."
	case access.LayerGroups:
		return "Permission groups", "You hold everything that any of your permission groups grants; your role's template does not apply."
	case access.LayerRole:
		return "Role template", "You have no individual permissions and are in no permission group, so the template of your role (" + a.Membership.Role.Label() + ") applies."
	}
	return "Suspended", "Your access to " + a.Org.Name + " is suspended."
}
