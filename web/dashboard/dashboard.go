package dashboard

import (
	"cmp"
	"gatehouse/web/app"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/nav"
	"gatehouse/internal/store"
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
	if a.Can(access.ModChats, access.View) {
		st, err := s.chatStats(c, a)
		if err != nil {
			return err
		}
		p.Chats = st
	}
	return s.OK(c, a.Org.Name, dashboard.Page(p))
}

// openCap bounds the open conversations the dashboard counts: past it the
// figure reads "1,000+" (a count of 200k rows is no dashboard's work).
const openCap = 1000

// chatStats counts the member's open conversations in their scope on
// conversations, linking to the list of that scope.
func (s *Handlers) chatStats(c echo.Context, a *app.Auth) (*dashboard.ChatStats, error) {
	scope := a.Scope(access.ModChats)
	n, err := s.DB.OpenConversations(c.Request().Context(), store.ScopeIn(a.Org.ID, scope, a.Membership.ID), openCap)
	if err != nil {
		return nil, err
	}
	st := &dashboard.ChatStats{Open: strconv.Itoa(n)}
	if n > openCap {
		st.Open = "1,000+"
	}
	base := "/o/" + a.Org.Slug + "/chats/"
	switch scope {
	case access.ScopeAll:
		st.Href, st.ScopeText = base+"all?status=open", "All conversations of "+a.Org.Name
	case access.ScopeTeam:
		st.Href, st.ScopeText = base+"team?status=open", "Assigned to you or owned by your teams"
	default:
		st.Href, st.ScopeText = base+"mine?status=open", "Assigned to you"
	}
	return st, nil
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
