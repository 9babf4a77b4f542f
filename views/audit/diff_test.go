package audit

import (
	"encoding/json"
	"reflect"
	"testing"

	"gatehouse/internal/access"
)

func setJSON(t *testing.T, build func(s *access.Set)) string {
	t.Helper()
	var s access.Set
	build(&s)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDiffPermissionSets(t *testing.T) {
	before := setJSON(t, func(s *access.Set) {
		s.Grant(access.ModCustomers, access.View)
		s.Grant(access.ModCustomers, access.Delete)
		s.SetFlag(access.FlagChatsCanAccessAll, true)
		s.Grant(access.ModChats, access.View)
	})
	after := setJSON(t, func(s *access.Set) {
		s.Grant(access.ModCustomers, access.View)
		s.Grant(access.ModCustomers, access.Edit)
		s.Grant(access.ModChats, access.View)
		s.SetFlag(access.FlagCustomersCanAccessAll, true)
	})
	got := Diff(before, after)
	want := []Change{{Field: "Permissions",
		Added:   []string{"Customers: edit", "See all customers"},
		Removed: []string{"Customers: delete", "See all conversations"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := Diff(before, before); len(got) != 0 {
		t.Errorf("same set: %+v", got)
	}
}

func TestDiffObjects(t *testing.T) {
	cases := []struct {
		name          string
		before, after string
		want          []Change
	}{
		{"role", `{"role":"agent"}`, `{"role":"manager"}`, []Change{{Field: "Role", Old: "agent", New: "manager"}}},
		{"unchanged fields left out", `{"role":"agent","status":"active"}`, `{"role":"agent","status":"suspended"}`,
			[]Change{{Field: "Status", Old: "active", New: "suspended"}}},
		{"groups list", `{"groups":["A","B"]}`, `{"groups":["B","C"]}`, []Change{{Field: "Groups", Added: []string{"C"}, Removed: []string{"A"}}}},
		{"custom turned on", `{"custom":null}`, `{"custom":{"dashboard":{"actions":["view"]}}}`,
			[]Change{{Field: "Individual permissions", Old: "not set (inherited)", New: "set", Added: []string{"Dashboard: view"}}}},
		{"custom turned on, empty", `{"custom":null}`, `{"custom":{}}`,
			[]Change{{Field: "Individual permissions", Old: "not set (inherited)", New: "set"}}},
		{"custom cleared", `{"custom":{"dashboard":{"actions":["view"]}}}`, `{"custom":null}`,
			[]Change{{Field: "Individual permissions", Old: "set", New: "not set (inherited)", Removed: []string{"Dashboard: view"}}}},
		{"creation", ``, `{"name":"Acme","seats":25}`, []Change{{Field: "Name", Old: "—", New: "Acme"}, {Field: "Seats", Old: "—", New: "25"}}},
		{"deletion", `{"name":"Night"}`, ``, []Change{{Field: "Name", Old: "Night", New: "—"}}},
		{"nested", `{"group":{"name":"A","permissions":{}}}`, `{"group":{"name":"B","permissions":{"utm":{"actions":["view"]}}}}`,
			[]Change{{Field: "Group › Name", Old: "A", New: "B"}, {Field: "Group › Permissions", Added: []string{"UTM tracking: view"}}}},
		{"bools and numbers", `{"seats":10,"predefined":true}`, `{"seats":12,"predefined":false}`,
			[]Change{{Field: "Predefined", Old: "yes", New: "no"}, {Field: "Seats", Old: "10", New: "12"}}},
		{"not JSON", `old text`, `new text`, []Change{{Old: "old text", New: "new text"}}},
		{"both empty", ``, ``, nil},
		{"empty set created", ``, `{}`, nil},
		{"products list", `{"products":["crm"]}`, `{"products":["crm","inbox"]}`, []Change{{Field: "Products", Added: []string{"inbox"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Diff(tc.before, tc.after); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestActionLabel(t *testing.T) {
	for in, want := range map[string]string{
		"group.member_add": "Group: member add",
		"member.role":      "Member: role",
		"org.create":       "Org: create",
		"login":            "Login",
		"":                 "",
	} {
		if got := ActionLabel(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestActionOptionsKeepUnknownAction(t *testing.T) {
	p := Props{Actions: []string{"group.update", "member.role"}, Filter: Filter{Action: "invite."}}
	var vals []string
	for _, o := range p.actionOptions() {
		vals = append(vals, o.Value)
	}
	want := []string{"group.", "member.", "group.update", "member.role", "invite."}
	if !reflect.DeepEqual(vals, want) {
		t.Errorf("options %v, want %v", vals, want)
	}
}

// DiffHiding lists a hidden field's change without its values, and the
// others as Diff does; what is not an object is redacted whole (null is nothing).
func TestDiffHiding(t *testing.T) {
	hidden := func(k string) bool { return k == "internal_notes" }
	got := DiffHiding(`{"internal_notes":"old secret","name":"A"}`, `{"internal_notes":"new secret","name":"B"}`, hidden)
	if len(got) != 2 || got[0].Field != "Internal notes" || !got[0].Redacted || got[0].Old != "" || got[0].New != "" || got[1].Field != "Name" || got[1].Old != "A" || got[1].New != "B" {
		t.Errorf("update: %+v", got)
	}
	if got := DiffHiding(``, `{"internal_notes":"secret"}`, hidden); len(got) != 1 || !got[0].Redacted || got[0].New != "" {
		t.Errorf("create: %+v", got)
	}
	if got := DiffHiding(`{"internal_notes":"same"}`, `{"internal_notes":"same"}`, hidden); len(got) != 0 {
		t.Errorf("unchanged: %+v", got)
	}
	if got := DiffHiding(`"secret"`, ``, hidden); len(got) != 1 || !got[0].Redacted || got[0].Old != "" {
		t.Errorf("not an object: %+v", got)
	}
	// null (a deletion's after) is nothing, not a value to redact whole.
	if got := DiffHiding(`{"internal_notes":"secret","name":"A"}`, `null`, hidden); len(got) != 2 || !got[0].Redacted || got[0].Old != "" || got[1].Old != "A" {
		t.Errorf("deleted: %+v", got)
	}
}
