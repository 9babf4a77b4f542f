package testkit

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// CSRFCookie is the name of the CSRF cookie set by the server.
const CSRFCookie = "gatehouse_csrf"

// Client is a browser-like HTTP client: it keeps cookies, sends the CSRF
// token with every state-changing request and does not follow redirects
// (tests assert them; use Follow).
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
	Jar  *cookiejar.Jar
	// Header is added to every request (e.g. a User-Agent or X-Forwarded-For).
	Header http.Header
}

// Response is a read response.
type Response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

// Client returns a new signed-out client for the app.
func (a *App) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: a.T, base: a.URL, Jar: jar, Header: http.Header{},
		HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	for k, v := range c.Header {
		req.Header[k] = v
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Body: string(body), Header: res.Header, Location: res.Header.Get("Location")}
}

func (c *Client) url(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return c.base + path
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.url(path), nil)
	return c.Do(req)
}

// GetHTMX fetches path as htmx would.
func (c *Client) GetHTMX(path string) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.url(path), nil)
	req.Header.Set("HX-Request", "true")
	return c.Do(req)
}

// CSRF returns the CSRF token, fetching a page first if no cookie is set yet.
func (c *Client) CSRF() string {
	c.t.Helper()
	if tok := c.cookie(CSRFCookie); tok != "" {
		return tok
	}
	c.Get("/login")
	tok := c.cookie(CSRFCookie)
	if tok == "" {
		c.t.Fatal("no CSRF cookie after GET /login")
	}
	return tok
}

func (c *Client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Cookie returns a cookie's value for the app's URL ("" if unset).
func (c *Client) Cookie(name string) string { return c.cookie(name) }

// Post submits a form with the CSRF token in _csrf.
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("_csrf") {
		form.Set("_csrf", c.CSRF())
	}
	return c.PostRaw(path, form)
}

// Send is a GET, or for any other method an empty form's Post: how the
// route × actor matrix visits a route.
func (c *Client) Send(method, path string) *Response {
	c.t.Helper()
	if method == http.MethodGet {
		return c.Get(path)
	}
	return c.Post(path, nil)
}

// PostRaw submits a form exactly as given (no token added).
func (c *Client) PostRaw(path string, form url.Values) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostHTMX submits a form as htmx does: token in the X-CSRF-Token header.
func (c *Client) PostHTMX(path string, form url.Values) *Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	req, _ := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// PostAs is PostHTMX when htmx is set, else Post: for tests that submit
// each form both ways.
func (c *Client) PostAs(htmx bool, path string, form url.Values) *Response {
	c.t.Helper()
	if htmx {
		return c.PostHTMX(path, form)
	}
	return c.Post(path, form)
}

// PostFile uploads one file in field (multipart), plus form values.
func (c *Client) PostFile(path, field, filename string, content []byte, form url.Values) *Response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	w.WriteField("_csrf", c.CSRF())
	fw, _ := w.CreateFormFile(field, filename)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.url(path), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// Follow GETs the response's Location (one hop).
func (c *Client) Follow(r *Response) *Response {
	c.t.Helper()
	loc := r.Location
	if loc == "" {
		loc = r.Header.Get("HX-Redirect")
	}
	if loc == "" {
		c.t.Fatalf("response %d has no Location to follow; body: %.300s", r.Status, r.Body)
	}
	return c.Get(loc)
}

// SignUp creates an account through the form and stays signed in.
func (c *Client) SignUp(name, email, pw string) {
	c.t.Helper()
	r := c.Post("/signup", url.Values{"name": {name}, "email": {email}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("signup %s: status %d, body %.500s", email, r.Status, r.Body)
	}
}

// LogIn signs in through the form.
func (c *Client) LogIn(email, pw string) {
	c.t.Helper()
	r := c.Post("/login", url.Values{"email": {email}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d, body %.500s", email, r.Status, r.Body)
	}
}

// LoginAs creates a signed-in client for an existing user and password.
func (a *App) LoginAs(email, pw string) *Client {
	c := a.Client()
	c.LogIn(email, pw)
	return c
}
