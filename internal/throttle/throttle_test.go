package throttle

import (
	"sync"
	"testing"
	"time"
)

func TestLimiterWindow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := New(5, 15*time.Minute)
	l.SetClock(func() time.Time { return now })
	for i := 0; i < 5; i++ {
		if blocked, _ := l.Blocked("a"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("a")
	}
	blocked, wait := l.Blocked("a")
	if !blocked || wait != 15*time.Minute {
		t.Fatalf("after 5 failures: blocked=%v wait=%v", blocked, wait)
	}
	if b, _ := l.Blocked("b"); b {
		t.Fatal("another key is blocked")
	}
	now = now.Add(15*time.Minute + time.Second)
	if b, _ := l.Blocked("a"); b {
		t.Fatal("still blocked after the window")
	}
	l.Fail("a")
	l.Reset("a")
	if b, _ := l.Blocked("a"); b {
		t.Fatal("blocked after reset")
	}
}

// Take counts uses up to Max in the window, atomically; Give hands the
// latest one back; the window slides.
func TestTakeAndGive(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := New(3, time.Hour)
	l.SetClock(func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Take("u"); !ok {
			t.Fatalf("take %d refused", i+1)
		}
		now = now.Add(time.Minute)
	}
	ok, wait := l.Take("u")
	if ok || wait != 57*time.Minute {
		t.Fatalf("4th take: ok=%v wait=%v, want refused for 57m", ok, wait)
	}
	if ok, _ := l.Take("other"); !ok {
		t.Fatal("another key was limited")
	}
	l.Give("u")
	if ok, _ := l.Take("u"); !ok {
		t.Fatal("a use handed back could not be taken again")
	}
	if ok, _ := l.Take("u"); ok {
		t.Fatal("more than Max uses in the window")
	}
	now = now.Add(57 * time.Minute) // the first use leaves the window
	if ok, _ := l.Take("u"); !ok {
		t.Fatal("the window did not slide")
	}
	l.Give("nobody") // nothing to give back: no effect, no panic
}

// However many ask at once, at most Max get through.
func TestTakeIsAtomic(t *testing.T) {
	l := New(10, time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := l.Take("u"); ok {
				mu.Lock()
				got++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if got != 10 {
		t.Fatalf("%d takes succeeded, want 10", got)
	}
}
