package access

import "fmt"

// Action is one of the five things a member may do in a module. The numeric
// order is the catalog order and is used as a bit index inside Set.
type Action uint8

const (
	View Action = iota
	Create
	Edit
	Delete
	Export

	numActions = 5
)

var actionNames = [numActions]string{"view", "create", "edit", "delete", "export"}

// AllActions returns the five actions in catalog order.
func AllActions() []Action { return []Action{View, Create, Edit, Delete, Export} }

// String returns the action key used in permissions and JSON ("view"...).
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// ParseAction maps an action key ("view"...) to its Action. Keys are exact.
func ParseAction(s string) (Action, bool) {
	for i, n := range actionNames {
		if n == s {
			return Action(i), true
		}
	}
	return 0, false
}
