package gcfloor

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live, roots, floor uint64
		want               int
	}{
		{live: 2 * mb, roots: 0, floor: 12 * mb, want: 500},        // goal 2 + 2×5 = 12
		{live: 2 * mb, roots: 2 * mb, floor: 12 * mb, want: 250},   // roots count towards the goal
		{live: 6 * mb, roots: 1 * mb, floor: 12 * mb, want: 100},   // 2 × live reaches the floor
		{live: 40 * mb, roots: 1 * mb, floor: 12 * mb, want: 100},  // far above: plain GOGC=100
		{live: 11 * mb, roots: 10 * mb, floor: 12 * mb, want: 100}, // never below the default
		{live: 1024, roots: 0, floor: 12 * mb, want: 2000},         // capped
		{live: 0, roots: 0, floor: 12 * mb, want: 100},             // nothing measured yet
	} {
		if got := Percent(tc.live, tc.roots, tc.floor); got != tc.want {
			t.Errorf("Percent(%d, %d, %d) = %d, want %d", tc.live, tc.roots, tc.floor, got, tc.want)
		}
	}
}

// TestStartRaisesGOGC: with a small live heap and a large floor, the
// tuner raises GOGC after a collection, and it keeps doing so after the
// next ones (the finalizer re-arms itself).
func TestStartRaisesGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(256 << 20)
	for cycle := range 3 {
		debug.SetGCPercent(100) // what the tuner must undo
		deadline := time.Now().Add(5 * time.Second)
		for {
			runtime.GC()
			time.Sleep(time.Millisecond) // the finalizer runs on its own goroutine
			p := debug.SetGCPercent(100)
			if p > 100 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("cycle %d: GOGC still %d after collections; want it raised above 100", cycle, p)
			}
		}
	}
}
