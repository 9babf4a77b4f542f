// Package throttle limits failed logins per account and per IP, and what an
// account may create per hour, with a sliding window kept in memory (one
// process serves one database).
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

// Take counts one use of key if key has uses left, atomically (two
// requests at once cannot both take the last one), or says how long until
// one frees. For limits on successes (things created), not failures: a use
// whose work then fails is handed back with Give.
func (l *Limiter) Take(key string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.prune(key)
	if len(h) >= l.Max {
		return false, h[0].Add(l.Window).Sub(l.now())
	}
	l.hits[key] = append(h, l.now())
	return true, 0
}

// Give hands back the latest use of key (its work failed).
func (l *Limiter) Give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.prune(key)
	if len(h) == 0 {
		return
	}
	if h = h[:len(h)-1]; len(h) == 0 {
		delete(l.hits, key)
	} else {
		l.hits[key] = h
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
