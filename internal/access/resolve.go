package access

// Layer names the rule that decided a member's permissions (ARCHITECTURE.md, Layers).
type Layer string

const (
	LayerOwner     Layer = "owner"
	LayerCustom    Layer = "custom"
	LayerGroups    Layer = "groups"
	LayerRole      Layer = "role"
	LayerSuspended Layer = "suspended"
)

// GroupGrant is one group a member belongs to.
type GroupGrant struct {
	Name string
	Set  Set
}

// Input is everything resolution needs about one membership.
type Input struct {
	Role      Role
	Suspended bool
	Custom    *Set // nil = not set (inherit); &Set{} = set and granting nothing
	Groups    []GroupGrant
	Products  ProductSet
}

// Effective is a membership's resolved permissions. Set is already
// restricted to the organization's products and stripped of inert grants.
type Effective struct {
	Layer    Layer
	Role     Role
	Set      Set
	Products ProductSet // the organization's products, for later checks
	fields   uint64     // resolved field levels (fields.go); FieldLevel reads them
}

// Resolve applies the layer rules 1-6 (ARCHITECTURE.md, Layers). Layers are exclusive: the first that
// applies decides alone, nothing is merged across layers.
func Resolve(in Input) Effective {
	e := Effective{Role: in.Role, Products: in.Products}
	switch {
	case in.Suspended: // rule 1: no access at all
		e.Layer = LayerSuspended
		return e
	case in.Role == RoleOwner: // rule 2: golden rule, nothing restricts an owner
		e.Layer, e.Set = LayerOwner, FullSet()
		e.fields = allLevels(LevelEdit)
	case in.Custom != nil: // rule 3: exactly the custom set, even if empty
		e.Layer, e.Set = LayerCustom, *in.Custom
		e.fields = resolveFields(in.Custom)
	case len(in.Groups) > 0: // rule 4: union of the groups, flags OR-ed
		e.Layer, e.Set = LayerGroups, unionOf(in.Groups)
		e.fields = groupFields(in.Groups)
	default: // rule 5
		e.Layer, e.Set = LayerRole, RoleTemplate(in.Role)
		e.fields = templateFields(in.Role, e.Set)
	}
	// Rule 6, then drop actions and flags of modules without view.
	e.Set = e.Set.RestrictTo(in.Products).Effective()
	return e
}

// Can reports whether the member may do action a in module m.
func (e Effective) Can(m ModuleID, a Action) bool { return e.Set.Has(m, a) }

// CanFlag reports whether the flag is true for the member.
func (e Effective) CanFlag(f FlagID) bool { return e.Set.HasFlag(f) }

// IsOwner is derived from the role; a suspended owner is no owner here.
func (e Effective) IsOwner() bool { return e.Role == RoleOwner && e.Layer != LayerSuspended }

// IsAdmin reports the admin role (not owner), unless suspended.
func (e Effective) IsAdmin() bool { return e.Role == RoleAdmin && e.Layer != LayerSuspended }

// unionOf is the union of the groups' sets, accumulated in registers: this
// is the loop of the groups layer.
func unionOf(gs []GroupGrant) Set {
	var a0, a1, a2, a3 uint64
	for i := range gs {
		w := &gs[i].Set.w
		a0 |= w[0]
		a1 |= w[1]
		a2 |= w[2]
		a3 |= w[3]
	}
	return Set{w: [setWords]uint64{a0, a1, a2, a3}}
}
