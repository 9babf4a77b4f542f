package smtptest

import (
	"crypto/tls"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The tests drive the server with go-smtp's client rather than Gatehouse's
// sender so the test kit is checked independently of the code it tests.

const rawMail = "From: Gatehouse <no-reply@example.com>\r\n" +
	"To: <alice@example.com>\r\n" +
	"Subject: =?utf-8?q?Passwort_zur=C3=BCcksetzen?=\r\n" +
	" =?utf-8?q?_f=C3=BCr_Gr=C3=BC=C3=9Fe?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Hallo M=C3=BCller,\r\n" +
	"http://127.0.0.1:1234/reset?token=3Dabcdefghijklmnopqrstuvwxyz0123456789abc=\r\n" +
	"defghijklmnop.\r\n"

func send(t *testing.T, c *smtp.Client, to string, msg string) {
	t.Helper()
	if err := c.SendMail("no-reply@example.com", []string{to}, strings.NewReader(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
}

func TestPlainMailIsDecoded(t *testing.T) {
	srv := StartSMTP(t)
	c, err := smtp.Dial(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	send(t, c, "alice@example.com", rawMail)

	m := srv.WaitFor(t, "Alice@Example.com", time.Second)
	if m.From != "no-reply@example.com" || len(m.To) != 1 || m.To[0] != "alice@example.com" {
		t.Errorf("envelope = %q -> %q", m.From, m.To)
	}
	if want := "Passwort zurücksetzen für Grüße"; m.Subject != want {
		t.Errorf("Subject = %q, want %q", m.Subject, want)
	}
	wantText := "Hallo Müller,\nhttp://127.0.0.1:1234/reset?token=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop.\n"
	if m.Text != wantText {
		t.Errorf("Text = %q, want %q", m.Text, wantText)
	}
	if m.TLS || m.Auth != "" {
		t.Errorf("TLS=%v Auth=%q, want plain and anonymous", m.TLS, m.Auth)
	}
	if m.Header.Get("Content-Type") != "text/plain; charset=utf-8" || string(m.Raw) != rawMail {
		t.Errorf("Header/Raw not kept: %q", m.Raw)
	}
	if got := FindLink(t, m.Text, "http://127.0.0.1:1234/reset?token="); got != "http://127.0.0.1:1234/reset?token=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop" {
		t.Errorf("FindLink = %q", got)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("Messages() has %d mails, want 1", n)
	}
	if srv.URL() != "smtp://"+srv.Addr {
		t.Errorf("URL() = %q", srv.URL())
	}
}

func TestStartTLSAndAuth(t *testing.T) {
	serverTLS, roots := SelfSignedTLS(t)
	srv := StartSMTP(t, WithTLS(serverTLS), WithAuth("gate", "s3cret"))
	if want := "smtp://gate:s3cret@" + srv.Addr; srv.URL() != want {
		t.Errorf("URL() = %q, want %q", srv.URL(), want)
	}

	t.Run("no AUTH before STARTTLS", func(t *testing.T) {
		c, err := smtp.Dial(srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", "gate", "s3cret")); err == nil {
			t.Fatal("AUTH over plaintext succeeded")
		}
	})

	dial := func(t *testing.T) *smtp.Client {
		c, err := smtp.DialStartTLS(srv.Addr, &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"})
		if err != nil {
			t.Fatalf("DialStartTLS: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	t.Run("MAIL without AUTH refused", func(t *testing.T) {
		if err := dial(t).Mail("no-reply@example.com", nil); err == nil {
			t.Fatal("MAIL without AUTH accepted")
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		if err := dial(t).Auth(sasl.NewPlainClient("", "gate", "wrong")); err == nil {
			t.Fatal("wrong password accepted")
		}
	})
	t.Run("ok", func(t *testing.T) {
		c := dial(t)
		if err := c.Auth(sasl.NewPlainClient("", "gate", "s3cret")); err != nil {
			t.Fatalf("Auth: %v", err)
		}
		send(t, c, "bob@example.com", rawMail)
		m := srv.WaitFor(t, "bob@example.com", time.Second)
		if !m.TLS || m.Auth != "gate" {
			t.Errorf("TLS=%v Auth=%q, want TLS as gate", m.TLS, m.Auth)
		}
	})
}

func TestWaitForConsumesInOrderAndWakesUp(t *testing.T) {
	srv := StartSMTP(t)
	mailN := func(n int) string {
		return fmt.Sprintf("Subject: mail %d\r\n\r\nbody %d\r\n", n, n)
	}
	c, err := smtp.Dial(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	send(t, c, "carol@example.com", mailN(1))
	send(t, c, "dave@example.com", mailN(2))
	send(t, c, "carol@example.com", mailN(3))

	if m := srv.WaitFor(t, "carol@example.com", time.Second); m.Subject != "mail 1" || m.Text != "body 1\n" {
		t.Errorf("first = %q %q", m.Subject, m.Text)
	}
	if m := srv.WaitFor(t, "carol@example.com", time.Second); m.Subject != "mail 3" {
		t.Errorf("second = %q", m.Subject)
	}

	// A mail that arrives while WaitFor waits must wake it without polling delay.
	go func() {
		time.Sleep(50 * time.Millisecond)
		c2, err := smtp.Dial(srv.Addr)
		if err != nil {
			return
		}
		defer c2.Close()
		_ = c2.SendMail("no-reply@example.com", []string{"carol@example.com"}, strings.NewReader(mailN(4)))
	}()
	if m := srv.WaitFor(t, "carol@example.com", 5*time.Second); m.Subject != "mail 4" {
		t.Errorf("third = %q", m.Subject)
	}
	if n := len(srv.Messages()); n != 4 {
		t.Errorf("Messages() has %d mails, want 4 (WaitFor must not remove them)", n)
	}
}

func TestBase64BodyAndBrokenMail(t *testing.T) {
	srv := StartSMTP(t)
	c, err := smtp.Dial(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	send(t, c, "erin@example.com", "Subject: b64\r\nContent-Transfer-Encoding: base64\r\n\r\nSMOk\r\ndGVy\r\n")
	if m := srv.WaitFor(t, "erin@example.com", time.Second); m.Text != "Häter" {
		t.Errorf("Text = %q", m.Text)
	}
	err = c.SendMail("no-reply@example.com", []string{"erin@example.com"},
		strings.NewReader("Subject: x\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbody\r\n"))
	if err == nil || !strings.Contains(err.Error(), "unparseable") {
		t.Errorf("broken mail: err = %v, want rejection", err)
	}
}

func TestFindLink(t *testing.T) {
	const p = "http://127.0.0.1:1234/reset?token="
	for _, tc := range []struct{ text, want string }{
		{"Open " + p + "abc to reset.", p + "abc"},
		{"Open " + p + "abc.", p + "abc"},
		{"<" + p + "abc>", p + "abc"},
		{"(" + p + "abc)", p + "abc"},
		{p + "abc\nnext line " + p + "def", p + "abc"},
		{"x " + p + "a-b_c~d", p + "a-b_c~d"},
		{p, p},
	} {
		if got := FindLink(t, tc.text, p); got != tc.want {
			t.Errorf("FindLink(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// fatalTB records Fatalf instead of failing the real test.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper()             {}
func (f *fatalTB) Logf(string, ...any) {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// failed runs fn in its own goroutine (Fatalf ends it) and returns the
// failure message, "" if fn did not fail.
func failed(t *testing.T, fn func(tb testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestFailures(t *testing.T) {
	srv := StartSMTP(t)
	start := time.Now()
	msg := failed(t, func(tb testing.TB) { srv.WaitFor(tb, "nobody@example.com", 100*time.Millisecond) })
	if !strings.Contains(msg, "nobody@example.com") {
		t.Errorf("WaitFor failure = %q", msg)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 2*time.Second {
		t.Errorf("WaitFor gave up after %v, want ~100ms", d)
	}
	if msg := failed(t, func(tb testing.TB) { FindLink(tb, "no links here", "http://") }); msg == "" {
		t.Error("FindLink without a match did not fail")
	}
}

func TestImplicitTLS(t *testing.T) {
	serverTLS, roots := SelfSignedTLS(t)
	srv := StartSMTP(t, WithImplicitTLS(serverTLS))
	if want := "smtps://" + srv.Addr; srv.URL() != want {
		t.Errorf("URL() = %q, want %q", srv.URL(), want)
	}
	c, err := smtp.DialTLS(srv.Addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("DialTLS: %v", err)
	}
	defer c.Close()
	send(t, c, "frank@example.com", rawMail)
	if m := srv.WaitFor(t, "frank@example.com", time.Second); !m.TLS {
		t.Error("mail over implicit TLS not marked TLS")
	}
}
