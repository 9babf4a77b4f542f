package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/testkit"
)

// serve refuses a flag it cannot use, by flag or environment, before it
// opens anything: a bad --max-active is a usage error (exit 2); a bad
// --trusted-proxy stops it with exit 1 and a message naming the flag.
func TestServeRejectsBadFlags(t *testing.T) {
	for _, c := range []struct {
		env   map[string]string
		args  []string
		want  string
		usage bool
	}{
		{args: []string{"--max-active", "-1"}, want: "--max-active: -1 is not between 1 and 4096", usage: true},
		{args: []string{"--max-active", "5000"}, want: "--max-active: 5000 is not between 1 and 4096", usage: true},
		{args: []string{"--max-active", "many"}, want: `invalid value "many" for flag -max-active`, usage: true},
		{env: map[string]string{"GATEHOUSE_MAX_ACTIVE": "lots"}, want: "GATEHOUSE_MAX_ACTIVE", usage: true},
		{args: []string{"--trusted-proxy", "10.0.0.0/33"}, want: `--trusted-proxy: "10.0.0.0/33" is not a CIDR range`},
		{args: []string{"--trusted-proxy", "10.0.0.0/8,proxy.local"}, want: `--trusted-proxy: "proxy.local" is not a CIDR range`},
		{args: []string{"--trusted-proxy", " , "}, want: "--trusted-proxy: "},
		{env: map[string]string{"GATEHOUSE_TRUSTED_PROXY": "300.1.2.3/8"}, want: `--trusted-proxy: "300.1.2.3/8"`},
	} {
		db := filepath.Join(t.TempDir(), "never.db")
		r := runTool(t, c.env, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, c.args...)...)
		var ue usageError
		if r.err == nil || errors.As(r.err, &ue) != c.usage {
			t.Errorf("%v %v: err %v, stderr %q; want a usage error (exit 2): %v, else an error that exits 1", c.env, c.args, r.err, r.errOut, c.usage)
			continue
		}
		said := r.err.Error()
		if c.usage {
			said += r.errOut // the flag package prints its complaint
		}
		if !strings.Contains(said, c.want) {
			t.Errorf("%v %v: err %q, stderr %q, want it to name %q", c.env, c.args, r.err, r.errOut, c.want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("%v: the database was created despite the bad flag", c.args)
		}
	}
}

var listeningAddr = regexp.MustCompile(`gatehouse listening"? addr=(\S+)`)

// startServe runs the real serve command on a free port and returns its address.
func startServe(t *testing.T, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs testkit.LogBuffer
	done := make(chan error, 1)
	db := filepath.Join(t.TempDir(), "gatehouse.db")
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...),
			func(string) string { return "" }, io.Discard, &logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningAddr.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", logs.String())
	return ""
}

// A client that never finishes its headers (slowloris) is cut off by the
// server: the connection is closed from the server's side. The timeouts are
// shrunk through the test hook; what is asserted is that the server hangs
// up, well before the test's own generous limit, not how fast it does.
func TestServeCutsOffSlowHeaders(t *testing.T) {
	saved := serverTimeouts
	serverTimeouts.ReadHeader = 200 * time.Millisecond
	serverTimeouts.Read = 400 * time.Millisecond
	t.Cleanup(func() { serverTimeouts = saved })
	addr := startServe(t)

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request, then silence (one more header line now and then
	// would not help it: the limit is on the whole header).
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = bufio.NewReader(conn).ReadByte()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept a connection with unfinished headers open for 20 seconds")
	}
	if err == nil {
		t.Fatal("the server answered a request whose headers never ended")
	}

	// A normal request on a fresh connection is served as before.
	ok, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Close()
	io.WriteString(ok, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
	ok.SetReadDeadline(time.Now().Add(20 * time.Second))
	line, err := bufio.NewReader(ok).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("healthz after the slow client: %q, %v", line, err)
	}
}

// Every timeout is set on the server serve builds.
func TestServeHTTPServerHasTimeouts(t *testing.T) {
	hs := newHTTPServer(nil, discardLogger())
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Fatalf("timeouts: header %v, read %v, write %v, idle %v; want all set",
			hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout)
	}
	if hs.ReadHeaderTimeout > hs.ReadTimeout {
		t.Errorf("ReadHeaderTimeout %v exceeds ReadTimeout %v", hs.ReadHeaderTimeout, hs.ReadTimeout)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
