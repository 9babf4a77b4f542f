package access

import (
	"fmt"
	"strings"
)

// Action is a thing a member may do in a module: one of the five standard
// actions, or an action of the module's own (Module.OwnActions), numbered
// after the five in declaration order, so Action(5) is the first own action
// of whichever module it is asked of. The numeric order is the catalog order
// and the slot of the action in its module's bits inside Set.
type Action uint8

const (
	View Action = iota
	Create
	Edit
	Delete
	Export

	numActions = 5 // the standard ones; own actions come after
)

var actionNames = [numActions]string{"view", "create", "edit", "delete", "export"}

// AllActions returns the five actions in catalog order.
func AllActions() []Action { return []Action{View, Create, Edit, Delete, Export} }

// Standard reports whether a is one of the five standard actions.
func (a Action) Standard() bool { return a < numActions }

// String returns the key of a standard action ("view"...); an own action's
// key is its module's (Module.ActionKey).
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Label is how people read a standard action ("View"); an own action's
// label is its module's (Module.ActionLabel).
func (a Action) Label() string {
	k := a.String()
	return strings.ToUpper(k[:1]) + k[1:]
}

// ParseAction maps a standard action key ("view"...) to its Action. Keys are
// exact; Module.ParseAction knows the module's own actions too.
func ParseAction(s string) (Action, bool) {
	for i, n := range actionNames {
		if n == s {
			return Action(i), true
		}
	}
	return 0, false
}
