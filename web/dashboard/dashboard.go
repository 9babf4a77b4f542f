package dashboard

import (
	"cmp"
	"gatehouse/web/app"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/nav"
	"gatehouse/views/dashboard"
)

// dashboard is the organization's home: who the member is here, why they
// hold what they hold, and a card per module they can open. The cards come
// from the sidebar builder, so a card exists exactly when a sidebar link does.
func (s *Handlers) dashboard(c echo.Context) error {
	a := app.AuthOf(c)
	p := dashboard.Props{OrgName: a.Org.Name, UserName: a.User.Name, Role: a.Membership.Role.Label(), RoleKey: string(a.Membership.Role),
		PermissionsHref: "/o/" + a.Org.Slug + "/me/permissions"}
	p.LayerLabel, p.LayerText = layerWords(a)
	p.Modules = s.modules.Component(
		modulesKey{slug: a.Org.Slug, orgName: a.Org.Name, set: a.Eff.Set, products: a.Org.Products, hasTeams: a.HasTeams},
		func() templ.Component {
			return dashboard.Modules(a.Org.Name, moduleCards(a, nav.Build(a.Org.Slug, a.Eff.Set, a.Org.Products, a.HasTeams, "")))
		})
	if a.Can(access.ModCustomers, access.View) {
		sc := app.CustomerScope(a) // the figures count within the member's scope
		inScope, mine, err := s.figures.customerCounts(c.Request().Context(), s.DB, a.Org, sc, a.Membership.ID)
		if err != nil {
			return err
		}
		st := &dashboard.CustomerStats{InScope: inScope, Mine: mine, SeesAll: sc.Scope().AtLeast(access.ScopeAll), MineHref: "/o/" + a.Org.Slug + "/customers/mine"}
		if st.SeesAll {
			st.AllHref = "/o/" + a.Org.Slug + "/customers/all"
		}
		if a.HasTeams && sc.Scope().AtLeast(access.ScopeTeam) {
			// The "My teams" list is open (its route guard): its count. Under
			// team scope it is the scope's; a wider one counts it apart.
			st.Team, st.TeamHref = inScope, "/o/"+a.Org.Slug+"/customers/team"
			if st.SeesAll {
				if st.Team, _, err = s.figures.customerCounts(c.Request().Context(), s.DB, a.Org, sc.Team(a.Membership.ID), a.Membership.ID); err != nil {
					return err
				}
			}
		}
		p.Customers = st
	}
	return s.OK(c, a.Org.Name, dashboard.Page(p))
}

// modulesKey is everything the module cards depend on: the cards follow the
// sidebar (slug, permission set, products) and name the organization.
type modulesKey struct {
	slug, orgName string
	set           access.Set
	products      access.ProductSet
	hasTeams      bool
}

// moduleCards flattens the sidebar into one card per module: a top-level
// link is a card, a menu group contributes each child, and a scoped module
// (Customers, CRM, Conversations) is one card with its lists as links.
func moduleCards(a *app.Auth, items []nav.Item) []dashboard.Card {
	base := "/o/" + a.Org.Slug
	var out []dashboard.Card
	card := func(it nav.Item, section, icon string) dashboard.Card {
		cd := dashboard.Card{Label: it.Label, Href: it.Href, Icon: icon, Section: section}
		if m, ok := access.ModuleByKey(menuModules[strings.TrimPrefix(it.Href, base)]); ok {
			if _, isModule := access.ModuleByKey(it.Key); !isModule {
				// A group collapsed to its only child: name the module, keep the group as section.
				cd.Label, cd.Section, cd.Icon = m.Label, it.Label, m.Key
			}
			var acts []string
			for _, act := range a.Eff.Set.ActionsOf(m.ID) {
				acts = append(acts, m.ActionKey(act))
			}
			cd.Actions = strings.Join(acts, ", ")
		}
		return cd
	}
	for _, it := range items {
		_, isModule := access.ModuleByKey(it.Key)
		switch {
		case it.Key == "dashboard":
		case len(it.Children) == 0:
			out = append(out, card(it, "", it.Icon))
		case isModule:
			cd := card(it, "", it.Icon)
			for _, ch := range it.Children {
				cd.Links = append(cd.Links, dashboard.Link{Label: ch.Label, Href: ch.Href})
			}
			out = append(out, cd)
		default:
			for _, ch := range it.Children {
				out = append(out, card(ch, it.Label, cmp.Or(ch.Icon, it.Icon)))
			}
		}
	}
	return out
}

// menuModules maps each menu page path (relative to /o/{slug}) to its module.
var menuModules = func() map[string]string {
	out := map[string]string{}
	var walk func([]access.MenuNode)
	walk = func(ns []access.MenuNode) {
		for _, n := range ns {
			if n.Module != "" {
				out[n.Path] = n.Module
			}
			walk(n.Children)
		}
	}
	walk(access.Menu())
	return out
}()
