package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"gatehouse/internal/benchseed"
)

// Env is what scenarios need: the server, the signed-in actors, the seed.
type Env struct {
	Base     string
	BareURL  string
	Actors   map[string]*Actor
	Info     benchseed.Info
	Slug     string
	Search   string // the members search term (a common name prefix)
	DeepPath string // explicit deep members page, overrides discovery
	DeepPage int    // page number used when the pager is ?page=N
}

func (e *Env) org(path string) string { return "/o/" + e.Slug + path }

// Scenario is one row of the table. Edit the list in benchScenarios to add,
// drop or repoint rows; Prepare runs once per concurrency level, before the
// load, and returns errMissing (shown as "n/a (route missing)") when the
// route answers 404/405.
type Scenario struct {
	Name    string
	Actor   string // key of Env.Actors ("" for the bare handler)
	Page    bool   // an application page: held to the page targets
	Prepare func(env *Env, conns int) (NextFunc, error)
}

// missingError: the route is not there (404/405) in this build.
type missingError struct{ path string }

func (e *missingError) Error() string { return "route missing: " + e.path }

func isMissing(err error) bool {
	var m *missingError
	return errors.As(err, &m)
}

// Scenarios the report compares by name.
const (
	scMine = "customers, Those I serve" // the agent's own customers
	scTeam = "customers, My teams"      // the supervisor's: own and their teams'
)

// benchScenarios is the table `make bench` prints, in order.
func benchScenarios() []Scenario {
	return []Scenario{
		{Name: "bare Echo \"ok\"", Prepare: prepareBare},
		getScenario("members, first page", "owner", func(e *Env) (string, error) { return e.org("/settings/members"), nil }),
		getScenario("members, deep page", "owner", deepMembersPath),
		getScenario("members search", "owner", func(e *Env) (string, error) {
			return e.org("/settings/members") + "?q=" + url.QueryEscape(e.Search), nil
		}),
		getScenario("dashboard", "owner", func(e *Env) (string, error) { return e.org(""), nil }),
		getScenario("customers, All", "owner", func(e *Env) (string, error) { return e.org("/customers/all"), nil }),
		getScenario(scMine, "agent", func(e *Env) (string, error) { return e.org("/customers/mine"), nil }),
		getScenario(scTeam, "supervisor", func(e *Env) (string, error) { return e.org("/customers/team"), nil }),
		getScenario("conversations, All", "owner", func(e *Env) (string, error) { return e.org("/chats/all"), nil }),
		getScenario("conversations, deep page", "owner", func(e *Env) (string, error) {
			return e.org("/chats/all") + "?before=" + e.Info.ChatsDeep, nil
		}),
		getScenario("conversations, Those I serve", "agent", func(e *Env) (string, error) { return e.org("/chats/mine"), nil }),
		getScenario("conversation, 200 messages", "agent", func(e *Env) (string, error) {
			return e.org(fmt.Sprintf("/chats/%d", e.Info.LongChat)), nil
		}),
		{Name: "conversation poll (204)", Actor: "agent", Page: true, Prepare: preparePoll},
		getScenario("My Permissions (20 groups)", "member20", func(e *Env) (string, error) { return e.org("/me/permissions"), nil }),
		{Name: "permission save (group)", Actor: "owner", Prepare: preparePermSave},
	}
}

func prepareBare(env *Env, conns int) (NextFunc, error) {
	req, err := http.NewRequest(http.MethodGet, env.BareURL, nil)
	if err != nil {
		return nil, err
	}
	return repeatGet(req, expectStatus(http.StatusOK))
}

// repeatGet sends the same GET every time, serialized once: building and
// writing a request per call was a tenth of the generator's CPU, which the
// server under test shares.
func repeatGet(req *http.Request, check CheckFunc) (NextFunc, error) {
	wire, err := wireBytes(req)
	if err != nil {
		return nil, err
	}
	return func(w, i int) (Op, error) { return Op{Req: req, Wire: wire, Check: check}, nil }, nil
}

// getScenario is a page view by one actor.
func getScenario(name, actor string, path func(*Env) (string, error)) Scenario {
	return Scenario{Name: name, Actor: actor, Page: true, Prepare: func(env *Env, conns int) (NextFunc, error) {
		p, err := path(env)
		if err != nil {
			return nil, err
		}
		a := env.Actors[actor]
		if _, err := probe(env, a, p); err != nil {
			return nil, err
		}
		req, err := a.Get(env.Base, p)
		if err != nil {
			return nil, err
		}
		return repeatGet(req, samplePageCheck(expectStatus(http.StatusOK)))
	}}
}

// probe GETs a page once: 404/405 is a missing route, anything but 200 an error.
func probe(env *Env, a *Actor, path string) ([]byte, error) {
	req, err := a.Get(env.Base, path)
	if err != nil {
		return nil, err
	}
	status, body, err := fetch(req)
	switch {
	case err != nil:
		return nil, err
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return nil, &missingError{path}
	case status != http.StatusOK:
		return nil, fmt.Errorf("GET %s answered %d: %s", path, status, pageTitle(body))
	}
	return body, nil
}

func pageTitle(body []byte) string {
	_, after, ok := bytes.Cut(body, []byte("<title>"))
	if !ok {
		return trim(string(body), 80)
	}
	t, _, _ := bytes.Cut(after, []byte("</title>"))
	return string(t)
}

// refusalText is what a refused form says: its field messages (class
// field-error), else the page's title.
func refusalText(body []byte) string {
	var msgs []string
	rest := body
	for {
		_, after, ok := bytes.Cut(rest, []byte(`class="field-error"`))
		if !ok {
			break
		}
		_, text, _ := bytes.Cut(after, []byte(">"))
		msg, tail, _ := bytes.Cut(text, []byte("<"))
		msgs, rest = append(msgs, string(msg)), tail
	}
	if len(msgs) == 0 {
		return pageTitle(body)
	}
	return strings.Join(msgs, "; ")
}

// expectStatus fails any other status and any answer that mentions a busy database.
func expectStatus(want ...int) CheckFunc {
	return func(status int, body []byte) string {
		if isBusyBytes(body) {
			return "response mentions a locked/busy database"
		}
		for _, w := range want {
			if status == w {
				return ""
			}
		}
		if status >= 500 {
			return fmt.Sprintf("status %d (server error)", status)
		}
		return fmt.Sprintf("status %d", status)
	}
}

// samplePageCheck reads every failed answer's body but only one 200 page
// in eight. Scanning every 70 KB page for "database is locked" was a
// quarter of the generator's CPU, taken from the server it measures; a
// page that shows a busy database at all shows it in thousands of
// answers, and the server's log is checked for it in full.
func samplePageCheck(check CheckFunc) CheckFunc {
	var n atomic.Uint64
	return func(status int, body []byte) string {
		if status == http.StatusOK && n.Add(1)%8 != 0 {
			return check(status, nil)
		}
		return check(status, body)
	}
}

// pagerParams are query parameters a members pager may use, in preference order.
var pagerParams = []string{"page", "offset", "after", "cursor", "before"}

// pagerLink finds the members pager link of a kind ("next", "prev",
// "last") by rel or by its text.
func pagerLink(links []Link, listPath, kind string) *url.URL {
	words := map[string][]string{
		"next": {"next", "older", "next page"},
		"prev": {"previous", "prev", "newer", "previous page"},
		"last": {"last", "last page"},
	}[kind]
	arrows := map[string]string{"next": "›»→", "prev": "‹«←"}[kind]
	for _, l := range links {
		u, err := url.Parse(l.Href)
		if err != nil || (u.Path != listPath && u.Path != "") || u.RawQuery == "" {
			continue
		}
		if strings.Contains(l.Rel, kind) {
			return u
		}
		// The whole text must be the word ("Last active" is a sort link, not the pager).
		t := strings.TrimSpace(strings.ToLower(l.Text))
		bare := strings.TrimSpace(strings.Trim(t, "›»→‹«← "))
		for _, w := range words {
			if bare == w {
				return u
			}
		}
		if bare == "" && arrows != "" && strings.ContainsAny(t, arrows) {
			return u
		}
	}
	return nil
}

// deepMembersPath finds a page deep in the members list from the pager:
// ?page=N becomes Env.DeepPage, ?offset=N three quarters of the list; a
// keyset pager (cursors) cannot be jumped into, so the deep page is the one
// before the last, reached through its "Last" then "Previous" links — a real
// cursor at the far end of the list. -deep-path overrides all of this.
func deepMembersPath(e *Env) (string, error) {
	if e.DeepPath != "" {
		return e.DeepPath, nil
	}
	first := e.org("/settings/members")
	owner := e.Actors["owner"]
	body, err := probe(e, owner, first)
	if err != nil {
		return "", err
	}
	_, links := ParsePage(body)
	next := pagerLink(links, first, "next")
	if next == nil {
		return "", fmt.Errorf("no next-page link on %s (pass -deep-path)", first)
	}
	q := next.Query()
	switch {
	case q.Has("page"):
		q.Set("page", strconv.Itoa(e.DeepPage))
		return first + "?" + q.Encode(), nil
	case q.Has("offset"):
		q.Set("offset", strconv.Itoa(e.Info.Members*3/4))
		return first + "?" + q.Encode(), nil
	}
	last := pagerLink(links, first, "last")
	if last == nil {
		return "", fmt.Errorf("the members pager is %q: no page number, offset or Last link (pass -deep-path)", next.String())
	}
	lastPath := first + "?" + last.RawQuery
	body, err = probe(e, owner, lastPath)
	if err != nil {
		return "", err
	}
	_, links = ParsePage(body)
	if prev := pagerLink(links, first, "prev"); prev != nil {
		return first + "?" + prev.RawQuery, nil
	}
	return lastPath, nil
}

// preparePermSave loads each worker's group edit form and returns a save
// that alternates between the form as loaded and the same form with one
// more permission ticked, so every save is a real change. Each worker has
// its own group (SaveGroups holds enough for 64 connections).
func preparePermSave(env *Env, conns int) (NextFunc, error) {
	a := env.Actors["owner"]
	groups := env.Info.SaveGroups
	if len(groups) == 0 {
		return nil, errors.New("the seed has no custom groups")
	}
	type target struct {
		path string
		a, b url.Values
	}
	// The two saves of each target are serialized once, as for the GETs
	// (repeatGet): encoding a form of a hundred fields per request was
	// generator CPU taken from the server under test.
	type wired struct {
		req  *http.Request // for its method and host; its body is spent
		wire []byte
	}
	serialize := func(path string, v url.Values) (wired, error) {
		req, err := a.PostForm(env.Base, path, v)
		if err != nil {
			return wired{}, err
		}
		req.Header.Set("HX-Request", "true") // the grid posts with htmx in a browser
		b, err := wireBytes(req)
		return wired{req, b}, err
	}
	targets := make([]*target, min(conns, len(groups)))
	for i := range targets {
		path := env.org("/settings/groups/" + strconv.FormatInt(groups[i], 10))
		body, err := probe(env, a, path)
		if err != nil {
			return nil, err
		}
		forms, _ := ParsePage(body)
		f, ok := FindForm(forms, path)
		if !ok {
			return nil, fmt.Errorf("no form posting to %s on its page", path)
		}
		va := f.Values()
		vb := url.Values{}
		for k, v := range va {
			vb[k] = append([]string(nil), v...)
		}
		added := false
		for _, fl := range f.Fields {
			if fl.Type == "checkbox" && fl.Name == "perm" && !fl.Checked && !fl.Disabled && fl.Value != "" {
				vb.Add(fl.Name, fl.Value)
				added = true
				break
			}
		}
		if !added {
			return nil, fmt.Errorf("the form of %s has no unticked permission to toggle", path)
		}
		targets[i] = &target{path: path, a: va, b: vb}
	}
	// Check that the route takes a save (a GET-only route answers 405).
	t0 := targets[0]
	req, err := a.PostForm(env.Base, t0.path, t0.b)
	if err != nil {
		return nil, err
	}
	req.Header.Set("HX-Request", "true")
	status, body, err := fetch(req)
	switch {
	case err != nil:
		return nil, err
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return nil, &missingError{"POST " + t0.path}
	case status >= 400:
		return nil, fmt.Errorf("POST %s answered %d: %s", t0.path, status, refusalText(body))
	}
	wires := make([][2]wired, len(targets))
	for i, t := range targets {
		for j, v := range []url.Values{t.a, t.b} {
			if wires[i][j], err = serialize(t.path, v); err != nil {
				return nil, err
			}
		}
	}
	saves := make([]int, conns) // per worker: only worker w touches saves[w]
	saves[0] = 1                // the probe left group 0 in state b
	check := expectStatus(200, 201, 204, 302, 303)
	return func(w, i int) (Op, error) {
		// Odd saves go back to the form as loaded, even ones tick one more.
		x := wires[w%len(wires)][1-saves[w]%2]
		saves[w]++
		return Op{Req: x.req, Wire: x.wire, Check: check}, nil
	}, nil
}

// preparePoll is the live thread's poll when nothing is new: 204, the auth
// query its only query.
func preparePoll(env *Env, conns int) (NextFunc, error) {
	if env.Info.LongChat == 0 {
		return nil, &missingError{"/chats (no conversations seeded)"}
	}
	a := env.Actors["agent"]
	req, err := a.Get(env.Base, env.org(fmt.Sprintf("/chats/%d/messages?after=%d", env.Info.LongChat, env.Info.LongChatLast)))
	if err != nil {
		return nil, err
	}
	status, _, err := fetch(req)
	switch {
	case err != nil:
		return nil, err
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return nil, &missingError{req.URL.Path}
	case status != http.StatusNoContent:
		return nil, fmt.Errorf("poll answered %d, want 204", status)
	}
	return repeatGet(req, expectStatus(http.StatusNoContent))
}
