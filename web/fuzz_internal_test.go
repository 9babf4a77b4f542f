package web

// Fuzz tests of the web package's unexported input checks and form
// decoders (package web_test cannot reach them). Seeds run in `go test`;
// `go test ./web -run '^$' -fuzz FuzzSafeNext` explores further.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/store"
	"gatehouse/web/app"
)

// FuzzSafeNext: ?next= may only lead to a path on this site. An accepted
// value is returned unchanged, starts with one "/", and stays on the site
// once a browser has read it the WHATWG way (tabs and newlines removed,
// "\" read as "/").
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/orgs", "/o/acme/customers?q=a&page=2", "", "orgs", "//evil.example", "/\\evil.example",
		"https://evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n//x", "\t//evil.example", "/%2F/evil.example",
		"/\\/evil.example", "/\x00/x", "/ok#frag", "javascript:alert(1)", "/\u2028/x", "///x", "/.//x"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://gatehouse.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "" {
			return
		}
		if got != next || got[0] != '/' || strings.HasPrefix(got, "//") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(got)
		if strings.HasPrefix(strings.ReplaceAll(browser, "\\", "/"), "//") {
			t.Fatalf("safeNext(%q) accepted; a browser reads it as %q, another site", next, browser)
		}
		if u, err := base.Parse(browser); err == nil && u.Host != base.Host {
			t.Fatalf("safeNext(%q) leads to host %q", next, u.Host)
		}
	})
}

// FuzzValidateEmail: an accepted address is a bare, short addr-spec with
// a dotted domain; sign-up and the organization wizard agree on it.
func FuzzValidateEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "A.B+c@sub.example.co", "", "a", "a@b", "a@b.", "@b.co", "a@@b.co", "Ann <a@b.co>",
		"a b@c.co", `"a b"@c.co`, "a@b.co ", "a@[127.0.0.1]", "a@b.co\n", strings.Repeat("a", 250) + "@b.co", "é@b.co", "a@b..co"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		msg := app.ValidateEmail(email)
		if (msg == "") != (orgsetup.CheckEmail(email) == "") {
			t.Fatalf("sign-up says %q, the wizard says %q for %q", msg, orgsetup.CheckEmail(email), email)
		}
		if msg != "" {
			return
		}
		at := strings.LastIndexByte(email, '@')
		if len(email) > 254 || at < 1 || !strings.Contains(email[at+1:], ".") || strings.HasSuffix(email, ".") ||
			!utf8.ValidString(email) || strings.ContainsAny(email, "<>\r\n\t") {
			t.Fatalf("accepted %q", email)
		}
	})
}

// FuzzPersonName: an accepted name is valid text of 1 to 100 characters,
// without control characters or markup.
func FuzzPersonName(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234",
		"123456789012345678", "<b>x</b>", "a\x00b", "a\x1bb", "\xff\xfe", "Zoë", "a\tb", "line\nbreak", strings.Repeat("é", 101)} {
		f.Add(s)
	}
	plain := func(s string) bool {
		return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if app.ValidateName(s) == "" {
			if n := utf8.RuneCountInString(s); n < 1 || n > 100 || strings.ContainsAny(s, "<>") || !plain(s) {
				t.Errorf("ValidateName accepted %q", s)
			}
		}
	})
}

// FuzzProfileFields: the profile form's phone and free lines. An accepted
// value is valid text within its limits, without control characters or markup.
func FuzzProfileFields(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234",
		"123456789012345678", "<b>x</b>", "a\x00b", "a\x1bb", "\xff\xfe", "Zoë", "a\tb", "line\nbreak", strings.Repeat("é", 101)} {
		f.Add(s)
	}
	plain := func(s string) bool {
		return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validatePhone(s) == "" && s != "" {
			digits := 0
			for _, r := range s {
				if r >= '0' && r <= '9' {
					digits++
				} else if !strings.ContainsRune(" +()-./", r) {
					t.Errorf("validatePhone accepted %q", s)
				}
			}
			if digits < 5 || digits > 17 || utf8.RuneCountInString(s) > 32 || strings.LastIndexByte(s, '+') > 0 {
				t.Errorf("validatePhone accepted %q", s)
			}
		}
		if validateLine(s, "job title", 100) == "" {
			if utf8.RuneCountInString(s) > 100 || strings.ContainsAny(s, "<>") || !plain(s) {
				t.Errorf("validateLine accepted %q", s)
			}
		}
	})
}

// FuzzGroupName: an accepted group name is valid text within its limit,
// without control characters.
func FuzzGroupName(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234",
		"123456789012345678", "<b>x</b>", "a\x00b", "a\x1bb", "\xff\xfe", "Zoë", "a\tb", "line\nbreak", strings.Repeat("é", 101)} {
		f.Add(s)
	}
	plain := func(s string) bool {
		return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validateGroupName(s) == "" {
			if n := utf8.RuneCountInString(s); n < 1 || n > groupNameMax || !plain(s) {
				t.Errorf("validateGroupName accepted %q", s)
			}
		}
	})
}

// FuzzCustomerFields: the customer form's text fields and ids. An
// accepted value is valid text within its limit, without control
// characters (newlines and tabs where multiline).
func FuzzCustomerFields(f *testing.F) {
	for _, s := range []string{"Ann Example", "", " ", "+44 20 7946 0958", "(030) 123-45.67", "12+34", "++4412345", "1234",
		"123456789012345678", "<b>x</b>", "a\x00b", "a\x1bb", "\xff\xfe", "Zoë", "a\tb", "line\nbreak", strings.Repeat("é", 101)} {
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
// member may choose (themself, or with "see all" none or a positive id).
func FuzzCustomerForm(f *testing.F) {
	for _, s := range []string{
		"name=Ann+Example&email=ann%40example.com&phone=%2B44+20&company=Acme&notes=Line+1%0D%0ALine+2&assigned_to=7",
		"name=", "name=%00", "name=A&email=nope", "name=A&assigned_to=-1", "name=A&assigned_to=007", "name=A&assigned_to=x",
		"name=A&notes=%09tab%0Anewline%1B", "name=%FF%FE", "name=" + strings.Repeat("x", 121), "name=A&name=B",
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
			v, errs, assignee := readCustomerForm(c, a)
			if errs.Any() {
				for _, m := range []string{errs.Name, errs.Email, errs.Phone, errs.Company, errs.Notes, errs.AssignedTo} {
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
			}
		}
	})
}

// FuzzMemberFilter: any query string on the members list gives a filter of
// known values only (unknown ones dropped and named in a short warning).
func FuzzMemberFilter(f *testing.F) {
	for _, s := range []string{"", "q=ann&role=agent&status=active&group=2&sort=email&dir=desc", "role=agnet", "status=gone",
		"group=999", "group=x", "sort=%3Bdrop", "dir=up", "q=" + strings.Repeat("%C3%A9", 150), "q=%FF", "role=owner&role=admin",
		"q=%20%20a%20%20", "sort=name&dir=asc&group=1"} {
		f.Add(s)
	}
	e := echo.New()
	groups := []store.GroupRef{{ID: 1, Name: "Admin"}, {ID: 2, Name: "Night shift"}}
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/o/acme/settings/members", nil)
		req.URL.RawQuery = query
		c := e.NewContext(req, httptest.NewRecorder())
		fl, warning := parseMemberFilter(c, groups)
		if fl.Role != "" {
			if _, ok := access.ParseRole(fl.Role); !ok {
				t.Fatalf("role %q", fl.Role)
			}
		}
		if fl.Status != "" && fl.Status != domain.StatusActive && fl.Status != domain.StatusSuspended {
			t.Fatalf("status %q", fl.Status)
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
