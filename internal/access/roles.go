package access

// Role is a built-in membership role; each has a template (ARCHITECTURE.md, Catalog).
type Role string

const (
	RoleOwner            Role = "owner"
	RoleAdmin            Role = "admin"
	RoleManager          Role = "manager"
	RoleFinancial        Role = "financial"
	RoleSales            Role = "sales"
	RoleSupervisor       Role = "supervisor"
	RoleAgent            Role = "agent"
	RoleAgentLimited     Role = "agent_limited"
	RoleMedicalDoctor    Role = "medical_doctor"
	RoleMedicalAssistant Role = "medical_assistant"
)

type roleDef struct {
	role     Role
	label    string
	fullView bool
	template Set
}

// roleDefs is the catalog's (ARCHITECTURE.md, Catalog) role table, in
// display order, built by install (the templates name modules).
var roleDefs []roleDef

func buildRoleDefs() []roleDef {
	all := AllActions()
	return []roleDef{
		{RoleOwner, "Owner", true, FullSet()},
		{RoleAdmin, "Admin", true, FullSet()},
		{RoleManager, "Manager", true, managerTemplate()},
		{RoleFinancial, "Financial", true, build(
			grant("dashboard", all...), grant("reports", all...), grant("financial", all...),
			grant("pos", all...), grant("billing", all...),
			grant("customers", View), grant("crm", View),
			flag("customers.canAccessAll"), flag("crm.canAccessAll"),
			flag("customers.canAccessTeam"), flag("crm.canAccessTeam"),
		)},
		{RoleSales, "Sales", false, build(
			grant("dashboard", View),
			grant("customers", View, Create, Edit, Export), grant("crm", View, Create, Edit, Export),
			grant("reports", View), grant("utm", View),
		)},
		// Between agent and manager: their teams' records, and the team's work.
		{RoleSupervisor, "Supervisor", false, build(
			grant("dashboard", View),
			grant("customers", View, Create, Edit, Export), grant("crm", View, Create, Edit, Export),
			grant("chats", View, Create, Edit, Export), own("chats", "reply", "note", "attach"),
			grant("reports", View), grant("service_teams", View),
			flag("customers.canAccessTeam"), flag("crm.canAccessTeam"), flag("chats.canAccessTeam"),
		)},
		{RoleAgent, "Agent", false, build(
			grant("dashboard", View),
			grant("customers", View, Create, Edit), grant("crm", View, Create, Edit), grant("chats", View, Create, Edit),
			own("chats", "reply", "note", "attach"),
		)},
		{RoleAgentLimited, "Agent (limited)", false, build(
			grant("dashboard", View), grant("customers", View), grant("chats", View, Create),
			own("chats", "reply", "note"),
		)},
		{RoleMedicalDoctor, "Medical doctor", false, build(
			grant("dashboard", View), grant("customers", View, Edit),
			grant("medical", View, Create, Edit), grant("documents", View, Create, Edit),
		)},
		{RoleMedicalAssistant, "Medical assistant", false, build(
			grant("dashboard", View), grant("customers", View),
			grant("medical", View), grant("documents", View, Create),
		)},
	}
}

// managerTemplate: view/create/edit/export and every own action everywhere
// except billing, settings, integrations, audit (nothing) and members,
// groups (view only); all flags true.
func managerTemplate() Set {
	s := cat.allFlags
	for _, m := range modules {
		switch m.Key {
		case "billing", "settings", "integrations", "audit":
		case "members", "groups":
			s.Grant(m.ID, View)
		default:
			for _, a := range append([]Action{View, Create, Edit, Export}, m.OwnActionIDs()...) {
				s.Grant(m.ID, a)
			}
		}
	}
	return s
}

// grant and flag are tiny builders so the templates read like the table.
type setOp func(*Set)

func grant(module string, as ...Action) setOp {
	id := MustModule(module)
	return func(s *Set) {
		for _, a := range as {
			s.Grant(id, a)
		}
	}
}

// own grants actions of the module's own by key ("reply").
func own(module string, keys ...string) setOp {
	m := modules[MustModule(module)]
	as := make([]Action, len(keys))
	for i, k := range keys {
		a, ok := m.ParseAction(k)
		if !ok || !m.Offers(a) {
			panic("access: module " + module + " has no action " + k)
		}
		as[i] = a
	}
	return grant(module, as...)
}

func flag(fullKey string) setOp {
	id := MustFlag(fullKey)
	return func(s *Set) { s.SetFlag(id, true) }
}

func build(ops ...setOp) Set {
	var s Set
	for _, op := range ops {
		op(&s)
	}
	return s
}

func roleDefOf(r Role) (roleDef, bool) {
	for _, d := range roleDefs {
		if d.role == r {
			return d, true
		}
	}
	return roleDef{}, false
}

// Roles returns every role, most privileged first.
func Roles() []Role {
	out := make([]Role, len(roleDefs))
	for i, d := range roleDefs {
		out[i] = d.role
	}
	return out
}

// ParseRole accepts exactly a role key ("agent_limited").
func ParseRole(s string) (Role, bool) {
	_, ok := roleDefOf(Role(s))
	return Role(s), ok
}

// Label is the role's display name; an unknown role shows its key.
func (r Role) Label() string {
	if d, ok := roleDefOf(r); ok {
		return d.label
	}
	return string(r)
}

// RoleTemplate returns the role's permission set (empty for an unknown role).
// Templates are not restricted to products: Resolve does that (rule 6).
func RoleTemplate(r Role) Set {
	d, _ := roleDefOf(r)
	return d.template
}

// FullViewByDefault: owner, admin, manager and financial see all records by
// default; the other roles are restricted to their own.
func (r Role) FullViewByDefault() bool {
	d, _ := roleDefOf(r)
	return d.fullView
}
