package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"sync"
	"time"
)

// wireConn is one keep-alive HTTP/1.1 connection driven by hand, on the
// worker's own goroutine: the request's bytes are written (serialized once
// per scenario where they never change, see Op.Wire) and the answer is read
// by a small parser that keeps only what the run needs (status, length,
// body, whether the server closes), with no header map per answer.
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

// do sends op and reads the whole answer into body. Any failure closes the
// connection; the next call dials a new one.
func (w *wireConn) do(op *Op, body *bytes.Buffer) (int, error) {
	status, err := w.roundTrip(op, body)
	if err != nil {
		w.close()
	}
	return status, err
}

func (w *wireConn) roundTrip(op *Op, body *bytes.Buffer) (int, error) {
	c, err := w.conn(op.Req.URL.Host)
	if err != nil {
		return 0, err
	}
	if err := c.SetDeadline(time.Now().Add(w.timeout)); err != nil {
		return 0, err
	}
	if op.Wire != nil {
		_, err = w.bw.Write(op.Wire)
	} else {
		err = op.Req.Write(w.bw)
	}
	if err == nil {
		err = w.bw.Flush()
	}
	if err != nil {
		return 0, err
	}
	status, closing, err := readAnswer(w.br, op.Req.Method == http.MethodHead, body)
	if err == nil && closing {
		w.close() // the server said Connection: close, or sent no length
	}
	return status, err
}

// wireBytes serializes a request once, for Op.Wire. A body is read and
// written with it, so req itself must not be sent again.
func wireBytes(req *http.Request) ([]byte, error) {
	var b bytes.Buffer
	err := req.Write(&b)
	return b.Bytes(), err
}

var errMalformed = errors.New("malformed HTTP answer")

// readAnswer reads one HTTP/1.x answer: its status, its body into body,
// and whether the connection ends after it.
func readAnswer(br *bufio.Reader, head bool, body *bytes.Buffer) (status int, closing bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, errMalformed
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, errMalformed
	}
	closing = line[7] == '0' // HTTP/1.0 closes unless told otherwise; the server speaks 1.1
	length, chunked := int64(-1), false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return status, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return status, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return status, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(value), []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = closing || bytes.Contains(bytes.ToLower(value), []byte("close"))
		}
	}
	switch {
	case head || status/100 == 1 || status == http.StatusNoContent || status == http.StatusNotModified:
		return status, closing, nil
	case chunked:
		if err := copyBody(body, httputil.NewChunkedReader(br)); err != nil {
			return status, false, err
		}
		for { // the trailer section, ended by an empty line
			line, err := br.ReadSlice('\n')
			if err != nil {
				return status, false, err
			}
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				return status, closing, nil
			}
		}
	case length >= 0:
		if length > maxBody {
			return status, false, errBodyTooLarge
		}
		body.Grow(int(length))
		_, err := io.CopyN(body, br, length)
		return status, closing, err
	default: // no length: the body runs to the end of the connection
		return status, true, copyBody(body, br)
	}
}

// copyBody reads r to its end into body, refusing more than maxBody.
func copyBody(body *bytes.Buffer, r io.Reader) error {
	n, err := io.Copy(body, io.LimitReader(r, maxBody+1))
	if err == nil && n > maxBody {
		err = errBodyTooLarge
	}
	return err
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
