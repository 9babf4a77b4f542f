package dashboard

import (
	"context"

	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// figuresCache keeps the dashboard's customer figures per member and
// customers_version (see internal/cache): schema triggers bump the version
// on every change of customers (migration 5), and the auth context reads it
// on each request, so a change misses the cache on the very next request.
type figuresCache struct {
	entries *cache.Cache[figuresKey, [2]int]
}

// newFiguresCache holds 4,096 members' figures at about 100 bytes each.
func newFiguresCache() figuresCache {
	return figuresCache{entries: cache.New[figuresKey, [2]int](4096, 512<<10, 0)}
}

type figuresKey struct {
	version int64
	scope   store.CustomerScope
	me      int64
}

// customerCounts returns the number of customers in scope sc and of those
// assigned to membership me (the dashboard's figures).
func (fc figuresCache) customerCounts(ctx context.Context, db *store.Store, org *domain.Org, sc store.CustomerScope, me int64) (inScope, mine int, err error) {
	key := figuresKey{org.CustomersVersion, sc, me}
	now := db.Now()
	if n, ok := fc.entries.Get(key, now); ok {
		return n[0], n[1], nil
	}
	if inScope, mine, err = db.CustomerCounts(ctx, sc, me); err != nil {
		return 0, 0, err
	}
	fc.entries.Put(key, [2]int{inScope, mine}, 100, now)
	return inScope, mine, nil
}
