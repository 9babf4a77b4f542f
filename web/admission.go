package web

import (
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// admission lets a few requests run at once and queues the rest in arrival
// order. Without it, every open connection's handler runs concurrently and
// the Go scheduler and database/sql (which hands a freed connection to a
// random waiter) serve them in no particular order: under 64 busy
// connections on two cores, a members page took 20 ms at the median but
// 100 ms at p99. Queued first-come first-served, the same load gives about
// the same median and half that tail, and what is in flight (memory,
// database connections) stays bounded.
//
// A slot is held only while the request works: render gives it back before
// writing the page to the client and exports before streaming, so a slow
// client cannot hold the queue up. Writes are not queued here (see
// middleware), and neither is password hashing, which only POSTs do.
type admission struct {
	slots   chan struct{}
	maxWait time.Duration // longer in the queue: 503, the server is overloaded
	waiting atomic.Int64  // requests in the queue now (tests, metrics)
}

// defaultActive is one request per core Go uses (at least two, so one
// request's short waits overlap another's work): on the 2-core bench
// machine, two at a time gave the shortest tails and the most throughput,
// four and eight longer tails (customers p99 27, 40 and 59 ms at 64
// connections).
func defaultActive() int { return max(2, runtime.GOMAXPROCS(0)) }

// defaultMaxWait bounds the queue: a request that waited this long is
// turned away rather than served late.
const defaultMaxWait = 10 * time.Second

func newAdmission(active int, maxWait time.Duration) *admission {
	if active <= 0 {
		active = defaultActive()
	}
	if maxWait <= 0 {
		maxWait = defaultMaxWait
	}
	return &admission{slots: make(chan struct{}, active), maxWait: maxWait}
}

// statusClientClosed logs a request whose client left while it queued.
const statusClientClosed = 499

// slotKey is where a request keeps its slot (echo.Context store).
const slotKey = "gatehouse.slot"

// slot is one request's hold on the admission queue; giving it back twice
// is harmless.
type slot struct {
	once  sync.Once
	slots chan struct{}
}

func (s *slot) release() { s.once.Do(func() { <-s.slots }) }

// middleware queues page reads (GET and HEAD), except static assets and
// /healthz (a health check must answer even when the queue is full).
// Writes are not queued here: they queue for SQLite's one writer in
// arrival order (store.Write), and a write waiting for it must not hold
// up the reads behind it.
func (ad *admission) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead ||
			strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			return next(c)
		}
		select {
		case ad.slots <- struct{}{}: // a free slot: no timer needed
		default:
			if admitted, err := ad.wait(c); !admitted {
				return err
			}
		}
		s := &slot{slots: ad.slots}
		defer s.release()
		c.Set(slotKey, s)
		return next(c)
	}
}

// wait queues for a slot (a channel's blocked senders are served in
// order). Not admitted, the request has been answered or err says how.
func (ad *admission) wait(c echo.Context) (admitted bool, err error) {
	ad.waiting.Add(1)
	defer ad.waiting.Add(-1)
	t := time.NewTimer(ad.maxWait)
	defer t.Stop()
	select {
	case ad.slots <- struct{}{}:
		return true, nil
	case <-c.Request().Context().Done():
		// The client left: nothing to answer, and nothing went wrong here
		// (nginx's 499 in the log, not an error).
		return false, c.NoContent(statusClientClosed)
	case <-t.C:
		c.Response().Header().Set("Retry-After", "5")
		return false, echo.NewHTTPError(http.StatusServiceUnavailable, "The server is busy. Try again in a few seconds.")
	}
}

// releaseSlot gives the request's slot back early, before work that does
// not need the CPU (writing to a slow client). The request then finishes
// outside the queue.
func releaseSlot(c echo.Context) {
	if s, ok := c.Get(slotKey).(*slot); ok {
		s.release()
	}
}
