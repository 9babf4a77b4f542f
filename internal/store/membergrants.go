package store

import (
	"context"
	"database/sql"
	"sync"

	"gatehouse/internal/access"
)

// groupGrants returns the groups of a membership of orgID as the engine's
// input, by name, like Grants(GroupsOfMember(...)) but reading only the
// two columns the engine needs and decoding each permission document once
// per process (see setDecodes): "My Permissions" of a member in 20 groups
// otherwise spends most of its time in the JSON decoder.
// liveGM holds for a group membership gm whose end has not come at the
// bound time (its one argument, Unix seconds): an ended one is ignored by
// every read that resolves access before the sweep removes it.
const liveGM = `(gm.expires_at IS NULL OR gm.expires_at > ?)`

func (r reads) groupGrants(ctx context.Context, orgID, membershipID int64) ([]access.GroupGrant, error) {
	rows, err := r.q.query(ctx, `SELECT g.name, g.permissions FROM group_members gm JOIN groups g ON g.id = gm.group_id
		WHERE gm.membership_id = ? AND g.org_id = ? AND `+liveGM+` ORDER BY g.name COLLATE NOCASE`, membershipID, orgID, r.Now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.GroupGrant
	var raw sql.RawBytes // reused row to row; the memo keys by a copy
	for rows.Next() {
		var g access.GroupGrant
		if err := rows.Scan(&g.Name, &raw); err != nil {
			return nil, err
		}
		g.Set = setDecodes.decode(raw)
		out = append(out, g)
	}
	return out, rows.Err()
}

// setDecodeCache memoizes decodeSet by the document's text. A decoded set
// is a pure function of that text, so an entry can never be stale, whatever
// the database or the organization; the map is bounded by starting over.
type setDecodeCache struct {
	mu      sync.RWMutex
	entries map[string]access.Set
}

// maxSetDecodes bounds the memo: distinct permission documents in use are
// a few per group, and a group's document is a few hundred bytes.
const maxSetDecodes = 8192

var setDecodes setDecodeCache

func (c *setDecodeCache) decode(raw []byte) access.Set {
	c.mu.RLock()
	set, ok := c.entries[string(raw)] // no allocation for the lookup
	c.mu.RUnlock()
	if ok {
		return set
	}
	set = decodeSet(string(raw))
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxSetDecodes {
		c.entries = make(map[string]access.Set, 256)
	}
	c.entries[string(raw)] = set
	c.mu.Unlock()
	return set
}
