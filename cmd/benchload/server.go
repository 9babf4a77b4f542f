package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Server is the real gatehouse binary, started on a loopback port.
type Server struct {
	Bin, DB string
	Addr    string // 127.0.0.1:port
	URL     string

	cmd     *exec.Cmd
	exited  chan struct{}
	started time.Time
	log     *logScan
}

// logScan counts the server's log lines and keeps the ones that matter:
// errors and any mention of a busy or locked database.
type logScan struct {
	mu     sync.Mutex
	lines  int64
	bad    int64
	sample []string
}

func (l *logScan) scan(r io.Reader, done chan<- struct{}) {
	defer close(done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		bad := strings.Contains(line, "level=ERROR") || isBusy(line) || strings.Contains(line, "panic")
		// A warning that explains an error (why /healthz failed) goes in
		// the sample too, without counting as another error.
		why := strings.Contains(line, "level=WARN") && strings.Contains(line, "healthz")
		l.mu.Lock()
		l.lines++
		if bad {
			l.bad++
		}
		if (bad || why) && len(l.sample) < 10 {
			l.sample = append(l.sample, trim(line, 300))
		}
		l.mu.Unlock()
	}
}

// Bad returns the number of error lines and a sample of them.
func (l *logScan) Bad() (int64, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bad, append([]string(nil), l.sample...)
}

var busyMarks = [][]byte{[]byte("database is locked"), []byte("SQLITE_BUSY")}

// isBusyBytes is isBusy on a response body, without copying it.
func isBusyBytes(b []byte) bool {
	for _, m := range busyMarks {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}

func isBusy(s string) bool {
	return strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY")
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StartServer runs `gatehouse serve` on a free loopback port. Its stderr is
// scanned (not stored: under load it logs every request).
func StartServer(bin, db string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Bin: bin, DB: db, Addr: "127.0.0.1:" + strconv.Itoa(port), exited: make(chan struct{}), log: &logScan{}}
	s.URL = "http://" + s.Addr
	s.cmd = exec.Command(bin, "serve", "--addr", s.Addr, "--db", db, "--base-url", s.URL)
	s.cmd.Env = append(os.Environ(), "GATEHOUSE_SMTP=") // mail stays in the outbox
	s.cmd.Stdout = io.Discard
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	s.started = time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	scanned := make(chan struct{})
	go s.log.scan(stderr, scanned)
	go func() { <-scanned; s.cmd.Wait(); close(s.exited) }()
	return s, nil
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// WaitFor polls path until it answers 200 and returns the time since the
// process was started. Polls are 1 ms apart, bounded by timeout.
func (s *Server) WaitFor(path, cookie string, timeout time.Duration) (time.Duration, error) {
	c := &http.Client{Timeout: time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := s.started.Add(timeout)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return 0, fmt.Errorf("the server exited before %s answered", path)
		default:
		}
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := c.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(s.started), nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("%s did not answer 200 within %s (last: %s)", path, timeout, last)
}

// Memory reads the server's current and peak resident set (VmRSS, VmHWM) in KiB.
func (s *Server) Memory() (rss, peak int64, err error) {
	return procMemory(s.Pid())
}

// procCPU is the user + system CPU time of a process so far, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; count from after it.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

func procMemory(pid int) (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			peak = n
		}
	}
	if peak == 0 {
		return 0, 0, errors.New("no VmHWM in /proc status")
	}
	return rss, peak, nil
}

// Stop asks the server to shut down (SIGTERM, graceful) and kills it if it
// has not exited within the timeout.
func (s *Server) Stop(timeout time.Duration) error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return nil
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("the server did not stop within %s after SIGTERM; killed", timeout)
	}
}

// Exited reports whether the server process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// waitCtx sleeps for d unless ctx ends first.
func waitCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
