// Package demo seeds an empty database with demo organizations: "Acme Health"
// (acme, every product, one member per role, groups with overlapping
// members, one member with individual permissions, one suspended member,
// customers assigned to the agents, teams EMEA and Americas owning some
// customers, a supervisor leading EMEA) and "Globex" (globex, CRM only), so that
// cross-organization denials can be tried too. Tests elsewhere log in with
// the exported emails and Password.
package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/password"
	"gatehouse/internal/store"
)

// Password is every demo account's password.
const Password = "gatehouse-demo"

// Organizations.
const (
	OrgName      = "Acme Health"
	OrgSlug      = "acme"
	OtherOrgName = "Globex"
	OtherOrgSlug = "globex"
)

// Acme members, one per role, plus a second agent and a suspended member.
const (
	OwnerEmail        = "owner@acme.test"
	AdminEmail        = "admin@acme.test"
	ManagerEmail      = "manager@acme.test"
	FinancialEmail    = "financial@acme.test"
	SalesEmail        = "sales@acme.test"
	SupervisorEmail   = "supervisor@acme.test" // leads team EMEA: sees its customers
	AgentEmail        = "agent@acme.test"      // groups Support Agents + Night shift
	Agent2Email       = "agent2@acme.test"     // individual permissions (overriding Support Agents)
	AgentLimitedEmail = "agent_limited@acme.test"
	DoctorEmail       = "doctor@acme.test"
	AssistantEmail    = "assistant@acme.test"
	SuspendedEmail    = "suspended@acme.test"
)

// Globex members.
const (
	GlobexOwnerEmail = "owner@globex.test"
	GlobexSalesEmail = "sales@globex.test"
)

// GroupNightShift is Acme's custom group (chats and customers, no "see all").
const GroupNightShift = "Night shift"

// Acme's service teams.
const (
	TeamEMEA     = "EMEA"
	TeamAmericas = "Americas"
)

// Team is one demo team.
type Team struct {
	Org, Name, Description string
}

// Teams lists the demo teams.
func Teams() []Team {
	return []Team{
		{OrgSlug, TeamEMEA, "Customers in Europe, the Middle East and Africa."},
		{OrgSlug, TeamAmericas, "Customers in North and South America."},
	}
}

// Login is one demo account.
type Login struct {
	Email  string
	Name   string
	Org    string // organization slug
	Role   access.Role
	Status string
	Groups []string
	Teams  []string    // service teams
	Leads  []string    // the teams of Teams they lead
	Custom *access.Set // individual permissions; nil inherits
	Note   string      // what the account shows off
}

// Customer is one demo customer and the member it is assigned to.
type Customer struct {
	Org      string // organization slug
	Name     string
	Email    string
	Phone    string
	Company  string
	Assignee string // member email; "" = unassigned (only "see all" shows it)
	Team     string // owning team; "" = none
	// The sensitive fields (hidden from agents by default): every third
	// customer has a tax id and a credit limit, every fifth an internal note.
	TaxID         string
	CreditLimit   domain.Amount
	InternalNotes string
}

// agent2Custom: the dashboard, and customers with "See all customers".
func agent2Custom() *access.Set {
	var s access.Set
	s.Grant(access.ModDashboard, access.View)
	s.Grant(access.ModCustomers, access.View)
	s.SetFlag(access.FlagCustomersCanAccessAll, true)
	return &s
}

// nightShift is the custom group's permission set.
func nightShift() access.Set {
	var s access.Set
	s.Grant(access.ModDashboard, access.View)
	for _, a := range []access.Action{access.View, access.Create, access.Edit} {
		s.Grant(access.ModCustomers, a)
		s.Grant(access.ModChats, a)
	}
	s.SetFlag(access.FlagChatsCanAssignToOthers, true)
	return s
}

// Logins lists every demo account in the order they are created and printed.
func Logins() []Login {
	return []Login{
		{Email: OwnerEmail, Name: "Olivia Bennett", Org: OrgSlug, Role: access.RoleOwner, Note: "everything; instance admin"},
		{Email: AdminEmail, Name: "Adam Clarke", Org: OrgSlug, Role: access.RoleAdmin, Groups: []string{"Admin"}, Note: "everything but owners"},
		{Email: ManagerEmail, Name: "Megan Fischer", Org: OrgSlug, Role: access.RoleManager, Note: "role template"},
		{Email: FinancialEmail, Name: "Frank Osei", Org: OrgSlug, Role: access.RoleFinancial, Note: "role template"},
		{Email: SalesEmail, Name: "Sofia Ramirez", Org: OrgSlug, Role: access.RoleSales, Groups: []string{"Sales Team", GroupNightShift},
			Teams: []string{TeamAmericas}, Note: "groups Sales Team + Night shift; team Americas"},
		{Email: SupervisorEmail, Name: "Rosa Delgado", Org: OrgSlug, Role: access.RoleSupervisor,
			Teams: []string{TeamEMEA}, Leads: []string{TeamEMEA}, Note: "role template; leads EMEA: sees its customers"},
		{Email: AgentEmail, Name: "Alex Morgan", Org: OrgSlug, Role: access.RoleAgent, Groups: []string{"Support Agents", GroupNightShift},
			Teams: []string{TeamEMEA}, Note: "groups Support Agents + Night shift; own customers only; team EMEA"},
		{Email: Agent2Email, Name: "Priya Nair", Org: OrgSlug, Role: access.RoleAgent, Groups: []string{"Support Agents"},
			Teams: []string{TeamAmericas}, Custom: agent2Custom(), Note: "individual permissions: customers (see all); team Americas"},
		{Email: AgentLimitedEmail, Name: "Liam Walsh", Org: OrgSlug, Role: access.RoleAgentLimited, Note: "role template"},
		{Email: DoctorEmail, Name: "Hannah Weiss", Org: OrgSlug, Role: access.RoleMedicalDoctor, Note: "role template"},
		{Email: AssistantEmail, Name: "Tom Becker", Org: OrgSlug, Role: access.RoleMedicalAssistant, Note: "role template"},
		{Email: SuspendedEmail, Name: "Sam Keller", Org: OrgSlug, Role: access.RoleAgent, Status: domain.StatusSuspended,
			Note: "suspended: no access to Acme"},
		{Email: GlobexOwnerEmail, Name: "Gloria Banks", Org: OtherOrgSlug, Role: access.RoleOwner, Note: "Globex only"},
		{Email: GlobexSalesEmail, Name: "Victor Hale", Org: OtherOrgSlug, Role: access.RoleSales, Note: "Globex only"},
	}
}

// Customers lists the demo customers; names are unique across both organizations.
func Customers() []Customer {
	type row struct{ name, company, assignee, team string }
	acme := []row{
		{"Maria Lopez", "Lopez Dental", AgentEmail, TeamEMEA},
		{"James Carter", "Carter Logistics", AgentEmail, TeamEMEA},
		{"Aisha Khan", "Khan Pharmacy", AgentEmail, TeamEMEA},
		{"Daniel Novak", "Novak Physio", AgentEmail, ""},
		{"Emma Schulz", "Schulz Optics", AgentEmail, ""},
		{"Kenji Tanaka", "Tanaka Imaging", AgentEmail, ""},
		{"Chloe Martin", "Martin Pediatrics", AgentEmail, ""},
		{"Omar Haddad", "Haddad Clinic", AgentEmail, ""},
		{"Grace Kim", "Kim Family Practice", AgentEmail, ""},
		{"Lucas Silva", "Silva Labs", AgentEmail, ""},
		{"Nora Lindqvist", "Lindqvist Care", Agent2Email, TeamAmericas},
		{"Ethan Brooks", "Brooks Sports Medicine", Agent2Email, ""},
		{"Fatima Diallo", "Diallo Health", Agent2Email, ""},
		{"Mateo Rossi", "Rossi Dermatology", Agent2Email, ""},
		{"Hana Novotna", "Novotna Rehab", Agent2Email, ""},
		{"Samuel Okafor", "Okafor Cardiology", Agent2Email, ""},
		{"Isabel Moreno", "Moreno Nutrition", Agent2Email, ""},
		{"Anton Petrov", "Petrov Diagnostics", Agent2Email, ""},
		{"Leah Goldberg", "Goldberg Audiology", Agent2Email, ""},
		{"Ravi Patel", "Patel Pharmacy", Agent2Email, ""},
		{"Sophie Dubois", "Dubois Wellness", SalesEmail, ""},
		{"Noah Whitaker", "Whitaker Orthopedics", SalesEmail, ""},
		{"Amara Nwosu", "Nwosu Maternity", SalesEmail, ""},
		{"Jonas Berg", "Berg Medical Supplies", SalesEmail, ""},
		{"Yuki Sato", "Sato Acupuncture", SalesEmail, ""},
		{"Elena Popescu", "Popescu Dental", SalesEmail, ""},
		{"Tariq Aziz", "Aziz Urgent Care", SalesEmail, ""},
		{"Clara Jensen", "Jensen Eye Center", SalesEmail, ""},
		{"Diego Alvarez", "Alvarez Home Care", "", TeamEMEA},
		{"Mei Chen", "Chen Sleep Clinic", "", TeamAmericas},
	}
	globex := []row{
		{"Harold Whitman", "Whitman Foods", GlobexSalesEmail, ""},
		{"Ingrid Sorensen", "Sorensen Shipping", GlobexSalesEmail, ""},
		{"Pablo Ortega", "Ortega Motors", GlobexSalesEmail, ""},
		{"Zoe Adams", "Adams Hardware", "", ""},
		{"Felix Wagner", "Wagner Textiles", "", ""},
	}
	var out []Customer
	add := func(org string, rows []row) {
		for _, r := range rows {
			first, last, _ := strings.Cut(strings.ToLower(r.name), " ")
			c := Customer{Org: org, Name: r.name, Company: r.company, Assignee: r.assignee, Team: r.team,
				Email: first + "." + last + "@example.com", Phone: fmt.Sprintf("+1 617 555 %04d", 1000+len(out))}
			if n := len(out); n%3 == 0 {
				c.TaxID = fmt.Sprintf("US-%02d-%07d", 10+n, 4000000+n*7919)
				c.CreditLimit = domain.Cents(int64(n+1) * 250000)
			}
			if n := len(out); n%5 == 0 {
				c.InternalNotes = "Pays late; ask for prepayment on orders above the limit."
			}
			out = append(out, c)
		}
	}
	add(OrgSlug, acme)
	add(OtherOrgSlug, globex)
	return out
}

// CustomersOfTeam returns the names of the customers a team owns.
func CustomersOfTeam(team string) []string {
	return customerNames(func(c Customer) bool { return c.Team == team })
}

// CustomersOf returns the names of the customers assigned to a member.
func CustomersOf(email string) []string {
	return customerNames(func(c Customer) bool { return c.Assignee == email })
}

// customerNames is the names of the customers that match, in seed order.
func customerNames(match func(Customer) bool) []string {
	var out []string
	for _, c := range Customers() {
		if match(c) {
			out = append(out, c.Name)
		}
	}
	return out
}

type orgSpec struct {
	name, slug, country, city string
	products                  []string
	seats                     int
}

var orgs = []orgSpec{
	{OrgName, OrgSlug, "US", "Boston", []string{"crm", "inbox", "finance", "medical"}, 25},
	{OtherOrgName, OtherOrgSlug, "US", "Springfield", []string{"crm"}, 10},
}

// Seed fills an empty database (no users at all) with the demo data in one
// transaction and prints the logins to w. On a database that has users it
// prints a note and changes nothing, so running it twice is harmless.
func Seed(ctx context.Context, db *store.Store, baseURL string, w io.Writer) error {
	hash, err := password.Hash(Password) // once: hashing is deliberately slow
	if err != nil {
		return err
	}
	seeded := false
	err = db.Write(ctx, func(tx *store.Tx) error {
		// Decided inside the write transaction, so a sign-up cannot race it.
		if n, err := tx.CountUsers(ctx); err != nil || n > 0 {
			return err
		}
		seeded = true
		return seed(ctx, tx, hash)
	})
	if err != nil {
		return err
	}
	if !seeded {
		fmt.Fprintln(w, "demo: the database already has users; demo data not added")
		return nil
	}
	printLogins(w, baseURL)
	return nil
}

// addedWithTeams are the accounts the demo gained with service teams: seed
// creates them last (addTeams), so every earlier row keeps its id.
var addedWithTeams = map[string]bool{SupervisorEmail: true}

func seed(ctx context.Context, tx *store.Tx, hash string) error {
	orgIDs := map[string]int64{}
	groupIDs := map[string]map[string]int64{} // org slug → group name → id
	for _, o := range orgs {
		ps, err := access.ParseProducts(o.products)
		if err != nil {
			return err
		}
		org, err := tx.CreateOrg(ctx, store.NewOrg{Name: o.name, NameKey: names.FoldOrgName(o.name), Slug: o.slug,
			Country: o.country, City: o.city, Products: ps, Seats: o.seats, Package: "business"})
		if err != nil {
			return fmt.Errorf("create %s: %w", o.slug, err)
		}
		orgIDs[o.slug] = org.ID
		groups, err := tx.Groups(ctx, org.ID)
		if err != nil {
			return err
		}
		groupIDs[o.slug] = map[string]int64{}
		for _, g := range groups {
			groupIDs[o.slug][g.Name] = g.ID
		}
	}
	id, err := tx.CreateGroup(ctx, orgIDs[OrgSlug], GroupNightShift, "Evening and weekend cover: conversations and the customers they serve.",
		nightShift(), "")
	if err != nil {
		return err
	}
	groupIDs[OrgSlug][GroupNightShift] = id

	members := map[string]int64{} // email → membership id
	for _, l := range Logins() {
		if addedWithTeams[l.Email] {
			continue
		}
		u, err := tx.CreateUser(ctx, l.Email, l.Name, hash)
		if err != nil {
			return fmt.Errorf("create %s: %w", l.Email, err)
		}
		// Demo addresses are verified (they get no mail to confirm), and
		// the Acme owner is the instance admin.
		if err := tx.MarkVerified(ctx, u.ID, u.Email); err != nil {
			return err
		}
		if l.Email == OwnerEmail {
			if err := tx.SetInstanceAdmin(ctx, u.ID); err != nil {
				return err
			}
		}
		m, err := addMember(ctx, tx, orgIDs[l.Org], u.ID, l)
		if err != nil {
			return err
		}
		members[l.Email] = m
		var gids []int64
		for _, g := range l.Groups {
			gid, ok := groupIDs[l.Org][g]
			if !ok {
				return fmt.Errorf("demo: %s has no group %q", l.Org, g)
			}
			gids = append(gids, gid)
		}
		if err := tx.SetMemberGroups(ctx, orgIDs[l.Org], m, gids); err != nil {
			return err
		}
	}
	for _, c := range Customers() {
		if _, err := tx.CreateCustomer(ctx, store.Customer{OrgID: orgIDs[c.Org], Name: c.Name, Email: c.Email, Phone: c.Phone,
			Company: c.Company, AssignedTo: members[c.Assignee], TaxID: c.TaxID, CreditLimit: c.CreditLimit, InternalNotes: c.InternalNotes}); err != nil {
			return err
		}
	}
	if err := tx.Audit(ctx, store.AuditEntry{OrgID: orgIDs[OrgSlug], ActorEmail: "gatehouse serve --demo", Action: "org.create",
		Target: OrgSlug, After: store.JSON(map[string]any{"demo": true})}); err != nil {
		return err
	}
	if err := addTeams(ctx, tx, hash, true); err != nil {
		return err
	}
	return addConversations(ctx, tx)
}

// membershipOf reads the membership in organization orgID of the account
// with address email.
func membershipOf(ctx context.Context, tx *store.Tx, orgID int64, email string) (domain.Membership, error) {
	u, err := tx.UserByEmail(ctx, email)
	if err != nil {
		return domain.Membership{}, err
	}
	return tx.MembershipOfUser(ctx, orgID, u.ID)
}

func addMember(ctx context.Context, tx *store.Tx, orgID, userID int64, l Login) (int64, error) {
	status := l.Status
	if status == "" {
		status = domain.StatusActive
	}
	m, err := tx.AddMember(ctx, orgID, userID, l.Role, status, l.Custom)
	return m.ID, err
}

// AddTeams brings a demo database seeded before service teams existed
// (the part-one release's) up to today's seed: the accounts added since,
// the teams with their members and leads, the customers they own, and the
// channels and conversations. The golden upgrade test compares the result
// with a database seeded today.
func AddTeams(ctx context.Context, db *store.Store) error {
	hash, err := password.Hash(Password)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *store.Tx) error {
		if err := addTeams(ctx, tx, hash, false); err != nil {
			return err
		}
		return addConversations(ctx, tx)
	})
}

// addTeams adds what came with teams to a seeded database; verified says
// whether the new accounts are verified (they are in a new seed; an
// upgraded database's accounts are not).
func addTeams(ctx context.Context, tx *store.Tx, hash string, verified bool) error {
	orgIDs := map[string]int64{}
	for _, o := range orgs {
		org, err := tx.OrgBySlug(ctx, o.slug)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", o.slug, err)
		}
		orgIDs[o.slug] = org.ID
	}
	teamIDs := map[string]int64{} // team name → id (names are unique across the demo)
	for _, t := range Teams() {
		id, err := tx.CreateTeam(ctx, orgIDs[t.Org], t.Name, t.Description)
		if err != nil {
			return err
		}
		teamIDs[t.Name] = id
	}
	for _, l := range Logins() {
		if !addedWithTeams[l.Email] {
			continue
		}
		u, err := tx.CreateUser(ctx, l.Email, l.Name, hash)
		if err != nil {
			return fmt.Errorf("create %s: %w", l.Email, err)
		}
		if verified {
			if err := tx.MarkVerified(ctx, u.ID, u.Email); err != nil {
				return err
			}
		}
		if _, err := addMember(ctx, tx, orgIDs[l.Org], u.ID, l); err != nil {
			return err
		}
	}
	for _, l := range Logins() {
		if len(l.Teams) == 0 {
			continue
		}
		m, err := membershipOf(ctx, tx, orgIDs[l.Org], l.Email)
		if err != nil {
			return err
		}
		var teams []domain.MemberTeam
		for _, t := range l.Teams {
			teams = append(teams, domain.MemberTeam{TeamID: teamIDs[t], Lead: slices.Contains(l.Leads, t)})
		}
		if err := tx.SetMemberTeams(ctx, orgIDs[l.Org], m.ID, teams); err != nil {
			return err
		}
	}
	owner := map[string]string{} // customer name → team
	for _, c := range Customers() {
		if c.Team != "" {
			owner[c.Name] = c.Team
		}
	}
	for slug, orgID := range orgIDs {
		sc := store.CustomersIn(orgID, access.ScopeAll, 0)
		var owned []store.Customer
		if err := tx.EachCustomer(ctx, sc, "", func(c store.Customer) error {
			if t, ok := owner[c.Name]; ok {
				c.TeamID = teamIDs[t]
				owned = append(owned, c)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("demo: customers of %s: %w", slug, err)
		}
		for _, c := range owned {
			if err := tx.UpdateCustomerWithTeam(ctx, sc, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func printLogins(w io.Writer, baseURL string) {
	base := strings.TrimRight(baseURL, "/")
	fmt.Fprintf(w, "Demo data: %q (/o/%s, every product) and %q (/o/%s, CRM only).\n", OrgName, OrgSlug, OtherOrgName, OtherOrgSlug)
	fmt.Fprintf(w, "Log in at %s/login with any of these emails and the password %q:\n", base, Password)
	for _, l := range Logins() {
		role := string(l.Role)
		if l.Status == domain.StatusSuspended {
			role += ", suspended"
		}
		fmt.Fprintf(w, "  %-25s %-8s %-28s %s\n", l.Email, l.Org, role, l.Note)
	}
}
