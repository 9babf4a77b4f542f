package app

import "testing"

func TestRedactURI(t *testing.T) {
	const tok = "Zq3v0W8sJk1mN2bV5cX7zL9aQ4wE6rT8yU0iO1pA2sD"
	cases := map[string]string{
		"/reset?token=" + tok:                        "/reset?token=[hidden]",
		"/reset?token=short":                         "/reset?token=[hidden]",
		"/verify?token=" + tok + "&next=/orgs":       "/verify?token=[hidden]&next=/orgs",
		"/setup?to%6Ben=" + tok:                      "/setup?to%6Ben=[hidden]",
		"/invite/" + tok:                             "/invite/[hidden]",
		"/invite/" + tok + "/accept":                 "/invite/[hidden]/accept",
		"/invite/short-one?x=1":                      "/invite/[hidden]?x=1",
		"/signup?next=%2Finvite%2F" + tok:            "/signup?next=[hidden]",
		"/anything/" + tok:                           "/anything/[hidden]",
		"/o/acme/settings/members?q=ann&sort=name":   "/o/acme/settings/members?q=ann&sort=name",
		"/o/acme/settings/members/invite":            "/o/acme/settings/members/invite",
		"/o/acme/settings/members/invites/12/resend": "/o/acme/settings/members/invites/12/resend",
		"/o/acme-corporation-international-holdings": "/o/acme-corporation-international-holdings",
		"/login?_csrf=abc&password=hunter2":          "/login?_csrf=[hidden]&password=[hidden]",
	}
	for in, want := range cases {
		if got := RedactURI(in); got != want {
			t.Errorf("redactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQueryProblem(t *testing.T) {
	for _, bad := range []string{"\x00", "a\x00b", "\xff", "\xc3\x28", "tab\there", "\u0085"} {
		if QueryProblem(bad) == "" {
			t.Errorf("queryProblem(%q) accepts it", bad)
		}
	}
	for _, good := range []string{"", "ann", "Zoë O'Brien", "李", "a@b.c", "50% off"} {
		if msg := QueryProblem(good); msg != "" {
			t.Errorf("queryProblem(%q) = %q", good, msg)
		}
	}
}
