package main

import (
	"math"
	"math/bits"
	"time"
)

// Hist is a log-linear latency histogram in microseconds (HDR-like): values
// below 128 µs are exact; above, each power of two is split into 64 buckets,
// so any recorded value is reported within 1/64 (1.6%) of itself. Memory is
// fixed (a few thousand counters) however long the run.
type Hist struct {
	counts   [histBuckets]int64
	n        int64
	sum      int64 // µs
	min, max int64 // µs, exact
}

const (
	histSubBits = 7                      // 128 exact buckets, then 64 per power of two
	histHalf    = 1 << (histSubBits - 1) // 64
	histMaxExp  = 40                     // 2^40 µs ≈ 12.7 days: far beyond any timeout
	histBuckets = 1<<histSubBits + (histMaxExp-histSubBits)*histHalf
)

// bucketOf maps a value (µs) to its bucket index.
func bucketOf(v int64) int {
	if v < 0 {
		v = 0
	}
	if v < 1<<histSubBits {
		return int(v)
	}
	n := bits.Len64(uint64(v)) // ≥ 8
	shift := n - histSubBits   // ≥ 1
	if n > histMaxExp {
		return histBuckets - 1
	}
	top := v >> shift // in [64, 127]
	return 1<<histSubBits + (shift-1)*histHalf + int(top-histHalf)
}

// bucketRange is the smallest and largest value of bucket i.
func bucketRange(i int) (lo, hi int64) {
	if i < 1<<histSubBits {
		return int64(i), int64(i)
	}
	j := i - 1<<histSubBits
	shift := j/histHalf + 1
	top := int64(j%histHalf + histHalf)
	return top << shift, (top+1)<<shift - 1
}

// Record adds one latency.
func (h *Hist) Record(d time.Duration) { h.RecordMicros(d.Microseconds()) }

// RecordMicros adds one value in microseconds.
func (h *Hist) RecordMicros(v int64) {
	if v < 0 {
		v = 0
	}
	h.counts[bucketOf(v)]++
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += v
}

// Merge adds o's values to h.
func (h *Hist) Merge(o *Hist) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// Count is the number of values recorded.
func (h *Hist) Count() int64 { return h.n }

// Mean is the average in microseconds (0 when empty).
func (h *Hist) Mean() float64 {
	if h.n == 0 {
		return 0
	}
	return float64(h.sum) / float64(h.n)
}

// Percentile returns the value (µs) at or below which p percent of the
// values fall (nearest rank), reported as the middle of its bucket and
// clamped to the exact min and max (which p0 and p100 return). 0 when empty.
func (h *Hist) Percentile(p float64) int64 {
	if h.n == 0 {
		return 0
	}
	p = math.Max(0, math.Min(100, p))
	rank := int64(math.Ceil(p / 100 * float64(h.n)))
	switch {
	case rank <= 1:
		return h.min // the extremes are kept exactly
	case rank >= h.n:
		return h.max
	}
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			lo, hi := bucketRange(i)
			v := lo + (hi-lo)/2
			return max(h.min, min(h.max, v))
		}
	}
	return h.max
}

// Duration is a percentile as a time.Duration.
func (h *Hist) Duration(p float64) time.Duration {
	return time.Duration(h.Percentile(p)) * time.Microsecond
}
