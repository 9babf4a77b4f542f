package access

import "testing"

// TestProjection: a member's projection says per field what Effective
// says, two members with different levels have different (comparable)
// projections, no access hides everything, and only the zero value is
// the operator's unrestricted one.
func TestProjection(t *testing.T) {
	viewEdit := set(t, "customers_view", "customers_edit", "dashboard_view")
	custom := lv(t, viewEdit, "tax_id=read", "internal_notes=hidden", "credit_limit=edit")
	e := Resolve(Input{Role: RoleAgent, Custom: &custom, Products: AllProducts()})
	p := e.Projection(ModCustomers)
	for _, f := range e.Fields(ModCustomers) {
		if got := p.Level(f.Field.Key); got != f.Level {
			t.Errorf("%s: projection %v, effective %v", f.Field.Key, got, f.Level)
		}
	}
	if !p.Readable("tax_id") || p.Editable("tax_id") || p.Readable("internal_notes") || !p.Editable("credit_limit") ||
		!p.Fillable("tax_id") || p.Fillable("internal_notes") || p.Readable("nope") || p.Unrestricted() {
		t.Errorf("projection %+v", p)
	}
	owner := Resolve(Input{Role: RoleOwner, Products: AllProducts()}).Projection(ModCustomers)
	if owner == p || !owner.Unrestricted() || !owner.Editable("internal_notes") {
		t.Errorf("owner projection %+v", owner)
	}
	none := Resolve(Input{Role: RoleAgent, Custom: &Set{}, Products: AllProducts()}).Projection(ModCustomers)
	if none == (Projection{}) || none.Readable("name") || none.Unrestricted() {
		t.Errorf("no access projection %+v reads", none)
	}
	var zero Projection
	if !zero.Unrestricted() || !zero.Editable("internal_notes") {
		t.Error("zero projection is the operator's")
	}
}
