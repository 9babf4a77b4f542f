package testkit

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Scenario is one row of a request table: who asks what, and what must and
// must not come back.
type Scenario struct {
	Name        string
	Actor       string // key into the clients map; "" or "anonymous" = signed out
	Method      string // default GET
	Path        string
	Form        url.Values
	HTMX        bool
	Status      int
	Contains    []string
	NotContains []string
	Location    string // expected redirect target prefix, if any
}

// Run executes scenarios as subtests. Clients are keyed by actor; a missing
// "anonymous" client is created signed out.
func Run(t *testing.T, a *App, clients map[string]*Client, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		name := sc.Name
		if name == "" {
			name = fmt.Sprintf("%s %s %s", orDash(sc.Actor), orGet(sc.Method), sc.Path)
		}
		t.Run(name, func(t *testing.T) {
			c := clients[sc.Actor]
			if c == nil {
				if sc.Actor != "" && sc.Actor != "anonymous" {
					t.Fatalf("no client for actor %q", sc.Actor)
				}
				c = a.Client()
			}
			c.t = t
			var r *Response
			switch {
			case orGet(sc.Method) == "GET" && sc.HTMX:
				r = c.GetHTMX(sc.Path)
			case orGet(sc.Method) == "GET":
				r = c.Get(sc.Path)
			case sc.HTMX:
				r = c.PostHTMX(sc.Path, cloneValues(sc.Form))
			default:
				r = c.Post(sc.Path, cloneValues(sc.Form))
			}
			if r.Status != sc.Status {
				t.Fatalf("%s %s as %s: status %d, want %d; body: %.600s", orGet(sc.Method), sc.Path, orDash(sc.Actor), r.Status, sc.Status, r.Body)
			}
			for _, want := range sc.Contains {
				if !strings.Contains(r.Body, want) {
					t.Errorf("body lacks %q; body: %.800s", want, r.Body)
				}
			}
			for _, bad := range sc.NotContains {
				if strings.Contains(r.Body, bad) {
					t.Errorf("body must not contain %q", bad)
				}
			}
			if sc.Location != "" && !strings.HasPrefix(r.Location, sc.Location) {
				t.Errorf("Location = %q, want prefix %q", r.Location, sc.Location)
			}
		})
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "anonymous"
	}
	return s
}

func orGet(m string) string {
	if m == "" {
		return "GET"
	}
	return strings.ToUpper(m)
}
