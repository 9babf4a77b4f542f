package customers

import (
	"context"

	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// listCache keeps pages of the customers list per organization,
// customers_version and question (see internal/cache). Schema triggers bump
// the organization's customers_version (migration 5) on every change the
// list shows, and the auth context reads it on each request, so a change
// misses the cache on the very next request. It is for requests that have
// written nothing: the version was read when the request began. A page of
// 10,000 customers costs a few hundred microseconds of SQLite; a repeat
// costs a map lookup.
type listCache struct {
	pages *cache.Cache[pageKey, page]
}

// newListCache sizes the cache for the server's memory target: a page is
// 3–6 KB, so about 250 pages stay.
func newListCache() listCache {
	return listCache{pages: cache.New[pageKey, page](256, 1<<20, 0)}
}

type pageKey struct {
	version int64
	scope   store.CustomerScope // the organization, and whose customers
	q       store.CustomerQuery
}

type page struct {
	rows  []store.Customer
	total int
}

// customers returns a page of the customers in scope sc and their total.
// The rows are shared: callers must not modify them.
func (lc listCache) customers(ctx context.Context, db *store.Store, org *domain.Org, sc store.CustomerScope, q store.CustomerQuery) ([]store.Customer, int, error) {
	key := pageKey{org.CustomersVersion, sc, q}
	now := db.Now()
	if p, ok := lc.pages.Get(key, now); ok {
		return p.rows, p.total, nil
	}
	rows, total, err := db.Customers(ctx, sc, q)
	if err != nil {
		return nil, 0, err
	}
	size := 256 + len(q.Search)
	for _, r := range rows {
		size += 160 + len(r.Name) + len(r.Email) + len(r.Phone) + len(r.Company) + len(r.AssigneeName)
	}
	lc.pages.Put(key, page{rows, total}, size, now)
	return rows, total, nil
}
