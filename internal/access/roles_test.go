package access

import (
	"slices"
	"testing"
)

func TestRolesList(t *testing.T) {
	want := []Role{"owner", "admin", "manager", "financial", "sales", "supervisor", "agent", "agent_limited", "medical_doctor", "medical_assistant"}
	if got := Roles(); !slices.Equal(got, want) {
		t.Fatalf("Roles() = %v", got)
	}
	for _, r := range want {
		if got, ok := ParseRole(string(r)); !ok || got != r || r.Label() == "" || r.Label() == string(r) {
			t.Errorf("role %q: ParseRole %v %v, label %q", r, got, ok, r.Label())
		}
		full := r == RoleOwner || r == RoleAdmin || r == RoleManager || r == RoleFinancial
		if r.FullViewByDefault() != full {
			t.Errorf("%s.FullViewByDefault() = %v", r, !full)
		}
		if tpl := RoleTemplate(r); tpl.Effective() != tpl {
			t.Errorf("%s template has inert grants", r)
		}
	}
	for _, bad := range []string{"", "Owner", "agnet", "superadmin"} {
		if _, ok := ParseRole(bad); ok {
			t.Errorf("ParseRole(%q) ok", bad)
		}
	}
	if !RoleTemplate("agnet").IsEmpty() || Role("agnet").FullViewByDefault() {
		t.Error("unknown role must have an empty template")
	}
}

// Exact templates of ARCHITECTURE.md, Catalog for the restricted and financial roles.
func TestRoleTemplatesExact(t *testing.T) {
	cases := map[Role]Set{
		RoleOwner: FullSet(),
		RoleAdmin: FullSet(),
		RoleFinancial: set(t, "dashboard_view", "reports_view", "reports_create", "reports_export",
			"billing_view", "billing_edit", "customers_view", "crm_view",
			"financial_view", "financial_create", "financial_edit", "financial_delete", "financial_export",
			"pos_view", "pos_create", "pos_edit", "pos_delete", "pos_export",
			"+customers.canAccessAll", "+crm.canAccessAll", "+customers.canAccessTeam", "+crm.canAccessTeam"),
		RoleSales: set(t, "dashboard_view", "reports_view", "utm_view",
			"customers_view", "customers_create", "customers_edit", "customers_export",
			"crm_view", "crm_create", "crm_edit", "crm_export"),
		RoleAgent: set(t, "dashboard_view", "customers_view", "customers_create", "customers_edit",
			"crm_view", "crm_create", "crm_edit", "chats_view", "chats_create", "chats_edit", "chats_reply", "chats_note", "chats_attach"),
		RoleAgentLimited:     set(t, "dashboard_view", "customers_view", "chats_view", "chats_create", "chats_reply", "chats_note"),
		RoleMedicalDoctor:    set(t, "dashboard_view", "customers_view", "customers_edit", "medical_view", "medical_create", "medical_edit", "documents_view", "documents_create", "documents_edit"),
		RoleMedicalAssistant: set(t, "dashboard_view", "customers_view", "medical_view", "documents_view", "documents_create"),
	}
	for r, want := range cases {
		if got := RoleTemplate(r); got != want {
			t.Errorf("%s template:\n got %v\nwant %v\nextra %v\nmissing %v", r, got, want, got.Minus(want), want.Minus(got))
		}
	}
}

func TestManagerTemplate(t *testing.T) {
	m := RoleTemplate(RoleManager)
	has := []string{"dashboard_view", "members_view", "groups_view", "customers_view", "customers_create",
		"customers_edit", "customers_export", "reports_create", "reports_export", "service_teams_edit",
		"chats_export", "documents_create", "pos_edit", "utm_view"}
	for _, p := range has {
		mod, a, _ := ParsePermission(p)
		if !m.Has(mod, a) {
			t.Errorf("manager lacks %s", p)
		}
	}
	for _, p := range []string{"members_edit", "members_create", "groups_edit", "groups_delete"} {
		mod, a, _ := ParsePermission(p)
		if m.Has(mod, a) {
			t.Errorf("manager has %s", p)
		}
	}
	for _, none := range []ModuleID{ModBilling, ModSettings, ModIntegrations, ModAudit} {
		if m.Touches(none) {
			t.Errorf("manager touches %s", none.Key())
		}
	}
	for _, mod := range Modules() {
		if m.Has(mod.ID, Delete) {
			t.Errorf("manager may delete in %s", mod.Key)
		}
	}
	for _, f := range Flags() {
		if !m.HasFlag(f.ID) {
			t.Errorf("manager lacks flag %s", f.FullKey)
		}
	}
}
