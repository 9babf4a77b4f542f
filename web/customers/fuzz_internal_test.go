package customers

// Fuzz tests of customers's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/customers
// -run '^$' -fuzz FuzzCustomerForm` explores further.

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/web/app"
)

// FuzzCustomerFields: the customer form's text fields and ids. An
// accepted value is valid text within its limit, without control
// characters (newlines and tabs where multiline).
func FuzzCustomerFields(f *testing.F) {
	for _, s := range []string{"Notes", "a\tb", "line\nbreak", "a\x1bb", "\xff\xfe", "12", "012", "+12", "-3", strings.Repeat("é", 41)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, multiline := range []bool{false, true} {
			if checkText(s, 40, multiline) == "" {
				for _, r := range s {
					if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
						t.Errorf("checkText(multiline=%v) accepted %q", multiline, s)
					}
				}
				if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 40 {
					t.Errorf("checkText accepted %q", s)
				}
			}
		}
		if id, ok := parseID(s); ok && (id <= 0 || strconv.FormatInt(id, 10) != s) {
			t.Errorf("parseID(%q) = %d", s, id)
		}
	})
}

// FuzzCustomerForm decodes the customer form as a member who sees only
// their own customers and as one who sees all: no panic; a field's error is
// a message; an accepted form has bounded, clean values and an assignee the
// member may choose (themself, or with "see all" none or a positive id), and
// a team id as posted (none when empty).
func FuzzCustomerForm(f *testing.F) {
	for _, s := range []string{
		"name=Ann+Example&email=ann%40example.com&phone=%2B44+20&company=Acme&notes=Line+1%0D%0ALine+2&assigned_to=7",
		"name=", "name=%00", "name=A&email=nope", "name=A&assigned_to=-1", "name=A&assigned_to=007", "name=A&assigned_to=x",
		"name=A&notes=%09tab%0Anewline%1B", "name=%FF%FE", "name=A&team=3", "name=A&team=", "name=A&team=03", "name=A&team=x", "name=" + strings.Repeat("x", 121), "name=A&name=B",
	} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		for _, role := range []access.Role{access.RoleAgent, access.RoleManager} {
			req := httptest.NewRequest(http.MethodPost, "/o/acme/customers", strings.NewReader(body))
			req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
			c := e.NewContext(req, httptest.NewRecorder())
			a := &app.Auth{Org: &domain.Org{ID: 1, Name: "Acme Ltd"}, Membership: &domain.Membership{ID: 42},
				Eff: access.Resolve(access.Input{Role: role, Products: access.AllProducts()})}
			v, errs, in := readCustomerForm(c, a)
			assignee := in.assignee
			if errs.Any() {
				for _, m := range []string{errs.Name, errs.Email, errs.Phone, errs.Company, errs.Notes, errs.AssignedTo, errs.Team} {
					if m != "" && (len(m) < 5 || !strings.HasSuffix(m, ".") && !strings.HasSuffix(m, ")")) {
						t.Fatalf("unclear message %q", m)
					}
				}
				continue
			}
			if v.Name == "" || checkText(v.Name, 120, false) != "" || checkText(v.Notes, 2000, true) != "" ||
				(v.Email != "" && app.ValidateEmail(v.Email) != "") || strings.Contains(v.Notes, "\r\n") {
				t.Fatalf("accepted %+v", v)
			}
			switch {
			case !seesAllCustomers(a) && assignee != 42:
				t.Fatalf("a member without see-all assigns to %d", assignee)
			case seesAllCustomers(a) && v.AssignedTo == "" && assignee != 0:
				t.Fatalf("no choice, assignee %d", assignee)
			case seesAllCustomers(a) && v.AssignedTo != "" && (assignee <= 0 || strconv.FormatInt(assignee, 10) != v.AssignedTo):
				t.Fatalf("assigned_to %q → %d", v.AssignedTo, assignee)
			case v.Team == "" && in.team != 0, v.Team != "" && (in.team <= 0 || strconv.FormatInt(in.team, 10) != v.Team):
				t.Fatalf("team %q → %d", v.Team, in.team)
			case v.Team != "" && !in.teamGiven:
				t.Fatalf("team %q read but not given", v.Team)
			}
		}
	})
}
