package web

import (
	"context"
	"sync"

	"gatehouse/internal/store"
	"gatehouse/views/layout"
)

// switcherCache keeps each user's organization switcher entries (name,
// slug, role, suspended) for one directory version. Schema triggers bump
// that version whenever any membership is added, removed or changes role
// or status, and whenever an organization is renamed, re-slugged or
// deleted, so an entry is never stale; it saves a query on every page.
type switcherCache struct {
	mu      sync.Mutex
	entries map[int64]switcherEntry // by user id
}

type switcherEntry struct {
	version int64
	orgs    []layout.OrgRef
}

// maxSwitchers bounds the cache; past it, it starts over.
const maxSwitchers = 10000

func (sc *switcherCache) get(ctx context.Context, db *store.Store, userID, version int64) ([]layout.OrgRef, error) {
	sc.mu.Lock()
	e, ok := sc.entries[userID]
	sc.mu.Unlock()
	if ok && e.version == version {
		return e.orgs, nil
	}
	orgs, err := db.OrgsOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	refs := make([]layout.OrgRef, len(orgs))
	for i, o := range orgs {
		refs[i] = layout.OrgRef{Name: o.Org.Name, Slug: o.Org.Slug, Role: string(o.Role), Suspended: o.Status != "active"}
	}
	sc.mu.Lock()
	if sc.entries == nil || len(sc.entries) >= maxSwitchers {
		sc.entries = make(map[int64]switcherEntry)
	}
	sc.entries[userID] = switcherEntry{version: version, orgs: refs}
	sc.mu.Unlock()
	return refs, nil
}
