// Package modules holds the generic page of a module that has no screens of
// its own yet: it states what the member may do there, their scope and why.
package modules

// Chip is one action of the module, allowed or not.
type Chip struct {
	Action     string // "view"
	Permission string // "chats_view"
	Allowed    bool
}

// Flag is one of the module's flags as it applies to the member.
type Flag struct {
	Key   string // "chats.canAccessAll"
	Label string // "See all conversations"
	On    bool
}

// Tab links the "mine" and "all" pages of a scoped module.
type Tab struct {
	Label   string
	Href    string
	Current bool
}

// Props is a module page.
type Props struct {
	Label      string // "Conversations"
	Key        string // "chats"
	Product    string // "Inbox"
	Heading    string // page title, e.g. "Conversations · Assigned to me"
	PageNote   string // what this particular page lists ("" for none)
	Tabs       []Tab
	Chips      []Chip
	Scope      string // "You see all conversations", or the assigned-only sentence
	Flags      []Flag
	Role       string // role label
	LayerLabel string // "Permission groups"
	LayerText  string // the deciding layer in words
	// PermissionsHref is the member's "My permissions" page.
	PermissionsHref string
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func chipKind(ok bool) string {
	if ok {
		return "success"
	}
	return "neutral"
}

func allowedWord(ok bool) string {
	if ok {
		return "allowed"
	}
	return "not allowed"
}
