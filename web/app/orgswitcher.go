package app

import (
	"context"

	"gatehouse/internal/cache"
	"gatehouse/internal/store"
	"gatehouse/views/layout"
)

// switcherCache keeps each user's organization switcher entries (name,
// slug, role, suspended) per directory version (see internal/cache).
// Schema triggers bump that version whenever any membership is added,
// removed or changes role or status, and whenever an organization is
// renamed, re-slugged or deleted, so an entry is never stale; it saves a
// query on every page.
type switcherCache struct {
	entries *cache.Cache[switcherKey, []layout.OrgRef] // read-only once cached
}

type switcherKey struct{ user, version int64 }

// maxSwitchers bounds the cache; past it, it starts over.
const maxSwitchers = 10000

func newSwitcherCache() switcherCache {
	return switcherCache{entries: cache.New[switcherKey, []layout.OrgRef](maxSwitchers, 4<<20, 0)}
}

func (sc switcherCache) get(ctx context.Context, db *store.Store, userID, version int64) ([]layout.OrgRef, error) {
	k := switcherKey{userID, version}
	if refs, ok := sc.entries.Get(k, 0); ok {
		return refs, nil
	}
	orgs, err := db.OrgsOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	refs := make([]layout.OrgRef, len(orgs))
	size := 64
	for i, o := range orgs {
		refs[i] = layout.OrgRef{Name: o.Org.Name, Slug: o.Org.Slug, Role: string(o.Role), Suspended: o.Status != "active"}
		size += 64 + len(o.Org.Name) + len(o.Org.Slug)
	}
	sc.entries.Put(k, refs, size, 0)
	return refs, nil
}
