// Package throttle limits failed logins per account and per IP with a
// sliding window kept in memory (one process serves one database).
package throttle

import (
	"sync"
	"time"
)

// Limiter counts failures per key within Window and refuses once Max is reached.
type Limiter struct {
	Max    int
	Window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hits map[string][]time.Time
}

// New returns a limiter allowing max failures per window.
func New(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, now: time.Now, hits: map[string][]time.Time{}}
}

// SetClock replaces the clock (tests).
func (l *Limiter) SetClock(now func() time.Time) { l.now = now }

// Blocked reports whether key has used up its failures, and for how long.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.prune(key)
	if len(h) < l.Max {
		return false, 0
	}
	return true, h[0].Add(l.Window).Sub(l.now())
}

// Fail records one failure for key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[key] = append(l.prune(key), l.now())
	if len(l.hits) > 100_000 { // bound memory under a spray of random keys
		for k := range l.hits {
			l.prune(k)
		}
	}
}

// Reset forgets key's failures (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *Limiter) prune(key string) []time.Time {
	h := l.hits[key]
	cut := l.now().Add(-l.Window)
	i := 0
	for i < len(h) && !h[i].After(cut) {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}
