package access

import (
	"errors"
	"fmt"
	"strings"
)

// ErrEscalation is wrapped by every anti-escalation refusal, so callers can
// map it to 403 with errors.Is while showing the wrapped, specific message.
var ErrEscalation = errors.New("not allowed")

// GrantError says which permissions and flags the actor tried to grant
// without holding them, so an editor can mark those cells.
type GrantError struct {
	Missing Set
}

func (e *GrantError) Error() string {
	names := e.Missing.Permissions()
	for _, k := range e.Missing.FlagKeys() {
		f, _ := FlagByFullKey(k)
		names = append(names, fmt.Sprintf("%q (%s)", f.Label, k))
	}
	const max = 8 // keep the message readable when granting a whole set
	if len(names) > max {
		names = append(names[:max:max], fmt.Sprintf("and %d more", len(names)-max))
	}
	return "you can only grant permissions you hold yourself; you do not hold " + strings.Join(names, ", ")
}

// Is makes errors.Is(err, ErrEscalation) true.
func (e *GrantError) Is(target error) bool { return target == ErrEscalation }

// CheckGrant allows an owner to grant anything; anyone else only a subset of
// their own effective set (actions and true flags) and, per field, the
// levels they hold (ARCHITECTURE.md, Fields). Applies to group edits,
// member edits, invites and imports alike.
func CheckGrant(actor Effective, grant Set) error {
	if missing := Ungrantable(actor, grant); !missing.IsEmpty() {
		return &GrantError{Missing: missing}
	}
	return checkFieldGrant(actor, grant)
}

// Ungrantable is the part of grant the actor may not give (CheckGrant's
// refusal as a set, for showing in a grid); empty when they may give it all.
// A scope flag counts as held when the actor's scope on its module reaches
// it (canAccessAll holds canAccessTeam).
func Ungrantable(actor Effective, grant Set) Set {
	if actor.IsOwner() {
		return Set{}
	}
	return grant.Minus(actor.Set.withImpliedScopes())
}

// CheckRoleChange enforces the owner rules of ARCHITECTURE.md, Layers: a non-owner may not
// touch an owner's membership, and only an owner makes someone owner. (The
// last-owner rule needs the organization's state and lives with the store.)
func CheckRoleChange(actorRole, targetCurrentRole, newRole Role) error {
	if actorRole == RoleOwner {
		return nil
	}
	if targetCurrentRole == RoleOwner {
		return fmt.Errorf("%w: only an owner can change an owner's membership", ErrEscalation)
	}
	if newRole == RoleOwner {
		return fmt.Errorf("%w: only an owner can make someone an owner", ErrEscalation)
	}
	return nil
}

// CheckRoleGrant refuses giving a role whose template (within the
// organization's products) exceeds the actor's own effective set: a manager
// cannot make someone admin. Use it with CheckRoleChange when a role is set.
func CheckRoleGrant(actor Effective, newRole Role) error {
	if actor.IsOwner() {
		return nil
	}
	if newRole == RoleOwner {
		return fmt.Errorf("%w: only an owner can make someone an owner", ErrEscalation)
	}
	if err := CheckGrant(actor, RoleTemplate(newRole).RestrictTo(actor.Products)); err != nil {
		return fmt.Errorf("cannot give the role %s: %w", newRole.Label(), err)
	}
	// The template's field levels come from resolving it (a manager edits every
	// field), which the set alone does not state.
	if fe := UnheldFieldGain(actor, Nobody(actor.Products), Input{Role: newRole, Products: actor.Products}); fe != nil {
		return fmt.Errorf("cannot give the role %s: %w", newRole.Label(), fe)
	}
	return nil
}
