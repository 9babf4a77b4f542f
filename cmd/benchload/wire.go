package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// wireConn is one keep-alive HTTP/1.1 connection driven by hand: the
// request is written with (*http.Request).Write and the answer parsed with
// http.ReadResponse, on the worker's own goroutine.
//
// Why not http.Client: its Transport hands every request to a read and a
// write goroutine per connection. With 64 connections on the two cores the
// server also runs on, that hand-off cost the generator about a quarter of
// the machine, CPU the server under test then lacked, and it put scheduler
// delays into every measured latency. wrk, which the issue names, works the
// same way as this: one connection, its bytes, no extra goroutines.
type wireConn struct {
	timeout time.Duration

	mu      sync.Mutex // guards c against abort from another goroutine
	c       net.Conn
	aborted bool

	br *bufio.Reader
	bw *bufio.Writer
}

var errBodyTooLarge = errors.New("response body over the generator's limit")

// do sends req and reads the whole answer into body. Any failure closes
// the connection; the next call dials a new one.
func (w *wireConn) do(req *http.Request, body *bytes.Buffer) (int, error) {
	status, err := w.roundTrip(req, body)
	if err != nil {
		w.close()
	}
	return status, err
}

func (w *wireConn) roundTrip(req *http.Request, body *bytes.Buffer) (int, error) {
	c, err := w.conn(req.URL.Host)
	if err != nil {
		return 0, err
	}
	if err := c.SetDeadline(time.Now().Add(w.timeout)); err != nil {
		return 0, err
	}
	if err := req.Write(w.bw); err != nil {
		return 0, err
	}
	if err := w.bw.Flush(); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(w.br, req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(body, io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	switch {
	case err != nil:
		return resp.StatusCode, err
	case n > maxBody:
		return resp.StatusCode, errBodyTooLarge
	case resp.Close:
		w.close() // the server said Connection: close
	}
	return resp.StatusCode, nil
}

// conn returns the open connection or dials one.
func (w *wireConn) conn(host string) (net.Conn, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.aborted {
		return nil, fmt.Errorf("run cancelled")
	}
	if w.c != nil {
		return w.c, nil
	}
	c, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		return nil, err
	}
	w.c = c
	if w.br == nil {
		w.br, w.bw = bufio.NewReaderSize(c, 32<<10), bufio.NewWriterSize(c, 8<<10)
	} else {
		w.br.Reset(c)
		w.bw.Reset(c)
	}
	return c, nil
}

// abort ends a request in flight (the run was cancelled) and refuses new ones.
func (w *wireConn) abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aborted = true
	if w.c != nil {
		w.c.SetDeadline(time.Unix(1, 0))
	}
}

func (w *wireConn) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.c != nil {
		w.c.Close()
		w.c = nil
	}
}
