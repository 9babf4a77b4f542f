package store

import (
	"context"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// A membership's layers (ARCHITECTURE.md, Layers) are assembled into the
// engine's input in one place: Assemble. Every caller that resolves,
// explains or judges a membership (the guard's permission cache, My
// Permissions, the member pages, the services, import/export) reads the
// layers through MemberInput or MemberLayers, which call it; a caller
// that needs a hypothetical input (a preview, a change being judged)
// starts from the assembled input and edits a copy. A new layer (teams,
// expiries, fields) is read and assembled here, once.

// Layers says which of a membership's layers an assembly reads.
type Layers uint8

const (
	// DecidingLayers reads what decides the membership's permissions (as
	// if it were active): its groups unless the owner role or individual
	// permissions decide. Resolving needs no more: the guard, the actor of
	// a change, whether an actor may touch a member.
	DecidingLayers Layers = iota
	// AllLayers reads every layer, also those another one overrides: an
	// explanation names them, and a change being judged may hand the
	// decision to them.
	AllLayers
)

// readsGroups reports whether l reads m's groups.
func (l Layers) readsGroups(m domain.Membership) bool {
	return l == AllLayers || (m.Role != access.RoleOwner && m.Custom == nil)
}

// Assemble is the one assembly of a membership's layers into the engine's
// input: its role, status and individual set, its groups (by name, as
// read: nil when the layers read leave them out) and the organization's
// products. It reads nothing; MemberInput and MemberLayers read for it.
func Assemble(m domain.Membership, products access.ProductSet, groups []access.GroupGrant) access.Input {
	return access.Input{Role: m.Role, Suspended: m.Suspended(), Custom: m.Custom, Groups: groups, Products: products}
}

// assemble reads the layers l of m with groups (called only when they are
// read) and assembles them.
func assemble(m domain.Membership, products access.ProductSet, l Layers, groups func() ([]access.GroupGrant, error)) (access.Input, error) {
	var gs []access.GroupGrant
	if l.readsGroups(m) {
		var err error
		if gs, err = groups(); err != nil {
			return access.Input{}, err
		}
	}
	return Assemble(m, products, gs), nil
}

// MemberInput reads m's layers l and assembles the engine's input. With
// AllLayers its groups are read even while the owner role or individual
// permissions decide, because a change being judged may hand the decision
// to them.
func (r reads) MemberInput(ctx context.Context, org domain.Org, m domain.Membership, l Layers) (access.Input, error) {
	return assemble(m, org.Products, l, func() ([]access.GroupGrant, error) { return r.groupGrants(ctx, org.ID, m.ID) })
}

// MemberLayers reads every layer of m (AllLayers) and returns the
// assembled input with the member's groups themselves, for a page that
// lists them.
func (r reads) MemberLayers(ctx context.Context, org domain.Org, m domain.Membership) (access.Input, []domain.Group, error) {
	groups, err := r.GroupsOfMember(ctx, org.ID, m.ID)
	if err != nil {
		return access.Input{}, nil, err
	}
	return Assemble(m, org.Products, Grants(groups)), groups, nil
}
