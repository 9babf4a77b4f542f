package members

// Fuzz tests of members's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/members
// -run '^$' -fuzz FuzzMemberFilter` explores further.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// FuzzMemberFilter: any query string on the members list gives a filter of
// known values only (unknown ones dropped and named in a short warning).
func FuzzMemberFilter(f *testing.F) {
	for _, s := range []string{"", "q=ann&role=agent&status=active&group=2&sort=email&dir=desc", "role=agnet", "status=gone",
		"group=999", "group=x", "sort=%3Bdrop", "dir=up", "q=" + strings.Repeat("%C3%A9", 150), "q=%FF", "role=owner&role=admin",
		"q=%20%20a%20%20", "sort=name&dir=asc&group=1", "team=7", "team=8", "team=-1"} {
		f.Add(s)
	}
	e := echo.New()
	groups := []store.GroupRef{{ID: 1, Name: "Admin"}, {ID: 2, Name: "Night shift"}}
	teams := []store.TeamRef{{ID: 7, Name: "EMEA"}}
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/o/acme/settings/members", nil)
		req.URL.RawQuery = query
		c := e.NewContext(req, httptest.NewRecorder())
		fl, warning := parseMemberFilter(c, groups, teams)
		if fl.Role != "" {
			if _, ok := access.ParseRole(fl.Role); !ok {
				t.Fatalf("role %q", fl.Role)
			}
		}
		if fl.Status != "" && fl.Status != domain.StatusActive && fl.Status != domain.StatusSuspended {
			t.Fatalf("status %q", fl.Status)
		}
		if fl.TeamID != 0 && fl.TeamID != 7 {
			t.Fatalf("team %d", fl.TeamID)
		}
		if fl.GroupID != 0 && fl.GroupID != 1 && fl.GroupID != 2 {
			t.Fatalf("group %d", fl.GroupID)
		}
		if !store.ValidMemberSort(fl.Sort) || utf8.RuneCountInString(fl.Q) > 100 {
			t.Fatalf("filter %+v", fl)
		}
		if utf8.RuneCountInString(warning) > 600 {
			t.Fatalf("warning of %d characters", len(warning))
		}
		q := c.QueryParams()
		if warning == "" && (q.Get("role") != "" && fl.Role != q.Get("role") || q.Get("group") != "" && fl.GroupID == 0) {
			t.Fatalf("dropped a value without saying so: %+v for %q", fl, query)
		}
	})
}
