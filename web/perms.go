package web

import (
	"context"
	"sync"

	"gatehouse/internal/access"
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

func (pc *permCache) effective(ctx context.Context, db *store.Store, org store.Org, m store.Membership) (access.Effective, error) {
	pc.mu.RLock()
	e, ok := pc.entries[m.ID]
	pc.mu.RUnlock()
	if ok && e.org == org.ID && e.version == org.PermVersion && e.role == m.Role {
		return e.eff, nil
	}
	in, err := engineInput(ctx, db, org, m)
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

// engineInput gathers a membership's layers for the engine. Groups are only
// loaded when they can matter (not owner, no custom set).
func engineInput(ctx context.Context, db *store.Store, org store.Org, m store.Membership) (access.Input, error) {
	in := access.Input{Role: m.Role, Suspended: m.Suspended(), Custom: m.Custom, Products: org.Products}
	if m.Role == access.RoleOwner || m.Custom != nil || m.Suspended() {
		return in, nil
	}
	groups, err := db.MemberGroupGrants(ctx, m.ID)
	if err != nil {
		return in, err
	}
	in.Groups = groups
	return in, nil
}
