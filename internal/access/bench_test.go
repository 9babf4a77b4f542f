package access

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// ARCHITECTURE.md, Performance: resolving a member in 20 groups, one check.
func BenchmarkResolve20Groups(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	in := Input{Role: RoleAgent, Products: AllProducts()}
	for i := range 20 {
		in.Groups = append(in.Groups, GroupGrant{Name: fmt.Sprint("g", i), Set: randomSet(r)})
	}
	b.ReportAllocs()
	var sink Effective
	for b.Loop() {
		sink = Resolve(in)
	}
	_ = sink
}

func BenchmarkExplain20Groups(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	in := Input{Role: RoleAgent, Products: AllProducts()}
	for i := range 20 {
		in.Groups = append(in.Groups, GroupGrant{Name: fmt.Sprint("g", i), Set: randomSet(r)})
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Explain(in)
	}
}

func BenchmarkCheck(b *testing.B) {
	e := Resolve(Input{Role: RoleAgent, Products: AllProducts()})
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if e.Can(ModuleID(i%numModules), Action(i%numActions)) {
			n++
		}
	}
	_ = n
}
