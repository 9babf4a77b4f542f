package members

import (
	"context"
	"strconv"
	"strings"

	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/members"
)

// groupRefCache keeps each organization's groups for the members page,
// valid for one permission version: creating, renaming or deleting a group
// and adding or removing a group member bump that version (schema
// triggers), so an entry is never stale. With 500 groups it saves, on every
// members page, the group query, reading the groups of members listed
// before, naming and ordering them, and rendering the 500 options of the
// group filter. See internal/cache.
type groupRefCache struct {
	entries *cache.Cache[orgVersion, *groupRefEntry]
}

// maxGroupRefOrgs bounds the cache: an entry of 500 groups is about 60 KB
// of options, plus up to ~100 KB of remembered member groups
// (store.GroupIndex), which every entry is counted as.
const (
	maxGroupRefOrgs     = 64
	groupIndexAllowance = 100 << 10
)

func newGroupRefCache() groupRefCache {
	return groupRefCache{entries: cache.New[orgVersion, *groupRefEntry](maxGroupRefOrgs, 16<<20, 0)}
}

// groupRefEntry is immutable once made.
type groupRefEntry struct {
	index   *store.GroupIndex
	teams   []store.TeamRef // the team filter's choices and what validates it (team changes bump the version too)
	options string          // every group's filter option, none selected, in index order
	offsets []int           // where the i-th group's option starts in options; one more at the end
}

func (gc groupRefCache) get(ctx context.Context, db *store.Store, org *domain.Org) (*groupRefEntry, error) {
	k := orgVersion{org.ID, org.PermVersion}
	if e, ok := gc.entries.Get(k, 0); ok {
		return e, nil
	}
	index, err := db.GroupIndex(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	teams, err := db.TeamRefs(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	e := &groupRefEntry{index: index, teams: teams, offsets: make([]int, len(index.Refs)+1)}
	var b strings.Builder
	for i, g := range index.Refs {
		e.offsets[i] = b.Len()
		if err := members.GroupOption(groupOption(g, false)).Render(ctx, &b); err != nil {
			return nil, err
		}
	}
	e.offsets[len(index.Refs)] = b.Len()
	e.options = b.String()
	gc.entries.Put(k, e, len(e.options)+8*len(e.offsets)+64*len(teams)+groupIndexAllowance, 0)
	return e, nil
}

func groupOption(g store.GroupRef, selected bool) members.Option {
	return members.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Checked: selected}
}

// optionsHTML is the group filter's options with group selected (0: none):
// the cached markup with only the selected group's option rendered anew.
func (e *groupRefEntry) optionsHTML(ctx context.Context, selected int64) (string, error) {
	i, ok := e.index.Pos(selected)
	if !ok {
		return e.options, nil
	}
	var b strings.Builder
	b.Grow(len(e.options) + 10)
	b.WriteString(e.options[:e.offsets[i]])
	if err := members.GroupOption(groupOption(e.index.Refs[i], true)).Render(ctx, &b); err != nil {
		return "", err
	}
	b.WriteString(e.options[e.offsets[i+1]:])
	return b.String(), nil
}
