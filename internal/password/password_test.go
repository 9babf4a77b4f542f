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
	for pw, want := range map[string]error{
		"short":                  ErrTooShort,
		"123456789":              ErrTooShort,
		"aaaaaaaaa":              ErrTooShort,
		"aaaaaaaaaa":             ErrRepeated,
		"ääääääääääää":           ErrRepeated,
		"          ":             ErrRepeated,
		"1234567890":             ErrCommon, // on the list
		"qwertyuiop":             ErrCommon,
		"Basketball":             ErrCommon, // the list is matched whatever the case
		"QWERTYUIOP":             ErrCommon,
		"1234567891":             nil,
		"aaaaaaaaab":             nil, // two characters: the list and the length decide
		"ünïcödé-pässwörd":       nil,
		"correct horse battery":  nil,
		strings.Repeat("a", 257): ErrTooLong,
	} {
		if err := Validate(pw); err != want {
			t.Errorf("Validate(%q) = %v, want %v", pw, err, want)
		}
	}
}

// Each rule has its own message, so the form says which one failed.
func TestValidateMessagesNameTheRule(t *testing.T) {
	for err, words := range map[error]string{
		ErrTooShort: "at least 10 characters", ErrTooLong: "at most 256",
		ErrRepeated: "repeat one character", ErrCommon: "most common passwords",
	} {
		if !strings.Contains(err.Error(), words) {
			t.Errorf("message %q does not say %q", err, words)
		}
	}
}

// The bundled list is the whole 10,000, and every entry is refused.
func TestCommonListIsBundled(t *testing.T) {
	if n := CommonCount(); n != 10_000 {
		t.Fatalf("bundled list has %d passwords, want 10,000", n)
	}
	for _, pw := range strings.Split(strings.TrimSpace(commonList), "\n") {
		if !IsCommon(pw) || !IsCommon(strings.ToUpper(pw)) {
			t.Fatalf("%q is on the list but not found", pw)
		}
	}
	if IsCommon("gatehouse-is-not-on-any-list") {
		t.Fatal("an uncommon password was called common")
	}
}

// A check against no hash (an imported account without a password) or a
// malformed one fails and still runs one argon2id derivation, like a real
// check does: the cost, not a stopwatch, is what is compared.
func TestCheckWithoutHashStillDerives(t *testing.T) {
	dummyHash() // computed once, on first use: not part of what is counted
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for _, hash := range []string{"", "$argon2id$garbage", h} {
		before := Derivations()
		if Check(hash, "wrong password here") {
			t.Fatalf("Check(%q) accepted a wrong password", hash)
		}
		if got := Derivations() - before; got != 1 {
			t.Errorf("Check(%q): %d argon2id derivations, want 1", hash, got)
		}
	}
	before := Derivations()
	Equalize("anything at all")
	if got := Derivations() - before; got != 1 {
		t.Errorf("Equalize: %d derivations, want 1", got)
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
