package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Cookie names set by the server (internal/session and the CSRF middleware).
const (
	sessionCookie = "gatehouse_session"
	csrfCookie    = "gatehouse_csrf"
)

// Actor is a signed-in user: the cookies to send and the CSRF token forms carry.
type Actor struct {
	Name, Email string
	Cookie      string // "gatehouse_csrf=…; gatehouse_session=…"
	CSRF        string
}

// Login signs in over HTTP the way a browser does: GET /login for the CSRF
// cookie, POST /login with email, password and _csrf, keep the session cookie.
func Login(base, name, email, password string) (*Actor, error) {
	c := newClient(30 * time.Second) // argon2id makes a login slow on purpose
	defer c.CloseIdleConnections()
	jar := map[string]string{}
	keep := func(resp *http.Response) {
		for _, ck := range resp.Cookies() {
			if ck.MaxAge < 0 || ck.Value == "" {
				delete(jar, ck.Name)
			} else {
				jar[ck.Name] = ck.Value
			}
		}
	}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	keep(resp)
	if resp.StatusCode != http.StatusOK || jar[csrfCookie] == "" {
		return nil, fmt.Errorf("GET /login: %s, CSRF cookie %q", resp.Status, jar[csrfCookie])
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {jar[csrfCookie]}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookieHeader(jar))
	resp, err = c.Do(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	keep(resp)
	if resp.StatusCode != http.StatusSeeOther || jar[sessionCookie] == "" {
		return nil, fmt.Errorf("POST /login as %s: %s (want 303 and a session cookie) %s", email, resp.Status, trim(string(body), 200))
	}
	return &Actor{Name: name, Email: email, Cookie: cookieHeader(jar), CSRF: jar[csrfCookie]}, nil
}

func cookieHeader(jar map[string]string) string {
	var parts []string
	for _, k := range []string{csrfCookie, sessionCookie} {
		if v, ok := jar[k]; ok {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, "; ")
}

// Get builds a GET as the actor (nil actor: signed out).
func (a *Actor) Get(base, path string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err == nil && a != nil {
		req.Header.Set("Cookie", a.Cookie)
	}
	return req, err
}

// PostForm builds a form POST as the actor, with its CSRF token.
func (a *Actor) PostForm(base, path string, form url.Values) (*http.Request, error) {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("_csrf", a.CSRF)
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(f.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", a.Cookie)
	return req, nil
}

// fetch does one request and returns status and body (setup, probes).
func fetch(req *http.Request) (int, []byte, error) {
	c := newClient(30 * time.Second)
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, b, err
}
