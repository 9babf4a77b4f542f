package app

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
)

// Admission lets a few requests run at once and queues the rest in arrival
// order. Without it, every open connection's handler runs concurrently and
// the Go scheduler and database/sql (which hands a freed connection to a
// random waiter) serve them in no particular order: under 64 busy
// connections on two cores, a members page took 20 ms at the median but
// 100 ms at p99. Queued first-come first-served, the same load gives about
// the same median and half that tail, and what is in flight (memory,
// database connections) stays bounded.
//
// Page reads (GET, HEAD) and everything else (saves, sign-ins) queue in two
// lanes, so a burst of saves never delays a page and the reverse. The
// write lane is wider (writeLaneFactor): what a save waits for is SQLite's
// one writer, whose goroutine commits the writes queued at the same time
// together (store/writer.go), so the more saves reach it at once, the less
// each one costs. With two at a time, a burst of saves at 64 connections
// ran at 2,500 a second with a p99 of 35–40 ms; with eight, 4,000–5,400 a
// second with a p99 of 21–27 ms on a quiet host, at three quarters of the
// CPU per save. Sign-ins in the lane hash passwords in slots of their own
// (the cores), at 19 MiB of memory each.
//
// A slot is held only while the request works: render gives it back before
// writing the page to the client and exports before streaming, so a slow
// client cannot hold the queue up.
type Admission struct {
	slots   chan struct{} // page reads (GET, HEAD)
	writes  chan struct{} // everything else, in a queue of its own
	maxWait time.Duration // longer in the queue: 503, the server is overloaded
	waiting atomic.Int64  // requests in the queues now (tests, metrics)
}

// defaultActive is one request per core Go uses (at least two, so one
// request's short waits overlap another's work): on the 2-core bench
// machine, two at a time gave the shortest tails and the most throughput,
// four and eight longer tails (customers p99 27, 40 and 59 ms at 64
// connections).
func defaultActive() int { return max(2, runtime.GOMAXPROCS(0)) }

// writeLaneFactor is how many writes run at once per page read.
const writeLaneFactor = 4

// defaultMaxWait bounds the queue: a request that waited this long is
// turned away rather than served late.
const defaultMaxWait = 10 * time.Second

// NewAdmission lets active page reads and writes writes run at once; 0
// for either: the default (writes: writeLaneFactor × active).
func NewAdmission(active, writes int, maxWait time.Duration) *Admission {
	if active <= 0 {
		active = defaultActive()
	}
	if writes <= 0 {
		writes = writeLaneFactor * active
	}
	if maxWait <= 0 {
		maxWait = defaultMaxWait
	}
	return &Admission{slots: make(chan struct{}, active), writes: make(chan struct{}, writes), maxWait: maxWait}
}

// StatusClientClosed logs a request whose client left while it queued.
const StatusClientClosed = 499

// slotKey is where a request keeps its slot (echo.Context store).
const slotKey = "gatehouse.slot"

// slot is one request's hold on the admission queue; giving it back twice
// is harmless.
type slot struct {
	once  sync.Once
	slots chan struct{}
}

func (s *slot) release() { s.once.Do(func() { <-s.slots }) }

// MayWrite reports whether r may change data: anything but a page read.
func MayWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

// Middleware queues every request in its lane, except static assets and
// /healthz (a health check must answer even when the queues are full).
func (ad *Admission) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			return next(c)
		}
		lane := ad.slots
		if MayWrite(r) {
			if r.ContentLength > maxQueuedBody || r.ContentLength < 0 {
				// An upload (a photo, an import) is not queued: a slow
				// client would hold a slot while it sends. It still
				// waits for SQLite's writer in arrival order.
				return next(c)
			}
			if err := readBodyFirst(r); err != nil {
				return err
			}
			lane = ad.writes
		}
		select {
		case lane <- struct{}{}: // a free slot: no timer needed
		default:
			if admitted, err := ad.wait(c, lane); !admitted {
				return err
			}
		}
		s := &slot{slots: lane}
		defer s.release()
		c.Set(slotKey, s)
		return next(c)
	}
}

// maxQueuedBody is the largest request body the write lane takes: forms
// are a few kilobytes.
const maxQueuedBody = 64 << 10

// readBodyFirst reads a small request body before the request queues, so
// that a client sending it slowly holds up only itself, not a slot.
func readBodyFirst(r *http.Request) error {
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, r.ContentLength))
	r.Body.Close()
	if err != nil || int64(len(b)) != r.ContentLength {
		return echo.NewHTTPError(http.StatusBadRequest, "The request body was cut short.")
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}

// wait queues for a slot (a channel's blocked senders are served in
// order). Not admitted, the request has been answered or err says how.
func (ad *Admission) wait(c echo.Context, lane chan struct{}) (admitted bool, err error) {
	ad.waiting.Add(1)
	defer ad.waiting.Add(-1)
	t := time.NewTimer(ad.maxWait)
	defer t.Stop()
	select {
	case lane <- struct{}{}:
		return true, nil
	case <-c.Request().Context().Done():
		// The client left: nothing to answer, and nothing went wrong here
		// (nginx's 499 in the log, not an error).
		return false, c.NoContent(StatusClientClosed)
	case <-t.C:
		return false, domain.Unavailable(5*time.Second, "The server is busy. Try again in a few seconds.")
	}
}

// ReleaseSlot gives the request's slot back early, before work that does
// not need the CPU (writing to a slow client). The request then finishes
// outside the queue.
func ReleaseSlot(c echo.Context) {
	if s, ok := c.Get(slotKey).(*slot); ok {
		s.release()
	}
}
