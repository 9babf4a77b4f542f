// Package benchseed fills a database for `make bench` and `make soak`: one
// organization with every product, 100,000 members, 500 groups, 500 service
// teams and 10,000 customers, plus the actors the benchmark logs in as. It writes through
// store.Write with prepared statements (one transaction), so the schema,
// its indexes and its triggers are exactly the application's.
package benchseed

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"gatehouse"
	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

// Version keys the cached seed file: bump it whenever the seeded data changes shape.
const Version = 3

// The organization and the actors the benchmark signs in as (all users share Password).
const (
	Slug            = "bench"
	OrgName         = "Bench Industries"
	Password        = "bench-password-2024"
	OwnerEmail      = "owner@bench-industries.example"
	AgentEmail      = "agent@bench-industries.example"
	Member20Email   = "member20@bench-industries.example"
	SupervisorEmail = "supervisor@bench-industries.example"
	AgentCustomers  = 40 // customers assigned to the agent actor ("Those I serve")
	// The supervisor actor (team scope on customers, "My teams") is in and
	// leads SupervisorTeams teams of about median size, and serves
	// SupervisorCustomers customers of their own, owned by those teams.
	SupervisorTeams     = 3
	SupervisorCustomers = 10
	MaxTeamsPerMember   = 3 // no member is in more teams
)

// Positions of the actors in the seeder's memberships; random members follow.
const (
	actorOwner = iota
	actorAgent
	actorMember20
	actorSupervisor
	firstRandom
)

// Options size the seed.
type Options struct {
	Members            int    // memberships, actors included
	Groups             int    // groups, predefined ones included
	Customers          int    // customers
	MaxGroupsPerMember int    // the member in most groups has this many (the Member20 actor)
	Teams              int    // service teams
	Conversations      int    // conversations (0: none)
	Messages           int    // their messages, at least one each
	RandSeed           uint64 // same seed, same data
}

// Default is the size issue 7 asks for.
func Default() Options {
	return Options{Members: 100_000, Groups: 500, Customers: 10_000, MaxGroupsPerMember: 20, Teams: 500, RandSeed: 1,
		Conversations: 200_000, Messages: 1_000_000}
}

func (o Options) validate() error {
	switch {
	case o.Members < 10:
		return errors.New("benchseed: at least 10 members")
	case o.Groups < len(access.PredefinedGroups(access.AllProducts()))+o.MaxGroupsPerMember:
		return fmt.Errorf("benchseed: %d groups cannot hold a member in %d custom groups", o.Groups, o.MaxGroupsPerMember)
	case o.Customers < AgentCustomers+SupervisorCustomers:
		return fmt.Errorf("benchseed: at least %d customers", AgentCustomers+SupervisorCustomers)
	case o.Teams < SupervisorTeams:
		return fmt.Errorf("benchseed: at least %d teams (the supervisor's)", SupervisorTeams)
	case o.Conversations != 0 && (o.Conversations < AgentChats || o.Messages < o.Conversations+LongThread):
		return fmt.Errorf("benchseed: at least %d conversations, and %d messages more than conversations", AgentChats, LongThread)
	case o.MaxGroupsPerMember < 1:
		return errors.New("benchseed: MaxGroupsPerMember must be positive")
	}
	return nil
}

// FileName is the cache file of a seed: the seed version, the schema it was
// made with (a changed schema.sql means a new seed) and the sizes.
func (o Options) FileName() string {
	sum := sha256.Sum256([]byte(gatehouse.Schema))
	return fmt.Sprintf("seed-v%d-%x-m%d-g%d-c%d-k%d-t%d-v%d-x%d-r%d.db", Version, sum[:4], o.Members, o.Groups, o.Customers, o.MaxGroupsPerMember, o.Teams,
		o.Conversations, o.Messages, o.RandSeed)
}

// Ensure returns the cached seed database in dir, seeding it first when it
// is missing. The file is written under a temporary name and renamed when
// complete, so an interrupted seed is never mistaken for a finished one.
func Ensure(ctx context.Context, dir string, o Options, logf func(string, ...any)) (path string, err error) {
	if err := o.validate(); err != nil {
		return "", err
	}
	path = filepath.Join(dir, o.FileName())
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".tmp"
	removeDB(tmp)
	start := time.Now()
	if err := Seed(ctx, tmp, o); err != nil {
		removeDB(tmp)
		return "", err
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		removeDB(tmp)
		return "", errors.New("benchseed: the WAL was not checkpointed on close")
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	logf("seeded %s in %s", path, time.Since(start).Round(time.Millisecond))
	pruneStale(dir, o, path, logf)
	return path, nil
}

// pruneStale removes cached seeds of the same size made by an older seed
// version or schema (85 MB each; they would only pile up), including those
// named before seeds had teams (version 1, no -t part).
func pruneStale(dir string, o Options, keep string, logf func(string, ...any)) {
	sizes := fmt.Sprintf("-m%d-g%d-c%d-k%d", o.Members, o.Groups, o.Customers, o.MaxGroupsPerMember)
	old, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("seed-v*%s-t%d-r%d.db", sizes, o.Teams, o.RandSeed)))
	noTeams, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("seed-v*%s-r%d.db", sizes, o.RandSeed)))
	withChats, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("seed-v*%s-t%d-v%d-x%d-r%d.db", sizes, o.Teams, o.Conversations, o.Messages, o.RandSeed)))
	for _, p := range append(append(old, noTeams...), withChats...) {
		if p != keep {
			removeDB(p)
			logf("removed stale seed %s", p)
		}
	}
}

// removeDB deletes a database file and its WAL companions.
func removeDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// CopyDB copies a (closed, checkpointed) seed to dst, removing dst's stale
// WAL files first: a fresh file next to an old WAL would be corrupt.
func CopyDB(src, dst string) error {
	removeDB(dst)
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}

// Seed creates the database at path (which must not exist yet) and fills it.
func Seed(ctx context.Context, path string, o Options) error {
	if err := o.validate(); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("benchseed: %s already exists", path)
	}
	hash, err := password.Hash(Password) // one hash for everyone: argon2 per row would take minutes
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, path) // the application's schema, indexes and triggers
	if err != nil {
		return err
	}
	s := &seeder{o: o, rng: rand.New(rand.NewPCG(o.RandSeed, 0x6761746568)), hash: hash, now: time.Now().Unix(),
		emails: map[string]int{}}
	err = st.Write(ctx, s.run)
	if err == nil {
		err = st.OptimizeSearch(ctx) // a bulk load leaves the search indexes in segments
	}
	return errors.Join(err, st.Close())
}

type seeder struct {
	o      Options
	rng    *rand.Rand
	hash   string
	now    int64
	emails map[string]int

	orgID       int64
	memberships []member // the actors first (actorOwner, …), then random members
	groupIDs    []int64  // by popularity: predefined (but Admin) first, then custom
	predefined  map[string]int64
	teamIDs     []int64   // by popularity
	teamsOf     [][]int64 // each membership's teams, by index in memberships
}

type member struct {
	id   int64
	role access.Role
}

func (s *seeder) run(tx *store.Tx) error {
	ctx := context.Background()
	// A big page cache keeps the whole load in memory until COMMIT (this
	// connection is closed right after, so the application never sees it).
	if _, err := tx.Exec(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return err
	}
	owner, err := tx.CreateUser(ctx, OwnerEmail, "Olivia Bennett", s.hash)
	if err != nil {
		return err
	}
	org, err := tx.CreateOrg(ctx, store.NewOrg{Name: OrgName, NameKey: names.FoldOrgName(OrgName), Slug: Slug,
		Country: "DE", City: "Berlin", Address: "Benchstraße 1", Products: access.AllProducts(), Package: "enterprise",
		Seats: s.o.Members + s.o.Members/10, BillingName: "Olivia Bennett", BillingEmail: OwnerEmail})
	if err != nil {
		return err
	}
	s.orgID = org.ID
	m, err := tx.AddMember(ctx, org.ID, owner.ID, access.RoleOwner, domain.StatusActive, nil)
	if err != nil {
		return err
	}
	s.memberships = append(s.memberships, member{m.ID, access.RoleOwner})
	for _, step := range []func(context.Context, *store.Tx) error{s.members, s.groups, s.groupMembers, s.teams, s.teamMembers, s.customers, s.conversations} {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// roleWeights: mostly front-line roles, a few managers and admins.
var roleWeights = []struct {
	role   access.Role
	weight float64
}{
	{access.RoleAdmin, 0.3}, {access.RoleManager, 1.5}, {access.RoleFinancial, 1.2}, {access.RoleSales, 20},
	{access.RoleSupervisor, 2}, {access.RoleAgent, 46}, {access.RoleAgentLimited, 20},
	{access.RoleMedicalDoctor, 4.5}, {access.RoleMedicalAssistant, 4.5},
}

func (s *seeder) pickRole() access.Role {
	total := 0.0
	for _, rw := range roleWeights {
		total += rw.weight
	}
	x := s.rng.Float64() * total
	for _, rw := range roleWeights {
		if x -= rw.weight; x < 0 {
			return rw.role
		}
	}
	return access.RoleAgent
}

func (s *seeder) personName() (first, last string) {
	return firstNames[s.rng.IntN(len(firstNames))], lastNames[s.rng.IntN(len(lastNames))]
}

var (
	foldASCII = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	special   = strings.NewReplacer("ø", "o", "Ø", "o", "ß", "ss", "ł", "l", "Ł", "l", "æ", "ae")
)

// emailPart is a name as an email local part: accents folded, letters only.
func emailPart(name string) string {
	t, _, err := transform.String(foldASCII, special.Replace(name))
	if err != nil {
		t = name
	}
	var b strings.Builder
	for _, r := range strings.ToLower(t) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniqueEmail numbers repeated first.last@domain addresses.
func (s *seeder) uniqueEmail(first, last, domain string) string {
	base := emailPart(first) + "." + emailPart(last) + "@" + domain
	n := s.emails[base]
	s.emails[base] = n + 1
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s.%s%d@%s", emailPart(first), emailPart(last), n+1, domain)
}

func (s *seeder) ago(maxDays int) int64 { return s.now - s.rng.Int64N(int64(maxDays)*86400+1) }

func (s *seeder) members(ctx context.Context, tx *store.Tx) error {
	uid, err := nextID(ctx, tx, "users")
	if err != nil {
		return err
	}
	mid, err := nextID(ctx, tx, "memberships")
	if err != nil {
		return err
	}
	users, err := newBatch(ctx, tx, "users", "id", "email", "name", "password_hash", "phone", "job_title", "location", "created_at")
	if err != nil {
		return err
	}
	// The members page keeps a copy of name and email on each membership
	// (a trigger fills it when the inserter does not): fill it here when
	// the schema has it, saving an UPDATE per row.
	copyCols, err := hasColumn(ctx, tx, "memberships", "user_email")
	if err != nil {
		return err
	}
	mcols := []string{"id", "org_id", "user_id", "role", "status", "custom_permissions", "created_at", "last_active_at"}
	if copyCols {
		mcols = append(mcols, "user_name", "user_email")
	}
	members, err := newBatch(ctx, tx, "memberships", mcols...)
	if err != nil {
		return err
	}
	for i := 1; i < s.o.Members; i++ {
		first, last := s.personName()
		email := s.uniqueEmail(first, last, emailDomains[s.rng.IntN(len(emailDomains))])
		role, status := s.pickRole(), domain.StatusActive
		var custom any
		switch i {
		case actorAgent:
			email, first, last, role = AgentEmail, "Adam", "Agent", access.RoleAgent
		case actorMember20:
			email, first, last, role = Member20Email, "Mia", "Manygroups", access.RoleAgent
		case actorSupervisor:
			email, first, last, role = SupervisorEmail, "Sam", "Supervisor", access.RoleSupervisor
		default:
			if s.rng.IntN(100) < 2 {
				status = domain.StatusSuspended
			}
			if s.rng.IntN(200) == 0 { // a few members with individual permissions
				js, err := json.Marshal(s.randomSet(2))
				if err != nil {
					return err
				}
				custom = string(js)
			}
		}
		name := first + " " + last
		created := s.ago(3 * 365)
		if err := users.add(ctx, uid, email, name, s.hash, fmt.Sprintf("+49 30 %07d", s.rng.IntN(10_000_000)),
			jobTitles[s.rng.IntN(len(jobTitles))], cities[s.rng.IntN(len(cities))], created); err != nil {
			return fmt.Errorf("users: %w", err)
		}
		var active any
		switch r := s.rng.IntN(100); {
		case r < 85:
			active = s.ago(30)
		case r < 95:
			active = s.ago(365)
		}
		vals := []any{mid, s.orgID, uid, string(role), status, custom, created, active}
		if copyCols {
			vals = append(vals, name, email)
		}
		if err := members.add(ctx, vals...); err != nil {
			return fmt.Errorf("memberships: %w", err)
		}
		s.memberships = append(s.memberships, member{mid, role})
		uid++
		mid++
	}
	// Users first: memberships reference them.
	if err := users.close(ctx); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	return members.close(ctx)
}

// randomSet grants view plus some other actions on a few modules, and
// rarely a flag: the shape of a real team's permission group.
func (s *seeder) randomSet(modules int) access.Set {
	var set access.Set
	all := access.Modules()
	for range modules {
		m := all[s.rng.IntN(len(all))]
		set.Grant(m.ID, access.View)
		for _, a := range m.Actions {
			if a != access.View && s.rng.IntN(3) == 0 {
				set.Grant(m.ID, a)
			}
		}
		for _, f := range m.Flags {
			if s.rng.IntN(6) == 0 {
				set.SetFlag(f.ID, true)
			}
		}
	}
	return set
}

func (s *seeder) groups(ctx context.Context, tx *store.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id, predefined_key FROM groups WHERE org_id = ? ORDER BY id`, s.orgID)
	if err != nil {
		return err
	}
	s.predefined = map[string]int64{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return err
		}
		s.predefined[key] = id
		if key != "admin" {
			s.groupIDs = append(s.groupIDs, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ins, err := tx.Prepare(ctx, `INSERT INTO groups (org_id, name, description, permissions, created_at) VALUES (?, ?, ?, ?, ?)`)
	custom := s.o.Groups - len(s.predefined)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i := range custom {
		dept, region, round := unit(i)
		name := dept + " " + region + round
		js, err := json.Marshal(s.randomSet(2 + s.rng.IntN(5)))
		if err != nil {
			return err
		}
		res, err := ins.ExecContext(ctx, s.orgID, name, "The "+strings.ToLower(dept)+" team in "+region+".", string(js), s.ago(2*365))
		if err != nil {
			return fmt.Errorf("group %q: %w", name, err)
		}
		id, _ := res.LastInsertId()
		s.groupIDs = append(s.groupIDs, id)
	}
	return nil
}

// unit is the i-th department and region of the organization, with a
// " 2", " 3", … once every pair is taken: distinct names for groups and teams.
func unit(i int) (dept, region, round string) {
	dept, region = departments[i%len(departments)], regions[(i/len(departments))%len(regions)]
	if r := i / (len(departments) * len(regions)); r > 0 {
		round = fmt.Sprintf(" %d", r+1)
	}
	return dept, region, round
}

// zipf picks among n items by a Zipf-like curve, weight 1/(i+shift)^exp
// for the i-th: a few popular ones, a long tail.
func (s *seeder) zipf(n int, shift, exp float64) func() int {
	cum := make([]float64, n)
	total := 0.0
	for i := range cum {
		total += 1 / math.Pow(float64(i)+shift, exp)
		cum[i] = total
	}
	return func() int {
		x := s.rng.Float64() * total
		lo, hi := 0, len(cum)-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
}

// groupMembers puts members in groups: most in one to three, a long tail up
// to MaxGroupsPerMember; group sizes follow a Zipf-like curve (a few big
// groups, many small ones), with the Member20 actor in exactly the maximum.
func (s *seeder) groupMembers(ctx context.Context, tx *store.Tx) error {
	ins, err := newBatch(ctx, tx, "group_members", "group_id", "membership_id")
	if err != nil {
		return err
	}
	// Popularity order: the predefined groups but Admin lead, custom ones
	// follow, and Admin (everything, all flags) is the rarest.
	order := append(append([]int64(nil), s.groupIDs...), s.predefined["admin"])
	zipf := s.zipf(len(order), 4, 0.8)
	pick := func() int64 { return order[zipf()] }
	chosen := make(map[int64]bool, s.o.MaxGroupsPerMember)
	for i, m := range s.memberships {
		var k int
		switch {
		case i == actorOwner: // the owner needs no groups
			continue
		case i == actorSupervisor: // the role's template alone: team scope on customers
			continue
		case i == actorAgent: // the agent: User and Sales Team, customers without canAccessAll
			for _, g := range []int64{s.predefined["user"], s.predefined["crm"]} {
				if err := ins.add(ctx, g, m.id); err != nil {
					return err
				}
			}
			continue
		case i == actorMember20:
			k = s.o.MaxGroupsPerMember
		case s.rng.IntN(100) < 4:
			continue
		default:
			k = 1
			for k < s.o.MaxGroupsPerMember && s.rng.Float64() < 0.55 {
				k++
			}
		}
		clear(chosen)
		for tries := 0; len(chosen) < k && tries < 50*k; tries++ {
			g := pick()
			if i == actorMember20 { // the 20-group actor: spread over all groups, not just the big ones
				g = order[s.rng.IntN(len(order))]
			}
			if chosen[g] {
				continue
			}
			chosen[g] = true
			if err := ins.add(ctx, g, m.id); err != nil {
				return err
			}
		}
		if i == actorMember20 && len(chosen) != k {
			return fmt.Errorf("benchseed: the member in many groups got %d of %d", len(chosen), k)
		}
	}
	return ins.close(ctx)
}

// teams creates the service teams ("EMEA Support", …), kept in s.teamIDs
// in popularity order (the order they are created in).
func (s *seeder) teams(ctx context.Context, tx *store.Tx) error {
	id, err := nextID(ctx, tx, "teams")
	if err != nil {
		return err
	}
	ins, err := newBatch(ctx, tx, "teams", "id", "org_id", "name", "name_key", "description", "created_at")
	if err != nil {
		return err
	}
	for i := range s.o.Teams {
		dept, region, round := unit(i)
		name := region + " " + dept + round
		if err := ins.add(ctx, id, s.orgID, name, store.TeamNameKey(name), "Serves "+region+" customers: "+strings.ToLower(dept)+".", s.ago(2*365)); err != nil {
			return fmt.Errorf("team %q: %w", name, err)
		}
		s.teamIDs = append(s.teamIDs, id)
		id++
	}
	return ins.close(ctx)
}

// inTeams: the roles that serve customers belong to service teams; owners,
// admins, managers and finance do not.
func inTeams(r access.Role) bool {
	switch r {
	case access.RoleOwner, access.RoleAdmin, access.RoleManager, access.RoleFinancial:
		return false
	}
	return true
}

// teamMembers puts most front-line members in one team, some in two or
// three (MaxTeamsPerMember); team sizes follow a milder Zipf-like curve
// than groups (from about 1,500 members down to about 100). The first
// member of a team leads it, so the supervisor actor (the first member
// placed) leads its SupervisorTeams teams, taken around the median size.
// The agent and Member20 actors are in no team (their scenarios do not
// move).
func (s *seeder) teamMembers(ctx context.Context, tx *store.Tx) error {
	ins, err := newBatch(ctx, tx, "team_members", "team_id", "membership_id", "is_lead")
	if err != nil {
		return err
	}
	zipf := s.zipf(len(s.teamIDs), 10, 0.7)
	led := make(map[int64]bool, len(s.teamIDs))
	s.teamsOf = make([][]int64, len(s.memberships))
	for i, m := range s.memberships {
		var k int
		switch {
		case i == actorSupervisor:
			mid := len(s.teamIDs)/2 - SupervisorTeams/2
			s.teamsOf[i] = append([]int64(nil), s.teamIDs[mid:mid+SupervisorTeams]...)
		case i < firstRandom, !inTeams(m.role), s.rng.IntN(100) < 10:
			continue
		default:
			k = 1
			for k < MaxTeamsPerMember && s.rng.IntN(100) < 30 {
				k++
			}
			for tries := 0; len(s.teamsOf[i]) < k && tries < 20*k; tries++ {
				if t := s.teamIDs[zipf()]; !slices.Contains(s.teamsOf[i], t) {
					s.teamsOf[i] = append(s.teamsOf[i], t)
				}
			}
		}
		for _, t := range s.teamsOf[i] {
			lead := 0
			if !led[t] {
				led[t], lead = true, 1
			}
			if err := ins.add(ctx, t, m.id, lead); err != nil {
				return err
			}
		}
	}
	if n := len(s.teamsOf[actorSupervisor]); n != SupervisorTeams {
		return fmt.Errorf("benchseed: the supervisor is in %d teams, want %d", n, SupervisorTeams)
	}
	return ins.close(ctx)
}

// customers assigns most customers across a pool of front-line members,
// exactly AgentCustomers to the agent actor and SupervisorCustomers to the
// supervisor; a few are unassigned. A customer is owned by one of its
// assignee's teams (the agent's, in no team, by none), and some unassigned
// ones by a team alone: the "My teams" list of a member reaches both.
func (s *seeder) customers(ctx context.Context, tx *store.Tx) error {
	ins, err := newBatch(ctx, tx, "customers", "org_id", "name", "email", "phone", "company", "notes", "assigned_to", "team_id", "created_at")
	if err != nil {
		return err
	}
	var pool []int // indexes in s.memberships
	for i, m := range s.memberships {
		if i >= firstRandom && (m.role == access.RoleAgent || m.role == access.RoleSales || m.role == access.RoleAgentLimited) {
			pool = append(pool, i)
		}
	}
	s.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	pool = pool[:min(len(pool), max(1, s.o.Customers/7))] // about seven customers per serving member
	anyTeam := s.zipf(len(s.teamIDs), 10, 0.7)
	for i := range s.o.Customers {
		first, last := s.personName()
		company := companies[s.rng.IntN(len(companies))] + " " + companySuffixes[s.rng.IntN(len(companySuffixes))]
		domain := emailPart(company) + ".example"
		who := -1 // the assignee's index in s.memberships
		switch {
		case i < AgentCustomers:
			who = actorAgent
		case i < AgentCustomers+SupervisorCustomers:
			who = actorSupervisor
		case s.rng.IntN(100) < 5:
		default:
			who = pool[s.rng.IntN(len(pool))]
		}
		var assignee, team any
		if who >= 0 {
			assignee = s.memberships[who].id
			if ts := s.teamsOf[who]; len(ts) > 0 && (who == actorSupervisor || s.rng.IntN(100) < 90) {
				team = ts[s.rng.IntN(len(ts))]
			}
		} else if s.rng.IntN(100) < 60 {
			team = s.teamIDs[anyTeam()]
		}
		notes := ""
		if s.rng.IntN(4) == 0 {
			notes = "Prefers email. Renewal due in " + time.Unix(s.now+s.rng.Int64N(365*86400), 0).UTC().Format("January") + "."
		}
		if err := ins.add(ctx, s.orgID, first+" "+last, s.uniqueEmail(first, last, domain),
			fmt.Sprintf("+33 1 %08d", s.rng.IntN(100_000_000)), company, notes, assignee, team, s.ago(3*365)); err != nil {
			return err
		}
	}
	return ins.close(ctx)
}
