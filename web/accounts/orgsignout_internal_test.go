package accounts

import "testing"

func TestOrgSlugOfPath(t *testing.T) {
	for in, want := range map[string]string{
		"/o/acme":                      "acme",
		"/o/acme/customers?q=x":        "acme",
		"/o/acme?tab=1":                "acme",
		"/o/acme#top":                  "acme",
		"/orgs":                        "",
		"/o/":                          "",
		"/me/profile":                  "",
		"":                             "",
		"/o/globex/settings/members/3": "globex",
	} {
		if got := orgSlugOfPath(in); got != want {
			t.Errorf("orgSlugOfPath(%q) = %q, want %q", in, got, want)
		}
	}
}
