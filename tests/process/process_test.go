// Package process_test runs the real gatehouse binary: first start on a
// fresh directory, graceful shutdown with a request in flight, and a SIGKILL
// in the middle of concurrent writes.
package process_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gatehouse-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "gatehouse")
	build := exec.Command("go", "build", "-o", binary, "gatehouse/cmd/gatehouse")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build gatehouse:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running gatehouse process.
type server struct {
	cmd  *exec.Cmd
	url  string
	logs *testkit.LogBuffer
	done chan error
}

var listenRE = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

// start runs `gatehouse serve` in dir on a free port and waits for /healthz.
func start(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GATEHOUSE_SMTP=")
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &testkit.LogBuffer{}, done: make(chan error, 1)}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.logs.Write([]byte(line + "\n"))
			if m := listenRE.FindStringSubmatch(line); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case addr := <-addrc:
		s.url = "http://" + addr
	case err := <-s.done:
		t.Fatalf("server exited: %v\n%s", err, s.logs.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not start:\n%s", s.logs.String())
	}
	res, err := http.Get(s.url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	res.Body.Close()
	return s
}

func noRedirectClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// csrf fetches the signup page to get the CSRF cookie.
func csrf(t testing.TB, c *http.Client, base string) string {
	tok, err := tryCSRF(c, base)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func tryCSRF(c *http.Client, base string) (string, error) {
	res, err := c.Get(base + "/signup")
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "gatehouse_csrf" {
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("no csrf cookie")
}

func TestServeCreatesDatabaseInFreshDirectory(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "data", "gatehouse.db")); err != nil {
		t.Fatalf("default database not created: %v", err)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if !strings.Contains(s.logs.String(), "stopped") {
		t.Fatalf("no orderly stop in the log:\n%s", s.logs.String())
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GATEHOUSE_BASE_URL=ftp://nope")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "base-url") {
		t.Fatalf("bad GATEHOUSE_BASE_URL accepted: %v %s", err, out)
	}
	cmd = exec.Command(binary, "serve", "--bogus")
	out, err = cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "bogus") {
		t.Fatalf("unknown flag: %v %s", err, out)
	}
}

func TestSIGTERMLetsInFlightRequestFinish(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	c := noRedirectClient()
	token := csrf(t, c, s.url)
	// Send the signup body slowly: the request is in flight when SIGTERM lands.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, s.url+"/signup", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	form := url.Values{"_csrf": {token}, "name": {"Slow"}, "email": {"slow@example.com"}, "password": {"slow-but-sure-1"}}.Encode()
	type result struct {
		status int
		err    error
	}
	resc := make(chan result, 1)
	go func() {
		res, err := c.Do(req)
		if err != nil {
			resc <- result{err: err}
			return
		}
		res.Body.Close()
		resc <- result{status: res.StatusCode}
	}()
	pw.Write([]byte(form[:10]))
	time.Sleep(300 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	select {
	case err := <-s.done:
		t.Fatalf("server exited with a request in flight: %v", err)
	default:
	}
	pw.Write([]byte(form[10:]))
	pw.Close()
	r := <-resc
	if r.err != nil || r.status != http.StatusSeeOther {
		t.Fatalf("in-flight request: status %d err %v\n%s", r.status, r.err, s.logs.String())
	}
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Fatal("server did not exit after the request finished")
	}
	// New connections are refused after shutdown.
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(s.url, "http://"), time.Second); err == nil {
		t.Fatal("still accepting connections")
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "data", "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.UserByEmail(context.Background(), "slow@example.com"); err != nil {
		t.Fatalf("the in-flight signup is not stored: %v", err)
	}
}

func TestSIGKILLDuringConcurrentSignupsLosesNothingAcknowledged(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := noRedirectClient()
			token, err := tryCSRF(c, s.url)
			if err != nil {
				return
			}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("w%d-%d@example.com", w, i)
				res, err := c.PostForm(s.url+"/signup", url.Values{"_csrf": {token}, "name": {"Worker"}, "email": {email}, "password": {"kill-me-softly-1"}})
				if err != nil {
					return // the server died
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked = append(acked, email)
					mu.Unlock()
				}
				// Log out so the next signup is not refused as signed-in.
				c.Jar, _ = cookiejar.New(nil)
				if token, err = tryCSRF(c, s.url); err != nil {
					return
				}
			}
		}()
	}
	// Kill once enough writes were acknowledged (bounded wait: the machine may be busy).
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 12 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	close(stop)
	wg.Wait()
	if len(acked) < 5 {
		t.Fatalf("only %d signups before the kill: the test proves nothing", len(acked))
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "data", "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check after SIGKILL: %q %v", res, err)
	}
	for _, email := range acked {
		if _, err := db.UserByEmail(context.Background(), email); err != nil {
			t.Errorf("acknowledged signup %s lost: %v", email, err)
		}
	}
	t.Logf("%d acknowledged signups all present after SIGKILL", len(acked))
	db.Close()
	// And the binary starts again on that database.
	s2 := start(t, dir)
	s2.cmd.Process.Signal(syscall.SIGTERM)
	<-s2.done
}

func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	c := noRedirectClient()
	token := csrf(t, c, s.url)
	res, err := c.PostForm(s.url+"/signup", url.Values{"_csrf": {token}, "name": {"Backed"}, "email": {"backed@example.com"}, "password": {"backed-up-pass-1"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signup: %v", err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	cmd := exec.Command(binary, "backup", "--out", out)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backup: %v %s", err, b)
	}
	db, err := store.Open(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.UserByEmail(context.Background(), "backed@example.com"); err != nil {
		t.Fatalf("backup lacks the user: %v", err)
	}
	// Missing --out is a usage error on stderr.
	cmd = exec.Command(binary, "backup")
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "--out is required") {
		t.Fatalf("backup without --out: %v %s", err, b)
	}
}
