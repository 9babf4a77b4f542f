package store

import (
	"context"
	"slices"
	"sync"
)

// GroupIndex is an organization's group list by name, with each group's
// place in it, for one permission version of the organization: the members
// list reads only its rows' group ids and names and orders them from here,
// instead of joining groups and sorting names in SQL on every page.
//
// It also remembers the groups of the members it has listed. Every change
// of a group or of a group membership bumps organizations.perm_version
// (schema triggers), so an index must not outlive the version it was made
// for: the caller keeps one per version and makes a new one when it moves
// (web's groupRefCache). An index made for one call (nil passed to
// ListMembers) remembers nothing beyond it.
type GroupIndex struct {
	Refs []GroupRef // by name, case-insensitively (as GroupRefs returns them)
	pos  map[int64]int

	mu   sync.Mutex
	of   map[int64][]int // membership id → places in Refs of its groups, ascending
	maxN int
}

// maxRememberedMembers bounds what one index remembers (about 100 bytes a
// member); when full it starts over.
const maxRememberedMembers = 1024

// NewGroupIndex indexes refs, which must be in GroupRefs' order.
func NewGroupIndex(refs []GroupRef) *GroupIndex {
	gi := &GroupIndex{Refs: refs, pos: make(map[int64]int, len(refs)), maxN: maxRememberedMembers}
	for i, g := range refs {
		gi.pos[g.ID] = i
	}
	return gi
}

// GroupIndex reads an organization's groups into an index.
func (s *Store) GroupIndex(ctx context.Context, orgID int64) (*GroupIndex, error) {
	refs, err := s.GroupRefs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return NewGroupIndex(refs), nil
}

// Pos is the place of group id in Refs.
func (gi *GroupIndex) Pos(id int64) (int, bool) {
	i, ok := gi.pos[id]
	return i, ok
}

// remembered returns the group places of membership id, if listed before.
func (gi *GroupIndex) remembered(id int64) ([]int, bool) {
	gi.mu.Lock()
	defer gi.mu.Unlock()
	p, ok := gi.of[id]
	return p, ok
}

func (gi *GroupIndex) remember(found map[int64][]int) {
	gi.mu.Lock()
	defer gi.mu.Unlock()
	if gi.of == nil || len(gi.of)+len(found) > gi.maxN {
		gi.of = make(map[int64][]int, len(found))
	}
	for id, p := range found {
		gi.of[id] = p
	}
}

// places turns group ids into places in Refs, ascending (by name); ok is
// false when an id is not in the index (a group newer than it).
func (gi *GroupIndex) places(ids []int64) ([]int, bool) {
	if len(ids) == 0 {
		return nil, true
	}
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		p, ok := gi.pos[id]
		if !ok {
			return nil, false
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return out, true
}

// attachGroups fills rows[i].Groups, ordered by name: from what gi
// remembers, else from the covering index group_members_membership (ids
// only; names come from gi). An id missing from gi (a group created since
// it was made) makes it read the groups afresh for this call; an id missing
// from that too is a group deleted meanwhile, and left out.
func (s *Store) attachGroups(ctx context.Context, orgID int64, gi *GroupIndex, rows []MemberRow) error {
	if len(rows) == 0 {
		return nil
	}
	if gi == nil {
		gi = &GroupIndex{} // filled below if a listed member has groups
	}
	places := make([][]int, len(rows))
	var missing []any
	for i, r := range rows {
		if p, ok := gi.remembered(r.ID); ok {
			places[i] = p
		} else {
			missing = append(missing, r.ID)
		}
	}
	if len(missing) > 0 {
		ids, err := s.memberGroupIDs(ctx, missing)
		if err != nil {
			return err
		}
		found := make(map[int64][]int, len(missing))
		stale := false
		for _, id := range missing {
			p, ok := gi.places(ids[id.(int64)])
			if !ok {
				stale = true
				break
			}
			found[id.(int64)] = p
		}
		if stale {
			if gi, err = s.GroupIndex(ctx, orgID); err != nil {
				return err
			}
			clear(found)
			for _, id := range missing {
				found[id.(int64)] = gi.placesKnown(ids[id.(int64)])
			}
		} else if gi.pos != nil {
			gi.remember(found)
		}
		for i, r := range rows {
			if places[i] == nil {
				places[i] = found[r.ID]
			}
		}
	}
	for i, p := range places {
		if len(p) == 0 {
			continue
		}
		rows[i].Groups = make([]GroupRef, len(p))
		for j, at := range p {
			rows[i].Groups[j] = gi.Refs[at]
		}
	}
	return nil
}

// placesKnown is places without the ids it does not know (groups deleted
// since the ids were read).
func (gi *GroupIndex) placesKnown(ids []int64) []int {
	var out []int
	for _, id := range ids {
		if p, ok := gi.pos[id]; ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// memberGroupIDs reads the group ids of memberships from the covering index
// group_members_membership.
func (s *Store) memberGroupIDs(ctx context.Context, ids []any) (map[int64][]int64, error) {
	args := padList(ids)
	rs, err := s.query(ctx, memberGroupIDsSQL(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := make(map[int64][]int64, len(ids))
	for rs.Next() {
		var mid, gid int64
		if err := rs.Scan(&mid, &gid); err != nil {
			return nil, err
		}
		out[mid] = append(out[mid], gid)
	}
	return out, rs.Err()
}

func memberGroupIDsSQL(n int) string {
	return `SELECT membership_id, group_id FROM group_members WHERE membership_id IN (` + placeholders(n) + `)`
}
