package password

import (
	"strings"
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
