package access

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzDecodeSet: no panic; every error is a FieldError under the given path;
// a clean decode re-encodes to a document that decodes to the same set.
func FuzzDecodeSet(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, `[]`, `""`, `{"customers":{"actions":["view","edit"],"flags":{"canAccessAll":false}}}`,
		`{"chats":{"actions":["view","create"],"flags":{"canAssignToOthers":true}}}`,
		`{"custmers":{}}`, `{"dashboard":{"actions":["edit"]}}`, `{"customers":{"actions":["view","view"]}}`,
		`{"customers":{"flags":{"x":1}}}`, `{"customers":{"actions":[1,[],{}]}}`, `{"a":`, `{"customers":{}} x`,
		`{"customers":{"actions":null,"flags":null}}`, `{"customers":{"actions":["view"],"actions":[]}}`,
	} {
		f.Add([]byte(seed))
	}
	full, _ := json.Marshal(FullSet())
	f.Add(full)
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, errs := DecodeSet(raw, "p")
		for _, e := range errs {
			var fe FieldError
			if !errors.As(e, &fe) || !strings.HasPrefix(fe.Path, "p") || fe.Message == "" {
				t.Fatalf("bad error %T %v", e, e)
			}
		}
		if s.RestrictTo(AllProducts()) != s || s.Minus(FullSet()) != (Set{}) {
			t.Fatalf("decoded set holds bits outside the catalog: %+v", s)
		}
		if len(errs) > 0 {
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		again, errs := DecodeSet(out, "")
		if len(errs) > 0 || again != s {
			t.Fatalf("re-decode of %s: %v %v", out, again, errs)
		}
	})
}

// FuzzParsePermission: no panic; a name that parses is exactly its canonical
// form, and a failure says which name was wrong.
func FuzzParsePermission(f *testing.F) {
	for _, seed := range []string{"customers_view", "bulk_messages_export", "dashboard_edit", "_", "", "a_b_c", "customers_", "_view", "service_teams_delete", "ümlaut_view"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m, a, err := ParsePermission(name)
		if err != nil {
			if !strings.Contains(err.Error(), "invalid permission") {
				t.Fatalf("unhelpful error: %v", err)
			}
			return
		}
		if PermissionName(m, a) != name || !ModuleOf(m).Offers(a) {
			t.Fatalf("%q parsed to %v %v", name, m, a)
		}
	})
}
