package store

import (
	"context"

	"gatehouse/internal/access"
)

// A write re-reads its actor inside its own transaction (Acting), so a
// suspension or a lost permission that committed first always wins. Most of
// that work repeats what the request's auth already did: the actor's layers
// were assembled and resolved at the organization's permission version the
// auth query read. Every change that can alter anyone's access bumps that
// version in the same transaction (schema triggers), so when the write's
// transaction reads the same version, nothing about the actor's access has
// changed since and the request's effective set is still exact. KnownActor
// carries it in the request's context; Acting uses it only on that equality
// and otherwise reads and resolves the layers again.

// KnownActor is an actor's effective set as resolved for the request, at
// the permission version it was resolved at. NextExpiry is the
// organization's earliest grant end still to come when it was resolved
// (domain.Org.NextExpiry): the same version proves nothing once that end
// has passed.
type KnownActor struct {
	OrgID, UserID, MembershipID int64
	PermVersion                 int64
	NextExpiry                  int64
	Eff                         access.Effective
}

type knownActorKey struct{}

// WithKnownActor returns ctx carrying k for the writes of this request.
func WithKnownActor(ctx context.Context, k KnownActor) context.Context {
	return context.WithValue(ctx, knownActorKey{}, k)
}

// knownEff is the request's effective set of a when it is still exact: the
// same organization, user and membership, active, at the version read now,
// and no grant's end passed since.
func knownEff(ctx context.Context, a Acting, now int64) (access.Effective, bool) {
	k, ok := ctx.Value(knownActorKey{}).(KnownActor)
	if !ok || k.OrgID != a.Org.ID || k.UserID != a.Membership.UserID || k.MembershipID != a.Membership.ID ||
		k.PermVersion != a.Org.PermVersion || a.Membership.Suspended() || now >= k.NextExpiry {
		return access.Effective{}, false
	}
	return k.Eff, true
}
