// Package nav builds the sidebar: a pure function from the catalog's menu tree,
// a member's effective permissions and the organization's products to the items
// a member may see. It produces data only; views render it.
package nav

// Item is one visible sidebar entry. A parent collapsed by single-submenu
// navigation has no Children and carries its only child's Href.
type Item struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Href     string `json:"href"`
	Icon     string `json:"-"`
	Active   bool   `json:"-"`
	Children []Item `json:"children"`
}
