package access

import (
	"fmt"
	"slices"
)

// ModuleID is a module's index in catalog order; it is the bit index inside Set.
type ModuleID uint8

// Module IDs in catalog order (ARCHITECTURE.md, Catalog). Keys are the contract; these
// constants only save a map lookup in Go code. init verifies they agree.
const (
	ModDashboard ModuleID = iota
	ModReports
	ModMembers
	ModGroups
	ModServiceTeams
	ModSettings
	ModIntegrations
	ModBilling
	ModAudit
	ModCustomers
	ModCRM
	ModUTM
	ModChats
	ModBulkMessages
	ModFlows
	ModPrompts
	ModChannels
	ModFinancial
	ModPOS
	ModMedical
	ModDocuments

	numModules = 21
)

// FlagID is a flag's index in the global flag list (catalog order).
type FlagID uint8

const (
	FlagCustomersCanAccessAll FlagID = iota
	FlagCRMCanAccessAll
	FlagChatsCanAccessAll
	FlagChatsCanAssignToOthers

	numFlags = 4
)

// FlagDef describes a scope flag of a module. Flags default to false.
type FlagDef struct {
	ID      FlagID
	Module  string // module key, e.g. "customers"
	Key     string // key inside the module, e.g. "canAccessAll"
	FullKey string // "customers.canAccessAll"
	Label   string // UI label, e.g. "See all customers"
	// Scope is the scope the flag grants on its module when true (ScopeAll
	// for canAccessAll); 0 for a flag that is no scope flag (scope.go).
	Scope Scope
}

// Module is a feature area with the actions it offers and its flags.
type Module struct {
	ID      ModuleID
	Key     string
	Label   string
	Product string
	Actions []Action
	Flags   []FlagDef
}

// Offers reports whether the module has action a at all.
func (m Module) Offers(a Action) bool { return a < numActions && offered[a]&(1<<m.ID) != 0 }

// Product is a purchasable bundle of modules.
type Product struct {
	Key            string
	Label          string
	AlwaysIncluded bool
	Modules        []string // module keys, catalog order
	GroupName      string   // name of its predefined group; "" for core
}

// The catalog as data, in order: products, then each product's modules.
// Everything else (IDs, masks, lookups) is derived from these tables in init.
var (
	allActs = []Action{View, Create, Edit, Delete, Export}
	acts    = func(a ...Action) []Action { return a }
)

type flagSpec struct {
	key, label string
	scope      Scope // the scope it grants; 0 = not a scope flag
}

type moduleSpec struct {
	key, label string
	actions    []Action
	flags      []flagSpec
}

var catalog = []struct {
	product Product
	modules []moduleSpec
}{
	{Product{Key: "core", Label: "Core", AlwaysIncluded: true}, []moduleSpec{
		{"dashboard", "Dashboard", acts(View), nil},
		{"reports", "Reports", acts(View, Create, Export), nil},
		{"members", "Members", allActs, nil},
		{"groups", "Permission groups", allActs, nil},
		{"service_teams", "Service teams", allActs, nil},
		{"settings", "Organization settings", acts(View, Edit), nil},
		{"integrations", "Integrations", allActs, nil},
		{"billing", "Billing", acts(View, Edit), nil},
		{"audit", "Audit log", acts(View, Export), nil},
	}},
	{Product{Key: "crm", Label: "CRM", GroupName: "Sales Team"}, []moduleSpec{
		{"customers", "Customers", allActs, []flagSpec{{"canAccessAll", "See all customers", ScopeAll}}},
		{"crm", "Pipelines", allActs, []flagSpec{{"canAccessAll", "See all pipelines", ScopeAll}}},
		{"utm", "UTM tracking", allActs, nil},
	}},
	{Product{Key: "inbox", Label: "Inbox", GroupName: "Support Agents"}, []moduleSpec{
		{"chats", "Conversations", allActs, []flagSpec{
			{"canAccessAll", "See all conversations", ScopeAll},
			{"canAssignToOthers", "Assign conversations to others", 0},
		}},
		{"bulk_messages", "Bulk messages", allActs, nil},
		{"flows", "Flows", allActs, nil},
		{"prompts", "Prompts", allActs, nil},
		{"channels", "Channels", allActs, nil},
	}},
	{Product{Key: "finance", Label: "Finance", GroupName: "Finance Team"}, []moduleSpec{
		{"financial", "Financial", allActs, nil},
		{"pos", "Point of sale", allActs, nil},
	}},
	{Product{Key: "medical", Label: "Medical", GroupName: "Medical Staff"}, []moduleSpec{
		{"medical", "Medical records", allActs, nil},
		{"documents", "Documents", allActs, nil},
	}},
}

// Derived tables, read-only after start-up. They are built by a function call
// in a var declaration (not in init) so that other package-level vars, such
// as the role templates, can depend on them: Go orders var initialization by
// dependency, but runs init functions only after all vars.
var products, modules, flags, moduleByKey, flagByKey,
	offered, productModules, flagModule, moduleFlags = buildCatalog()

func buildCatalog() (
	products []Product, modules []Module, flags []FlagDef,
	moduleByKey map[string]ModuleID, flagByKey map[string]FlagID,
	offered [numActions]uint32, // bit m of offered[a]: module m offers action a
	productModules []uint32, // module mask per product index
	flagModule [numFlags]ModuleID, // module of each flag
	moduleFlags [numModules]uint32, // flag mask per module
) {
	moduleByKey = map[string]ModuleID{}
	flagByKey = map[string]FlagID{}
	for _, p := range catalog {
		prod := p.product
		var mask uint32
		for _, ms := range p.modules {
			id := ModuleID(len(modules))
			if id >= numModules {
				panic("access: more modules than numModules")
			}
			m := Module{ID: id, Key: ms.key, Label: ms.label, Product: prod.Key, Actions: ms.actions}
			for _, a := range ms.actions {
				offered[a] |= 1 << id
			}
			for _, fs := range ms.flags {
				f := FlagDef{ID: FlagID(len(flags)), Module: ms.key, Key: fs.key, FullKey: ms.key + "." + fs.key, Label: fs.label, Scope: fs.scope}
				if f.ID >= numFlags {
					panic("access: more flags than numFlags")
				}
				flagModule[f.ID] = id
				moduleFlags[id] |= 1 << f.ID
				flagByKey[f.FullKey] = f.ID
				flags = append(flags, f)
				m.Flags = append(m.Flags, f)
			}
			moduleByKey[ms.key] = id
			modules = append(modules, m)
			prod.Modules = append(prod.Modules, ms.key)
			mask |= 1 << id
		}
		products = append(products, prod)
		productModules = append(productModules, mask)
	}
	// The constants above are a convenience; the tables are the truth.
	if len(modules) != numModules || len(flags) != numFlags || len(products) > 16 {
		panic("access: catalog sizes disagree with constants")
	}
	return
}

// Products returns the products in catalog order (core first).
func Products() []Product {
	out := make([]Product, len(products))
	for i, p := range products {
		p.Modules = slices.Clone(p.Modules)
		out[i] = p
	}
	return out
}

// ProductByKey finds a product by key.
func ProductByKey(key string) (Product, bool) {
	for _, p := range Products() {
		if p.Key == key {
			return p, true
		}
	}
	return Product{}, false
}

func cloneModule(m Module) Module {
	m.Actions = slices.Clone(m.Actions)
	m.Flags = slices.Clone(m.Flags)
	return m
}

// Modules returns every module in catalog order. The result is a copy.
func Modules() []Module {
	out := make([]Module, len(modules))
	for i, m := range modules {
		out[i] = cloneModule(m)
	}
	return out
}

// ModuleByKey finds a module by key ("customers").
func ModuleByKey(key string) (Module, bool) {
	id, ok := moduleByKey[key]
	if !ok {
		return Module{}, false
	}
	return cloneModule(modules[id]), true
}

// MustModule returns the ID of a module key and panics on an unknown key, so
// a typo in route registration fails at start-up rather than at request time.
func MustModule(key string) ModuleID {
	id, ok := moduleByKey[key]
	if !ok {
		panic(fmt.Sprintf("access: unknown module %q", key))
	}
	return id
}

// ModuleOf returns the module with that ID; it panics on an out-of-range ID.
func ModuleOf(id ModuleID) Module { return cloneModule(modules[id]) }

// Key returns the module key of an ID ("customers"), without copying.
func (id ModuleID) Key() string {
	if int(id) < len(modules) {
		return modules[id].Key
	}
	return fmt.Sprintf("module(%d)", uint8(id))
}

// Flags returns every flag in catalog order.
func Flags() []FlagDef { return slices.Clone(flags) }

// FlagByFullKey finds a flag by "module.key", e.g. "customers.canAccessAll".
func FlagByFullKey(fullKey string) (FlagDef, bool) {
	id, ok := flagByKey[fullKey]
	if !ok {
		return FlagDef{}, false
	}
	return flags[id], true
}

// MustFlag returns the ID of a full flag key and panics on an unknown key.
func MustFlag(fullKey string) FlagID {
	id, ok := flagByKey[fullKey]
	if !ok {
		panic(fmt.Sprintf("access: unknown flag %q", fullKey))
	}
	return id
}

// Def returns the flag's definition; it panics on an out-of-range ID.
func (f FlagID) Def() FlagDef { return flags[f] }

// Module returns the ID of the module the flag belongs to.
func (f FlagDef) ModuleID() ModuleID { return flagModule[f.ID] }
