package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The hand-driven connection reads every kind of answer net/http sends
// (known length, chunked, none, HEAD, close) and keeps the connection
// alive between requests unless the server ends it.
func TestWireConnAgainstNetHTTP(t *testing.T) {
	big := strings.Repeat("0123456789", 20_000) // 200 KB: several reads
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "hello")
		case "/chunked":
			w.(http.Flusher).Flush() // headers out before the body: chunked
			io.WriteString(w, big)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/redirect":
			http.Redirect(w, r, "/length", http.StatusSeeOther)
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	w := &wireConn{timeout: 5 * time.Second}
	defer w.close()
	var body bytes.Buffer
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
		wire         bool
	}{
		{"GET", "/length", 200, "hello", true},
		{"GET", "/chunked", 200, big, false},
		{"GET", "/empty", 204, "", true},
		{"HEAD", "/length", 200, "", false},
		{"GET", "/redirect", 303, "", true}, // body checked for its start only
		{"GET", "/missing", 404, "404 page not found\n", true},
		{"GET", "/length", 200, "hello", false},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		op := Op{Req: req}
		if tc.wire {
			b, err := wireBytes(req)
			if err != nil {
				t.Fatal(err)
			}
			op.Wire = b
		}
		body.Reset()
		status, err := w.do(&op, &body)
		if err != nil || status != tc.status {
			t.Fatalf("%s %s: status %d, err %v; want %d", tc.method, tc.path, status, err, tc.status)
		}
		if got := body.String(); tc.path != "/redirect" && got != tc.body {
			t.Fatalf("%s %s: body of %d bytes %.40q, want %d bytes %.40q", tc.method, tc.path, len(got), got, len(tc.body), tc.body)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 7 keep-alive requests, want 1", n)
	}
	// The server ends the connection: the next request dials a new one.
	for _, path := range []string{"/close", "/length"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		body.Reset()
		if status, err := w.do(&Op{Req: req}, &body); err != nil || status != 200 {
			t.Fatalf("GET %s: %d, %v", path, status, err)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections after the server closed one, want 2", n)
	}
}

func TestReadAnswerRefusesGarbage(t *testing.T) {
	for _, raw := range []string{
		"HTTP/1.1 20 OK\r\n\r\n",
		"SMTP/1.1 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
	} {
		var body bytes.Buffer
		if _, _, err := readAnswer(bufio.NewReader(strings.NewReader(raw)), false, &body); err == nil {
			t.Errorf("%q: no error", raw)
		}
	}
}

// One page in eight has its body scanned; failures always do.
func TestSamplePageCheck(t *testing.T) {
	check := samplePageCheck(expectStatus(http.StatusOK))
	busy := []byte("<p>database is locked (5) (SQLITE_BUSY)</p>")
	caught := 0
	for range 8 {
		if check(200, busy) != "" {
			caught++
		}
	}
	if caught != 1 {
		t.Errorf("8 busy pages: %d reported, want 1 (one in eight is read)", caught)
	}
	if check(500, nil) == "" || check(303, busy) == "" {
		t.Error("a failed status or a busy body on another status must always be reported")
	}
}
