package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Browser timing: the whole browser part of one test, one action (a wrong
// selector fails after this instead of eating the test's budget), startup.
const (
	browserTestTimeout   = 60 * time.Second
	browserActionTimeout = 15 * time.Second
	browserStartTimeout  = 30 * time.Second
)

// Browser is one headless Chromium process with one tab, owned by one test.
// Its helpers fail the test on error. Console errors, uncaught exceptions,
// CSP violations and failed static assets fail the test too: the app must run
// with zero JS errors under its CSP.
type Browser struct {
	t        testing.TB
	ctx      context.Context // the tab; lives until the test's cleanup
	deadline time.Time

	mu       sync.Mutex
	problems []string // console errors etc., in arrival order
	reported int      // problems[:reported] were already reported
	done     bool     // the test is over: stop logging to t
	urls     map[network.RequestID]string
	output   bytes.Buffer
}

// installChromium says what to do about a missing browser (`make test`
// runs .ci/ensure-chromium, which installs it where it can).
const installChromium = "Install it with: sudo apt-get update && sudo apt-get install -y chromium " +
	"(or set CHROME_PATH to a Chromium or Chrome binary); `make test` does this itself when run as root or with passwordless sudo"

// chromeNames are looked up on PATH, in order, when $CHROME_PATH is unset.
var chromeNames = []string{"chromium", "chromium-browser", "google-chrome"}

// FindChrome returns the browser binary: $CHROME_PATH when set (and only it,
// so setting it to a bad path forces "not found"), else the first of
// chromium, chromium-browser, google-chrome on PATH.
func FindChrome() (string, error) {
	if p, ok := os.LookupEnv("CHROME_PATH"); ok && p != "" {
		full, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("CHROME_PATH=%q: %w", p, err)
		}
		return full, nil
	}
	for _, name := range chromeNames {
		if full, err := exec.LookPath(name); err == nil {
			return full, nil
		}
	}
	return "", fmt.Errorf("none of %s on PATH and CHROME_PATH unset", strings.Join(chromeNames, ", "))
}

// NewBrowser starts a fresh headless Chromium for this test (own profile in
// t.TempDir(), kept off the network but for localhost) and opens a tab. With
// no browser installed it skips the test, or fails it when $CI is set.
// On failure, t.Cleanup saves a screenshot and the HTML to tests/artifacts.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	path, err := FindChrome()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v. %s", err, installChromium)
		}
		t.Skipf("browser test skipped, no Chromium: %v. %s", err, installChromium)
	}

	b := &Browser{t: t, deadline: time.Now().Add(browserTestTimeout), urls: map[network.RequestID]string{}}
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if td, ok := d.Deadline(); ok && td.Add(-5*time.Second).Before(b.deadline) {
			b.deadline = td.Add(-5 * time.Second) // leave time for the artifacts
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // root in containers
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.NoFirstRun,
		// Every name but localhost fails to resolve: nothing leaves the machine.
		chromedp.Flag("host-resolver-rules",
			"MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE *.localhost"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&lockedWriter{mu: &b.mu, w: &b.output}),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithListener(b.onEvent),
		chromedp.WithErrorf(b.logf),
		chromedp.WithLogf(func(string, ...any) {}),
	)
	b.ctx = tabCtx

	// The first action starts the browser and binds it to the context it is
	// given, so give it the tab context and time it out from here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tabCtx) }()
	select {
	case err = <-started:
	case <-time.After(browserStartTimeout):
		err = errors.New("timed out")
	}
	if err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("testkit: start %s: %v\n%s", path, err, b.chromeOutput())
	}

	// Artifacts of an earlier failed run of this test would mislead.
	if dir, err := artifactDir(); err == nil {
		base := filepath.Join(dir, ArtifactName(t.Name()))
		os.Remove(base + ".png")
		os.Remove(base + ".html")
	}

	t.Cleanup(func() {
		b.checkConsole()
		if t.Failed() {
			b.saveArtifacts(t.Name())
		}
		b.mu.Lock()
		b.done = true
		b.mu.Unlock()
		cancelTab()
		cancelAlloc() // waits for the process to exit
	})

	// The window is 1280x900, but headless Chromium keeps part of it for its
	// (invisible) browser UI: pin the viewport so screenshots are stable.
	b.SetViewport(1280, 900, false)
	return b
}

// onEvent runs in the tab's event loop: record, never block.
func (b *Browser) onEvent(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		p = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			p += " " + firstLine(d.Exception.Description)
		}
		p += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				}
			}
			p = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		// Network errors of documents and XHRs are app answers (404 pages,
		// 422 forms); failed assets are caught from the network events below.
		if e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork {
			p = fmt.Sprintf("console %s error: %s", e.Source, e.Text)
			if e.URL != "" {
				p += " (" + e.URL + ")"
			}
		}
	case *network.EventResponseReceived:
		if isAsset(ev.Type) && ev.Response.Status >= 400 {
			p = fmt.Sprintf("asset %s answered %d", ev.Response.URL, ev.Response.Status)
		}
	case *network.EventRequestWillBeSent:
		b.mu.Lock()
		b.urls[ev.RequestID] = ev.Request.URL
		b.mu.Unlock()
	case *network.EventLoadingFailed:
		b.mu.Lock()
		url := b.urls[ev.RequestID]
		b.mu.Unlock()
		switch {
		case ev.BlockedReason != "": // CSP, mixed content, ...
			p = fmt.Sprintf("request blocked (%s): %s", ev.BlockedReason, url)
		case isAsset(ev.Type) && !ev.Canceled:
			p = fmt.Sprintf("asset failed to load (%s): %s", ev.ErrorText, url)
		}
	}
	if p == "" {
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, p)
	b.mu.Unlock()
}

func isAsset(t network.ResourceType) bool {
	switch t {
	case network.ResourceTypeStylesheet, network.ResourceTypeScript, network.ResourceTypeImage, network.ResourceTypeFont:
		return true
	}
	return false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// checkConsole fails the test once for every problem not reported yet.
func (b *Browser) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	fresh := b.problems[b.reported:]
	b.reported = len(b.problems)
	b.mu.Unlock()
	for _, p := range fresh {
		b.t.Errorf("browser: %s", p)
	}
}

// ConsoleProblems returns every console error, exception, CSP violation and
// failed asset seen so far (all of them also fail the test).
func (b *Browser) ConsoleProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

func (b *Browser) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.t.Logf("chromedp: "+format, args...)
	}
}

func (b *Browser) chromeOutput() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.output.String()
}

// Ctx is the tab's chromedp context, for actions the helpers do not cover.
// It has no deadline; use b.Do to get one.
func (b *Browser) Ctx() context.Context { return b.ctx }

// actionCtx bounds one action by the per-action and the per-test limits.
func (b *Browser) actionCtx() (context.Context, context.CancelFunc) {
	d := time.Now().Add(browserActionTimeout)
	if b.deadline.Before(d) {
		d = b.deadline
	}
	return context.WithDeadline(b.ctx, d)
}

// Do runs chromedp actions on the tab and fails the test on error.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	err := chromedp.Do(ctx, actions...)
	b.checkConsole()
	if err != nil {
		b.fail(what, err)
	}
}

// response runs actions that navigate and returns the document's HTTP status.
func (b *Browser) response(what string, actions ...chromedp.Action[chromedp.Void]) int {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	b.checkConsole()
	if err != nil {
		b.fail(what, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

func (b *Browser) fail(what string, err error) {
	b.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (action limit %s, test limit %s)", err, browserActionTimeout, browserTestTimeout)
	}
	b.t.Fatalf("browser: %s: %v (page: %s)", what, err, b.locationOrErr())
}

func (b *Browser) locationOrErr() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}

// Navigate opens url, waits for the page to load and returns its HTTP status.
func (b *Browser) Navigate(url string) int {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	b.checkConsole()
	if err != nil {
		b.fail("navigate "+url, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Fill replaces the value of the input matched by the CSS selector as a user
// would: focus, select all, type (input events fire). The text goes in one
// protocol call rather than one per key.
func (b *Browser) Fill(sel, value string) {
	b.t.Helper()
	typed := chromedp.KeyEvent(kb.Delete) // an empty value: delete the selection
	if value != "" {
		typed = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: value})
			return err
		})
	}
	b.Do("fill "+sel, htmxIdle,
		chromedp.Focus(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
		typed)
}

// Type sends key events for every character of keys to the element (for
// keyboard behaviour; Fill is faster for plain values).
func (b *Browser) Type(sel, keys string) {
	b.t.Helper()
	b.Do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), keys, chromedp.NodeVisible))
}

// Click clicks the visible element matched by the CSS selector and does not
// wait for anything it causes (use ClickNav for links and buttons that load
// a page).
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Do("click "+sel, htmxIdle, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// htmxIdle waits until htmx has no request in flight and has finished
// swapping and settling. Settling wires up new content and focuses its
// [autofocus] field: a Fill that focused its field before then typed into
// the autofocused one instead.
var htmxIdle = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for {
		busy, err := chromedp.Evaluate[bool](htmxBusyExpr)(ctx, t)
		if err != nil {
			return err
		}
		if !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("htmx still busy: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
})

const htmxBusyExpr = `!!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')`

// ClickNav clicks an element that loads a new page, waits for it and returns
// its HTTP status.
func (b *Browser) ClickNav(sel string) int {
	b.t.Helper()
	return b.response("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Submit clicks the submit button of the form matched by the CSS selector
// (so browser validation and submit handlers run, as for a user), waits for
// the page it loads and returns its HTTP status.
func (b *Browser) Submit(formSel string) int {
	b.t.Helper()
	return b.ClickNav(formSel + " [type=submit]")
}

// WaitVisible waits until the element matched by the CSS selector is visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	b.Do("wait visible "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Text is the visible text (innerText) of the element matched by the CSS
// selector, waiting for it to exist.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	b.checkConsole()
	if err != nil {
		b.fail("text of "+sel, err)
	}
	return s
}

// Location is the current URL.
func (b *Browser) Location() string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	return loc
}

// WaitURL waits until the current URL starts with prefix and returns it. It
// polls from Go, so it survives the navigations it waits for.
func (b *Browser) WaitURL(prefix string) string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	loc := ""
	for {
		if l, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
			loc = l
			if strings.HasPrefix(loc, prefix) {
				b.checkConsole()
				return loc
			}
		}
		select {
		case <-ctx.Done():
			b.checkConsole()
			b.fail("wait for URL "+prefix, fmt.Errorf("%w; last URL %q", ctx.Err(), loc))
			return loc
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// WaitText waits until the visible text of the element matched by the CSS
// selector contains want (an htmx swap, a flash after a redirect) and
// returns it. Like WaitURL it polls from Go, so navigations in between do
// no harm. It also waits for htmx to finish swapping and settling: until
// then, new content is in the page but htmx has not wired it up, and a
// click on a new button would submit its form the plain way.
func (b *Browser) WaitText(sel, want string) string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	sq, _ := json.Marshal(sel)
	expr := `(() => { const e = document.querySelector(` + string(sq) + `);
		if (!e || ` + htmxBusyExpr + `) return null;
		return e.innerText })()`
	last := "(no such element)"
	for {
		if s, err := chromedp.Run(ctx, chromedp.Evaluate[*string](expr)); err == nil && s != nil {
			last = *s
			if strings.Contains(last, want) {
				b.checkConsole()
				return last
			}
		}
		select {
		case <-ctx.Done():
			b.checkConsole()
			b.fail("wait for "+sel, fmt.Errorf("%w; want text %q, last %q", ctx.Err(), want, last))
			return last
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Eval evaluates a JavaScript expression and decodes its JSON value into out.
func (b *Browser) Eval(expr string, out any) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	b.checkConsole()
	if err != nil {
		b.fail("eval "+expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.fail("eval "+expr, err)
		}
	}
}

// SetViewport emulates a viewport of w×h CSS pixels; mobile also emulates a
// phone (meta viewport honoured, touch).
func (b *Browser) SetViewport(w, h int, mobile bool) {
	b.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	b.Do(fmt.Sprintf("viewport %dx%d", w, h), chromedp.EmulateViewport(int64(w), int64(h), opts...))
}

// Screenshot saves a full-page PNG to path (directories are created).
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = writeFile(path, png)
	}
	if err != nil {
		b.fail("screenshot", err)
	}
}

// HTML is the current document's outer HTML.
func (b *Browser) HTML() string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		b.fail("html", err)
	}
	return html
}

// ArtifactPath is tests/artifacts/<name> in the module root; the directory
// is created and gitignored.
func ArtifactPath(t testing.TB, name string) string {
	t.Helper()
	dir, err := artifactDir()
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	return filepath.Join(dir, name)
}

func artifactDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
	dir = filepath.Join(dir, "tests", "artifacts")
	return dir, os.MkdirAll(dir, 0o755)
}

// ArtifactName turns a test name into a file name ("TestA/sub" → "TestA_sub").
func ArtifactName(testName string) string {
	return strings.NewReplacer("/", "_", " ", "_", "#", "_").Replace(testName)
}

// saveArtifacts writes <name>.png and <name>.html of the current page; it
// only logs its own errors (the test has already failed).
func (b *Browser) saveArtifacts(name string) {
	dir, err := artifactDir()
	if err != nil {
		b.t.Logf("browser: no artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, ArtifactName(name))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	// A failure in the middle of a navigation can meet an empty page: retry.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	for i := 0; err != nil && i < 3 && ctx.Err() == nil; i++ {
		time.Sleep(300 * time.Millisecond)
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	if err != nil {
		b.t.Logf("browser: no screenshot: %v", err)
	} else if err := writeFile(base+".png", png); err != nil {
		b.t.Logf("browser: %v", err)
	} else {
		b.t.Logf("browser: screenshot of the failure: %s.png", base)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil {
		b.t.Logf("browser: no HTML: %v", err)
	} else if err := writeFile(base+".html", []byte(html)); err != nil {
		b.t.Logf("browser: %v", err)
	} else {
		b.t.Logf("browser: HTML of the failure: %s.html", base)
	}
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// lockedWriter guards the browser's output buffer (written by exec's copier).
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 64<<10 {
		return len(p), nil // keep the start, where launch errors are
	}
	return l.w.Write(p)
}
