package password

import (
	"strings"
	"sync"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if !Check(h, "correct horse battery") {
		t.Fatal("right password rejected")
	}
	if Check(h, "correct horse batterY") {
		t.Fatal("wrong password accepted")
	}
	if Check("", "anything") || Check("$argon2id$garbage", "x") {
		t.Fatal("malformed hash accepted")
	}
	h2, _ := Hash("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestValidate(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                  false,
		"123456789":              false,
		"1234567890":             true,
		"ünïcödé-pässwörd":       true,
		strings.Repeat("a", 257): false,
	} {
		if err := Validate(pw); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

// A burst of logins runs at most one argon2id computation per core at a
// time (each holds 19 MiB), however many arrive together.
func TestConcurrentHashesAreBounded(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	hashesPeak.Store(0)
	var wg sync.WaitGroup
	for range 4 * cap(hashSlots) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !Check(h, "correct horse battery") {
				t.Error("right password rejected")
			}
		}()
	}
	wg.Wait()
	if peak := hashesPeak.Load(); peak < 1 || int(peak) > cap(hashSlots) {
		t.Errorf("peak concurrent hashes %d, want 1..%d", peak, cap(hashSlots))
	}
}

// A stored hash asking for an absurd cost is refused, not computed.
func TestHashCostIsBounded(t *testing.T) {
	for _, h := range []string{
		"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=19456,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=0,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
	} {
		if ok, err := check(h, "x"); ok || err != errMalformed {
			t.Errorf("check(%q) = %v, %v; want refused as malformed", h, ok, err)
		}
	}
}
