package orgio

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/nav"
	"gatehouse/internal/store"
)

// AccessReport is `gatehouse access` output (ARCHITECTURE.md, Contracts): a member's
// effective permissions and why. Name and FlagSources are extra keys.
type AccessReport struct {
	Organization string       `json:"organization"`
	Email        string       `json:"email"`
	Name         string       `json:"name"`
	Role         access.Role  `json:"role"`
	Status       string       `json:"status"`
	Layer        access.Layer `json:"layer"`
	Groups       []string     `json:"groups"`
	// Expires are the ends of the member's time-bound grants (UTC, to the
	// second, Z), keyed "group:<name>", "custom" and "role".
	Expires     map[string]string `json:"expires"`
	Permissions Sources           `json:"permissions"`
	Flags       FlagValues        `json:"flags"`
	FlagSources Sources           `json:"flag_sources"`
	// Scopes is the member's scope on every accessible scoped module
	// ("own", "team", "all"), ScopeSources what grants the flag that
	// decides it ([] for own), Teams the member's teams by name. A
	// suspended member has {} {} [].
	Scopes       ScopeValues `json:"scopes"`
	ScopeSources Sources     `json:"scope_sources"`
	Teams        []string    `json:"teams"`
	// Fields is the member's level ("hidden", "read", "edit") on every
	// field of every accessible module, FieldSources the sets that decide
	// it (ARCHITECTURE.md, Fields); {} {} when suspended.
	Fields       FieldValues `json:"fields"`
	FieldSources Sources     `json:"field_sources"`
	Sidebar      []nav.Item  `json:"sidebar"`
}

// ScopeValues maps a scoped module to the member's scope, written in
// catalog order.
type ScopeValues map[string]string

// MarshalJSON writes the entries in catalog order.
func (v ScopeValues) MarshalJSON() ([]byte, error) { return orderedJSON(v) }

// Sources maps a permission ("customers_view") or flag key to what grants
// it. It is written in catalog order, so related permissions sit together.
type Sources map[string][]string

// MarshalJSON writes the entries in catalog order (unknown keys last, sorted).
func (s Sources) MarshalJSON() ([]byte, error) { return orderedJSON(s) }

// FieldValues maps a full field key to a level, written in catalog order.
type FieldValues map[string]string

// MarshalJSON writes the entries in catalog order.
func (v FieldValues) MarshalJSON() ([]byte, error) { return orderedJSON(v) }

// FlagValues maps a full flag key to its value, written in catalog order.
type FlagValues map[string]bool

// MarshalJSON writes the entries in catalog order.
func (f FlagValues) MarshalJSON() ([]byte, error) { return orderedJSON(f) }

func fieldValues(ls map[string]access.Level) FieldValues {
	v := make(FieldValues, len(ls))
	for k, l := range ls {
		v[k] = l.String()
	}
	return v
}

// catalogOrder ranks every permission and flag name as the catalog lists them.
var catalogOrder = func() map[string]int {
	r := map[string]int{}
	for _, m := range access.Modules() {
		for _, a := range m.Actions {
			r[access.PermissionName(m.ID, a)] = len(r)
		}
	}
	for _, f := range access.Flags() {
		r[f.FullKey] = len(r)
	}
	for _, m := range access.Modules() {
		for _, f := range m.Fields {
			r[f.FullKey] = len(r)
		}
	}
	for _, m := range access.Modules() {
		r[m.Key] = len(r)
	}
	return r
}()

func orderedJSON[V any](m map[string]V) ([]byte, error) {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		ra, oka := catalogOrder[a]
		rb, okb := catalogOrder[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kj, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vj, err := json.Marshal(m[k])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, kj...), ':'), vj...)
	}
	return append(b, '}'), nil
}

// notFound says in words which lookup failed (unknown organization,
// unknown user, not a member): not_found, and errors.Is(err,
// store.ErrNotFound) holds.
func notFound(format string, args ...any) error {
	e := domain.NotFound(format, args...)
	e.Err = store.ErrNotFound
	return e
}

// Access explains the effective permissions of the user with email in the
// organization slug, with the same engine and sidebar builder as the app.
func Access(ctx context.Context, db *store.Store, slug, email string) (AccessReport, error) {
	org, err := db.OrgBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return AccessReport{}, notFound("no organization with slug %q", slug)
	}
	if err != nil {
		return AccessReport{}, err
	}
	u, err := db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return AccessReport{}, notFound("no user with email %q", email)
	}
	if err != nil {
		return AccessReport{}, err
	}
	m, err := db.MembershipOfUser(ctx, org.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return AccessReport{}, notFound("%s is not a member of organization %q", u.Email, slug)
	}
	if err != nil {
		return AccessReport{}, err
	}
	in, err := db.MemberInput(ctx, org, m, store.AllLayers)
	if err != nil {
		return AccessReport{}, err
	}
	x := access.Explain(in)
	expires, err := memberEnds(ctx, db, org.ID, m)
	if err != nil {
		return AccessReport{}, err
	}
	scopes := ScopeValues{}
	for k, sc := range x.Scopes {
		scopes[k] = sc.String()
	}
	hasTeams, err := db.OrgHasTeams(ctx, org.ID)
	if err != nil {
		return AccessReport{}, err
	}
	teams := []string{}
	if x.Layer != access.LayerSuspended {
		mts, err := db.TeamsOfMember(ctx, org.ID, m.ID)
		if err != nil {
			return AccessReport{}, err
		}
		for _, t := range mts {
			teams = append(teams, t.Name)
		}
		slices.SortFunc(teams, compareNames)
	}
	return AccessReport{
		Organization: org.Slug,
		Email:        u.Email,
		Name:         u.Name,
		Role:         m.Role,
		Status:       m.Status,
		Layer:        x.Layer,
		Groups:       x.Groups,
		Expires:      expires,
		Permissions:  x.Permissions,
		Flags:        x.Flags,
		FlagSources:  x.FlagSources,
		Scopes:       scopes,
		ScopeSources: x.ScopeSources,
		Teams:        teams,
		Fields:       fieldValues(x.Fields),
		FieldSources: x.FieldSources,
		Sidebar:      nav.Build(org.Slug, x.Set, org.Products, hasTeams, ""),
	}, nil
}

// memberEnds are m's grants' ends as the access JSON keys them.
func memberEnds(ctx context.Context, db *store.Store, orgID int64, m domain.Membership) (map[string]string, error) {
	out := map[string]string{}
	groups, err := db.GroupsOfMember(ctx, orgID, m.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Until != 0 {
			out["group:"+g.Name] = store.EndUTC(g.Until)
		}
	}
	if m.CustomUntil != 0 {
		out["custom"] = store.EndUTC(m.CustomUntil)
	}
	if m.RoleUntil != 0 {
		out["role"] = store.EndUTC(m.RoleUntil)
	}
	return out, nil
}
