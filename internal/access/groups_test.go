package access

import (
	"slices"
	"testing"
)

func TestPredefinedGroups(t *testing.T) {
	keysOf := func(gs []GroupDef) (keys, names []string) {
		for _, g := range gs {
			keys, names = append(keys, g.Key), append(names, g.Name)
		}
		return
	}
	keys, names := keysOf(PredefinedGroups(0))
	if !slices.Equal(keys, []string{"admin", "user", "guest"}) || !slices.Equal(names, []string{"Admin", "User", "Guest"}) {
		t.Errorf("core only: %v %v", keys, names)
	}
	keys, names = keysOf(PredefinedGroups(AllProducts()))
	if !slices.Equal(keys, []string{"admin", "user", "guest", "crm", "inbox", "finance", "medical"}) {
		t.Errorf("all products: %v", keys)
	}
	for _, p := range Products()[1:] {
		if !slices.Contains(names, p.GroupName) {
			t.Errorf("no group named %q for product %s", p.GroupName, p.Key)
		}
	}
	keys, _ = keysOf(PredefinedGroups(prods(t, "medical", "crm")))
	if !slices.Equal(keys, []string{"admin", "user", "guest", "crm", "medical"}) {
		t.Errorf("crm+medical: %v", keys)
	}
}

func TestPredefinedGroupSets(t *testing.T) {
	all := AllProducts()
	want := map[string]Set{
		"admin": withAllFields(FullSet(), LevelEdit),
		"user": set(t, "dashboard_view", "customers_view", "customers_create", "customers_edit",
			"crm_view", "crm_create", "crm_edit", "chats_view", "chats_create", "chats_edit", "chats_reply", "chats_note", "reports_view"),
		"guest": set(t, "dashboard_view", "customers_view"),
		"crm": set(t, "dashboard_view", "customers_view", "customers_create", "customers_edit", "customers_export",
			"crm_view", "crm_create", "crm_edit", "crm_export", "utm_view"),
	}
	for _, g := range PredefinedGroups(all) {
		if w, ok := want[g.Key]; ok && g.Set != w {
			t.Errorf("group %s = %v, want %v", g.Key, g.Set, w)
		}
		if g.Set.Effective() != g.Set || g.Set.IsEmpty() || g.Description == "" {
			t.Errorf("group %s: inert grants, empty or undescribed", g.Key)
		}
		// A product group covers its product's modules.
		if p, ok := ProductByKey(g.Key); ok {
			for _, mk := range p.Modules {
				if !g.Set.Accessible(MustModule(mk)) {
					t.Errorf("group %s does not give view of %s", g.Name, mk)
				}
			}
			for _, f := range Flags() {
				if g.Set.HasFlag(f.ID) {
					t.Errorf("group %s sets flag %s", g.Name, f.FullKey)
				}
			}
		}
	}
	// Sets are restricted to the organization's products; the reset default is not.
	for _, g := range PredefinedGroups(prods(t, "crm")) {
		if g.Set.Touches(ModChats) || g.Set.Touches(ModMedical) {
			t.Errorf("group %s reaches outside crm: %v", g.Key, g.Set)
		}
	}
	if g, ok := PredefinedGroup("admin"); !ok || g.Set != withAllFields(FullSet(), LevelEdit) {
		t.Error("PredefinedGroup(admin)")
	}
	if g, ok := PredefinedGroup("inbox"); !ok || g.Name != "Support Agents" {
		t.Error("PredefinedGroup(inbox)")
	}
	if _, ok := PredefinedGroup("Admin"); ok {
		t.Error("keys are exact")
	}
}
