package throttle

import (
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
