package web

import (
	"context"
	"sync"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// permCache keeps effective permissions per membership, valid for one
// organization permission version. Every change that can alter access bumps
// the version (schema triggers), so the next request of the member misses the
// cache and sees the change: no re-login, no stale entries.
type permCache struct {
	mu      sync.RWMutex
	max     int
	entries map[int64]permEntry
}

type permEntry struct {
	org     int64 // a freed membership id is reused, possibly in another organization
	version int64
	role    access.Role
	eff     access.Effective
}

func newPermCache(max int) *permCache {
	return &permCache{max: max, entries: make(map[int64]permEntry, 256)}
}

// effective is m's effective permissions as the guards see them: the
// store's assembly of its layers (store.MemberInput), resolved. A suspended
// membership is resolved from its row alone (suspension decides) and not
// cached.
func (pc *permCache) effective(ctx context.Context, db *store.Store, org domain.Org, m domain.Membership) (access.Effective, error) {
	if m.Suspended() {
		return access.Resolve(store.Assemble(m, org.Products, nil)), nil
	}
	pc.mu.RLock()
	e, ok := pc.entries[m.ID]
	pc.mu.RUnlock()
	if ok && e.org == org.ID && e.version == org.PermVersion && e.role == m.Role {
		return e.eff, nil
	}
	in, err := db.MemberInput(ctx, org, m, store.DecidingLayers)
	if err != nil {
		return access.Effective{}, err
	}
	eff := access.Resolve(in)
	pc.mu.Lock()
	if len(pc.entries) >= pc.max { // crude bound: start over rather than grow without limit
		clear(pc.entries)
	}
	pc.entries[m.ID] = permEntry{org: org.ID, version: org.PermVersion, role: m.Role, eff: eff}
	pc.mu.Unlock()
	return eff, nil
}
