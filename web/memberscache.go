package web

import (
	"context"
	"sync"

	"gatehouse/internal/store"
)

// memberPageCache keeps pages of the members list (the rows with their
// groups, the count and the cursors), per organization, members version
// and query. Schema triggers bump the organization's members_version on
// every change the list shows (migration 4), and the auth context reads it
// on each request, so a change misses the cache on the very next request.
// Last activity is the exception: it is recorded at most every five
// minutes (touchActivity) and does not bump the version, so an entry lives
// at most memberPageMaxAge. Relative times ("3 minutes ago") are computed
// when the page is rendered, never cached.
//
// A page of a 100,000-member organization costs about a millisecond of
// SQLite; a repeat costs a map lookup.
type memberPageCache struct {
	mu      sync.Mutex
	bytes   int
	entries map[memberPageKey]memberPageEntry
	extras  map[int64]memberExtrasEntry // by organization
}

// memberExtras is the rest of the members page's data: the seat counts and
// the open invitations (migration 4 covers both). Whether an invitation has
// expired is decided when the page is rendered; the pending count may lag an
// expiry by memberPageMaxAge (it is a display: quota checks count inside
// their own transaction).
type memberExtras struct {
	Seats   store.Seats
	Invites []store.Invite
}

type memberExtrasEntry struct {
	version, filled int64
	extras          memberExtras
}

type memberPageKey struct {
	org, version int64
	q            store.MemberQuery // Groups cleared: the index is a helper, not part of the question
}

type memberPageEntry struct {
	page   store.MemberPage
	filled int64 // Unix seconds
	size   int
}

const (
	// memberPageMaxAge bounds how old a cached last-activity time can be.
	memberPageMaxAge = 60 // seconds
	// The cache's bounds: a page of 50 rows is 10–20 KB, so this is a few
	// hundred pages, a small share of the server's memory target.
	maxMemberPages     = 256
	maxMemberPageBytes = 3 << 20
)

// page returns a page of org's members list for q, reading it from the
// store on a miss. The returned page is shared: callers must not modify it.
func (mc *memberPageCache) page(ctx context.Context, db *store.Store, org *store.Org, q store.MemberQuery) (store.MemberPage, error) {
	key := memberPageKey{org: org.ID, version: org.MembersVersion, q: q}
	key.q.Groups = nil
	now := db.Now()
	mc.mu.Lock()
	e, ok := mc.entries[key]
	mc.mu.Unlock()
	if ok && now-e.filled < memberPageMaxAge && now >= e.filled {
		return e.page, nil
	}
	page, err := db.ListMembers(ctx, org.ID, q)
	if err != nil {
		return store.MemberPage{}, err
	}
	mc.put(key, memberPageEntry{page: page, filled: now, size: memberPageSize(key, page)})
	return page, nil
}

// maxInvitesListed bounds the invitations the members page lists.
const maxInvitesListed = 200

// pageExtras returns org's seat counts and open invitations, reading them
// on a miss. Only for a request that has written nothing: org's version was
// read when the request began. The result is shared: do not modify it.
func (mc *memberPageCache) pageExtras(ctx context.Context, db *store.Store, org *store.Org) (memberExtras, error) {
	now := db.Now()
	mc.mu.Lock()
	e, ok := mc.extras[org.ID]
	mc.mu.Unlock()
	if ok && e.version == org.MembersVersion && now-e.filled < memberPageMaxAge && now >= e.filled {
		return e.extras, nil
	}
	var x memberExtras
	var err error
	if x.Seats, err = db.SeatUsage(ctx, org.ID); err != nil {
		return memberExtras{}, err
	}
	if x.Invites, err = db.OpenInvites(ctx, org.ID, maxInvitesListed); err != nil {
		return memberExtras{}, err
	}
	mc.mu.Lock()
	if mc.extras == nil || len(mc.extras) >= maxMemberPages {
		mc.extras = make(map[int64]memberExtrasEntry)
	}
	mc.extras[org.ID] = memberExtrasEntry{version: org.MembersVersion, filled: now, extras: x}
	mc.mu.Unlock()
	return x, nil
}

func (mc *memberPageCache) put(key memberPageKey, e memberPageEntry) {
	if e.size > maxMemberPageBytes/8 {
		return // an outlier (a huge cursor, say) is not worth a slice of the budget
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if old, ok := mc.entries[key]; ok {
		mc.bytes -= old.size
		delete(mc.entries, key)
	}
	// Full: start over rather than track recency. Entries of older versions
	// are dead weight anyway, and the hot pages refill in one request each.
	if mc.entries == nil || len(mc.entries) >= maxMemberPages || mc.bytes+e.size > maxMemberPageBytes {
		mc.entries, mc.bytes = make(map[memberPageKey]memberPageEntry), 0
	}
	mc.entries[key] = e
	mc.bytes += e.size
}

// memberPageSize estimates what an entry holds in memory: its strings and a
// fixed overhead per row and per group reference.
func memberPageSize(k memberPageKey, p store.MemberPage) int {
	n := 256 + len(k.q.Search) + len(k.q.After) + len(k.q.Before) + len(p.Prev) + len(p.Next)
	for _, r := range p.Rows {
		n += 192 + len(r.Name) + len(r.Email)
		for _, g := range r.Groups {
			n += 24 + len(g.Name)
		}
	}
	return n
}

func (mc *memberPageCache) stats() (entries, bytes int) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	return len(mc.entries), mc.bytes
}
