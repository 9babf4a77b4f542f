package testkit

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// HostClient returns a signed-out client that talks to the app under another
// host name, e.g. "example.com" or "acme.example.com" (the test server's port
// is added). Every connection goes to the app's listener whatever the name,
// so no DNS is involved; the cookie jar sees the real host names, so cookies
// scoped to a parent domain (one login for the base domain and its
// subdomains) behave as in a browser.
func (a *App) HostClient(host string) *Client {
	jar, _ := cookiejar.New(nil)
	c := &Client{t: a.T, base: "http://" + withPort(host, a.URL), Jar: jar, Header: http.Header{},
		HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.HTTP.Transport = dialOnly(listenerAddr(a.URL))
	return c
}

// GetHost fetches path from the app as host (its Host header), with this
// client's cookies for that host. The port of the test server is added to
// host when it has none.
func (c *Client) GetHost(host, path string) *Response {
	c.t.Helper()
	if c.HTTP.Transport == nil {
		c.HTTP.Transport = dialOnly(listenerAddr(c.base))
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+withPort(host, c.base)+path, nil)
	return c.Do(req)
}

// dialOnly is a transport that connects every request to addr.
func dialOnly(addr string) *http.Transport {
	var d net.Dialer
	return &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
}

// listenerAddr is host:port of a base URL.
func listenerAddr(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Host
}

// withPort adds base's port to host unless host has one.
func withPort(host, base string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if _, port, err := net.SplitHostPort(listenerAddr(base)); err == nil && !strings.Contains(host, ":") {
		return net.JoinHostPort(host, port)
	}
	return host
}
