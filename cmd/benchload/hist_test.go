package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// exactPercentile is the nearest-rank percentile of sorted values.
func exactPercentile(sorted []int64, p float64) int64 {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

func TestBucketsRoundTrip(t *testing.T) {
	// Every value falls in the bucket whose range contains it, buckets are
	// contiguous and ordered, and a bucket is at most 1/64 of its values wide.
	prevHi := int64(-1)
	for i := 0; i < histBuckets; i++ {
		lo, hi := bucketRange(i)
		if lo != prevHi+1 {
			t.Fatalf("bucket %d starts at %d, previous ended at %d", i, lo, prevHi)
		}
		if lo >= 128 && float64(hi-lo+1) > float64(lo)/64+1e-9 {
			t.Fatalf("bucket %d [%d,%d] is wider than 1/64 of its start", i, lo, hi)
		}
		for _, v := range []int64{lo, hi, lo + (hi-lo)/2} {
			if got := bucketOf(v); got != i {
				t.Fatalf("bucketOf(%d) = %d, want %d", v, got, i)
			}
		}
		prevHi = hi
	}
	if bucketOf(1<<50) != histBuckets-1 || bucketOf(-5) != 0 {
		t.Fatal("out-of-range values are not clamped to the end buckets")
	}
}

func TestPercentilesExactBelow128(t *testing.T) {
	var h Hist
	for v := int64(1); v <= 100; v++ {
		h.RecordMicros(v)
	}
	for p, want := range map[float64]int64{0: 1, 1: 1, 50: 50, 90: 90, 99: 99, 99.9: 100, 100: 100} {
		if got := h.Percentile(p); got != want {
			t.Errorf("p%v = %d, want %d", p, got, want)
		}
	}
	if h.Count() != 100 || h.Mean() != 50.5 {
		t.Errorf("count %d mean %v", h.Count(), h.Mean())
	}
}

func TestPercentilesWithinBucketError(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Hist
	vals := make([]int64, 200_000)
	for i := range vals {
		// A latency-like long tail: mostly 1–5 ms, some up to a second.
		v := int64(rng.ExpFloat64()*2000) + 300
		if rng.IntN(100) == 0 {
			v = rng.Int64N(1_000_000) + 1
		}
		vals[i] = v
		h.Record(time.Duration(v) * time.Microsecond)
	}
	slices.Sort(vals)
	for _, p := range []float64{1, 10, 50, 75, 90, 99, 99.9, 99.99} {
		want, got := exactPercentile(vals, p), h.Percentile(p)
		if rel := math.Abs(float64(got-want)) / float64(want); rel > 1.0/64 {
			t.Errorf("p%v = %d, exact %d: off by %.2f%%", p, got, want, rel*100)
		}
	}
	if h.Percentile(0) != vals[0] || h.Percentile(100) != vals[len(vals)-1] {
		t.Errorf("p0/p100 = %d/%d, want exact min/max %d/%d", h.Percentile(0), h.Percentile(100), vals[0], vals[len(vals)-1])
	}
}

func TestMergeEqualsSingle(t *testing.T) {
	var a, b, all Hist
	for v := int64(0); v < 5000; v += 7 {
		all.RecordMicros(v)
		if v%2 == 0 {
			a.RecordMicros(v)
		} else {
			b.RecordMicros(v)
		}
	}
	var m Hist
	m.Merge(&a)
	m.Merge(&b)
	m.Merge(&Hist{}) // merging an empty histogram changes nothing
	if m.Count() != all.Count() || m.min != all.min || m.max != all.max || m.sum != all.sum {
		t.Fatalf("merged %d/%d/%d/%d, single %d/%d/%d/%d", m.Count(), m.min, m.max, m.sum, all.Count(), all.min, all.max, all.sum)
	}
	for _, p := range []float64{0, 25, 50, 99, 100} {
		if m.Percentile(p) != all.Percentile(p) {
			t.Errorf("p%v merged %d, single %d", p, m.Percentile(p), all.Percentile(p))
		}
	}
}

func TestEmptyHist(t *testing.T) {
	var h Hist
	if h.Percentile(50) != 0 || h.Mean() != 0 || h.Count() != 0 {
		t.Error("an empty histogram reports values")
	}
	h.RecordMicros(1_000_000)
	if h.Percentile(50) != 1_000_000 || h.Duration(99) != time.Second {
		t.Errorf("a single value is not reported exactly (clamped to min/max): %d", h.Percentile(50))
	}
}

func TestRegressionSlope(t *testing.T) {
	xs := []float64{0, 10, 20, 30, 40}
	ys := []float64{50, 52, 54, 56, 58} // 0.2 per unit
	if s := slope(xs, ys); math.Abs(s-0.2) > 1e-9 {
		t.Errorf("slope = %v, want 0.2", s)
	}
	if s := slope([]float64{1}, []float64{3}); s != 0 {
		t.Errorf("slope of one point = %v, want 0", s)
	}
	if s := slope([]float64{0, 1, 2, 3}, []float64{10, 10, 10, 10}); s != 0 {
		t.Errorf("flat slope = %v", s)
	}
}
