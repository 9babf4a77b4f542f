package mypermissions

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	cases := []struct {
		layer, role string
		groups      []string
		empty       bool
		headline    string
		notes       int
	}{
		{"owner", "owner", nil, false, "You are the owner: you have every permission of this organization.", 0},
		{"owner", "owner", []string{"A", "B"}, false, "You are the owner: you have every permission of this organization.", 1},
		{"custom", "agent", []string{"Sales Team", "Night shift"}, false, "Your individual permissions apply; your 2 groups are not used.", 0},
		{"custom", "agent", []string{"Sales Team"}, false, "Your individual permissions apply; your group Sales Team is not used.", 0},
		{"custom", "agent", nil, true, "Your individual permissions apply.", 1},
		{"groups", "agent", []string{"Sales Team", "Night shift"}, false, "Your permissions come from your groups: Sales Team, Night shift.", 0},
		{"groups", "agent", []string{"Sales Team"}, false, "Your permissions come from your group: Sales Team.", 0},
		{"role", "agent_limited", nil, false, "Your permissions come from your role template: Agent (limited).", 1},
	}
	for _, tc := range cases {
		h, notes := Explain(tc.layer, tc.role, tc.groups, tc.empty)
		if h != tc.headline || len(notes) != tc.notes {
			t.Errorf("%s %v: %q %v", tc.layer, tc.groups, h, notes)
		}
	}
}

func TestSourceOf(t *testing.T) {
	for in, want := range map[string]Source{
		"owner":            {"owner", "owner"},
		"custom":           {"individual", "individual"},
		"role:agent":       {"role", "role template (Agent)"},
		"group:Sales Team": {"group", "Sales Team"},
		"group:role:x":     {"group", "role:x"},
	} {
		if got := SourceOf(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %+v, want %+v", in, got, want)
		}
	}
}

// Sources are written outside templ's escaping, so they escape themselves;
// a list reads "A, B" and each source carries its kind's class.
func TestSourcesAreEscaped(t *testing.T) {
	p := Props{OrgName: "Acme", Slug: "acme", Role: "agent", Layer: "groups", Products: []Product{{Key: "crm", Label: "CRM",
		Modules: []Module{{Key: "customers", Label: "Customers", Actions: []Action{{Name: "view", Perm: "customers_view", Offered: true, Granted: true,
			Sources: []Source{{Kind: "group", Label: `<b>"Night" & day</b>`}, {Kind: "individual", Label: "individual"}}}},
			Flags: []Flag{{Key: "customers.canAccessAll", Label: "All", On: true, Sources: []Source{{Kind: "group", Label: "<i>"}}}}}}}}}
	var b strings.Builder
	if err := Page(p).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<b>", "<i>", `"Night"`} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
	want := `<span class="perm-source"> <span class="perm-src perm-src-group">&lt;b&gt;&#34;Night&#34; &amp; day&lt;/b&gt;</span>,  <span class="perm-src perm-src-individual">individual</span></span>`
	if !strings.Contains(out, want) {
		t.Errorf("sources markup: %s", out)
	}
	if !strings.Contains(out, `<span class="perm-source"> <span class="perm-src perm-src-group">&lt;i&gt;</span></span>`) {
		t.Errorf("flag sources markup: %s", out)
	}
}
