package orgio

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Export reads an organization's access configuration (a not_found
// *domain.Error, which is store.ErrNotFound, for an unknown slug). The order
// is fixed so that the same configuration always gives the same bytes: predefined groups in catalog order, then
// custom groups by name; teams by name, each team's leads by email;
// channels by name, each channel's teams by name; members
// by email, each member's groups in the groups' order and teams by name.
func Export(ctx context.Context, db *store.Store, slug string) (Config, error) {
	snap, err := db.OrgSnapshot(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return Config{}, notFound("no organization with slug %q", slug)
	}
	if err != nil {
		return Config{}, err
	}
	return FromSnapshot(snap), nil
}

// FromSnapshot turns a stored configuration into the document.
func FromSnapshot(snap store.OrgSnapshot) Config {
	c := Config{
		Version: Version,
		Organization: Organization{
			Name:     snap.Org.Name,
			Slug:     snap.Org.Slug,
			Products: snap.Org.Products.Keys(),
			Seats:    snap.Org.Seats,
		},
		Groups:  make([]Group, 0, len(snap.Groups)),
		Teams:   make([]Team, 0, len(snap.Teams)),
		Members: make([]Member, 0, len(snap.Members)),
	}
	teamName := make(map[int64]string, len(snap.Teams))
	leads := make(map[int64][]string, len(snap.Teams))
	for _, t := range snap.Teams {
		teamName[t.ID] = t.Name
	}
	for _, m := range snap.Members {
		for _, mt := range m.Teams {
			if mt.Lead {
				leads[mt.TeamID] = append(leads[mt.TeamID], m.Email)
			}
		}
	}
	for _, t := range snap.Teams {
		l := slices.Clone(leads[t.ID])
		slices.Sort(l)
		c.Teams = append(c.Teams, Team{Name: t.Name, Description: t.Description, Leads: l})
	}
	slices.SortFunc(c.Teams, func(a, b Team) int { return compareNames(a.Name, b.Name) })
	c.Channels = make([]Channel, 0, len(snap.Channels))
	for _, ch := range snap.Channels {
		teams := make([]string, 0, len(ch.Teams))
		for _, t := range ch.Teams {
			teams = append(teams, t.Name)
		}
		slices.SortFunc(teams, compareNames)
		c.Channels = append(c.Channels, Channel{Name: ch.Name, Kind: ch.Kind, Teams: teams, Archived: ch.Archived()})
	}
	slices.SortFunc(c.Channels, func(a, b Channel) int { return compareNames(a.Name, b.Name) })
	groups := slices.Clone(snap.Groups)
	slices.SortFunc(groups, compareGroups)
	pos := make(map[int64]int, len(groups))
	for i, g := range groups {
		pos[g.ID] = i
		c.Groups = append(c.Groups, Group{Name: g.Name, Description: g.Description, Predefined: g.Predefined(), Permissions: g.Set})
	}
	members := slices.Clone(snap.Members)
	slices.SortFunc(members, func(a, b store.OrgMember) int { return strings.Compare(a.Email, b.Email) })
	for _, m := range members {
		ids := slices.Clone(m.GroupIDs)
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(pos[a], pos[b]) })
		names := make([]string, 0, len(ids))
		ends := map[string]string{}
		for _, id := range ids {
			if i, ok := pos[id]; ok {
				names = append(names, groups[i].Name)
				if at := m.GroupEnds[id]; at != 0 {
					ends[groups[i].Name] = store.EndUTC(at)
				}
			}
		}
		teams := make([]string, 0, len(m.Teams))
		for _, mt := range m.Teams {
			if n, ok := teamName[mt.TeamID]; ok {
				teams = append(teams, n)
			}
		}
		slices.SortFunc(teams, compareNames)
		var custom *access.Set
		if m.Custom != nil {
			cs := *m.Custom
			custom = &cs
		}
		mem := Member{Email: m.Email, Name: m.Name, Role: m.Role, Status: m.Status,
			Groups: names, Teams: teams, Custom: custom, GroupExpires: ends}
		if m.CustomUntil != 0 {
			at := store.EndUTC(m.CustomUntil)
			mem.CustomExpires = &at
		}
		if m.RoleUntil != 0 {
			mem.RoleUntil = &RoleUntil{At: store.EndUTC(m.RoleUntil), Then: m.RoleThen}
		}
		c.Members = append(c.Members, mem)
	}
	return c
}

// predefinedRank orders predefined groups as the catalog does (Admin, User,
// Guest, then one per product); unknown keys go last.
var predefinedRank = func() map[string]int {
	r := map[string]int{}
	for i, g := range access.PredefinedGroups(access.AllProducts()) {
		r[g.Key] = i
	}
	return r
}()

func rank(key string) int {
	if r, ok := predefinedRank[key]; ok {
		return r
	}
	return len(predefinedRank)
}

func compareGroups(a, b domain.Group) int {
	if a.Predefined() != b.Predefined() {
		if a.Predefined() {
			return -1
		}
		return 1
	}
	if a.Predefined() {
		if c := cmp.Compare(rank(a.PredefinedKey), rank(b.PredefinedKey)); c != 0 {
			return c
		}
	}
	return compareNames(a.Name, b.Name)
}

// compareNames orders names as the lists do: case-insensitively, then
// exactly (so the order is total and an export deterministic).
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
