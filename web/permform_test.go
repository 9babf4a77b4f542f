package web_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

func TestDecodePermForm(t *testing.T) {
	crmInbox, _ := access.ParseProducts([]string{"crm", "inbox"})
	coreOnly, _ := access.ParseProducts(nil)
	tests := []struct {
		name      string
		form      url.Values
		products  access.ProductSet
		want      []string // permissions and +flags
		addedView []string // module keys
		errHas    []string // each must appear in the error
	}{
		{name: "empty grid grants nothing", form: url.Values{"name": {"x"}}, products: crmInbox, want: nil},
		{name: "plain view", form: url.Values{"perm": {"dashboard_view", "customers_view"}}, products: crmInbox,
			want: []string{"dashboard_view", "customers_view"}},
		{name: "flags by full key", form: url.Values{"perm": {"chats_view"}, "flag": {"chats.canAccessAll", "chats.canAssignToOthers"}},
			products: crmInbox, want: []string{"chats_view", "+chats.canAccessAll", "+chats.canAssignToOthers"}},
		{name: "underscore module split at last underscore", form: url.Values{"perm": {"bulk_messages_export"}}, products: crmInbox,
			want: []string{"bulk_messages_view", "bulk_messages_export"}, addedView: []string{"bulk_messages"}},
		{name: "view implied and reported in catalog order",
			form:      url.Values{"perm": {"customers_edit", "dashboard_view", "members_delete", "crm_view", "crm_create"}},
			products:  crmInbox,
			want:      []string{"dashboard_view", "members_view", "members_delete", "customers_view", "customers_edit", "crm_view", "crm_create"},
			addedView: []string{"members", "customers"}},
		{name: "duplicates are harmless", form: url.Values{"perm": {"customers_view", "customers_view"}, "flag": {"customers.canAccessAll", "customers.canAccessAll"}},
			products: crmInbox, want: []string{"customers_view", "+customers.canAccessAll"}},
		{name: "flag alone stays a flag (inert without view)", form: url.Values{"flag": {"customers.canAccessAll"}}, products: crmInbox,
			want: []string{"+customers.canAccessAll"}},
		{name: "unknown module", form: url.Values{"perm": {"spaceships_view"}}, products: crmInbox, errHas: []string{`unknown module "spaceships"`}},
		{name: "unknown action", form: url.Values{"perm": {"customers_fly"}}, products: crmInbox, errHas: []string{`unknown action "fly"`}},
		{name: "action the module does not offer", form: url.Values{"perm": {"dashboard_delete"}}, products: crmInbox,
			errHas: []string{`module "dashboard" does not offer "delete"`}},
		{name: "no underscore", form: url.Values{"perm": {"customers"}}, products: crmInbox, errHas: []string{"expected module_action"}},
		{name: "empty value", form: url.Values{"perm": {""}}, products: crmInbox, errHas: []string{"invalid permission"}},
		{name: "unknown flag", form: url.Values{"flag": {"customers.canFly"}}, products: crmInbox, errHas: []string{`unknown flag "customers.canFly"`}},
		{name: "flag given as permission", form: url.Values{"perm": {"customers.canAccessAll"}}, products: crmInbox, errHas: []string{"invalid permission"}},
		{name: "module outside the products", form: url.Values{"perm": {"dashboard_view", "medical_view"}}, products: crmInbox,
			errHas: []string{`"medical_view"`, "Medical records is not part of this organization's products"}},
		{name: "flag outside the products", form: url.Values{"flag": {"customers.canAccessAll"}}, products: coreOnly,
			errHas: []string{"Customers is not part of this organization's products"}},
		{name: "every problem is listed", form: url.Values{"perm": {"a_view", "customers_fly"}, "flag": {"x.y"}}, products: crmInbox,
			errHas: []string{`"a"`, `"fly"`, `"x.y"`}},
		{name: "overlong value", form: url.Values{"perm": {strings.Repeat("a", 5000) + "_view"}}, products: crmInbox,
			errHas: []string{"characters is not in the catalog"}},
		{name: "too many values", form: url.Values{"perm": slices.Repeat([]string{"customers_view"}, 300)}, products: crmInbox,
			errHas: []string{"300 values"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf, err := web.DecodePermForm(tt.form, tt.products)
			if len(tt.errHas) > 0 {
				if err == nil {
					t.Fatalf("decoded %v, want an error", pf.Set)
				}
				if fe := domain.AsError(err); fe == nil || fe.Code != domain.CodeInvalid || fe.Field != "perm" {
					t.Fatalf("error %T %v, want an invalid *domain.Error on perm", err, err)
				}
				for _, want := range tt.errHas {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q lacks %q", err, want)
					}
				}
				if len(err.Error()) > 1200 {
					t.Errorf("error is %d bytes long; it must stay readable", len(err.Error()))
				}
				if !pf.Set.IsEmpty() {
					t.Errorf("a refused form returned a set: %v", pf.Set)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := testkit.Set(t, tt.want...); pf.Set != want {
				t.Errorf("set = %v, want %v", pf.Set, want)
			}
			var added []string
			for _, m := range pf.AddedView {
				added = append(added, m.Key())
			}
			if !slices.Equal(added, tt.addedView) {
				t.Errorf("AddedView = %v, want %v", added, tt.addedView)
			}
		})
	}
}

func TestPermFormErrorListsAtMostFive(t *testing.T) {
	var bad []string
	for i := range 9 {
		bad = append(bad, "nope"+strings.Repeat("x", i)+"_view")
	}
	_, err := web.DecodePermForm(url.Values{"perm": bad}, access.AllProducts())
	if err == nil || !strings.Contains(err.Error(), "and 4 more problems") {
		t.Fatalf("err = %v, want the first five and a count of the rest", err)
	}
}

func FuzzDecodePermForm(f *testing.F) {
	for _, seed := range []string{
		"",
		"perm=customers_view",
		"perm=customers_edit&flag=customers.canAccessAll",
		"perm=bulk_messages_export&perm=bulk_messages_view",
		"perm=dashboard_delete",
		"perm=medical_view",
		"flag=chats.canAssignToOthers&perm=chats_create",
		"perm=_view&perm=customers_&flag=.",
		"perm=%00%ff_view&flag=customers.canAccessAll%00",
		"perm=customers_view&perm=customers_view&name=Night+shift&_csrf=x",
	} {
		f.Add(seed, uint16(0b111))
	}
	f.Fuzz(func(t *testing.T, raw string, prod uint16) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		products := access.ProductSet(prod) & access.AllProducts()
		pf, err := web.DecodePermForm(form, products)
		if err != nil {
			if err.Error() == "" || len(err.Error()) > 2000 {
				t.Fatalf("unreadable error %q", err)
			}
			if !pf.Set.IsEmpty() || pf.AddedView != nil {
				t.Fatalf("error with a result: %v", pf.Set)
			}
			return
		}
		s := pf.Set
		if !s.SubsetOf(access.FullSet().RestrictTo(products)) {
			t.Fatalf("set %v leaves the products or the catalog", s)
		}
		// Exactly the submitted values, plus view where another action was ticked.
		want := access.Set{}
		for _, p := range form["perm"] {
			m, a, perr := access.ParsePermission(p)
			if perr != nil {
				t.Fatalf("accepted invalid permission %q", p)
			}
			want.Grant(m, a)
		}
		for _, k := range form["flag"] {
			want.SetFlag(access.MustFlag(k), true)
		}
		want, added := want.WithImpliedView()
		if s != want || !slices.Equal(added, pf.AddedView) {
			t.Fatalf("set %v added %v, want %v added %v", s, pf.AddedView, want, added)
		}
		for _, m := range access.Modules() {
			if s.Touches(m.ID) && len(s.ActionsOf(m.ID)) > 0 && !s.Accessible(m.ID) {
				t.Fatalf("%s has actions without view in %v", m.Key, s)
			}
		}
		// The decoded set round-trips through the storage format.
		b, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		back, errs := access.DecodeSet(b, "")
		if len(errs) > 0 || back != s {
			t.Fatalf("round trip of %s: %v %v", b, back, errs)
		}
	})
}
