package app

import (
	"context"

	"gatehouse/internal/access"
	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// permCache keeps effective permissions per membership and organization
// permission version (see internal/cache). Every change that can alter
// access bumps the version (schema triggers), so the next request of the
// member misses the cache and sees the change: no re-login, no stale
// entries.
type permCache struct {
	entries *cache.Cache[permKey, access.Effective]
}

// permKey is everything the answer depends on besides the version's data:
// a freed membership id is reused, possibly in another organization, and
// the role is read with the membership.
type permKey struct {
	org, membership, version int64
	// expiry: the organization's next grant end (domain.Org.NextExpiry):
	// when it passes, access changes with no version moved.
	expiry int64
	role   access.Role
}

// permEntrySize is what an entry is counted as: the effective set and its
// layers, about half a kilobyte.
const permEntrySize = 512

func newPermCache(max int) *permCache {
	return &permCache{entries: cache.New[permKey, access.Effective](max, max*permEntrySize, 0)}
}

// effective is m's effective permissions as the guards see them: the
// store's assembly of its layers (store.MemberInput), resolved. A suspended
// membership is resolved from its row alone (suspension decides) and not
// cached, nor is a set resolved for an organization whose next grant end
// was not read (not loaded by the auth query).
func (pc *permCache) effective(ctx context.Context, db *store.Store, org domain.Org, m domain.Membership) (access.Effective, error) {
	if m.Suspended() {
		return access.Resolve(store.Assemble(m, org.Products, nil)), nil
	}
	k := permKey{org: org.ID, membership: m.ID, version: org.PermVersion, expiry: org.NextExpiry, role: m.Role}
	if eff, ok := pc.entries.Get(k, 0); ok && org.ExpiryKnown() {
		return eff, nil
	}
	in, err := db.MemberInput(ctx, org, m, store.DecidingLayers)
	if err != nil {
		return access.Effective{}, err
	}
	eff := access.Resolve(in)
	if org.ExpiryKnown() {
		pc.entries.Put(k, eff, permEntrySize, 0)
	}
	return eff, nil
}

// Effective is m's effective permissions in org as the guards see them
// (cached per membership and permission version).
func (k *Kernel) Effective(ctx context.Context, org domain.Org, m domain.Membership) (access.Effective, error) {
	return k.perms.effective(ctx, k.DB, org, m)
}
