package access

import (
	"slices"
	"testing"
)

// A module declared only in this test (its catalog entry, one page and a
// menu node naming that page) gets its page, its menu entry with the
// page's path, and its place in the catalog the permission grid reads.
// The routes and the sidebar themselves are built in web and nav from the
// real declarations at start-up; web's tests declare a page of their own
// (web/pages_internal_test.go).
func TestThrowawayModule(t *testing.T) {
	decl := append(slices.Clone(catalog), productSpec{
		Product{Key: "parcels", Label: "Parcels", GroupName: "Parcel Desk"},
		[]moduleSpec{{"parcels", "Parcels", allActs, nil}},
	})
	useCatalog(t, decl)

	ps := append(Pages(), homePage("parcels", "/parcels")...)
	idx := checkPages(ps)
	page := func(key string) (Page, bool) {
		i, ok := idx[key]
		if !ok {
			return Page{}, false
		}
		return ps[i], true
	}
	if p, ok := page("parcels.home"); !ok || p.Path != "/parcels" || p.Action != View {
		t.Fatalf("parcels.home = %+v, %v", p, ok)
	}

	menu := linkPages(page, append(Menu(), group("menu.logistics", "Logistics", "box", leaf("parcels", "box"))))
	n := menu[len(menu)-1].Children[0]
	if n.Key != "parcels" || n.Label != "Parcels" || n.Module != "parcels" || n.Path != "/parcels" || n.Flag != "" {
		t.Errorf("menu node = %+v", n)
	}

	i := slices.IndexFunc(Modules(), func(m Module) bool { return m.Key == "parcels" })
	if i < 0 {
		t.Fatal("parcels is not in Modules()")
	}
	m := Modules()[i]
	if m.Product != "parcels" || len(m.Actions) != 5 || PermissionName(m.ID, Export) != "parcels_export" {
		t.Errorf("module = %+v, %s", m, PermissionName(m.ID, Export))
	}
}
