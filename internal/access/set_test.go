package access

import (
	"slices"
	"strings"
	"testing"
)

func TestSetGrantRevokeFlags(t *testing.T) {
	var s Set
	if !s.IsEmpty() || s.Accessible(ModCustomers) {
		t.Fatal("zero Set must be empty")
	}
	s.Grant(ModCustomers, Edit)
	s.Grant(ModDashboard, Edit) // dashboard offers only view: ignored
	s.Grant(ModAudit, Delete)   // audit offers view, export: ignored
	s.Grant(ModuleID(200), View)
	s.Grant(ModCustomers, Action(7))
	if !s.Has(ModCustomers, Edit) || s.Has(ModDashboard, Edit) || s.Has(ModAudit, Delete) || s.Accessible(ModCustomers) {
		t.Fatalf("after grants: %v", s)
	}
	if got := s.Permissions(); !slices.Equal(got, []string{"customers_edit"}) {
		t.Fatalf("Permissions() = %v", got)
	}
	s.SetFlag(FlagChatsCanAssignToOthers, true)
	s.SetFlag(FlagID(30), true)
	if !s.HasFlag(FlagChatsCanAssignToOthers) || s.HasFlag(FlagChatsCanAccessAll) {
		t.Fatal("flags")
	}
	s.SetFlag(FlagChatsCanAssignToOthers, false)
	s.Revoke(ModCustomers, Edit)
	if !s.IsEmpty() {
		t.Fatalf("after revoking everything: %v", s)
	}
	if !FullSet().SubsetOf(FullSet()) || s.Has(ModCustomers, Action(7)) {
		t.Fatal("FullSet")
	}
}

func TestSetAlgebra(t *testing.T) {
	a := set(t, "customers_view", "customers_edit", "+customers.canAccessAll")
	b := set(t, "customers_view", "chats_view", "+chats.canAccessAll")
	u := a.Union(b)
	if u != set(t, "customers_view", "customers_edit", "chats_view", "+customers.canAccessAll", "+chats.canAccessAll") {
		t.Errorf("union = %v", u)
	}
	if d := a.Minus(b); d != set(t, "customers_edit", "+customers.canAccessAll") {
		t.Errorf("minus = %v", d)
	}
	if !a.SubsetOf(u) || !b.SubsetOf(u) || a.SubsetOf(b) || u.SubsetOf(a) {
		t.Error("SubsetOf")
	}
	// A flag counts for SubsetOf: same actions, extra flag is not a subset.
	if set(t, "customers_view", "+customers.canAccessAll").SubsetOf(set(t, "customers_view")) {
		t.Error("a true flag the other set lacks must break SubsetOf")
	}
	if a != set(t, "+customers.canAccessAll", "customers_edit", "customers_view") {
		t.Error("Sets with the same content must be ==")
	}
}

func TestSetRestrictToAndEffective(t *testing.T) {
	s := set(t, "dashboard_view", "customers_view", "customers_delete", "chats_edit", "medical_view",
		"+customers.canAccessAll", "+chats.canAccessAll", "+crm.canAccessAll")
	r := s.RestrictTo(prods(t, "crm"))
	if want := set(t, "dashboard_view", "customers_view", "customers_delete", "+customers.canAccessAll", "+crm.canAccessAll"); r != want {
		t.Errorf("RestrictTo(crm) = %v, want %v", r, want)
	}
	e := s.Effective()
	// chats_edit without chats_view is inert, as are crm and chats flags.
	if want := set(t, "dashboard_view", "customers_view", "customers_delete", "medical_view", "+customers.canAccessAll"); e != want {
		t.Errorf("Effective() = %v, want %v", e, want)
	}
	if e.Effective() != e {
		t.Error("Effective must be idempotent")
	}
}

func TestWithImpliedView(t *testing.T) {
	s := set(t, "customers_edit", "chats_view", "chats_create", "bulk_messages_export", "+crm.canAccessAll")
	got, added := s.WithImpliedView()
	if want := s.Union(set(t, "customers_view", "bulk_messages_view")); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if !slices.Equal(added, []ModuleID{ModCustomers, ModBulkMessages}) {
		t.Errorf("added = %v", added)
	}
	if again, none := got.WithImpliedView(); again != got || none != nil {
		t.Errorf("second pass changed %v / %v", again, none)
	}
}

func TestPermissionsOrder(t *testing.T) {
	s := set(t, "documents_view", "customers_export", "customers_view", "bulk_messages_export", "dashboard_view")
	want := []string{"dashboard_view", "customers_view", "customers_export", "bulk_messages_export", "documents_view"}
	if got := s.Permissions(); !slices.Equal(got, want) {
		t.Errorf("Permissions() = %v, want %v", got, want)
	}
	if got := (Set{}).Permissions(); got == nil || len(got) != 0 {
		t.Errorf("empty Permissions() = %#v, want non-nil empty", got)
	}
	if n := len(FullSet().Permissions()); n != 16*5+1+2+2+2+3+3 {
		t.Errorf("FullSet has %d permissions", n)
	}
	if got := s.String(); got != strings.Join(want, " ") {
		t.Errorf("String() = %q", got)
	}
}

func TestParsePermission(t *testing.T) {
	ok := []struct {
		name string
		m    ModuleID
		a    Action
	}{
		{"customers_view", ModCustomers, View},
		{"bulk_messages_export", ModBulkMessages, Export},
		{"service_teams_delete", ModServiceTeams, Delete},
		{"dashboard_view", ModDashboard, View},
		{"audit_export", ModAudit, Export},
	}
	for _, c := range ok {
		m, a, err := ParsePermission(c.name)
		if err != nil || m != c.m || a != c.a {
			t.Errorf("ParsePermission(%q) = %v %v %v", c.name, m, a, err)
		}
		if PermissionName(m, a) != c.name {
			t.Errorf("PermissionName round trip of %q", c.name)
		}
	}
	bad := map[string]string{
		"":                   "expected module_action",
		"customers":          "expected module_action",
		"_view":              "expected module_action",
		"customers_":         "expected module_action",
		"custmers_view":      `unknown module "custmers"`,
		"bulk_view":          `unknown module "bulk"`,
		"customers_veiw":     `unknown action "veiw"`,
		"customers_View":     `unknown action "View"`,
		"dashboard_edit":     `module "dashboard" does not offer "edit"`,
		"bulk_messages":      `unknown module "bulk"`,
		"customers_view_all": `unknown module "customers_view"`,
	}
	for name, want := range bad {
		_, _, err := ParsePermission(name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePermission(%q) error = %v, want it to contain %q", name, err, want)
		}
	}
}

func TestParsePermissions(t *testing.T) {
	s, err := ParsePermissions("customers_view", "dashboard_view", "customers_view")
	if err != nil || s.String() != "customers_view dashboard_view" && s.String() != "dashboard_view customers_view" {
		t.Errorf("ParsePermissions = %q, %v", s.String(), err)
	}
	if s, err := ParsePermissions("dashboard_view", "customers_fly"); err == nil || !strings.Contains(err.Error(), `"customers_fly"`) || !s.IsEmpty() {
		t.Errorf("an invalid name: %q, %v; want an empty set and an error naming it", s.String(), err)
	}
	if s, err := ParsePermissions(); err != nil || !s.IsEmpty() {
		t.Errorf("no names: %q, %v", s.String(), err)
	}
	if s, err := ParsePermissions("customers_view", "+customers.canAccessAll"); err != nil ||
		!s.HasFlag(MustFlag("customers.canAccessAll")) || s.HasFlag(MustFlag("customers.canAccessTeam")) || !s.Has(MustModule("customers"), View) {
		t.Errorf("a permission and a flag: %q, %v", s.String(), err)
	}
	if s, err := ParsePermissions("customers_view", "+customers.canFly"); err == nil || !strings.Contains(err.Error(), `"customers.canFly"`) || !s.IsEmpty() {
		t.Errorf("an unknown flag: %q, %v; want an empty set and an error naming it", s.String(), err)
	}
}
