package access

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// lv states field levels on a set: "tax_id=read", … (customers' fields).
func lv(t *testing.T, s Set, stated ...string) Set {
	t.Helper()
	for _, kv := range stated {
		k, v, _ := strings.Cut(kv, "=")
		l, ok := ParseLevel(v)
		if !ok || !s.SetFieldLevel(ModCustomers, k, l) {
			t.Fatalf("bad field level %q", kv)
		}
	}
	return s
}

// levels is the member's level on every customers field, "name=edit …".
func levels(e Effective) string {
	var out []string
	for _, f := range e.Fields(ModCustomers) {
		out = append(out, f.Field.Key+"="+f.Level.String())
	}
	return strings.Join(out, " ")
}

func TestCustomersDeclaresFields(t *testing.T) {
	m := MustModule("customers")
	var keys, sensitive []string
	for _, f := range Modules()[m].Fields {
		keys = append(keys, f.Key)
		if f.Sensitive {
			sensitive = append(sensitive, f.Key)
		}
		if f.FullKey != "customers."+f.Key || f.Label == "" || f.Module != m {
			t.Errorf("field %+v", f)
		}
	}
	if !slices.Equal(keys, []string{"name", "email", "phone", "company", "notes", "tax_id", "credit_limit", "internal_notes"}) {
		t.Errorf("fields %v", keys)
	}
	if !slices.Equal(sensitive, []string{"tax_id", "credit_limit", "internal_notes"}) {
		t.Errorf("sensitive %v", sensitive)
	}
	if len(Modules()[MustModule("crm")].Fields) != 0 {
		t.Error("crm declares no fields")
	}
}

func TestLevelParse(t *testing.T) {
	for _, l := range []Level{LevelHidden, LevelRead, LevelEdit} {
		if got, ok := ParseLevel(l.String()); !ok || got != l {
			t.Errorf("%v does not round trip", l)
		}
	}
	for _, bad := range []string{"", "Edit", "write", "none"} {
		if _, ok := ParseLevel(bad); ok {
			t.Errorf("ParseLevel(%q) accepted", bad)
		}
	}
	if !(LevelHidden < LevelRead && LevelRead < LevelEdit) {
		t.Error("hidden < read < edit")
	}
}

func TestFieldResolution(t *testing.T) {
	const (
		defaults    = "name=edit email=edit phone=edit company=edit notes=edit tax_id=hidden credit_limit=hidden internal_notes=hidden"
		allEdit     = "name=edit email=edit phone=edit company=edit notes=edit tax_id=edit credit_limit=edit internal_notes=edit"
		allRead     = "name=read email=read phone=read company=read notes=read tax_id=read credit_limit=read internal_notes=read"
		viewOnlyDef = "name=read email=read phone=read company=read notes=read tax_id=hidden credit_limit=hidden internal_notes=hidden"
	)
	viewEdit := set(t, "customers_view", "customers_edit")
	view := set(t, "customers_view")
	custom := func(s Set) *Set { return &s }
	cases := []struct {
		name string
		in   Input
		want string
	}{
		{"owner edits everything", Input{Role: RoleOwner, Custom: custom(lv(t, view, "tax_id=hidden"))}, allEdit},
		{"custom defaults", Input{Role: RoleAgent, Custom: custom(viewEdit)}, defaults},
		{"custom without edit caps at read", Input{Role: RoleAgent, Custom: custom(lv(t, view, "tax_id=edit", "name=hidden"))},
			"name=hidden email=read phone=read company=read notes=read tax_id=read credit_limit=hidden internal_notes=hidden"},
		{"custom is exact, even below a group", Input{Role: RoleAgent, Custom: custom(lv(t, viewEdit, "name=hidden", "tax_id=read")),
			Groups: []GroupGrant{{"A", withAllFields(viewEdit, LevelEdit)}}},
			"name=hidden email=edit phone=edit company=edit notes=edit tax_id=read credit_limit=hidden internal_notes=hidden"},
		{"group alone", Input{Role: RoleAgent, Groups: []GroupGrant{{"A", lv(t, viewEdit, "tax_id=read", "notes=read")}}},
			"name=edit email=edit phone=edit company=edit notes=read tax_id=read credit_limit=hidden internal_notes=hidden"},
		{"groups: most open per field", Input{Role: RoleAgent, Groups: []GroupGrant{
			{"A", lv(t, viewEdit, "tax_id=read", "name=hidden")},
			{"B", lv(t, view, "internal_notes=edit", "tax_id=hidden")},
		}}, "name=read email=edit phone=edit company=edit notes=edit tax_id=read credit_limit=hidden internal_notes=read"},
		{"each group capped alone, not by the union's edit", Input{Role: RoleAgent, Groups: []GroupGrant{
			{"A", viewEdit}, {"B", lv(t, view, "tax_id=edit")},
		}}, "name=edit email=edit phone=edit company=edit notes=edit tax_id=read credit_limit=hidden internal_notes=hidden"},
		{"template admin", Input{Role: RoleAdmin}, allEdit},
		{"template manager", Input{Role: RoleManager}, allEdit},
		{"template financial", Input{Role: RoleFinancial}, allRead},
		{"template agent", Input{Role: RoleAgent}, defaults},
		{"template sales", Input{Role: RoleSales}, defaults},
		{"template guest-like view only", Input{Role: RoleAgent, Groups: []GroupGrant{{"Guest", mustGroup(t, "guest")}}}, viewOnlyDef},
		{"predefined Admin group", Input{Role: RoleAgent, Groups: []GroupGrant{{"Admin", mustGroup(t, "admin")}}}, allEdit},
		{"predefined User group", Input{Role: RoleAgent, Groups: []GroupGrant{{"User", mustGroup(t, "user")}}}, defaults},
		{"no customers access: all hidden", Input{Role: RoleAgent, Custom: custom(withAllFields(set(t, "dashboard_view"), LevelEdit))},
			"name=hidden email=hidden phone=hidden company=hidden notes=hidden tax_id=hidden credit_limit=hidden internal_notes=hidden"},
		{"suspended: all hidden", Input{Role: RoleOwner, Suspended: true},
			"name=hidden email=hidden phone=hidden company=hidden notes=hidden tax_id=hidden credit_limit=hidden internal_notes=hidden"},
	}
	for _, c := range cases {
		c.in.Products = AllProducts()
		if got := levels(Resolve(c.in)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	if l := Resolve(Input{Role: RoleOwner, Products: AllProducts()}).FieldLevel(ModCustomers, "nope"); l != LevelHidden {
		t.Errorf("unknown field = %v, want hidden", l)
	}
}

func mustGroup(t *testing.T, key string) Set {
	t.Helper()
	g, ok := PredefinedGroup(key)
	if !ok {
		t.Fatal(key)
	}
	return g.Set
}

func TestFieldAntiEscalation(t *testing.T) {
	viewEdit := set(t, "customers_view", "customers_edit")
	actor := Resolve(Input{Role: RoleAgent, Products: AllProducts(),
		Custom: func() *Set { s := lv(t, viewEdit, "tax_id=read"); return &s }()})
	cases := []struct {
		name  string
		grant Set
		bad   string // "" = allowed
	}{
		{"defaults are below the actor", viewEdit, ""},
		{"the level held", lv(t, viewEdit, "tax_id=read"), ""},
		{"lower than held", lv(t, viewEdit, "name=read", "tax_id=hidden"), ""},
		{"above held", lv(t, viewEdit, "tax_id=edit"), "customers.tax_id (edit, you hold read)"},
		{"hidden field opened", lv(t, viewEdit, "internal_notes=read"), "customers.internal_notes (read, you hold hidden)"},
		{"capped by the grant's own lack of edit", lv(t, set(t, "customers_view"), "tax_id=edit"), ""},
		{"no view: levels are inert", lv(t, Set{}, "internal_notes=edit"), ""},
	}
	for _, c := range cases {
		err := CheckGrant(actor, c.grant)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.bad != "" && (err == nil || !errors.Is(err, ErrEscalation) || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%s: got %v, want a refusal naming %s", c.name, err, c.bad)
		}
	}
	owner := Resolve(Input{Role: RoleOwner, Products: AllProducts()})
	if err := CheckGrant(owner, withAllFields(FullSet(), LevelEdit)); err != nil {
		t.Errorf("owner refused: %v", err)
	}
}

func TestFieldLevelsJSON(t *testing.T) {
	s := lv(t, set(t, "customers_view"), "internal_notes=hidden", "tax_id=read")
	b, _ := s.MarshalJSON()
	want := `{"customers":{"actions":["view"],"flags":{"canAccessAll":false,"canAccessTeam":false},"fields":{"tax_id":"read","internal_notes":"hidden"}}}`
	if string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	if got, errs := DecodeSet(b, ""); len(errs) > 0 || got != s {
		t.Errorf("decode: %v %v", got, errs)
	}
	if got, ok := DecodeStored(string(b)); !ok || got != s {
		t.Errorf("DecodeStored: %v %v", got, ok)
	}
	// Levels without any action are kept too: exactly what was stated.
	only := lv(t, Set{}, "notes=read")
	b, _ = only.MarshalJSON()
	if got, ok := DecodeStored(string(b)); !ok || got != only || !strings.Contains(string(b), `"fields":{"notes":"read"}`) {
		t.Errorf("levels alone: %s", b)
	}
	// No stated level: no "fields" key.
	if b, _ := set(t, "customers_view").MarshalJSON(); strings.Contains(string(b), "fields") {
		t.Errorf("fields written without levels: %s", b)
	}
	for raw, msg := range map[string]string{
		`{"customers":{"actions":["view"],"fields":{"ssn":"read"}}}`:                    `p.customers.fields.ssn: unknown field "ssn" of module "customers" (it has name, email, phone, company, notes, tax_id, credit_limit, internal_notes)`,
		`{"customers":{"actions":["view"],"fields":{"tax_id":"write"}}}`:                `p.customers.fields.tax_id: expected "hidden", "read" or "edit", got "write"`,
		`{"customers":{"actions":["view"],"fields":{"tax_id":1}}}`:                      `p.customers.fields.tax_id: expected "hidden", "read" or "edit", got a number`,
		`{"customers":{"actions":["view"],"fields":{"tax_id":"read","tax_id":"edit"}}}`: `p.customers.fields.tax_id: duplicate field "tax_id"`,
		`{"crm":{"actions":["view"],"fields":{"name":"read"}}}`:                         `p.crm.fields.name: unknown field "name" of module "crm" (it has no fields)`,
	} {
		_, errs := DecodeSet([]byte(raw), "p")
		if len(errs) != 1 || errs[0].Error() != msg {
			t.Errorf("%s:\n got %v\nwant %s", raw, errs, msg)
		}
		if _, ok := DecodeStored(raw); ok {
			t.Errorf("DecodeStored accepted %s", raw)
		}
	}
}

func TestExplainFieldSources(t *testing.T) {
	viewEdit := set(t, "customers_view", "customers_edit")
	x := Explain(Input{Role: RoleAgent, Products: AllProducts(), Groups: []GroupGrant{
		{"A", lv(t, viewEdit, "tax_id=read")},
		{"B", lv(t, viewEdit, "tax_id=read", "name=read")},
		{"C", set(t, "dashboard_view")},
	}})
	if x.Fields["customers.tax_id"] != LevelRead || x.Fields["customers.name"] != LevelEdit || len(x.Fields) != 8 {
		t.Errorf("fields %v", x.Fields)
	}
	for k, want := range map[string][]string{
		"customers.tax_id":         {"group:A", "group:B"},
		"customers.name":           {"group:A"},
		"customers.internal_notes": {"group:A", "group:B"},
	} {
		if got := x.FieldSources[k]; !slices.Equal(got, want) {
			t.Errorf("%s from %v, want %v", k, got, want)
		}
	}
	role := Explain(Input{Role: RoleFinancial, Products: AllProducts()})
	if role.Fields["customers.tax_id"] != LevelRead || !slices.Equal(role.FieldSources["customers.tax_id"], []string{"role:financial"}) {
		t.Errorf("financial: %v %v", role.Fields, role.FieldSources)
	}
	none := Explain(Input{Role: RoleAgent, Products: AllProducts(), Custom: &Set{}})
	if len(none.Fields) != 0 || len(none.FieldSources) != 0 {
		t.Errorf("no customers access lists fields: %v", none.Fields)
	}
}
