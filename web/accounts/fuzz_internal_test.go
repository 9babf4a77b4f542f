package accounts

// Fuzz tests of accounts's unexported input checks (the HTTP tests in package
// web_test cannot reach them). Seeds run in `go test`; `go test ./web/accounts
// -run '^$' -fuzz FuzzSafeNext` explores further.

import (
	"net/url"
	"strings"
	"testing"
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
