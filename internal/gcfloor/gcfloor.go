// Package gcfloor keeps the garbage collector from running on a tiny heap.
//
// With GOGC=100 the next collection is due when the heap has doubled. A
// Gatehouse server under load keeps only 2–4 MB live, so it collected every
// 2 MB of garbage: about thirty times a second at 2,500 pages a second. Each
// cycle scans every goroutine's stack and shrinks the idle ones, which then
// grow again on their next request. Profiles put that at a fifth of a page's
// CPU. A floor under the heap goal (collect at max(2 × live, floor)) spaces
// the cycles out and costs at most the floor in memory; above it, GOGC=100
// behaviour is unchanged and the soft memory limit still caps the total.
package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Percent is the GOGC value that puts the next heap goal near
// max(2 × live, floor): 100 (the default) when that is 2 × live, more
// below, never above maxPercent. The runtime's goal is
// live + (live + roots) × GOGC/100, where roots are the goroutine stacks
// and globals it scans.
func Percent(live, roots, floor uint64) int {
	const maxPercent = 2000
	if live == 0 || 2*live >= floor {
		return 100
	}
	p := int((floor - live) * 100 / (live + roots))
	return min(max(p, 100), maxPercent)
}

// Start adjusts GOGC after every collection for the rest of the process.
// It may be called once; later calls do nothing.
func Start(floor uint64) {
	once.Do(func() {
		t := &tuner{floor: floor, sample: []metrics.Sample{
			{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
		t.adjust()
		t.arm()
	})
}

var once sync.Once

type tuner struct {
	floor  uint64
	sample []metrics.Sample
}

// sentinel carries a pointer so it is never tiny-allocated (a finalizer
// on a tiny object may never run).
type sentinel struct{ t *tuner }

// arm drops a sentinel whose finalizer runs after the next collection;
// the finalizer adjusts GOGC and arms the next one.
func (t *tuner) arm() {
	runtime.SetFinalizer(&sentinel{t: t}, func(s *sentinel) {
		s.t.adjust()
		s.t.arm()
	})
}

func (t *tuner) adjust() {
	metrics.Read(t.sample)
	var v [3]uint64
	for i, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return // not in this runtime: leave GOGC alone
		}
		v[i] = s.Value.Uint64()
	}
	debug.SetGCPercent(Percent(v[0], v[1]+v[2], t.floor)) // cheap: once per cycle
}
