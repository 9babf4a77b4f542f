package orgio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
)

// reader is what planning reads: the store (dry run) or the import's own
// write transaction (so what is checked is what is changed).
type reader interface {
	OrgSnapshot(ctx context.Context, slug string) (store.OrgSnapshot, error)
	UsersByEmail(ctx context.Context, emails []string) (map[string]domain.User, error)
	OrgSlugByNameKey(ctx context.Context, nameKey string) (string, error)
	Now() int64 // the store's clock: grants' ends must lie after it
}

// state is the part of the database an import is compared with.
type state struct {
	snap        *store.OrgSnapshot     // nil: the organization does not exist yet
	users       map[string]domain.User // accounts of the file's emails, by email
	nameTakenBy string                 // slug of the organization using the file's name
	now         int64                  // when the import is planned (the store's clock)
}

func loadState(ctx context.Context, r reader, c Config) (state, error) {
	st := state{users: map[string]domain.User{}, now: time.Now().Unix()}
	if r == nil { // dry run against a database that does not exist yet
		return st, nil
	}
	st.now = r.Now()
	snap, err := r.OrgSnapshot(ctx, c.Organization.Slug)
	switch {
	case err == nil:
		st.snap = &snap
	case !errors.Is(err, store.ErrNotFound):
		return st, err
	}
	emails := make([]string, 0, len(c.Members))
	for _, m := range c.Members {
		if m.Email != "" {
			emails = append(emails, m.Email)
		}
	}
	if st.users, err = r.UsersByEmail(ctx, emails); err != nil {
		return st, err
	}
	if c.Organization.Name != "" {
		if st.nameTakenBy, err = r.OrgSlugByNameKey(ctx, names.FoldOrgName(c.Organization.Name)); err != nil {
			return st, err
		}
	}
	return st, nil
}

// env carries what applying learns (new ids) from one change to the next.
type env struct {
	orgID int64
}

// op is one change: its line in the summary, its audit entry and its write.
type op struct {
	text  string
	audit store.AuditEntry
	apply func(ctx context.Context, tx *store.Tx, e *env) error
}

// gstate is a group as it will be after the import.
type gstate struct {
	id     int64 // 0 until created
	key    string
	name   string
	desc   string
	set    access.Set
	exists bool // in the database before the import
	auto   bool // created together with a new organization (CreateOrg)
	file   int  // index in Config.Groups; -1 when the file does not list it
	delete bool
}

// tstate is a team as it will be after the import (version 2 files only).
type tstate struct {
	id      int64 // 0 until created
	name    string
	desc    string
	oldName string
	oldDesc string
	exists  bool // in the database before the import
	file    int  // index in Config.Teams; -1 when the file does not list it
	delete  bool
	leads   map[string]bool // the file's leads, by email
}

type planner struct {
	c         Config
	st        state
	products  access.ProductSet
	groups    []*gstate
	byName    map[string]*gstate // folded name → group
	teams     []*tstate
	teamByKey map[string]*tstate // store.TeamNameKey → team
	teamOf    map[int64]*tstate  // existing teams by id, once needed
	channels  []*chstate         // the file's channels, then those it omits (nil: the file has no "channels")
	problems  []error
	notes     []string
	ops       []op
	newUsers  bool // a "create user" note was added
}

func (p *planner) problem(path, format string, args ...any) {
	p.problems = append(p.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *planner) note(format string, args ...any) {
	p.notes = append(p.notes, fmt.Sprintf(format, args...))
}

// group finds a group by name, case-insensitively (an index: an import may
// name hundreds of groups for each of thousands of members).
func (p *planner) group(name string) *gstate { return p.byName[fold(name)] }

// addGroup registers a group; names are unique per organization, so the
// first holder of a name keeps it.
func (p *planner) addGroup(g *gstate) {
	p.groups = append(p.groups, g)
	if _, taken := p.byName[fold(g.name)]; !taken {
		p.byName[fold(g.name)] = g
	}
}

func (p *planner) groupByKey(key string) *gstate {
	for _, g := range p.groups {
		if g.key == key {
			return g
		}
	}
	return nil
}

// plan compares the document with the database. fullCheck is false when
// parsing already found problems: checks that judge the document as a whole
// (owners, seats) would then only add noise.
func plan(c Config, st state, fullCheck bool) *planner {
	p := &planner{c: c, st: st, byName: map[string]*gstate{}, teamByKey: map[string]*tstate{}}
	p.products, _ = access.ParseProducts(c.Organization.Products)
	p.planGroupsState()
	p.planTeamsState()
	p.checkMembers(fullCheck)
	p.checkTeams()
	p.planChannels()
	if n := st.nameTakenBy; n != "" && n != c.Organization.Slug {
		p.problem("organization.name", "%q is already the name of organization %q (names are compared ignoring case, accents and spaces)",
			c.Organization.Name, n)
	}
	if len(p.problems) > 0 {
		return p
	}
	p.orgOps()
	p.groupOps()
	p.teamOps()
	p.channelOps()
	p.memberOps()
	p.teamDeletes()
	return p
}

// planTeamsState works out every team after a version 2 import: the file's
// teams matched to the organization's by name (compared like organization
// names); teams the file omits are deleted. A version 1 file leaves teams
// as they are.
func (p *planner) planTeamsState() {
	if !p.c.HasTeams() {
		return
	}
	if p.st.snap != nil {
		for _, t := range p.st.snap.Teams {
			ts := &tstate{id: t.ID, name: t.Name, desc: t.Description, oldName: t.Name, oldDesc: t.Description, exists: true, file: -1}
			p.teams = append(p.teams, ts)
			p.teamByKey[store.TeamNameKey(t.Name)] = ts
		}
	}
	for i, ft := range p.c.Teams {
		if ft.Name == "" {
			continue // reported by Parse
		}
		key := store.TeamNameKey(ft.Name)
		t := p.teamByKey[key]
		if t == nil {
			t = &tstate{file: -1}
			p.teams = append(p.teams, t)
			p.teamByKey[key] = t
		}
		if t.file >= 0 {
			continue // a duplicate, reported by Parse
		}
		t.file, t.name, t.desc = i, ft.Name, ft.Description
		t.leads = map[string]bool{}
		for _, l := range ft.Leads {
			t.leads[l] = true
		}
	}
	for _, t := range p.teams {
		if t.exists && t.file < 0 {
			t.delete = true
		}
	}
}

// team finds a team of the file by name; nil when it has none by that name
// (or only one the import deletes).
func (p *planner) team(name string) *tstate {
	if t := p.teamByKey[store.TeamNameKey(name)]; t != nil && !t.delete {
		return t
	}
	return nil
}

// checkTeams checks the members' teams and the leads: every team a member
// names is in "teams", and every lead is a member of the team.
func (p *planner) checkTeams() {
	if !p.c.HasTeams() {
		return
	}
	inTeam := map[*tstate]map[string]bool{}
	for i, m := range p.c.Members {
		for j, name := range m.Teams {
			t := p.team(name)
			if t == nil {
				p.problem(index(join(index("members", i), "teams"), j), "unknown team %q: define it in \"teams\"", name)
				continue
			}
			if inTeam[t] == nil {
				inTeam[t] = map[string]bool{}
			}
			inTeam[t][m.Email] = true
		}
	}
	for i, ft := range p.c.Teams {
		t := p.team(ft.Name)
		if t == nil || t.file != i {
			continue
		}
		for j, l := range ft.Leads {
			if !inTeam[t][l] {
				p.problem(index(join(index("teams", i), "leads"), j), "%s is not a member of the team: a lead must be one (add %q to their \"teams\")", l, ft.Name)
			}
		}
	}
}

type teamJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// teamOps creates the file's new teams and renames or describes the others,
// in file order (before the members, who are put in them).
func (p *planner) teamOps() {
	for i := range p.c.Teams {
		for _, t := range p.teams {
			if t.file != i {
				continue
			}
			want := teamJSON{t.name, t.desc}
			switch {
			case !t.exists:
				p.ops = append(p.ops, op{text: "create team " + t.name,
					audit: store.AuditEntry{Action: "team.create", Target: "team " + t.name, After: store.JSON(want)},
					apply: func(ctx context.Context, tx *store.Tx, e *env) error {
						id, err := tx.CreateTeam(ctx, e.orgID, want.Name, want.Description)
						if err != nil {
							return fmt.Errorf("create team %s: %w", want.Name, err)
						}
						t.id = id
						return nil
					}})
			default:
				if t.oldName != t.name {
					p.ops = append(p.ops, op{text: fmt.Sprintf("rename team %q → %q", t.oldName, t.name),
						audit: store.AuditEntry{Action: "team.rename", Target: "team " + t.name,
							Before: store.JSON(map[string]string{"name": t.oldName}), After: store.JSON(map[string]string{"name": t.name})},
						apply: func(ctx context.Context, tx *store.Tx, e *env) error {
							return tx.RenameTeam(ctx, e.orgID, t.id, want.Name)
						}})
				}
				if t.oldDesc != t.desc {
					p.ops = append(p.ops, op{text: fmt.Sprintf("update team %s: description %s → %s", t.name, short(t.oldDesc), short(t.desc)),
						audit: store.AuditEntry{Action: "team.describe", Target: "team " + t.name,
							Before: store.JSON(map[string]string{"description": t.oldDesc}), After: store.JSON(map[string]string{"description": t.desc})},
						apply: func(ctx context.Context, tx *store.Tx, e *env) error {
							return tx.DescribeTeam(ctx, e.orgID, t.id, want.Description)
						}})
				}
			}
		}
	}
}

// teamDeletes deletes the teams the file omits (after the members' changes);
// the records they own keep no team.
func (p *planner) teamDeletes() {
	var gone []*tstate
	for _, t := range p.teams {
		if t.delete {
			gone = append(gone, t)
		}
	}
	slices.SortFunc(gone, func(a, b *tstate) int { return compareNames(a.name, b.name) })
	for _, t := range gone {
		p.ops = append(p.ops, op{text: "delete team " + t.name + " (not in the file; records it owns keep no team)",
			audit: store.AuditEntry{Action: "team.delete", Target: "team " + t.name, Before: store.JSON(teamJSON{t.name, t.desc})},
			apply: func(ctx context.Context, tx *store.Tx, e *env) error {
				_, err := tx.DeleteTeam(ctx, e.orgID, t.id, 0)
				return err
			}})
	}
}

// memberTeam is one of a member's teams after the import.
type memberTeam struct {
	t    *tstate
	lead bool
}

// wantTeams is a file member's teams, with their lead marks.
func (p *planner) wantTeams(m Member) []memberTeam {
	out := make([]memberTeam, 0, len(m.Teams))
	for _, name := range m.Teams {
		if t := p.team(name); t != nil {
			out = append(out, memberTeam{t, t.leads[m.Email]})
		}
	}
	return out
}

// teamRefs are the teams as the store takes them (ids read when applied,
// after new teams are created).
func teamRefs(ts []memberTeam) []domain.MemberTeam {
	out := make([]domain.MemberTeam, len(ts))
	for i, mt := range ts {
		out[i] = domain.MemberTeam{TeamID: mt.t.id, Lead: mt.lead}
	}
	return out
}

// teamWords lists teams for a change's line: "Americas, EMEA (lead)".
func teamWords(ts []memberTeam) []string {
	out := make([]string, len(ts))
	for i, mt := range ts {
		out[i] = mt.t.name
		if mt.lead {
			out[i] += " (lead)"
		}
	}
	slices.SortFunc(out, compareNames)
	return out
}

// sameTeams compares as sets; a team the import deletes counts as gone.
func sameTeams(have, want []memberTeam) bool {
	live := have[:0:0]
	for _, mt := range have {
		if !mt.t.delete {
			live = append(live, mt)
		}
	}
	if len(live) != len(want) {
		return false
	}
	for _, mt := range want {
		if !slices.Contains(live, mt) {
			return false
		}
	}
	return true
}

// planGroupsState works out every group after the import and matches the
// file's groups to them by name.
func (p *planner) planGroupsState() {
	isNew := p.st.snap == nil
	if !isNew {
		for _, g := range p.st.snap.Groups {
			p.addGroup(&gstate{id: g.ID, key: g.PredefinedKey, name: g.Name, desc: g.Description,
				set: g.Set, exists: true, file: -1})
		}
	}
	// Every product the organization has comes with its predefined group.
	for _, d := range access.PredefinedGroups(p.products) {
		if p.groupByKey(d.Key) != nil {
			continue
		}
		if p.group(d.Name) != nil {
			p.note("the predefined group %s of product %s is not created: a custom group has that name", d.Name, d.Key)
			continue
		}
		p.addGroup(&gstate{key: d.Key, name: d.Name, desc: d.Description, set: d.Set, auto: isNew, file: -1})
	}
	for i, fg := range p.c.Groups {
		path := index("groups", i)
		if fg.Name == "" {
			continue // reported by Parse
		}
		g := p.group(fg.Name)
		switch {
		case g == nil && fg.Predefined:
			d, ok := predefinedNamed(fg.Name)
			other := p.groupByKey(d.Key)
			switch {
			case !ok:
				p.problem(join(path, "predefined"), "%q is not a predefined group (predefined groups: %s); remove \"predefined\" to create it as a custom group",
					fg.Name, predefinedNames())
			case other != nil:
				p.problem(join(path, "name"), "the predefined group %q is called %q in this organization; use that name", d.Name, other.name)
			default: // the predefined group of a product the organization no longer has
				g = &gstate{key: d.Key, name: d.Name, desc: d.Description, set: d.Set, file: -1}
			}
			if g == nil { // reported; keep it so that members naming it are not reported again
				g = &gstate{name: fg.Name, file: -1}
			}
			p.addGroup(g)
		case g == nil:
			g = &gstate{name: fg.Name, file: -1}
			p.addGroup(g)
		case fg.Predefined && g.key == "":
			p.problem(join(path, "predefined"), "%q is a custom group in this organization, not a predefined one; remove \"predefined\"", g.name)
		}
		g.file = i
	}
	for _, g := range p.groups {
		if g.exists && g.key == "" && g.file < 0 {
			g.delete = true
		}
	}
}

func predefinedNamed(name string) (access.GroupDef, bool) {
	for _, d := range access.PredefinedGroups(access.AllProducts()) {
		if fold(d.Name) == fold(name) {
			return d, true
		}
	}
	return access.GroupDef{}, false
}

func predefinedNames() string {
	var out []string
	for _, d := range access.PredefinedGroups(access.AllProducts()) {
		out = append(out, d.Name)
	}
	return strings.Join(out, ", ")
}

// checkMembers checks group references, the owner rule and the seat quota.
func (p *planner) checkMembers(fullCheck bool) {
	for i, m := range p.c.Members {
		for j, name := range m.Groups {
			path := index(join(index("members", i), "groups"), j)
			g := p.group(name)
			switch {
			case g == nil:
				p.problem(path, "unknown group %q: define it in \"groups\"", name)
			case g.delete:
				p.problem(path, "group %q is not in \"groups\", so the import deletes it; add it to \"groups\" to keep it", name)
			}
		}
	}
	if !fullCheck {
		return
	}
	owners, active := 0, 0
	for _, m := range p.c.Members {
		if m.Status == domain.StatusActive {
			active++
			if m.Role == access.RoleOwner {
				owners++
			}
		}
	}
	if owners == 0 {
		switch {
		case p.keptOwner() != nil:
			active++
		case p.hadOwner():
			// The file would demote or suspend the last active owner(s).
			p.problem("members", "the organization needs at least one active owner (a member with \"role\": \"owner\" and \"status\": \"active\")")
		default:
			// Nothing to keep: a new (or already ownerless) organization.
			p.note("%s has no active owner: only an import naming one can give it an owner", p.c.Organization.Slug)
		}
	}
	if seats := p.c.Organization.Seats; seats > 0 && active > seats {
		p.problem("organization.seats", "%d seats, but %d members would be active; raise seats or suspend members", seats, active)
	}
}

// keptOwner is the active owner who stays although the file omits them,
// because the file names no active owner and an organization always keeps
// one (the first such owner by email); nil if none is needed or available.
func (p *planner) keptOwner() *store.OrgMember {
	if p.st.snap == nil {
		return nil
	}
	for _, m := range p.c.Members {
		if m.Role == access.RoleOwner && m.Status == domain.StatusActive {
			return nil
		}
	}
	inFile := p.fileEmails()
	for i := range p.st.snap.Members {
		m := &p.st.snap.Members[i]
		if !inFile[m.Email] && m.Role == access.RoleOwner && m.Status == domain.StatusActive {
			return m
		}
	}
	return nil
}

// hadOwner reports whether the organization has an active owner now: an
// import may never leave it without one.
func (p *planner) hadOwner() bool {
	if p.st.snap == nil {
		return false
	}
	for _, m := range p.st.snap.Members {
		if m.Role == access.RoleOwner && m.Status == domain.StatusActive {
			return true
		}
	}
	return false
}

func (p *planner) fileEmails() map[string]bool {
	in := make(map[string]bool, len(p.c.Members))
	for _, m := range p.c.Members {
		in[m.Email] = true
	}
	return in
}

// normalize adds view wherever another action is ticked, as every editor
// does, and says so.
func (p *planner) normalize(s access.Set, path string) access.Set {
	s, added := s.WithImpliedView()
	if len(added) > 0 {
		keys := make([]string, len(added))
		for i, m := range added {
			keys[i] = m.Key()
		}
		p.note("%s: \"view\" added to %s (other actions need it)", path, strings.Join(keys, ", "))
	}
	return s
}

func (p *planner) orgOps() {
	o := p.c.Organization
	if p.st.snap == nil {
		text := fmt.Sprintf("create organization %s %q (products: %s; seats: %d)", o.Slug, o.Name, listOrNone(p.products.Keys()), o.Seats)
		p.ops = append(p.ops, op{text: text,
			audit: store.AuditEntry{Action: "org.create", Target: o.Slug,
				After: store.JSON(map[string]any{"name": o.Name, "slug": o.Slug, "products": p.products.Keys(), "seats": o.Seats})},
			apply: func(ctx context.Context, tx *store.Tx, e *env) error {
				org, err := tx.CreateOrg(ctx, store.NewOrg{Name: o.Name, NameKey: names.FoldOrgName(o.Name), Slug: o.Slug,
					Products: p.products, Seats: o.Seats})
				if err != nil {
					return fmt.Errorf("create organization %s: %w", o.Slug, err)
				}
				e.orgID = org.ID
				created, err := tx.Groups(ctx, org.ID)
				if err != nil {
					return err
				}
				for _, cg := range created {
					if g := p.groupByKey(cg.PredefinedKey); g != nil && cg.PredefinedKey != "" {
						g.id = cg.ID
					}
				}
				return nil
			}})
		return
	}
	cur := p.st.snap.Org
	var diffs []string
	before, after := map[string]any{}, map[string]any{}
	if cur.Name != o.Name {
		diffs = append(diffs, fmt.Sprintf("name %q → %q", cur.Name, o.Name))
		before["name"], after["name"] = cur.Name, o.Name
	}
	if cur.Products != p.products {
		diffs = append(diffs, fmt.Sprintf("products %s → %s", listOrNone(cur.Products.Keys()), listOrNone(p.products.Keys())))
		before["products"], after["products"] = cur.Products.Keys(), p.products.Keys()
	}
	if cur.Seats != o.Seats {
		diffs = append(diffs, fmt.Sprintf("seats %d → %d", cur.Seats, o.Seats))
		before["seats"], after["seats"] = cur.Seats, o.Seats
	}
	orgID := cur.ID
	p.ops = append(p.ops, op{apply: func(ctx context.Context, tx *store.Tx, e *env) error { e.orgID = orgID; return nil }})
	if len(diffs) == 0 {
		return
	}
	p.ops = append(p.ops, op{text: fmt.Sprintf("update organization %s: %s", o.Slug, strings.Join(diffs, "; ")),
		audit: store.AuditEntry{Action: "org.update", Target: o.Slug, Before: store.JSON(before), After: store.JSON(after)},
		apply: func(ctx context.Context, tx *store.Tx, e *env) error {
			upd := cur
			upd.Name, upd.Products, upd.Seats = o.Name, p.products, o.Seats
			if err := tx.UpdateOrg(ctx, upd, names.FoldOrgName(o.Name)); err != nil {
				return fmt.Errorf("update organization %s: %w", o.Slug, err)
			}
			return nil
		}})
}

type groupJSON struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Permissions access.Set `json:"permissions"`
}

func (p *planner) groupOps() {
	// The file's groups in file order, then predefined groups it omits that
	// come with the organization or a new product, then deletions by name.
	ordered := make([]*gstate, 0, len(p.groups))
	for i := range p.c.Groups {
		for _, g := range p.groups {
			if g.file == i {
				ordered = append(ordered, g)
			}
		}
	}
	for _, g := range p.groups {
		if g.file < 0 && !g.exists {
			ordered = append(ordered, g)
		}
	}
	var deleted []*gstate
	for _, g := range p.groups {
		if g.delete {
			deleted = append(deleted, g)
		}
	}
	slices.SortFunc(deleted, func(a, b *gstate) int { return strings.Compare(fold(a.name), fold(b.name)) })

	for _, g := range ordered {
		old := groupJSON{Name: g.name, Description: g.desc, Permissions: g.set}
		want := old
		if g.file >= 0 {
			fg := p.c.Groups[g.file]
			want = groupJSON{Name: fg.Name, Description: fg.Description,
				Permissions: p.normalize(fg.Permissions, join(index("groups", g.file), "permissions"))}
		}
		g.name = want.Name
		kind := ""
		if g.key != "" {
			kind = " (predefined)"
		}
		switch {
		case !g.exists:
			suffix := kind
			if g.file < 0 {
				suffix = " (predefined, default permissions: not in the file)"
			}
			p.ops = append(p.ops, op{text: "create group " + want.Name + suffix,
				audit: store.AuditEntry{Action: "group.create", Target: "group " + want.Name, After: store.JSON(want)},
				apply: func(ctx context.Context, tx *store.Tx, e *env) error {
					if g.auto { // CreateOrg made it with the defaults
						if want == old {
							return nil
						}
						return tx.UpdateGroup(ctx, e.orgID, g.id, want.Name, want.Description, want.Permissions)
					}
					id, err := tx.CreateGroup(ctx, e.orgID, want.Name, want.Description, want.Permissions, g.key)
					if err != nil {
						return fmt.Errorf("create group %s: %w", want.Name, err)
					}
					g.id = id
					return nil
				}})
		case want != old:
			p.ops = append(p.ops, op{text: "update group " + old.Name + kind + ": " + groupDiff(old, want),
				audit: store.AuditEntry{Action: "group.update", Target: "group " + want.Name, Before: store.JSON(old), After: store.JSON(want)},
				apply: func(ctx context.Context, tx *store.Tx, e *env) error {
					return tx.UpdateGroup(ctx, e.orgID, g.id, want.Name, want.Description, want.Permissions)
				}})
		}
	}
	for _, g := range deleted {
		old := groupJSON{Name: g.name, Description: g.desc, Permissions: g.set}
		p.ops = append(p.ops, op{text: "delete group " + g.name + " (not in the file)",
			audit: store.AuditEntry{Action: "group.delete", Target: "group " + g.name, Before: store.JSON(old)},
			apply: func(ctx context.Context, tx *store.Tx, e *env) error {
				return tx.DeleteGroup(ctx, e.orgID, g.id)
			}})
	}
}

func groupDiff(old, want groupJSON) string {
	var parts []string
	if old.Name != want.Name {
		parts = append(parts, fmt.Sprintf("name %q → %q", old.Name, want.Name))
	}
	if old.Description != want.Description {
		parts = append(parts, fmt.Sprintf("description %s → %s", short(old.Description), short(want.Description)))
	}
	if old.Permissions != want.Permissions {
		parts = append(parts, "permissions "+setDiff(old.Permissions, want.Permissions))
	}
	return strings.Join(parts, "; ")
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// setDiff lists what was added (+) and removed (-): "+customers_delete -utm_view +customers.canAccessAll".
func setDiff(old, want access.Set) string {
	var parts []string
	added, removed := want.Minus(old), old.Minus(want)
	for _, n := range added.Permissions() {
		parts = append(parts, "+"+n)
	}
	for _, n := range removed.Permissions() {
		parts = append(parts, "-"+n)
	}
	for _, k := range added.FlagKeys() {
		parts = append(parts, "+"+k)
	}
	for _, k := range removed.FlagKeys() {
		parts = append(parts, "-"+k)
	}
	return strings.Join(parts, " ")
}

func describeCustom(c *access.Set) string {
	switch {
	case c == nil:
		return "inherited"
	case c.IsEmpty():
		return "{} (nothing)"
	}
	return "{" + c.String() + "}"
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	return strings.Join(items, ", ")
}

func sameCustom(a, b *access.Set) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func (p *planner) memberOps() {
	existing := map[string]*store.OrgMember{}
	groupOf := map[int64]*gstate{}
	if p.st.snap != nil {
		for i := range p.st.snap.Members {
			m := &p.st.snap.Members[i]
			existing[m.Email] = m
		}
		for _, g := range p.groups {
			if g.exists {
				groupOf[g.id] = g
			}
		}
	}
	// New members: active owners first, so that on an empty database the
	// first account created (the instance admin) is an owner's.
	order := make([]int, 0, len(p.c.Members))
	for i, m := range p.c.Members {
		if m.Role == access.RoleOwner && m.Status == domain.StatusActive {
			order = append(order, i)
		}
	}
	for i, m := range p.c.Members {
		if !(m.Role == access.RoleOwner && m.Status == domain.StatusActive) {
			order = append(order, i)
		}
	}
	for _, i := range order {
		m := p.c.Members[i]
		path := index("members", i)
		var custom *access.Set
		if m.Custom != nil {
			s := p.normalize(*m.Custom, join(path, "custom"))
			custom = &s
		}
		want := make([]*gstate, 0, len(m.Groups))
		for _, name := range m.Groups {
			want = append(want, p.group(name))
		}
		ends := p.memberEnds(path, m, custom, want)
		if cur, ok := existing[m.Email]; ok {
			p.updateMember(m, cur, custom, want, groupOf)
			p.updateEnds(m.Email, cur, ends)
		} else {
			p.addMember(m, custom, want, ends)
		}
	}
	kept := p.keptOwner()
	if kept != nil {
		p.note("%s stays owner although the file omits them: the organization's last active owner is never removed", kept.Email)
	}
	inFile := p.fileEmails()
	if p.st.snap != nil {
		for i := range p.st.snap.Members {
			cur := &p.st.snap.Members[i]
			if inFile[cur.Email] || cur == kept {
				continue
			}
			id, email := cur.ID, cur.Email
			p.ops = append(p.ops, op{text: fmt.Sprintf("remove member %s (%s; not in the file; the account stays)", email, cur.Role),
				audit: store.AuditEntry{Action: "member.remove", Target: email,
					Before: store.JSON(map[string]any{"role": cur.Role, "status": cur.Status})},
				apply: func(ctx context.Context, tx *store.Tx, e *env) error { return tx.RemoveMember(ctx, e.orgID, id) }})
		}
	}
}

func groupNames(gs []*gstate) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.name
	}
	return out
}

func groupIDs(gs []*gstate) []int64 {
	out := make([]int64, len(gs))
	for i, g := range gs {
		out[i] = g.id
	}
	return out
}

func (p *planner) addMember(m Member, custom *access.Set, groups []*gstate, ends grantEnds) {
	u, known := p.st.users[m.Email]
	userID := u.ID
	if !known {
		name := m.Name
		if name == "" {
			// The email may be invalid here: a file with problems is still
			// planned, to report the database's problems with them.
			name, _, _ = strings.Cut(m.Email, "@")
		}
		if !p.newUsers {
			p.newUsers = true
			p.note("new accounts have no password: they set one with \"Forgot password?\" on the login page")
		}
		p.ops = append(p.ops, op{text: fmt.Sprintf("create user %s %q (no password yet)", m.Email, name),
			audit: store.AuditEntry{Action: "user.create", Target: m.Email, After: store.JSON(map[string]any{"email": m.Email, "name": name})},
			apply: func(ctx context.Context, tx *store.Tx, e *env) error {
				nu, err := tx.CreateUser(ctx, m.Email, name, "")
				if err != nil {
					return fmt.Errorf("create user %s: %w", m.Email, err)
				}
				userID = nu.ID
				return nil
			}})
	}
	text := fmt.Sprintf("add member %s as %s", m.Email, m.Role)
	if m.Status != domain.StatusActive {
		text += ", " + m.Status
	}
	if len(groups) > 0 {
		text += ", groups: " + strings.Join(groupNames(groups), ", ")
	}
	if custom != nil {
		text += ", individual permissions " + describeCustom(custom)
	}
	after := map[string]any{"role": m.Role, "status": m.Status, "groups": groupNames(groups), "custom": custom}
	var teams []memberTeam
	if p.c.HasTeams() {
		teams = p.wantTeams(m)
		if len(teams) > 0 {
			text += ", teams: " + strings.Join(teamWords(teams), ", ")
		}
		after["teams"] = teamWords(teams)
	}
	p.ops = append(p.ops, op{text: text,
		audit: store.AuditEntry{Action: "member.add", Target: m.Email, After: store.JSON(after)},
		apply: func(ctx context.Context, tx *store.Tx, e *env) error {
			ms, err := tx.AddMember(ctx, e.orgID, userID, m.Role, m.Status, custom)
			if err != nil {
				return fmt.Errorf("add member %s: %w", m.Email, err)
			}
			if err := tx.SetMemberGroups(ctx, e.orgID, ms.ID, groupIDs(groups)); err != nil {
				return err
			}
			if err := ends.apply(ctx, tx, e.orgID, ms.ID); err != nil {
				return err
			}
			if len(teams) == 0 {
				return nil
			}
			return tx.SetMemberTeams(ctx, e.orgID, ms.ID, teamRefs(teams))
		}})
}

func (p *planner) updateMember(m Member, cur *store.OrgMember, custom *access.Set, want []*gstate, groupOf map[int64]*gstate) {
	id, email := cur.ID, m.Email
	add := func(text, action string, before, after any, apply func(ctx context.Context, tx *store.Tx, e *env) error) {
		p.ops = append(p.ops, op{text: "update member " + email + ": " + text,
			audit: store.AuditEntry{Action: action, Target: email, Before: store.JSON(before), After: store.JSON(after)},
			apply: apply})
	}
	if cur.Role != m.Role {
		add(fmt.Sprintf("role %s → %s", cur.Role, m.Role), "member.role", map[string]any{"role": cur.Role}, map[string]any{"role": m.Role},
			func(ctx context.Context, tx *store.Tx, e *env) error { return tx.SetRole(ctx, e.orgID, id, m.Role) })
	}
	if cur.Status != m.Status {
		action := "member.reenable"
		if m.Status == domain.StatusSuspended {
			action = "member.suspend"
		}
		add(fmt.Sprintf("status %s → %s", cur.Status, m.Status), action, map[string]any{"status": cur.Status}, map[string]any{"status": m.Status},
			func(ctx context.Context, tx *store.Tx, e *env) error { return tx.SetStatus(ctx, e.orgID, id, m.Status) })
	}
	have := make([]*gstate, 0, len(cur.GroupIDs))
	for _, gid := range cur.GroupIDs {
		if g := groupOf[gid]; g != nil {
			have = append(have, g)
		}
	}
	if !sameGroups(have, want) {
		before, after := groupNames(have), groupNames(want)
		add(fmt.Sprintf("groups %s → %s", listOrNone(before), listOrNone(after)), "member.groups",
			map[string]any{"groups": before}, map[string]any{"groups": after},
			func(ctx context.Context, tx *store.Tx, e *env) error {
				return tx.SetMemberGroups(ctx, e.orgID, id, groupIDs(want))
			})
	}
	if p.c.HasTeams() {
		if p.teamOf == nil {
			p.teamOf = make(map[int64]*tstate, len(p.teams))
			for _, t := range p.teams {
				if t.exists {
					p.teamOf[t.id] = t
				}
			}
		}
		had := make([]memberTeam, 0, len(cur.Teams))
		for _, mt := range cur.Teams {
			if t := p.teamOf[mt.TeamID]; t != nil {
				had = append(had, memberTeam{t, mt.Lead})
			}
		}
		now := p.wantTeams(m)
		if !sameTeams(had, now) {
			before, after := teamWords(had), teamWords(now)
			add(fmt.Sprintf("teams %s → %s", listOrNone(before), listOrNone(after)), "member.teams",
				map[string]any{"teams": before}, map[string]any{"teams": after},
				func(ctx context.Context, tx *store.Tx, e *env) error {
					return tx.SetMemberTeams(ctx, e.orgID, id, teamRefs(now))
				})
		}
	}
	if !sameCustom(cur.Custom, custom) {
		add(fmt.Sprintf("individual permissions %s → %s", describeCustom(cur.Custom), describeCustom(custom)), "member.custom",
			map[string]any{"custom": cur.Custom}, map[string]any{"custom": custom},
			func(ctx context.Context, tx *store.Tx, e *env) error { return tx.SetCustom(ctx, e.orgID, id, custom) })
	}
}

// sameGroups compares as sets; a group the import deletes counts as gone.
func sameGroups(have, want []*gstate) bool {
	live := have[:0:0]
	for _, g := range have {
		if !g.delete {
			live = append(live, g)
		}
	}
	if len(live) != len(want) {
		return false
	}
	for _, g := range want {
		if !slices.Contains(live, g) {
			return false
		}
	}
	return true
}
