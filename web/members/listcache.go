package members

import (
	"context"
	"time"

	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/members"
)

// listCaches keep what the members and customers lists (and the
// dashboard's customer figures) read, per organization, data version and
// question (see internal/cache). Schema triggers bump the organization's
// members_version (migration 4) and customers_version (migration 5) on
// every change those pages show, and the auth context reads both on each
// request, so a change misses the cache on the very next request. They are
// for requests that have written nothing: the versions were read when the
// request began.
//
// Last activity is the one exception on the members page: it is recorded
// at most every five minutes per member (app.Kernel.LoadAuth) and does not bump
// the version, so a members entry lives at most listMaxAge. Its rows are
// kept rendered, their relative times ("3 minutes ago") as of when the
// entry was filled: the times shown are as old as the data beside them, so
// this adds no staleness.
//
// A page of 100,000 members or 10,000 customers costs a few hundred
// microseconds to a millisecond of SQLite; a repeat costs a map lookup.
type listCaches struct {
	memberPages  *cache.Cache[memberPageKey, memberListPage]
	memberExtras *cache.Cache[orgVersion, memberExtras]
}

const (
	// listMaxAge bounds how old a cached last-activity time can be.
	listMaxAge = 60 // seconds
	// maxInvitesListed bounds the invitations the members page lists.
	maxInvitesListed = 200
)

// newListCaches sizes the caches for the server's memory target (64 MB
// peak RSS at 100,000 members): a members page with its rows' markup is
// about 50 KB, a customers page 3–6 KB, so about 40 and 250 pages stay,
// far more than anyone pages through between two changes.
func newListCaches() listCaches {
	return listCaches{
		memberPages:  cache.New[memberPageKey, memberListPage](256, 2<<20, listMaxAge),
		memberExtras: cache.New[orgVersion, memberExtras](64, 1<<20, listMaxAge),
	}
}

type orgVersion struct{ org, version int64 }

type memberPageKey struct {
	orgVersion
	slug string // the rows' links; a new slug does not bump the version
	// perm is the permission version: making or unmaking a team lead
	// changes the rows' "(lead)" marks and bumps it, not members_version.
	perm int64
	q    store.MemberQuery // Groups cleared: the index is a helper, not part of the question
}

// memberListPage is a page of the members list: the data, its rows for the
// view and their markup, rendered once by the templ memberRow when the entry is
// filled (members.RowsMarkup), so a repeat writes one string.
type memberListPage struct {
	store.MemberPage
	rows     []members.Row
	rowsHTML string
}

// memberExtras is the rest of the members page's data: the seat counts and
// the open invitations (migration 4 covers both). Whether an invitation has
// expired is decided when the page is rendered; the pending count may lag an
// expiry by listMaxAge (it is a display: quota checks count inside their
// own transaction).
type memberExtras struct {
	Seats   store.Seats
	Invites []store.Invite
}

// memberPage returns a page of org's members list for q. The result is
// shared: callers must not modify it.
func (lc listCaches) memberPage(ctx context.Context, db *store.Store, org *domain.Org, q store.MemberQuery) (memberListPage, error) {
	key := memberPageKey{orgVersion{org.ID, org.MembersVersion}, org.Slug, org.PermVersion, q}
	key.q.Groups = nil
	now := db.Now()
	if page, ok := lc.memberPages.Get(key, now); ok {
		return page, nil
	}
	data, err := db.ListMembers(ctx, org.ID, q)
	if err != nil {
		return memberListPage{}, err
	}
	page := memberListPage{MemberPage: data, rows: make([]members.Row, len(data.Rows))}
	size := 256 + len(q.Search) + len(q.After) + len(q.Before) + len(data.Prev) + len(data.Next)
	for i, r := range data.Rows {
		page.rows[i] = memberRow(r)
		size += 128 + 2*(len(r.Name)+len(r.Email))
		for _, g := range r.Groups {
			size += 48 + len(g.Name)
		}
		for _, t := range r.Teams {
			size += 48 + len(t.Name)
		}
	}
	if page.rowsHTML, err = members.RowsMarkup(ctx, org.Slug, page.rows, time.Unix(now, 0)); err != nil {
		return memberListPage{}, err
	}
	size += len(page.rowsHTML)
	lc.memberPages.Put(key, page, size, now)
	return page, nil
}

// memberPageExtras returns org's seat counts and open invitations.
func (lc listCaches) memberPageExtras(ctx context.Context, db *store.Store, org *domain.Org) (memberExtras, error) {
	key := orgVersion{org.ID, org.MembersVersion}
	now := db.Now()
	if x, ok := lc.memberExtras.Get(key, now); ok {
		return x, nil
	}
	var x memberExtras
	var err error
	if x.Seats, err = db.SeatUsage(ctx, org.ID); err != nil {
		return memberExtras{}, err
	}
	if x.Invites, err = db.OpenInvites(ctx, org.ID, maxInvitesListed); err != nil {
		return memberExtras{}, err
	}
	size := 256
	for _, inv := range x.Invites {
		size += 128 + len(inv.Email) + len(inv.Name)
	}
	lc.memberExtras.Put(key, x, size, now)
	return x, nil
}
