package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/testkit"
)

// Every anti-escalation refusal answers 403 (forbidden, the design's error
// table), on the member page, the individual permissions, the group pages
// and the invite form, plain form and htmx alike, and changes no row. Gus
// holds the members and groups screens and the dashboard, nothing else.
func TestEveryAntiEscalationRefusalIs403(t *testing.T) {
	fx := newFBFixture(t)
	gus := fx.clients["grp"]
	var admin int64 // the predefined Admin group: everything
	gs, err := fx.app.DB.Groups(context.Background(), fx.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Name == "Admin" {
			admin = g.ID
		}
	}
	if admin == 0 {
		t.Fatal("no Admin group")
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"role change", fx.member("tom", "/role"), url.Values{"role": {"agent"}}, "You can't give the role Agent"},
		{"group add on the member page", fx.member("nadia", "/groups"), url.Values{"groups": {id(fx.night), id(admin)}}, "Admin"},
		{"group remove on the member page", fx.member("gil", "/groups"), url.Values{}, "without groups, Gil Group would fall back"},
		{"group add on the group page", fx.group(admin, "/members"), url.Values{"membership_id": {id(fx.members["tom"].ID)}}, "permissions you do not hold"},
		{"group remove on the group page", fx.group(fx.night, fmt.Sprintf("/members/%d/remove", fx.members["nadia"].ID)), nil, "Nadia Night would fall back"},
		{"individual permissions granted", fx.member("tom", "/permissions"), url.Values{"perm": {"dashboard_view", "customers_view"}}, "you can only grant permissions you hold yourself"},
		{"individual permissions turned off", fx.member("lim", "/permissions/custom/disable"), nil, "Lim Ited would fall back"},
		{"group edit", fx.group(fx.desk, ""), gridForm("Members desk", "", append(fbLimited, "customers_view")...), "you can only grant permissions you hold yourself"},
		{"group create", "/o/acme/settings/groups", gridForm("Wide", "", "dashboard_view", "customers_view"), "you can only grant permissions you hold yourself"},
		{"group delete", fx.group(fx.night, "/delete"), nil, "would fall back"},
		{"re-enable", fx.member("sus", "/reenable"), nil, "Sue Spended holds permissions you don't have"},
		{"invite with a role above", "/o/acme/settings/members/invite", url.Values{"email": {"new@acme.test"}, "role": {"admin"}}, "role Admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fx.snapshot()
			for _, htmx := range []bool{false, true} {
				var r *testkit.Response
				if htmx {
					r = gus.PostHTMX(tc.path, tc.form)
				} else {
					r = gus.Post(tc.path, tc.form)
				}
				if r.Status != http.StatusForbidden || !strings.Contains(html.UnescapeString(r.Body), tc.want) {
					t.Fatalf("htmx=%v: status %d, want 403 with %q; body %.600s", htmx, r.Status, tc.want, r.Body)
				}
			}
			if after := fx.snapshot(); after != before {
				t.Fatalf("a refused request changed the database:\nbefore %s\nafter %s", before, after)
			}
		})
	}
}

// retryAfter is a throttled answer's Retry-After in seconds (0 when absent
// or not a positive number).
func retryAfter(r *testkit.Response) int {
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
