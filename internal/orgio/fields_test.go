package orgio_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
)

// The access report lists every field of every accessible module with the
// member's level and the sets that decide it, in declaration order; a
// suspended member has {} {}.
func TestAccessReportFields(t *testing.T) {
	db := demoDB(t)
	sup, err := orgio.Access(ctx, db, demo.OrgSlug, demo.SupervisorEmail)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(sup)
	for _, want := range []string{
		`"fields":{"customers.name":"edit","customers.email":"edit","customers.phone":"edit","customers.company":"edit","customers.notes":"edit","customers.tax_id":"hidden","customers.credit_limit":"hidden","customers.internal_notes":"hidden"}`,
		`"field_sources":{"customers.name":["role:supervisor"],`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("supervisor's JSON lacks %s:\n%s", want, b)
		}
	}
	owner, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.OwnerEmail)
	if owner.Fields["customers.internal_notes"] != "edit" || !slices.Equal(owner.FieldSources["customers.tax_id"], []string{"owner"}) || len(owner.Fields) != 8 {
		t.Errorf("owner: %v %v", owner.Fields, owner.FieldSources)
	}
	sus, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.SuspendedEmail)
	b, _ = json.Marshal(sus)
	for _, want := range []string{`"fields":{}`, `"field_sources":{}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("suspended JSON lacks %s:\n%s", want, b)
		}
	}
}

// Import and export carry exactly the stated field levels; a bad field key
// or level is named with its JSON path and nothing is written.
func TestImportExportFieldLevels(t *testing.T) {
	db := demoDB(t)
	c, err := orgio.Parse([]byte(export(t, db, demo.OrgSlug)))
	if err != nil {
		t.Fatal(err)
	}
	gi := slices.IndexFunc(c.Groups, func(g orgio.Group) bool { return !g.Predefined && g.Permissions.Accessible(access.ModCustomers) })
	if gi < 0 {
		t.Fatal("no custom group with customers in the demo")
	}
	if strings.Contains(export(t, db, demo.OrgSlug), `"tax_id": "read"`) {
		t.Fatal("the demo states tax_id already")
	}
	c.Groups[gi].Permissions.SetFieldLevel(access.ModCustomers, "internal_notes", access.LevelHidden)
	c.Groups[gi].Permissions.SetFieldLevel(access.ModCustomers, "tax_id", access.LevelRead)
	var sb strings.Builder
	if err := c.Encode(&sb); err != nil {
		t.Fatal(err)
	}
	doc := sb.String()
	res := mustImport(t, db, doc, orgio.Options{})
	if len(res.Changes) != 1 || !strings.Contains(res.Changes[0], "update group "+c.Groups[gi].Name) {
		t.Errorf("changes %q", res.Changes)
	}
	again := export(t, db, demo.OrgSlug)
	if again != doc {
		t.Errorf("export after import differs:\n%s\nvs\n%s", doc, again)
	}
	// Declaration order (tax_id before internal_notes), only the stated ones.
	if i, j := strings.Index(again, `"tax_id": "read"`), strings.Index(again, `"internal_notes": "hidden"`); i < 0 || j < i || strings.Count(again, `"tax_id": "read"`) != 1 {
		t.Errorf("levels not written as stated:\n%s", again)
	}
	before := counts(t, db)
	bad := replace(t, doc, `"tax_id": "read"`, `"tax_id": "write", "ssn": "read"`)
	got := importProblems(t, db, bad, orgio.Options{})
	path := "groups[" + strconv.Itoa(gi) + "].permissions.customers.fields"
	want := []string{
		path + `.tax_id: expected "hidden", "read" or "edit", got "write"`,
		path + `.ssn: unknown field "ssn" of module "customers" (it has name, email, phone, company, notes, tax_id, credit_limit, internal_notes)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%q\nwant\n%q", got, want)
	}
	sameCounts(t, before, counts(t, db))
	if export(t, db, demo.OrgSlug) != doc {
		t.Error("a refused import changed the organization")
	}
}
