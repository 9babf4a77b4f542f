package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// exportRows is an export's rows after its header, which must be the
// documented one.
func exportRows(t *testing.T, r *testkit.Response) [][]string {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("export: %d %.300s", r.Status, r.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("export is not CSV (%v): %.300s", err, r.Body)
	}
	if got := strings.Join(rows[0], ","); got != "email,name,role,status,groups,teams,last_active" {
		t.Fatalf("header = %s", got)
	}
	return rows[1:]
}

func exportEmails(rows [][]string) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r[0]
	}
	return strings.Join(out, " ")
}

func TestMembersExportCSV(t *testing.T) {
	fx := newMembersFx(t)
	export := fx.url("/export.csv")
	var group int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		if group, err = tx.CreateGroup(ctx, fx.acme.ID, "=Night owls", "", access.Set{}, ""); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, fx.acme.ID, group, fx.members["agent"].ID)
	})

	r := fx.clients["owner"].Get(export)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="members-acme-`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	rows := exportRows(t, r)
	// Every acme member by name, never globex's.
	if got, want := exportEmails(rows), "admin@acme.test agent@acme.test boss@acme.test manager@acme.test owner@acme.test suspended@acme.test"; got != want {
		t.Errorf("owner export: %s, want %s", got, want)
	}
	if strings.Contains(r.Body, "outsider") {
		t.Error("another organization's member in the export")
	}
	for _, row := range rows {
		if row[0] == "agent@acme.test" {
			// A group name that looks like a formula is defused.
			if want := "agent@acme.test,Aggie Agent,agent,active,'=Night owls,"; !strings.HasPrefix(strings.Join(row, ","), want) {
				t.Errorf("agent row %q, want prefix %q", row, want)
			}
		}
	}

	// The list's filters narrow the file the same way.
	for q, want := range map[string]string{
		"status=suspended":               "suspended@acme.test",
		"role=manager":                   "boss@acme.test manager@acme.test",
		"q=aggie":                        "agent@acme.test",
		fmt.Sprintf("group=%d", group):   "agent@acme.test",
		"role=agent&status=active":       "agent@acme.test",
		"sort=email&dir=desc&role=admin": "admin@acme.test",
	} {
		if got := exportEmails(exportRows(t, fx.clients["admin"].Get(export+"?"+q))); got != want {
			t.Errorf("export ?%s: %s, want %s", q, got, want)
		}
	}
	// A filter the list would ignore is refused: the file never holds more
	// than asked for.
	for _, q := range []string{"role=wizard", "status=gone", "group=999999", "team=999999"} {
		if r := fx.clients["owner"].Get(export + "?" + q); r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "agent@acme.test") {
			t.Errorf("export ?%s: %d %.200s", q, r.Status, r.Body)
		}
	}

	// The button follows the filter, for members_export only.
	link := `/o/acme/settings/members/export.csv?` + url.Values{"role": {"agent"}}.Encode()
	if r := fx.clients["owner"].Get(fx.url("?role=agent")); !strings.Contains(r.Body, link) || !strings.Contains(r.Body, "Export CSV") {
		t.Errorf("owner list: no export link %s", link)
	}
	if r := fx.clients["manager"].Get(fx.url("")); r.Status != 200 || strings.Contains(r.Body, "export.csv") {
		t.Errorf("manager list: %d, export link shown = %v", r.Status, strings.Contains(r.Body, "export.csv"))
	}

	testkit.Run(t, fx.app, fx.clients, []testkit.Scenario{
		{Actor: "manager", Path: export, Status: http.StatusForbidden, NotContains: []string{"agent@acme.test"}},
		{Actor: "boss", Path: export, Status: http.StatusForbidden, NotContains: []string{"agent@acme.test"}},
		{Actor: "agent", Path: export, Status: http.StatusForbidden, NotContains: []string{"boss@acme.test"}},
		{Actor: "suspended", Path: export, Status: http.StatusForbidden, NotContains: []string{"agent@acme.test"}},
		{Actor: "outsider", Path: export, Status: http.StatusNotFound, NotContains: []string{"agent@acme.test"}},
		{Actor: "anonymous", Path: export, Status: http.StatusSeeOther, Location: "/login"},
	})
}

// An export longer than one read holds every member once, in order.
func TestMembersExportChunks(t *testing.T) {
	fx := newMembersFx(t)
	for i := range 205 {
		fx.app.AddMember(fx.acme, fx.app.CreateUser(fmt.Sprintf("bulk%03d@acme.test", i), fmt.Sprintf("Bulk %03d", i), mfxPassword), access.RoleAgent)
	}
	rows := exportRows(t, fx.clients["owner"].Get(fx.url("/export.csv?q=bulk")))
	if len(rows) != 205 || rows[0][0] != "bulk000@acme.test" || rows[204][0] != "bulk204@acme.test" {
		t.Fatalf("export of 205: %d rows, first %v", len(rows), rows[0])
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r[0]] {
			t.Errorf("%s twice", r[0])
		}
		seen[r[0]] = true
	}
}
