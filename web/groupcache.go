package web

import (
	"context"
	"sync"

	"gatehouse/internal/store"
)

// groupRefCache keeps each organization's group list (id, name) for the
// members filter, valid for one permission version: creating, renaming or
// deleting a group bumps that version (schema triggers), so the list is
// never stale; with 500 groups it saves a query on every members page.
type groupRefCache struct {
	mu      sync.Mutex
	entries map[int64]groupRefEntry
}

type groupRefEntry struct {
	version int64
	refs    []store.GroupRef
}

func (gc *groupRefCache) get(ctx context.Context, db *store.Store, org *store.Org) ([]store.GroupRef, error) {
	gc.mu.Lock()
	e, ok := gc.entries[org.ID]
	gc.mu.Unlock()
	if ok && e.version == org.PermVersion {
		return e.refs, nil
	}
	refs, err := db.GroupRefs(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	gc.mu.Lock()
	if gc.entries == nil || len(gc.entries) > 1000 {
		gc.entries = map[int64]groupRefEntry{}
	}
	gc.entries[org.ID] = groupRefEntry{version: org.PermVersion, refs: refs}
	gc.mu.Unlock()
	return refs, nil
}
