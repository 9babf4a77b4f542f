package testkit

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// selfTestCSP is the app's policy: no inline script or style.
const selfTestCSP = "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'"

// selfTestServer serves a form that posts and redirects, a 404 page, and a
// page that breaks every console rule.
func selfTestServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Security-Policy", selfTestCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title><link rel="stylesheet" href="/s.css"></head><body>%s</body></html>`, body)
	}
	mux.HandleFunc("GET /s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, `.hidden{display:none} details:not([open]) .menu{display:none}`)
	})
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		page(w, 200, `<form id="f" method="post" action="/form">
			<input name="name" id="name" value="old">
			<details id="menu"><summary>Menu</summary><p class="menu" id="item">Item</p></details>
			<p id="late" class="hidden">late</p>
			<button type="submit">Go</button></form>`)
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/done?name="+url.QueryEscape(r.FormValue("name")), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		page(w, 200, `<h1 id="hello">Hello `+html.EscapeString(r.FormValue("name"))+`</h1>`)
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		page(w, 200, `<p style="color:red">inline style</p><script>document.title="inline"</script>
			<button onclick="x()">b</button><img src="/missing.png" alt=""><script src="/throw.js"></script>`)
	})
	mux.HandleFunc("GET /wait", func(w http.ResponseWriter, r *http.Request) {
		page(w, 200, `<p id="late">waiting</p><script src="/late.js"></script>`)
	})
	mux.HandleFunc("GET /late.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `setTimeout(() => { document.getElementById("late").textContent = "arrived" }, 200);
			setTimeout(() => { location.href = "/done?name=Nav" }, 400);`)
	})
	mux.HandleFunc("GET /throw.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		// The click runs the inline handler: newer Chromium reports a blocked
		// handler when it would run, not when the page is parsed.
		fmt.Fprint(w, `document.querySelector("button").click(); console.error("oops", 42); throw new Error("boom");`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		page(w, 404, `<h1>Not found</h1>`)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestBrowserHelpers(t *testing.T) {
	ts := selfTestServer(t)
	b := NewBrowser(t)

	if st := b.Navigate(ts.URL + "/form"); st != 200 {
		t.Fatalf("status %d, want 200", st)
	}
	if st := b.Navigate(ts.URL + "/nope"); st != 404 {
		t.Fatalf("status %d, want 404 (a 404 document is an answer, not a console problem)", st)
	}
	b.Navigate(ts.URL + "/form")
	b.Click("#menu > summary")
	b.WaitVisible("#item")
	if got := b.Text("#item"); got != "Item" {
		t.Fatalf("text %q", got)
	}
	b.Fill("#name", "typed first")
	b.Fill("#name", "")
	var v string
	b.Eval(`document.getElementById("name").value`, &v)
	if v != "" {
		t.Fatalf("Fill with \"\" left %q", v)
	}
	b.Fill("#name", "Ada & Bob") // replaces what was typed
	if st := b.Submit("#f"); st != 200 {
		t.Fatalf("submit status %d", st)
	}
	if got := b.WaitURL(ts.URL + "/done"); !strings.Contains(got, "name=Ada") {
		t.Fatalf("url %q", got)
	}
	if got := b.Text("#hello"); got != "Hello Ada & Bob" {
		t.Fatalf("after submit: %q (Fill must replace the old value)", got)
	}
	if loc := b.Location(); !strings.HasPrefix(loc, ts.URL+"/done?") {
		t.Fatalf("location %q", loc)
	}
	var size [2]int
	b.Eval(`[window.innerWidth, window.innerHeight]`, &size)
	if size != [2]int{1280, 900} {
		t.Fatalf("viewport %v, want 1280x900", size)
	}
	var width int
	b.SetViewport(390, 844, true)
	b.Eval(`window.innerWidth`, &width)
	if width != 390 {
		t.Fatalf("innerWidth %d after SetViewport, want 390", width)
	}
	if h := b.HTML(); !strings.Contains(h, `id="hello"`) {
		t.Fatalf("HTML: %s", h)
	}
	shot := filepath.Join(t.TempDir(), "a", "shot.png")
	b.Screenshot(shot)
	if data, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Fatalf("screenshot: %v, %d bytes", err, len(data))
	}
	// WaitText waits for a change, and through a navigation.
	b.Navigate(ts.URL + "/wait")
	if got := b.WaitText("#late", "arrived"); got != "arrived" {
		t.Fatalf("WaitText: %q", got)
	}
	b.WaitText("#hello", "Hello Nav")

	if p := b.ConsoleProblems(); len(p) > 0 {
		t.Fatalf("clean pages reported problems: %q", p)
	}
}

// The browser stays off the network: only localhost names resolve.
func TestBrowserOffline(t *testing.T) {
	ts := selfTestServer(t)
	b := NewBrowser(t)
	_, err := chromedp.Run(b.Ctx(), chromedp.NavigateResponse("http://example.com/"))
	if err == nil || !strings.Contains(err.Error(), "ERR_NAME_NOT_RESOLVED") {
		t.Fatalf("example.com: err %v, want ERR_NAME_NOT_RESOLVED", err)
	}
	// *.localhost is loopback (subdomain tests rely on it).
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	if st := b.Navigate("http://acme.localhost:" + port + "/form"); st != 200 {
		t.Fatalf("acme.localhost: status %d", st)
	}
}

// A page with inline script/style/handlers under CSP, a console.error and an
// uncaught exception fails the test, and the failure leaves a screenshot and
// the HTML in tests/artifacts.
func TestBrowserFailsOnConsoleProblems(t *testing.T) {
	if _, err := FindChrome(); err != nil {
		NewBrowser(t) // skips, or fails in CI
	}
	ts := selfTestServer(t)
	f := &fakeTB{TB: t, name: "TestBrowserSelfTest/expected_failure"}
	f.run(func(tb testing.TB) {
		b := NewBrowser(tb)
		b.Navigate(ts.URL + "/bad")
		b.WaitURL(ts.URL) // a later check still reports late arrivals
	})
	png := ArtifactPath(t, "TestBrowserSelfTest_expected_failure.png")
	htm := ArtifactPath(t, "TestBrowserSelfTest_expected_failure.html")
	os.Remove(png)
	os.Remove(htm)
	f.runCleanups()
	t.Cleanup(func() { os.Remove(png); os.Remove(htm) })

	if f.fatal != "" || f.skip != "" {
		t.Fatalf("fatal %q skip %q", f.fatal, f.skip)
	}
	all := strings.Join(f.errors, "\n")
	for _, want := range []string{
		"Executing inline script violates",
		"Applying inline style violates",
		"Executing inline event handler violates",
		"console.error: oops 42",
		"uncaught exception: Uncaught Error: boom",
		"missing.png",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no error containing %q in:\n%s", want, all)
		}
	}
	if n := strings.Count(all, "Executing inline script violates"); n != 1 {
		t.Errorf("inline script reported %d times, want once", n)
	}
	logs := strings.Join(f.logs, "\n")
	for _, p := range []string{png, htm} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("artifact %s: %v", p, err)
		}
		if !strings.Contains(logs, p) {
			t.Errorf("the log does not name %s:\n%s", p, logs)
		}
	}
	if data, _ := os.ReadFile(htm); !bytes.Contains(data, []byte("inline style")) {
		t.Errorf("HTML artifact is not the page: %.200s", data)
	}
}

func TestNewBrowserWithoutChromium(t *testing.T) {
	t.Setenv("CHROME_PATH", filepath.Join(t.TempDir(), "no-such-chromium"))
	if _, err := FindChrome(); err == nil {
		t.Fatal("FindChrome found a browser at a path that does not exist")
	}

	t.Setenv("CI", "true")
	f := &fakeTB{TB: t, name: "ci"}
	f.run(func(tb testing.TB) { NewBrowser(tb); tb.Errorf("NewBrowser returned") })
	if !strings.Contains(f.fatal, "Chromium is required in CI") || f.skip != "" {
		t.Errorf("with CI: fatal %q skip %q, want a failure", f.fatal, f.skip)
	}

	t.Setenv("CI", "")
	f = &fakeTB{TB: t, name: "local"}
	f.run(func(tb testing.TB) { NewBrowser(tb); tb.Errorf("NewBrowser returned") })
	if f.skip == "" || f.fatal != "" || len(f.errors) > 0 {
		t.Errorf("without CI: skip %q fatal %q errors %q, want a skip", f.skip, f.fatal, f.errors)
	}
}

func TestArtifactName(t *testing.T) {
	if got := ArtifactName("TestA/sub case#01"); got != "TestA_sub_case_01" {
		t.Fatal(got)
	}
}

// fakeTB records failures and skips instead of acting on them, and keeps
// its cleanups for the test to run, so the harness's own failure paths can
// be checked.
type fakeTB struct {
	testing.TB
	name string

	mu          sync.Mutex
	errors      []string
	logs        []string
	fatal, skip string
	cleanups    []func()
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errors) > 0 || f.fatal != ""
}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skip = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Skip(args ...any) { f.Skipf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

// run calls fn on its own goroutine, so Fatal and Skip can end it.
func (f *fakeTB) run(fn func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
}

func (f *fakeTB) runCleanups() {
	f.run(func(testing.TB) {
		for i := len(f.cleanups) - 1; i >= 0; i-- {
			f.cleanups[i]()
		}
	})
}
