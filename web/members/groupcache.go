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
	groups  optionList      // every group's filter option, in index order
	teamOpt optionList      // every team's, in teams order
}

// optionList is a select's options rendered once, none selected: html, and
// where the i-th option starts in it (one more offset at the end).
type optionList struct {
	html    string
	offsets []int
}

func renderOptions(ctx context.Context, opts []members.Option) (optionList, error) {
	l := optionList{offsets: make([]int, len(opts)+1)}
	var b strings.Builder
	for i, o := range opts {
		l.offsets[i] = b.Len()
		if err := members.GroupOption(o).Render(ctx, &b); err != nil {
			return l, err
		}
	}
	l.offsets[len(opts)] = b.Len()
	l.html = b.String()
	return l, nil
}

// with is the options with the i-th one selected (i < 0: none): the cached
// markup with only that option rendered anew.
func (l optionList) with(ctx context.Context, i int, o members.Option) (string, error) {
	if i < 0 {
		return l.html, nil
	}
	var b strings.Builder
	b.Grow(len(l.html) + 10)
	b.WriteString(l.html[:l.offsets[i]])
	o.Checked = true
	if err := members.GroupOption(o).Render(ctx, &b); err != nil {
		return "", err
	}
	b.WriteString(l.html[l.offsets[i+1]:])
	return b.String(), nil
}

func (l optionList) size() int { return len(l.html) + 8*len(l.offsets) }

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
	gopts := make([]members.Option, len(index.Refs))
	for i, g := range index.Refs {
		gopts[i] = groupOption(g, false)
	}
	topts := make([]members.Option, len(teams))
	for i, t := range teams {
		topts[i] = groupOption(t, false)
	}
	if e.groups, err = renderOptions(ctx, gopts); err != nil {
		return nil, err
	}
	if e.teamOpt, err = renderOptions(ctx, topts); err != nil {
		return nil, err
	}
	gc.entries.Put(k, e, e.groups.size()+e.teamOpt.size()+64*len(teams)+groupIndexAllowance, 0)
	return e, nil
}

func groupOption(g store.GroupRef, selected bool) members.Option {
	return members.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Checked: selected}
}

// optionsHTML is the group filter's options with group selected (0: none).
func (e *groupRefEntry) optionsHTML(ctx context.Context, selected int64) (string, error) {
	i, ok := e.index.Pos(selected)
	if !ok {
		return e.groups.html, nil
	}
	return e.groups.with(ctx, i, groupOption(e.index.Refs[i], false))
}

// teamOptionsHTML is the team filter's options with team selected (0: none).
func (e *groupRefEntry) teamOptionsHTML(ctx context.Context, selected int64) (string, error) {
	for i, t := range e.teams {
		if t.ID == selected {
			return e.teamOpt.with(ctx, i, groupOption(t, false))
		}
	}
	return e.teamOpt.html, nil
}
