package access

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
)

// ModuleID is a module's index in catalog order.
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

	numModules = 21 // of the real catalog; a catalog as such has any number
)

// FlagID is a flag's index in the global flag list (catalog order).
type FlagID uint8

const (
	FlagCustomersCanAccessAll FlagID = iota
	FlagCustomersCanAccessTeam
	FlagCRMCanAccessAll
	FlagCRMCanAccessTeam
	FlagChatsCanAccessAll
	FlagChatsCanAccessTeam
	FlagChatsCanAssignToOthers

	numFlags = 7 // of the real catalog
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
	// Actions are the actions the module offers: the standard ones it has
	// (View first), then its own ones in declaration order.
	Actions []Action
	// OwnActions are the keys of the module's own actions ("reply"): own
	// action i is Action(numActions+i). Most modules have none.
	OwnActions []string
	Flags      []FlagDef
	Fields     []FieldDef // in declaration order (ARCHITECTURE.md, Fields)
}

// Offers reports whether the module has action a at all.
func (m Module) Offers(a Action) bool {
	b, ok := cat.actionBit(m.ID, a)
	return ok && cat.offered.has(b)
}

// ActionKey is the key of action a in this module: "view" … "export" for
// the standard five, the declared key ("reply") for an own action.
func (m Module) ActionKey(a Action) string {
	if a >= numActions {
		if i := int(a - numActions); i < len(m.OwnActions) {
			return m.OwnActions[i]
		}
	}
	return a.String()
}

// ActionLabel is how people read action a of this module: "View", "Reply".
func (m Module) ActionLabel(a Action) string {
	if a.Standard() {
		return a.Label()
	}
	k := m.ActionKey(a)
	return strings.ToUpper(k[:1]) + k[1:]
}

// OwnActionIDs are the module's own actions, in declaration order (the
// grid shows them beside its flags, not as columns).
func (m Module) OwnActionIDs() []Action {
	out := make([]Action, len(m.OwnActions))
	for i := range out {
		out[i] = numActions + Action(i)
	}
	return out
}

// ParseAction maps an action key of this module (standard or own) to its
// Action; ok is false for a key that is neither. Whether the module offers
// a standard action is Offers' question.
func (m Module) ParseAction(key string) (Action, bool) {
	if a, ok := ParseAction(key); ok {
		return a, true
	}
	for i, k := range m.OwnActions {
		if k == key {
			return numActions + Action(i), true
		}
	}
	return 0, false
}

// Product is a purchasable bundle of modules.
type Product struct {
	Key            string
	Label          string
	AlwaysIncluded bool
	Modules        []string // module keys, catalog order
	GroupName      string   // name of its predefined group; "" for core
}

// The catalog as data, in order: products, then each product's modules.
// Everything else (IDs, bit layout, lookups) is derived from these tables.

// actionSpec is the actions a module declares: standard ones, then own ones.
type actionSpec struct {
	std []Action
	own []string // keys [a-z]+, after the standard five in this order
}

// with adds actions of the module's own (ARCHITECTURE.md, Catalog).
func (a actionSpec) with(own ...string) actionSpec {
	a.own = append(slices.Clip(a.own), own...)
	return a
}

var (
	allActs = acts(View, Create, Edit, Delete, Export)
	acts    = func(a ...Action) actionSpec { return actionSpec{std: a} }
)

type flagSpec struct {
	key, label string
	scope      Scope // the scope it grants; 0 = not a scope flag
}

type moduleSpec struct {
	key, label string
	actions    actionSpec
	flags      []flagSpec
	fields     []FieldDecl
}

type productSpec struct {
	product Product
	modules []moduleSpec
}

// cat is the installed catalog's tables (install.go); the names below are
// shorthands for them, read-only between installs.
var cat tables

var (
	products    []Product
	modules     []Module
	flags       []FlagDef
	fields      []FieldDef // every module's fields, catalog order
	moduleByKey map[string]ModuleID
	flagByKey   map[string]FlagID
	flagModule  []ModuleID // module of each flag
)

// installTables makes c the engine's tables (install.go installs a whole
// declaration; the engine's tests install tables of their own).
func installTables(c *tables) {
	cat = *c
	products, modules, flags, fields = c.products, c.modules, c.flags, c.fields
	moduleByKey, flagByKey, flagModule = c.moduleByKey, c.flagByKey, c.flagModule
}

// tables is a catalog as the engine uses it. Bit layout of a Set: each
// module owns one contiguous run of bits in catalog order, a slot per
// action (the standard five, offered or not, then its own actions) and then
// a bit per flag. So a check is one shift and mask, a product's modules are
// one run, and Effective can clear every module without view in a few word
// operations (set.go).
type tables struct {
	products    []Product
	modules     []Module
	flags       []FlagDef
	fields      []FieldDef
	moduleByKey map[string]ModuleID
	flagByKey   map[string]FlagID
	flagModule  []ModuleID

	mods      []modBits // per module
	slotsAt   []uint32  // per module: its first bit<<8 | its number of action slots
	flagBit   []uint16  // per flag
	offered   Set       // every action a module offers
	allFlags  Set       // every flag
	starts    Set       // the first bit (view) of every module's run, and the end of the last
	prodBits  []Set     // per product index: the bits of its modules
	prodMasks []Set     // per ProductSet, when there are few products: its modules' bits
	prodOf    []uint8   // per module: its product index
	// scopeFlags are, per module, its scope flags, widest scope first
	// (scope.go): derived from FlagDef.Scope, so no one looks a flag up by name.
	scopeFlags [][]FlagID
	bits       int // bits in use
}

// modBits is where a module's bits are: slots [base, base+slots) are its
// actions, [base+slots, end) its flags.
type modBits struct {
	base, end uint16
	slots     uint8
	names     []string // per slot: "module_action"
	mask      Set      // every bit of the module
}

// actionBit is the bit of action a of module m; false if there is none.
func (c *tables) actionBit(m ModuleID, a Action) (uint, bool) {
	if int(m) >= len(c.slotsAt) {
		return 0, false
	}
	at := c.slotsAt[m]
	return uint(at>>8) + uint(a), uint32(a) < at&0xff
}

// flagBitOf is the bit of flag f; false for an unknown flag.
func (c *tables) flagBitOf(f FlagID) (uint, bool) {
	if int(f) >= len(c.flagBit) {
		return 0, false
	}
	return uint(c.flagBit[f]), true
}

var ownActionKey = regexp.MustCompile(`^[a-z]+$`)

// buildCatalog derives the tables from declarations and refuses what the
// engine cannot hold or would misread.
func buildCatalog(decl []productSpec) (*tables, error) {
	c := &tables{moduleByKey: map[string]ModuleID{}, flagByKey: map[string]FlagID{}}
	if len(decl) > 16 {
		return nil, fmt.Errorf("%d products: a ProductSet holds 16", len(decl))
	}
	bit := 0
	for pi, p := range decl {
		prod := p.product
		if prod.Key == "" || slices.ContainsFunc(c.products, func(o Product) bool { return o.Key == prod.Key }) {
			return nil, fmt.Errorf("product %q: empty or declared twice", prod.Key)
		}
		prodStart := bit
		for _, ms := range p.modules {
			if len(c.modules) > math.MaxUint8 {
				return nil, fmt.Errorf("more than %d modules", math.MaxUint8+1)
			}
			id := ModuleID(len(c.modules))
			if _, dup := c.moduleByKey[ms.key]; dup || ms.key == "" {
				return nil, fmt.Errorf("module %q: empty or declared twice", ms.key)
			}
			m := Module{ID: id, Key: ms.key, Label: ms.label, Product: prod.Key}
			if !slices.Contains(ms.actions.std, View) {
				return nil, fmt.Errorf("module %q: every module offers view", ms.key)
			}
			for i, a := range ms.actions.std {
				if a >= numActions || slices.Contains(ms.actions.std[:i], a) {
					return nil, fmt.Errorf("module %q: bad or repeated standard action %d", ms.key, a)
				}
			}
			// Standard actions in catalog order, then own ones as declared.
			for _, a := range AllActions() {
				if slices.Contains(ms.actions.std, a) {
					m.Actions = append(m.Actions, a)
				}
			}
			for i, k := range ms.actions.own {
				if _, std := ParseAction(k); std || !ownActionKey.MatchString(k) || slices.Contains(ms.actions.own[:i], k) {
					return nil, fmt.Errorf("module %q: own action %q must be [a-z]+, new and not a standard key", ms.key, k)
				}
				m.Actions = append(m.Actions, numActions+Action(i))
			}
			if len(ms.actions.own) > 0 {
				m.OwnActions = slices.Clone(ms.actions.own)
			}
			slots := numActions + len(ms.actions.own)
			if slots > math.MaxUint8 {
				return nil, fmt.Errorf("module %q: too many actions", ms.key)
			}
			mb := modBits{base: uint16(bit), slots: uint8(slots)}
			for _, a := range m.Actions {
				if bit+int(a) < setBits {
					c.offered.set(uint(bit) + uint(a))
				}
			}
			for a := range slots {
				mb.names = append(mb.names, ms.key+"_"+m.ActionKey(Action(a)))
			}
			bit += slots
			for _, fs := range ms.flags {
				f := FlagDef{ID: FlagID(len(c.flags)), Module: ms.key, Key: fs.key, FullKey: ms.key + "." + fs.key, Label: fs.label, Scope: fs.scope}
				if len(c.flags) > math.MaxUint8 {
					return nil, fmt.Errorf("more than %d flags", math.MaxUint8+1)
				}
				if _, dup := c.flagByKey[f.FullKey]; dup || fs.key == "" {
					return nil, fmt.Errorf("flag %q: empty or declared twice", f.FullKey)
				}
				c.flagModule = append(c.flagModule, id)
				c.flagBit = append(c.flagBit, uint16(bit))
				c.flagByKey[f.FullKey] = f.ID
				c.flags = append(c.flags, f)
				m.Flags = append(m.Flags, f)
				if bit < setBits {
					c.allFlags.set(uint(bit))
				}
				bit++
			}
			for _, fd := range ms.fields {
				if len(c.fields) >= maxFields {
					return nil, fmt.Errorf("more than %d fields: a Set's field word holds %d", maxFields, maxFields)
				}
				if fd.Key == "" || slices.ContainsFunc(m.Fields, func(o FieldDef) bool { return o.Key == fd.Key }) {
					return nil, fmt.Errorf("field %q of module %q: empty or declared twice", fd.Key, ms.key)
				}
				f := FieldDef{Module: id, Key: fd.Key, FullKey: ms.key + "." + fd.Key, Label: fd.Label, Sensitive: fd.Sensitive, idx: uint8(len(c.fields))}
				c.fields = append(c.fields, f)
				m.Fields = append(m.Fields, f)
			}
			if bit > setBits {
				return nil, fmt.Errorf("the catalog needs more than the %d bits a Set holds: raise setWords (set.go)", setBits)
			}
			mb.end = uint16(bit)
			mb.mask = bitRange(uint(mb.base), uint(bit))
			c.starts.set(uint(mb.base))
			c.mods = append(c.mods, mb)
			c.slotsAt = append(c.slotsAt, uint32(mb.base)<<8|uint32(mb.slots))
			c.prodOf = append(c.prodOf, uint8(pi))
			c.moduleByKey[ms.key] = id
			c.modules = append(c.modules, m)
			prod.Modules = append(prod.Modules, ms.key)
		}
		c.products = append(c.products, prod)
		c.prodBits = append(c.prodBits, bitRange(uint(prodStart), uint(bit)))
	}
	// The bits after the last module form one more run, so that Effective's
	// carries stop at the end of the catalog.
	if bit < setBits {
		c.starts.set(uint(bit))
	}
	c.bits = bit
	if err := c.indexScopeFlags(); err != nil {
		return nil, err
	}
	// RestrictTo runs on every resolution: with few products, look the
	// union of their bits up instead of adding it up.
	if len(decl) <= 8 {
		c.prodMasks = make([]Set, 1<<len(decl))
		for p := range c.prodMasks {
			for i := range c.prodBits {
				if p&(1<<i) != 0 {
					c.prodMasks[p].add(&c.prodBits[i])
				}
			}
		}
	}
	return c, nil
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
	m.OwnActions = slices.Clone(m.OwnActions)
	m.Flags = slices.Clone(m.Flags)
	m.Fields = slices.Clone(m.Fields)
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
