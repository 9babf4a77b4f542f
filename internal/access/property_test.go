package access

import (
	"math/rand/v2"
	"testing"
)

// randomSet draws a valid set; density varies so that both sparse and dense
// sets (and inert grants) are common.
func randomSet(r *rand.Rand) Set {
	var s Set
	density := r.IntN(3)
	draw := func() uint32 {
		v := r.Uint32()
		for range density {
			v &= r.Uint32()
		}
		return v
	}
	// One draw per standard action (a bit per module), then one for the
	// flags: the same sets, from the same seeds, as when Set was laid out so.
	for a := range Action(numActions) {
		mods := draw()
		for m := range modules {
			if mods&(1<<m) != 0 {
				s.Grant(ModuleID(m), a)
			}
		}
	}
	fl := draw()
	for f := range flags {
		s.SetFlag(FlagID(f), fl&(1<<f) != 0)
	}
	return s
}

func randomInput(r *rand.Rand) Input {
	roles := Roles()
	in := Input{
		Role:      roles[r.IntN(len(roles))],
		Suspended: r.IntN(10) == 0,
		Products:  ProductSet(r.Uint32()) & AllProducts(),
	}
	if r.IntN(3) == 0 {
		c := randomSet(r)
		if r.IntN(5) == 0 {
			c = Set{}
		}
		in.Custom = &c
	}
	for range r.IntN(4) {
		in.Groups = append(in.Groups, GroupGrant{Name: "g", Set: randomSet(r)})
	}
	return in
}

// The seeds are fixed so a failure reproduces; each run checks thousands of
// configurations against the rules stated independently of Resolve's code.
func TestResolveProperties(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		r := rand.New(rand.NewPCG(seed, seed*7919))
		for i := range 2000 {
			in := randomInput(r)
			got := Resolve(in)
			inProducts := func(s Set) bool { return s.RestrictTo(in.Products) == s }
			if !inProducts(got.Set) || got.Set.Effective() != got.Set {
				t.Fatalf("seed %d #%d: result outside products or with inert grants: %v", seed, i, got.Set)
			}
			var wantLayer Layer
			var want Set
			switch {
			case in.Suspended:
				wantLayer, want = LayerSuspended, Set{}
			case in.Role == RoleOwner:
				// Owner: always full for the products, whatever custom and groups say.
				wantLayer, want = LayerOwner, FullSet().RestrictTo(in.Products)
			case in.Custom != nil:
				// Custom: exactly custom ∩ products, nothing leaks from groups or role.
				wantLayer, want = LayerCustom, in.Custom.RestrictTo(in.Products).Effective()
			case len(in.Groups) > 0:
				var u Set
				for _, g := range in.Groups {
					u = u.Union(g.Set)
				}
				// Groups: their union only, nothing leaks from the role.
				wantLayer, want = LayerGroups, u.RestrictTo(in.Products).Effective()
			default:
				wantLayer, want = LayerRole, RoleTemplate(in.Role).RestrictTo(in.Products)
			}
			if got.Layer != wantLayer || got.Set != want {
				t.Fatalf("seed %d #%d: %+v\n got %s %v\nwant %s %v", seed, i, in, got.Layer, got.Set, wantLayer, want)
			}
			// Explain agrees and every source list is non-empty.
			x := Explain(in)
			if x.Effective != got || len(x.Permissions) != len(got.Set.Permissions()) {
				t.Fatalf("seed %d #%d: Explain disagrees", seed, i)
			}
			for p, src := range x.Permissions {
				if len(src) == 0 {
					t.Fatalf("seed %d #%d: %s unexplained", seed, i, p)
				}
			}
		}
	}
}

func TestCheckGrantProperties(t *testing.T) {
	for _, seed := range []uint64{5, 6, 7} {
		r := rand.New(rand.NewPCG(seed, 99))
		accepted, refused := 0, 0
		for i := range 3000 {
			in := randomInput(r)
			actor := Resolve(in)
			// Grants near the actor's set: a subset, sometimes plus stray bits.
			grant := actor.Set
			for i := range grant.w {
				grant.w[i] &= r.Uint64()
			}
			if r.IntN(2) == 0 {
				extra := randomSet(r)
				for i := range extra.w {
					extra.w[i] &= r.Uint64() & r.Uint64()
				}
				grant = grant.Union(extra)
			}
			err := CheckGrant(actor, grant)
			switch {
			case actor.IsOwner():
				if err != nil {
					t.Fatalf("seed %d #%d: owner refused: %v", seed, i, err)
				}
			case grant.SubsetOf(actor.Set.withImpliedScopes()): // all scope holds team
				if err != nil {
					t.Fatalf("seed %d #%d: subset refused: %v", seed, i, err)
				}
				accepted++
			default:
				if err == nil {
					t.Fatalf("seed %d #%d: %v granted %v beyond own %v", seed, i, in.Role, grant, actor.Set)
				}
				refused++
			}
		}
		if accepted < 100 || refused < 100 {
			t.Fatalf("seed %d: weak coverage: %d accepted, %d refused", seed, accepted, refused)
		}
	}
}
