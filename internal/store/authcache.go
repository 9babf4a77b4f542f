package store

import (
	"bytes"
	"context"
	"database/sql"
	"sync"
)

// The auth query runs on every request and was a fifth of a page's CPU
// (a members page, a dashboard). Its answer can only change when something
// is committed to the database, by this process or another one (the CLI
// writes to the same file while the server runs). SQLite counts exactly
// that: PRAGMA data_version, asked again on the same connection, differs
// whenever any other connection has committed in between. So answers are
// kept per session and organization with the data version they were read
// at, and reused while the version has not moved: about 7 µs against
// 30–70 µs for the query. Any commit (a suspension, a role or group change,
// a password change, a session revoked or touched) moves the version, so
// the next request reads everything again: revocation stays immediate.
// Requests that may write skip the cache (LoadAuthForWrite): under a burst
// of saves every one of them would miss it.

// authCacheMax bounds the cached answers (a few hundred bytes each); when
// full the cache starts over, which costs one query per session.
const authCacheMax = 4096

type authKey struct{ session, slug string }

type authEntry struct {
	version int64
	row     AuthRow
}

// authCache holds auth answers and the connection that reads the data
// version: its own, so that no other statement's commit is "its own".
type authCache struct {
	db      *sql.DB
	version *sql.Stmt

	mu      sync.Mutex
	entries map[authKey]authEntry
}

// newAuthCache reads the data version with versionSQL (the dialect's
// dataVersionSQL) on db, a connection of its own.
func newAuthCache(ctx context.Context, db *sql.DB, versionSQL string) (*authCache, error) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	st, err := db.PrepareContext(ctx, versionSQL)
	if err != nil {
		return nil, err
	}
	return &authCache{db: db, version: st, entries: map[authKey]authEntry{}}, nil
}

// dataVersion is the database's data version as the cache's connection
// sees it now.
func (c *authCache) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := c.version.QueryRowContext(ctx).Scan(&v)
	return v, err
}

func (c *authCache) get(k authKey, version int64) (AuthRow, bool) {
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if !ok || e.version != version {
		return AuthRow{}, false
	}
	return e.row.clone(), true
}

func (c *authCache) put(k authKey, version int64, row AuthRow) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= authCacheMax {
		clear(c.entries)
	}
	c.entries[k] = authEntry{version: version, row: row.clone()}
}

func (c *authCache) close() error {
	c.version.Close()
	return c.db.Close()
}

// clone copies everything a caller could change, so a cached answer never
// sees a request's edits.
func (a AuthRow) clone() AuthRow {
	a.Session.Data = bytes.Clone(a.Session.Data)
	if a.Org != nil {
		o := *a.Org
		a.Org = &o
	}
	if a.Membership != nil {
		m := *a.Membership
		if m.Custom != nil {
			c := *m.Custom
			m.Custom = &c
		}
		a.Membership = &m
	}
	return a
}
