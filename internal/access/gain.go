package access

import "fmt"

// A membership change can give as well as take: turning individual
// permissions off, emptying a member's groups, removing or deleting a group
// and changing a role all let another layer decide (ARCHITECTURE.md, Layers), and that
// layer may be larger than the one it replaces (a limited admin whose
// individual permissions hide the Admin template). A re-enable gives
// everything the member then holds. So every change is judged the same
// way: resolve the member before and after it, and the actor must hold
// whatever the member gains.

// Nobody is the Input of someone who holds nothing: a newcomer before an
// invitation, or a suspended member before a re-enable.
func Nobody(products ProductSet) Input { return Input{Suspended: true, Products: products} }

// Gained is what after gives the member that before did not, within each
// side's products and without inert grants (both are resolved).
func Gained(before, after Input) Set {
	return Resolve(after).Set.Minus(Resolve(before).Set)
}

// UnheldGain is the part of the change's gain the actor does not hold
// themselves: empty when the change is theirs to make (an owner may make
// any; anyone else only one whose every gain they hold).
func UnheldGain(actor Effective, before, after Input) Set {
	return Ungrantable(actor, Gained(before, after))
}

// UnheldFieldGain is the field levels the change opens beyond both what
// the member had and what the actor holds (ARCHITECTURE.md, Fields): a
// field of a module the member can open after the change whose level
// rises above the actor's own. None for an owner.
func UnheldFieldGain(actor Effective, before, after Input) *FieldGrantError {
	if actor.IsOwner() {
		return nil
	}
	b, a := Resolve(before), Resolve(after)
	var e FieldGrantError
	for _, f := range fields {
		want := a.FieldLevel(f.Module, f.Key)
		held := actor.FieldLevel(f.Module, f.Key)
		if want > b.FieldLevel(f.Module, f.Key) && want > held {
			e.Fields = append(e.Fields, fmt.Sprintf("%s (%s, you hold %s)", f.FullKey, want, held))
			e.Over = append(e.Over, FieldOver{Field: f, Want: want, Held: held})
		}
	}
	if len(e.Fields) == 0 {
		return nil
	}
	return &e
}
