package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// Every free-text query parameter with a NUL byte or invalid UTF-8 is
// refused with 422 and the message on the page (next to its field where
// the page has one), never a 500, and no query runs with it.
func TestQueryParamsRefuseNULAndInvalidUTF8(t *testing.T) {
	app := testkit.NewApp(t)
	_, c := app.OwnedOrg("Query Ltd", "qltd", []string{"crm"}, "owner@example.com", "Owner", tokPW1)
	var groupID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT g.id FROM groups g JOIN organizations o ON o.id = g.org_id WHERE o.slug = 'qltd' LIMIT 1`).Scan(&groupID)
	})
	group := "/o/qltd/settings/groups/" + strconv.FormatInt(groupID, 10)
	// Page cursors and other parameters that are not free text are not
	// searched; they must not end in a 500 either.
	for _, path := range []string{"/o/qltd/settings/members?after=%00", "/o/qltd/settings/members?before=%ff",
		"/o/qltd/settings/members?role=%00", "/o/qltd/settings/members?sort=%ff", "/o/qltd/customers/all?page=%00",
		"/o/qltd/settings/audit?before=%00", "/orgs/new/check-name?name=%00", "/orgs/new/check-slug?slug=%ff"} {
		if r := c.Get(path); r.Status >= 500 {
			t.Errorf("GET %s: %d", path, r.Status)
		}
	}
	routes := []struct {
		path, param string
		htmx        bool
	}{
		{"/o/qltd/settings/members", "q", false},
		{"/o/qltd/settings/members", "q", true},
		{"/o/qltd/customers/all", "q", false},
		{"/o/qltd/customers/mine", "q", false},
		{"/o/qltd/customers/export.csv", "q", false},
		{"/o/qltd/settings/audit", "actor", false},
		{"/o/qltd/settings/audit", "target", false},
		{"/o/qltd/settings/audit", "action", false},
		{"/o/qltd/settings/audit", "from", false},
		{"/o/qltd/settings/audit", "to", false},
		{"/o/qltd/settings/audit/export.csv", "actor", false},
		{group, "q", false},
		{group + "/candidates", "q", true},
	}
	for _, rt := range routes {
		for _, bad := range []string{"%00", "%ff", "ab%00cd", "%c3%28"} {
			path := rt.path + "?" + rt.param + "=" + bad
			var r *testkit.Response
			if rt.htmx {
				r = c.GetHTMX(path)
			} else {
				r = c.Get(path)
			}
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("GET %s (htmx %v): %d, want 422; body %.300s", path, rt.htmx, r.Status, r.Body)
				continue
			}
			if strings.HasPrefix(rt.path, "/o/qltd/settings/members") && !strings.Contains(r.Body, `id="members-results"`) {
				t.Errorf("GET %s: the members page should answer with its own results and the message above them, not an error page", path)
			}
			if !strings.Contains(r.Body, "not text (invalid UTF-8)") && !strings.Contains(r.Body, "control character") &&
				!strings.Contains(r.Body, "Choose an action from the list") && !strings.Contains(r.Body, "Enter a date as YYYY-MM-DD") {
				t.Errorf("GET %s: the page does not say what is wrong: %.500s", path, r.Body)
			}
		}
	}
}
