package access

import (
	"net/http"
	"slices"
	"testing"
)

// parcelsDecl is a module declared only in tests: one list page, an action
// of its own, a sidebar entry in the Settings section.
func parcelsDecl() (ProductDecl, ModuleDecl) {
	return ProductDecl{Key: "parcels", Label: "Parcels"}, ModuleDecl{
		Key: "parcels", Label: "Parcels", Product: "parcels",
		Actions: []Action{View, Create, Export}, Own: []string{"ship"},
		Menu:  MenuPlace{Section: "menu.settings", Icon: "box", Weight: 5},
		Pages: HomePage("/parcels"),
	}
}

func installParcels(t *testing.T) {
	t.Helper()
	d := RealDeclaration()
	p, m := parcelsDecl()
	d.Products, d.Modules = append(d.Products, p), append(d.Modules, m)
	restore, err := Install(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)
}

// A module declared once gets its page, its sidebar entry (at its weight in
// its section, linking to the page), its place in the catalog the grid, the
// JSON and import read, its own action, and the templates of full roles;
// restoring the catalog takes all of it away again.
func TestThrowawayModule(t *testing.T) {
	before := len(Pages())
	t.Run("installed", func(t *testing.T) {
		installParcels(t)
		p, ok := PageByKey("parcels.home")
		if !ok || p.Path != "/parcels" || p.Method != http.MethodGet || p.Action != View || p.Module != "parcels" {
			t.Fatalf("parcels.home = %+v, %v", p, ok)
		}
		if len(Pages()) != before+1 || Pages()[len(Pages())-1].Key == "parcels.home" {
			t.Error("the page is not placed in sidebar order (after channels, before integrations)")
		}
		var settings []string
		for _, n := range Menu() {
			if n.Key == "menu.settings" {
				for _, c := range n.Children {
					settings = append(settings, c.Key)
					if c.Key == "parcels" && (c.Path != "/parcels" || c.Label != "Parcels" || c.Icon != "box") {
						t.Errorf("menu node = %+v", c)
					}
				}
			}
		}
		if i := slices.Index(settings, "parcels"); i < 0 || settings[i-1] != "channels" {
			t.Errorf("settings section = %v", settings)
		}
		m, ok := ModuleByKey("parcels")
		if !ok || m.ID != numModules || m.Product != "parcels" || len(m.Actions) != 4 || !m.Offers(numActions) {
			t.Fatalf("module = %+v", m)
		}
		ship, err := ParsePermissions("parcels_ship", "parcels_view")
		if err != nil || !ship.Has(m.ID, numActions) || PermissionName(m.ID, numActions) != "parcels_ship" {
			t.Fatalf("parcels_ship: %v %v", ship, err)
		}
		if _, _, err := ParsePermission("parcels_edit"); err == nil {
			t.Error("parcels_edit parses: the module does not offer edit")
		}
		if !RoleTemplate(RoleOwner).Has(m.ID, numActions) || RoleTemplate(RoleAgent).Accessible(m.ID) {
			t.Error("the owner's template lacks parcels_ship, or the agent's has parcels")
		}
		if g, _ := PredefinedGroup("admin"); !g.Set.Has(m.ID, numActions) {
			t.Error("the Admin group lacks parcels_ship")
		}
	})
	if _, ok := ModuleByKey("parcels"); ok || len(Pages()) != before || slices.Contains(MenuIcons(), "box") {
		t.Error("restore left the module behind")
	}
	if RoleTemplate(RoleOwner) != FullSet() {
		t.Error("restore left the owner's template on the test catalog")
	}
}

// A declaration that contradicts itself is refused and changes nothing.
func TestInstallRefusesBadDeclarations(t *testing.T) {
	gen := Generation()
	bad := map[string]func(d *Declaration){
		"unknown product": func(d *Declaration) { d.Modules[0].Product = "nope" },
		"no sidebar section": func(d *Declaration) {
			d.Modules[1].Menu.Section = "menu.nope"
		},
		"has no modules": func(d *Declaration) {
			d.Sections = append(d.Sections, SectionDecl{Key: "menu.empty", Label: "Empty", Icon: "x", Weight: 99})
		},
		"does not offer": func(d *Declaration) { d.Modules[0].Pages = append(d.Modules[0].Pages, GetPage("new", "/new", Create)) },
		"declared twice": func(d *Declaration) { d.Modules = append(d.Modules, d.Modules[0]) },
	}
	for want, edit := range bad {
		d := RealDeclaration()
		edit(&d)
		_, err := Install(d)
		wantErr(t, want, err)
	}
	if Generation() == gen || len(Modules()) != numModules || MustPage("dashboard.home").Path != "" {
		t.Error("a refused declaration left something installed")
	}
}
