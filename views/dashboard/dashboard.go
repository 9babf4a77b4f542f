// Package dashboard is an organization's home page: who you are there, why
// you hold what you hold, and a card for every module you can open.
package dashboard

import (
	"github.com/a-h/templ"
)

// Props is what the organization's home page shows.
type Props struct {
	OrgName         string
	UserName        string
	Role            string // role label
	RoleKey         string // role key, for the badge
	LayerLabel      string // "Permission groups"
	LayerText       string // the deciding layer in words
	PermissionsHref string
	Modules         templ.Component // the "Your modules" section: Modules(OrgName, cards), maybe cached
	Customers       *CustomerStats  // nil when customers is not accessible
	Chats           *ChatStats      // nil without chats_view
}

// ChatStats is the member's open conversations in their scope.
type ChatStats struct {
	Open      string // "12", or "1,000+" past the count's cap
	Href      string // the list of that scope, open ones
	ScopeText string // "All conversations of Acme", "Assigned to you"
}

// Card links to one module the member can open (same visibility as the sidebar).
type Card struct {
	Label   string
	Href    string
	Icon    string
	Section string // the menu group it sits in ("Settings"), "" at top level
	Actions string // "view, create, edit"
	Links   []Link // a scoped module's lists
}

// Link is a secondary link on a card.
type Link struct {
	Label string
	Href  string
}

// CustomerStats are the member's customer counts in their scope.
type CustomerStats struct {
	InScope  int
	Mine     int
	SeesAll  bool
	MineHref string
	AllHref  string // "" without canAccessAll
	// Team counts the "My teams" list (assigned to the member or owned by
	// their teams); TeamHref is "" when that list is not open to them.
	Team     int
	TeamHref string
}
