package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
)

// serveThrough runs one request through the admission middleware.
func serveThrough(ad *Admission, req *http.Request, h echo.HandlerFunc) *httptest.ResponseRecorder {
	e := echo.New()
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	if err := ad.Middleware(h)(c); err != nil {
		if de := domain.AsError(err); de != nil {
			// What handleError does with a refusal, without the page.
			SetRetryAfter(c, de)
			_ = c.NoContent(de.Status())
			return rec
		}
		e.DefaultHTTPErrorHandler(err, c)
	}
	return rec
}

// waitFor polls until cond holds (the queue's state changes on other
// goroutines); it fails the test after a generous bound.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// occupy takes the only page slot of ad with a handler that blocks until
// the returned function is called.
func occupy(t *testing.T, ad *Admission) (free func()) { return occupyLane(t, ad, "GET", ad.slots) }

// occupyWrite takes the only write slot the same way.
func occupyWrite(t *testing.T, ad *Admission) (free func()) {
	return occupyLane(t, ad, "POST", ad.writes)
}

func occupyLane(t *testing.T, ad *Admission, method string, lane chan struct{}) (free func()) {
	hold, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		serveThrough(ad, httptest.NewRequest(method, "/o/acme/groups/1", nil), func(echo.Context) error { <-hold; return nil })
	}()
	waitFor(t, "the first request holds the slot", func() bool { return len(lane) == 1 })
	return func() { close(hold); <-done }
}

func TestAdmissionServesQueuedRequestsInArrivalOrder(t *testing.T) {
	ad := NewAdmission(1, 1, time.Minute)
	free := occupy(t, ad)
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveThrough(ad, httptest.NewRequest("GET", "/o/acme", nil), func(echo.Context) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			})
		}()
		// The next one arrives only once this one is queued.
		waitFor(t, "request queued", func() bool { return ad.waiting.Load() == int64(i+1) })
	}
	free()
	wg.Wait()
	checkArrivalOrder(t, "queued requests", order, 6)
}

// checkArrivalOrder fails unless order is 0, 1, …, n-1.
func checkArrivalOrder(t *testing.T, what string, order []int, n int) {
	t.Helper()
	if len(order) != n {
		t.Fatalf("%d of %d %s ran", len(order), n, what)
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("%s ran in order %v, want arrival order", what, order)
		}
	}
}

func TestAdmissionTurnsAwayAfterTheLongestWait(t *testing.T) {
	ad := NewAdmission(1, 1, 30*time.Millisecond)
	free := occupy(t, ad)
	defer free()
	ran := false
	rec := serveThrough(ad, httptest.NewRequest("GET", "/o/acme", nil), func(echo.Context) error { ran = true; return nil })
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || ran {
		t.Errorf("after the longest wait: status %d, Retry-After %q, handler ran %v; want 503, a Retry-After, not run",
			rec.Code, rec.Header().Get("Retry-After"), ran)
	}
	if ad.waiting.Load() != 0 {
		t.Errorf("%d requests still counted as queued", ad.waiting.Load())
	}
}

func TestAdmissionForgetsAClientThatLeft(t *testing.T) {
	ad := NewAdmission(1, 1, time.Minute)
	free := occupy(t, ad)
	defer free()
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	got := make(chan int)
	go func() {
		req := httptest.NewRequest("GET", "/o/acme", nil).WithContext(ctx)
		got <- serveThrough(ad, req, func(echo.Context) error { ran = true; return nil }).Code
	}()
	waitFor(t, "request queued", func() bool { return ad.waiting.Load() == 1 })
	cancel()
	if code := <-got; code != StatusClientClosed || ran {
		t.Errorf("client left while queued: status %d, handler ran %v; want %d and not run", code, ran, StatusClientClosed)
	}
}

func TestAdmissionLetsAssetsHealthChecksAndWritesPass(t *testing.T) {
	ad := NewAdmission(1, 1, 20*time.Millisecond)
	free := occupy(t, ad)
	defer free()
	for _, req := range []struct{ method, path string }{{"GET", "/static/app.css"}, {"GET", "/healthz"}, {"POST", "/o/acme/groups/1"}} {
		rec := serveThrough(ad, httptest.NewRequest(req.method, req.path, nil), func(c echo.Context) error { return c.String(200, "ok") })
		if rec.Code != 200 {
			t.Errorf("%s %s with the page queue full: %d, want 200 at once", req.method, req.path, rec.Code)
		}
	}
	// A page does queue (and here is turned away), so the full queue was real.
	if rec := serveThrough(ad, httptest.NewRequest("GET", "/o/acme", nil), func(echo.Context) error { return nil }); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("a page with the queue full: %d, want 503", rec.Code)
	}
}

// Writes queue in a lane of their own: in arrival order behind a write,
// while pages pass.
func TestAdmissionQueuesWritesInTheirOwnLane(t *testing.T) {
	ad := NewAdmission(1, 1, time.Minute)
	hold, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		serveThrough(ad, httptest.NewRequest("POST", "/o/acme/groups/1", nil), func(echo.Context) error { <-hold; return nil })
	}()
	waitFor(t, "the first write holds the write slot", func() bool { return len(ad.writes) == 1 })
	if rec := serveThrough(ad, httptest.NewRequest("GET", "/o/acme", nil), func(c echo.Context) error { return c.String(200, "ok") }); rec.Code != 200 {
		t.Errorf("a page while a write holds its lane: %d, want 200 at once", rec.Code)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveThrough(ad, httptest.NewRequest("POST", "/o/acme/groups/1", nil), func(echo.Context) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			})
		}()
		waitFor(t, "write queued", func() bool { return ad.waiting.Load() == int64(i+1) })
	}
	close(hold)
	<-done
	wg.Wait()
	checkArrivalOrder(t, "queued writes", order, 4)
}

// The slot is given back before writing a rendered page to the client.
func TestSlotIsGivenBackBeforeWriting(t *testing.T) {
	page := templ.ComponentFunc(func(_ context.Context, w io.Writer) error { _, err := io.WriteString(w, "<p>hi</p>"); return err })
	for name, work := range map[string]func(echo.Context) error{
		"render": func(c echo.Context) error { return Render(c, 200, page, nil) },
	} {
		ad := NewAdmission(1, 1, time.Minute)
		held := -1
		rec := serveThrough(ad, httptest.NewRequest("GET", "/o/acme", nil), func(c echo.Context) error {
			if len(ad.slots) != 1 {
				t.Fatalf("%s: the handler runs without holding a slot", name)
			}
			err := work(c)
			held = len(ad.slots)
			return err
		})
		if rec.Code != 200 || held != 0 {
			t.Errorf("%s: status %d, slots held after it %d; want 200 and 0", name, rec.Code, held)
		}
	}
}

// A write whose body is still arriving does not hold the write lane (it
// is read before the request queues), and an upload larger than a form
// is not queued at all.
func TestAdmissionSlowBodiesDoNotHoldTheWriteLane(t *testing.T) {
	ad := NewAdmission(1, 1, 50*time.Millisecond)
	pr, pw := io.Pipe()
	reading := make(chan struct{})
	slowDone := make(chan int)
	go func() {
		req := httptest.NewRequest("POST", "/o/acme/groups/1", &firstRead{r: pr, started: reading})
		req.ContentLength = 11
		slowDone <- serveThrough(ad, req, func(c echo.Context) error {
			b, _ := io.ReadAll(c.Request().Body)
			return c.String(200, string(b))
		}).Code
	}()
	<-reading // the server is reading a body the client has not sent yet
	time.Sleep(10 * time.Millisecond)
	if len(ad.writes) != 0 {
		t.Fatal("a request still sending its body holds a write slot")
	}
	quick := httptest.NewRequest("POST", "/o/acme/groups/2", strings.NewReader("name=x"))
	if rec := serveThrough(ad, quick, func(c echo.Context) error { return c.String(200, "ok") }); rec.Code != 200 {
		t.Errorf("a write behind a slow body: %d, want 200 at once", rec.Code)
	}
	io.WriteString(pw, "hello world")
	pw.Close()
	if code := <-slowDone; code != 200 {
		t.Errorf("the slow write itself: %d, want 200 with its body intact", code)
	}

	// With the lane full, an upload passes and a form waits (here: is turned away).
	free := occupyWrite(t, ad)
	defer free()
	upload := httptest.NewRequest("POST", "/o/acme/settings/import", strings.NewReader(strings.Repeat("x", maxQueuedBody+1)))
	if rec := serveThrough(ad, upload, func(c echo.Context) error { return c.String(200, "ok") }); rec.Code != 200 {
		t.Errorf("an upload with the write lane full: %d, want 200 (not queued)", rec.Code)
	}
	form := httptest.NewRequest("POST", "/o/acme/groups/2", strings.NewReader("name=x"))
	if rec := serveThrough(ad, form, func(echo.Context) error { return nil }); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("a form with the write lane full: %d, want 503 after the wait", rec.Code)
	}
}

// firstRead closes started when its first Read begins.
type firstRead struct {
	r       io.Reader
	started chan struct{}
	once    sync.Once
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.once.Do(func() { close(f.started) })
	return f.r.Read(p)
}

// The write lane is writeLaneFactor times wider than the page lane unless
// told otherwise: the writer commits the saves that reach it together.
func TestAdmissionWriteLaneWidth(t *testing.T) {
	for _, tc := range []struct{ active, writes, wantReads, wantWrites int }{
		{2, 0, 2, 2 * writeLaneFactor},
		{3, 0, 3, 3 * writeLaneFactor},
		{2, 1, 2, 1},
		{0, 0, defaultActive(), defaultActive() * writeLaneFactor},
	} {
		ad := NewAdmission(tc.active, tc.writes, time.Minute)
		if cap(ad.slots) != tc.wantReads || cap(ad.writes) != tc.wantWrites {
			t.Errorf("NewAdmission(%d, %d): %d page slots and %d write slots, want %d and %d",
				tc.active, tc.writes, cap(ad.slots), cap(ad.writes), tc.wantReads, tc.wantWrites)
		}
	}
}
