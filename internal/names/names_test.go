package names

import "testing"

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
