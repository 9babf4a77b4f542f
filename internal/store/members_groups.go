package store

import (
	"context"
	"slices"
)

// GroupIndex is an organization's group list by name, with each group's
// place in it: the members list reads only its rows' group ids and names
// and orders them from here, instead of joining groups and sorting names
// in SQL on every page.
type GroupIndex struct {
	Refs []GroupRef // by name, case-insensitively (as GroupRefs returns them)
	pos  map[int64]int
}

// NewGroupIndex indexes refs, which must be in GroupRefs' order.
func NewGroupIndex(refs []GroupRef) *GroupIndex {
	gi := &GroupIndex{Refs: refs, pos: make(map[int64]int, len(refs))}
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

// nameGroups fills rows[i].Groups from the group ids read with each row,
// ordered by name. An id missing from gi (nil, or a group created since the
// caller's copy was made) makes it read the groups afresh; an id missing
// from that too is a group deleted meanwhile, and left out.
func (s *Store) nameGroups(ctx context.Context, orgID int64, gi *GroupIndex, rows []MemberRow, ids [][]int64) error {
	known := func() bool {
		for _, row := range ids {
			for _, id := range row {
				if _, ok := gi.pos[id]; !ok {
					return false
				}
			}
		}
		return true
	}
	if gi == nil || !known() {
		some := false
		for _, row := range ids {
			some = some || len(row) > 0
		}
		if !some {
			return nil
		}
		var err error
		if gi, err = s.GroupIndex(ctx, orgID); err != nil {
			return err
		}
	}
	for i, row := range ids {
		if len(row) == 0 {
			continue
		}
		pos := make([]int, 0, len(row))
		for _, id := range row {
			if p, ok := gi.pos[id]; ok {
				pos = append(pos, p)
			}
		}
		slices.Sort(pos)
		rows[i].Groups = make([]GroupRef, len(pos))
		for j, p := range pos {
			rows[i].Groups[j] = gi.Refs[p]
		}
	}
	return nil
}

// parseIDs reads a group_concat of integer ids ("12,7,40"); NULL is none.
func parseIDs(b []byte) []int64 {
	if len(b) == 0 {
		return nil
	}
	var out []int64
	var n int64
	for _, c := range b {
		if c == ',' {
			out = append(out, n)
			n = 0
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return append(out, n)
}

// Pos is the place of group id in Refs.
func (gi *GroupIndex) Pos(id int64) (int, bool) {
	i, ok := gi.pos[id]
	return i, ok
}
