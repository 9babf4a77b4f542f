package names

import (
	"strings"
	"testing"
)

func TestFoldOrgName(t *testing.T) {
	same := [][2]string{{"ACME  Ltd", "Acme Ltd"}, {"Acmé Ltd", "acme ltd"}, {" Ümlaut\tGmbH ", "umlautgmbh"}}
	for _, p := range same {
		if FoldOrgName(p[0]) != FoldOrgName(p[1]) {
			t.Errorf("%q and %q should fold alike: %q vs %q", p[0], p[1], FoldOrgName(p[0]), FoldOrgName(p[1]))
		}
	}
	if FoldOrgName("Acme Ltd") == FoldOrgName("Acme Inc") {
		t.Error("different names fold alike")
	}
}

func TestHiddenCharacter(t *testing.T) {
	for _, bad := range []string{"Ad\u200bmin", "Alice\u202Egnp.exe", "\ufeffBob", "A\u2066B\u2069", "x\u2060y", "a\u200fb",
		"a\u202ab", "a\u2064b", "a\u00adb", "tag\U000E0041", "a\u2028b", "a\u3164b"} {
		msg := HiddenCharacter(bad)
		if msg == "" || !strings.Contains(msg, "U+") || !strings.Contains(msg, "invisible character") {
			t.Errorf("HiddenCharacter(%q) = %q", bad, msg)
		}
	}
	if msg := HiddenCharacter("Alice\u202Egnp"); !strings.Contains(msg, "U+202E (right-to-left override)") {
		t.Errorf("message does not name the character: %q", msg)
	}
	for _, good := range []string{"Zoë Ångström", "O'Brien-Smith", "李小龍", "محمد", "Acme Ltd. & Co", "👍"} {
		if msg := HiddenCharacter(good); msg != "" {
			t.Errorf("HiddenCharacter(%q) = %q, want none", good, msg)
		}
	}
}
