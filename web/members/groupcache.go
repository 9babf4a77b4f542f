package members

import (
	"context"
	"slices"
	"strconv"

	"github.com/a-h/templ"

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
	groups  cache.Options   // every group's filter option, in index order
	teamOpt cache.Options   // every team's, in teams order
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
	e := &groupRefEntry{index: index, teams: teams}
	if e.groups, err = cache.RenderOptions(ctx, len(index.Refs), e.groupOption); err != nil {
		return nil, err
	}
	if e.teamOpt, err = cache.RenderOptions(ctx, len(teams), e.teamOption); err != nil {
		return nil, err
	}
	gc.entries.Put(k, e, e.groups.Size()+e.teamOpt.Size()+64*len(teams)+groupIndexAllowance, 0)
	return e, nil
}

func groupOption(g store.GroupRef, selected bool) templ.Component {
	return members.GroupOption(members.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Checked: selected})
}

func (e *groupRefEntry) groupOption(i int, selected bool) templ.Component {
	return groupOption(e.index.Refs[i], selected)
}

func (e *groupRefEntry) teamOption(i int, selected bool) templ.Component {
	return groupOption(e.teams[i], selected)
}

// optionsHTML is the group filter's options with group selected (0: none).
func (e *groupRefEntry) optionsHTML(ctx context.Context, selected int64) (string, error) {
	i, ok := e.index.Pos(selected)
	if !ok {
		i = -1
	}
	return e.groups.With(ctx, i, e.groupOption)
}

// teamOptionsHTML is the team filter's options with team selected (0: none).
func (e *groupRefEntry) teamOptionsHTML(ctx context.Context, selected int64) (string, error) {
	i := slices.IndexFunc(e.teams, func(t store.TeamRef) bool { return t.ID == selected })
	return e.teamOpt.With(ctx, i, e.teamOption)
}
