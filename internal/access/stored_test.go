package access

import (
	"encoding/json"
	"testing"
)

// The fast decoder agrees with the strict one on every stored form and
// refuses (so the caller falls back) anything that is not exactly that form.
func TestDecodeStoredMatchesStrict(t *testing.T) {
	sets := []Set{{}, FullSet()}
	for _, g := range PredefinedGroups(AllProducts()) {
		sets = append(sets, g.Set)
	}
	for i, s := range sets {
		enc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := DecodeStored(string(enc))
		if !ok || got != s {
			t.Errorf("set %d: DecodeStored(%s) = %v, %v; want the set back", i, enc, got, ok)
		}
	}
	for _, raw := range []string{
		``, `{`, `{} `, ` {}`, `null`,
		`{"customers":{"actions":["view","view"],"flags":{"canAccessAll":false}}}`,
		`{"customers":{"actions":[],"flags":{"canAccessAll":false}}}`,
		`{"nope":{"actions":["view"]}}`,
		`{"customers":{"actions":["vi\u0065w"],"flags":{"canAccessAll":false}}}`,
		`{"customers": {"actions":["view"],"flags":{"canAccessAll":false}}}`,
	} {
		if s, ok := DecodeStored(raw); ok {
			t.Errorf("DecodeStored(%q) = %v, true; want a refusal", raw, s)
		}
	}
}

func BenchmarkDecodeStored(b *testing.B) {
	enc, _ := json.Marshal(FullSet())
	raw := string(enc)
	b.Run("fast", func(b *testing.B) {
		for range b.N {
			if _, ok := DecodeStored(raw); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("strict", func(b *testing.B) {
		for range b.N {
			if _, errs := DecodeSet(enc, ""); errs != nil {
				b.Fatal(errs)
			}
		}
	})
}
