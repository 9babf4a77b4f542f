package access

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestMarshalJSONShape(t *testing.T) {
	s := set(t, "chats_create", "customers_edit", "customers_view", "chats_view", "dashboard_view", "+chats.canAssignToOthers")
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"dashboard":{"actions":["view"]},` +
		`"customers":{"actions":["view","edit"],"flags":{"canAccessAll":false,"canAccessTeam":false}},` +
		`"chats":{"actions":["view","create"],"flags":{"canAccessAll":false,"canAccessTeam":false,"canAssignToOthers":true}}}`
	if string(got) != want {
		t.Errorf("Marshal =\n%s\nwant\n%s", got, want)
	}
	// A module with only a true flag still appears (the flag is data, even if inert).
	only, _ := json.Marshal(set(t, "+crm.canAccessAll"))
	if string(only) != `{"crm":{"actions":[],"flags":{"canAccessAll":true,"canAccessTeam":false}}}` {
		t.Errorf("flag-only = %s", only)
	}
	empty, _ := json.Marshal(Set{})
	if string(empty) != `{}` {
		t.Errorf("empty = %s", empty)
	}
}

func TestJSONRoundTripAndDeterminism(t *testing.T) {
	sets := []Set{
		{}, FullSet(), RoleTemplate(RoleManager), RoleTemplate(RoleAgentLimited),
		set(t, "customers_edit", "+chats.canAccessAll"),
	}
	for _, g := range predefinedGroups {
		sets = append(sets, g.Set)
	}
	for _, s := range sets {
		a, _ := json.Marshal(s)
		b, _ := json.Marshal(s)
		if string(a) != string(b) {
			t.Fatalf("non-deterministic: %s vs %s", a, b)
		}
		var back Set
		if err := json.Unmarshal(a, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", a, err)
		}
		if back != s {
			t.Errorf("round trip of %v gave %v", s, back)
		}
		// Indented input decodes the same.
		var ind Set
		pretty, _ := json.MarshalIndent(s, "", "  ")
		if err := json.Unmarshal(pretty, &ind); err != nil || ind != s {
			t.Errorf("indented round trip: %v %v", ind, err)
		}
	}
}

// The import format embeds sets; custom: null must stay nil, {} must be set.
func TestJSONInStruct(t *testing.T) {
	type member struct {
		Custom *Set `json:"custom"`
	}
	var m member
	if err := json.Unmarshal([]byte(`{"custom":null}`), &m); err != nil || m.Custom != nil {
		t.Fatalf("null: %v %v", m.Custom, err)
	}
	if err := json.Unmarshal([]byte(`{"custom":{}}`), &m); err != nil || m.Custom == nil || !m.Custom.IsEmpty() {
		t.Fatalf("{}: %v %v", m.Custom, err)
	}
	out, _ := json.Marshal(member{Custom: &Set{}})
	if string(out) != `{"custom":{}}` {
		t.Errorf("marshal = %s", out)
	}
	err := json.Unmarshal([]byte(`{"custom":{"custmers":{}}}`), &m)
	var fe FieldError
	if !errors.As(err, &fe) || fe.Path != "custmers" {
		t.Errorf("error = %v", err)
	}
}

func TestDecodeSetErrors(t *testing.T) {
	const p = "groups[2].permissions"
	cases := []struct {
		name string
		in   string
		want []string // every error, in order
	}{
		{"unknown module", `{"custmers":{"actions":["view"]}}`,
			[]string{`groups[2].permissions.custmers: unknown module "custmers"`}},
		{"unknown action", `{"customers":{"actions":["view","veiw"]}}`,
			[]string{`groups[2].permissions.customers.actions[1]: unknown action "veiw"`}},
		{"action not offered", `{"dashboard":{"actions":["view","edit"]}}`,
			[]string{`groups[2].permissions.dashboard.actions[1]: module "dashboard" does not offer action "edit" (it offers view)`}},
		{"duplicate action", `{"customers":{"actions":["view","edit","view"]}}`,
			[]string{`groups[2].permissions.customers.actions[2]: duplicate action "view"`}},
		{"unknown flag", `{"customers":{"actions":["view"],"flags":{"canSeeAll":true}}}`,
			[]string{`groups[2].permissions.customers.flags.canSeeAll: unknown flag "canSeeAll" of module "customers" (it has canAccessAll, canAccessTeam)`}},
		{"flag on module without flags", `{"utm":{"flags":{"canAccessAll":true}}}`,
			[]string{`groups[2].permissions.utm.flags.canAccessAll: unknown flag "canAccessAll" of module "utm" (it has no flags)`}},
		{"flag not bool", `{"customers":{"flags":{"canAccessAll":"yes"}}}`,
			[]string{`groups[2].permissions.customers.flags.canAccessAll: expected true or false, got a string`}},
		{"duplicate flag", `{"customers":{"flags":{"canAccessAll":true,"canAccessAll":false}}}`,
			[]string{`groups[2].permissions.customers.flags.canAccessAll: duplicate flag "canAccessAll"`}},
		{"duplicate module", `{"customers":{"actions":["view"]},"customers":{"actions":["edit"]}}`,
			[]string{`groups[2].permissions.customers: duplicate module "customers"`}},
		{"unknown field", `{"customers":{"action":["view"]}}`,
			[]string{`groups[2].permissions.customers.action: unknown field "action" (expected "actions", "flags" or "fields")`}},
		{"actions not array", `{"customers":{"actions":"view"}}`,
			[]string{`groups[2].permissions.customers.actions: expected an array of actions, got a string`}},
		{"action not string", `{"customers":{"actions":[1,{"x":[2]},"view"]}}`,
			[]string{`groups[2].permissions.customers.actions[0]: expected an action name, got a number`,
				`groups[2].permissions.customers.actions[1]: expected an action name, got an object`}},
		{"module not object", `{"customers":["view"]}`,
			[]string{`groups[2].permissions.customers: expected an object with "actions" and "flags", got an array`}},
		{"top not object", `["customers_view"]`,
			[]string{`groups[2].permissions: expected an object of modules, got an array`}},
		{"null", `null`, []string{`groups[2].permissions: expected an object of modules, got null`}},
		{"syntax", `{"customers":{"actions":["view",]}}`, []string{"invalid JSON"}},
		{"truncated", `{"customers":{"actions":["view"`, []string{"groups[2].permissions.customers.actions[1]: unexpected end of JSON"}},
		{"trailing", `{} {}`, []string{`groups[2].permissions: unexpected data after the permission set`}},
		{"many at once",
			`{"custmers":{},"customers":{"actions":["veiw","view","view"],"flags":{"x":true}},"dashboard":{"actions":["delete"]},"audit":{"actions":["export"]}}`,
			[]string{
				`groups[2].permissions.custmers: unknown module "custmers"`,
				`groups[2].permissions.customers.actions[0]: unknown action "veiw"`,
				`groups[2].permissions.customers.actions[2]: duplicate action "view"`,
				`groups[2].permissions.customers.flags.x: unknown flag "x" of module "customers" (it has canAccessAll, canAccessTeam)`,
				`groups[2].permissions.dashboard.actions[0]: module "dashboard" does not offer action "delete" (it offers view)`,
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := DecodeSet([]byte(c.in), p)
			var got []string
			for _, e := range errs {
				var fe FieldError
				if !errors.As(e, &fe) {
					t.Errorf("%T is not a FieldError: %v", e, e)
				}
				got = append(got, e.Error())
			}
			if len(got) != len(c.want) {
				t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("error %d = %q, want %q", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestDecodeSetValidPartsAndTopLevelPath(t *testing.T) {
	s, errs := DecodeSet([]byte(`{"customers":{"actions":["view","edit"],"flags":{"canAccessAll":true}},"chats":{"actions":[],"flags":{}},"crm":{}}`), "")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if s != set(t, "customers_view", "customers_edit", "+customers.canAccessAll") {
		t.Errorf("got %v", s)
	}
	_, errs = DecodeSet([]byte(`{"nope":{}}`), "")
	if len(errs) != 1 || errs[0].Error() != `nope: unknown module "nope"` {
		t.Errorf("top-level path: %v", errs)
	}
	// Partial result keeps the valid parts.
	s, errs = DecodeSet([]byte(`{"nope":{},"dashboard":{"actions":["view"]}}`), "x")
	if len(errs) != 1 || !slices.Equal(s.Permissions(), []string{"dashboard_view"}) {
		t.Errorf("partial: %v %v", s, errs)
	}
}
