package cache

import (
	"sync"
	"testing"
)

func TestGetReturnsWhatWasPut(t *testing.T) {
	c := New[string, int](4, 1000, 0)
	if _, ok := c.Get("a", 1); ok {
		t.Fatal("an empty cache returned a value")
	}
	c.Put("a", 7, 10, 1)
	if v, ok := c.Get("a", 1e9); !ok || v != 7 {
		t.Fatalf("Get(a) = %d, %v; want 7, true (no age limit)", v, ok)
	}
	c.Put("a", 8, 20, 2) // replaces, and the budget counts the new size only
	if v, _ := c.Get("a", 2); v != 8 || c.Bytes() != 20 || c.Len() != 1 {
		t.Fatalf("after replacing: value %d, %d bytes, %d entries; want 8, 20, 1", v, c.Bytes(), c.Len())
	}
}

func TestBoundsHold(t *testing.T) {
	c := New[int, string](3, 100, 0)
	for i := range 10 {
		c.Put(i, "x", 10, 0)
		if c.Len() > 3 || c.Bytes() > 100 {
			t.Fatalf("after %d puts: %d entries, %d bytes; caps 3 and 100", i+1, c.Len(), c.Bytes())
		}
		if _, ok := c.Get(i, 0); !ok {
			t.Fatalf("the entry just put (%d) is gone", i)
		}
	}
	c = New[int, string](100, 100, 0)
	for i := range 10 {
		c.Put(i, "x", 12, 0)
		if c.Bytes() > 100 {
			t.Fatalf("after %d puts: %d bytes; budget 100", i+1, c.Bytes())
		}
	}
	c.Put(99, "huge", 13, 0) // over an eighth of the budget
	if _, ok := c.Get(99, 0); ok {
		t.Error("an entry over an eighth of the budget was kept")
	}
}

func TestMaxAge(t *testing.T) {
	c := New[string, int](4, 100, 60)
	c.Put("a", 1, 1, 1000)
	for _, tc := range []struct {
		now int64
		ok  bool
	}{{1000, true}, {1059, true}, {1060, false}, {999, false}} {
		if _, ok := c.Get("a", tc.now); ok != tc.ok {
			t.Errorf("filled at 1000, max age 60: Get at %d found %v, want %v", tc.now, ok, tc.ok)
		}
	}
}

// The one eviction policy: a full cache starts over, so after the flush
// only the new entry is there (older versions' entries are dead weight).
func TestFullCacheStartsOver(t *testing.T) {
	c := New[int, int](2, 1000, 0)
	c.Put(1, 1, 1, 0)
	c.Put(2, 2, 1, 0)
	c.Put(3, 3, 1, 0)
	if _, ok := c.Get(1, 0); ok || c.Len() != 1 {
		t.Fatalf("after a third put into two slots: %d entries, old entry kept %v; want 1, false", c.Len(), ok)
	}
}

// Readers and writers at once (run with -race): the bounds hold and every
// value read is one that was put under its key.
func TestConcurrentUse(t *testing.T) {
	c := New[int, int](50, 500, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := (i * (g + 1)) % 97
				if v, ok := c.Get(k, 0); ok && v != k*2 {
					t.Errorf("Get(%d) = %d; want %d", k, v, k*2)
					return
				}
				c.Put(k, k*2, 1+k%7, 0)
				if n, b := c.Len(), c.Bytes(); n > 50 || b > 500 {
					t.Errorf("%d entries, %d bytes; caps 50 and 500", n, b)
					return
				}
			}
		}()
	}
	wg.Wait()
}
