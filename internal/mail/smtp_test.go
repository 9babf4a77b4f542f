package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/internal/testkit/smtptest"
)

const from = "Gatehouse <no-reply@gate.example.com>"

// senderFor points a sender at a testkit server via its URL, as --smtp would.
func senderFor(t *testing.T, srv *smtptest.SMTPServer, opts ...SMTPOption) *SMTPSender {
	t.Helper()
	cfg, err := ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatalf("ParseSMTPURL(%q): %v", srv.URL(), err)
	}
	cfg.From = from
	return NewSMTPSender(cfg, opts...)
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestSendPlain(t *testing.T) {
	srv := smtptest.StartSMTP(t)
	link := "http://127.0.0.1:1234/reset?token=" + strings.Repeat("AbC-_9", 20)
	text := "Hello Zoë,\n\nreset your password:\n" + link + "\n.\ntrailing space \nGrüße\n"
	err := senderFor(t, srv).Send(ctxTimeout(t, 5*time.Second), Message{To: "alice@example.com", Subject: "Reset your password", Text: text})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}

	m := srv.WaitFor(t, "alice@example.com", 2*time.Second)
	if m.From != "no-reply@gate.example.com" {
		t.Errorf("envelope From = %q", m.From)
	}
	if m.Subject != "Reset your password" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.Text != text {
		t.Errorf("Text = %q\nwant   %q", m.Text, text)
	}
	if got := smtptest.FindLink(t, m.Text, "http://127.0.0.1:1234/reset?token="); got != link {
		t.Errorf("link = %q, want %q", got, link)
	}
	h := m.Header
	for k, want := range map[string]string{
		"From":                      `"Gatehouse" <no-reply@gate.example.com>`,
		"To":                        "<alice@example.com>",
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if d, err := h.Date(); err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if !regexp.MustCompile(`^<[0-9a-f]{32}@gate\.example\.com>$`).MatchString(h.Get("Message-ID")) {
		t.Errorf("Message-ID = %q", h.Get("Message-ID"))
	}
	for _, line := range strings.Split(string(m.Raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 octets: %q", line)
		}
	}
}

func TestSendStartTLS(t *testing.T) {
	serverTLS, roots := smtptest.SelfSignedTLS(t)
	srv := smtptest.StartSMTP(t, smtptest.WithTLS(serverTLS))

	s := senderFor(t, srv, WithTLSConfig(&tls.Config{RootCAs: roots}))
	if err := s.Send(ctxTimeout(t, 5*time.Second), Message{To: "bob@example.com", Subject: "hi", Text: "over TLS"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if m := srv.WaitFor(t, "bob@example.com", 2*time.Second); !m.TLS || m.Text != "over TLS" {
		t.Errorf("TLS=%v Text=%q, want the mail over TLS", m.TLS, m.Text)
	}

	// Without the test CA the certificate must not verify: STARTTLS is not
	// downgraded to "encrypt but trust anything".
	err := senderFor(t, srv).Send(ctxTimeout(t, 5*time.Second), Message{To: "bob@example.com", Subject: "hi", Text: "x"})
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &verr) {
		t.Errorf("Send with untrusted cert: err = %v, want a certificate verification error", err)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	serverTLS, roots := smtptest.SelfSignedTLS(t)
	srv := smtptest.StartSMTP(t, smtptest.WithImplicitTLS(serverTLS), smtptest.WithAuth("gate", "pw"))
	s := senderFor(t, srv, WithTLSConfig(&tls.Config{RootCAs: roots}))
	if !s.cfg.ImplicitTLS {
		t.Fatalf("URL %q did not give implicit TLS", srv.URL())
	}
	if err := s.Send(ctxTimeout(t, 5*time.Second), Message{To: "carol@example.com", Subject: "hi", Text: "smtps"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if m := srv.WaitFor(t, "carol@example.com", 2*time.Second); !m.TLS || m.Auth != "gate" {
		t.Errorf("TLS=%v Auth=%q", m.TLS, m.Auth)
	}
}

func TestSendAuth(t *testing.T) {
	serverTLS, roots := smtptest.SelfSignedTLS(t)
	srv := smtptest.StartSMTP(t, smtptest.WithTLS(serverTLS), smtptest.WithAuth("gate@example.com", "s3cret:/"))
	tlsOpt := WithTLSConfig(&tls.Config{RootCAs: roots})
	ctx := ctxTimeout(t, 5*time.Second)

	// srv.URL() carries the credentials, percent-encoded.
	if err := senderFor(t, srv, tlsOpt).Send(ctx, Message{To: "dave@example.com", Subject: "hi", Text: "authed"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if m := srv.WaitFor(t, "dave@example.com", 2*time.Second); m.Auth != "gate@example.com" || !m.TLS {
		t.Errorf("Auth=%q TLS=%v", m.Auth, m.TLS)
	}

	bad := senderFor(t, srv, tlsOpt)
	bad.cfg.Password = "wrong"
	if err := bad.Send(ctx, Message{To: "dave@example.com", Subject: "hi", Text: "x"}); err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Errorf("wrong password: err = %v", err)
	}
	anon := senderFor(t, srv, tlsOpt)
	anon.cfg.Username, anon.cfg.Password = "", ""
	if err := anon.Send(ctx, Message{To: "dave@example.com", Subject: "hi", Text: "x"}); err == nil {
		t.Error("server requiring AUTH accepted an anonymous mail")
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server has %d mails, want 1", n)
	}
}

func TestSendAuthPlaintextLoopback(t *testing.T) {
	// Local relays without TLS are common in dev; loopback never leaves the host.
	srv := smtptest.StartSMTP(t, smtptest.WithAuth("gate", "pw"))
	if err := senderFor(t, srv).Send(ctxTimeout(t, 5*time.Second), Message{To: "erin@example.com", Subject: "hi", Text: "x"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if m := srv.WaitFor(t, "erin@example.com", 2*time.Second); m.Auth != "gate" || m.TLS {
		t.Errorf("Auth=%q TLS=%v", m.Auth, m.TLS)
	}
}

// TestNoAuthInClearOverNetwork uses a scripted server on a non-loopback
// address offering AUTH PLAIN but no STARTTLS: the password must not be sent.
func TestNoAuthInClearOverNetwork(t *testing.T) {
	ip := nonLoopbackIP(t)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var lines []string
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		c.Write([]byte("220 fake ESMTP\r\n"))
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			mu.Lock()
			lines = append(lines, line)
			mu.Unlock()
			if strings.HasPrefix(line, "EHLO") {
				c.Write([]byte("250-fake\r\n250 AUTH PLAIN\r\n"))
			} else {
				c.Write([]byte("250 ok\r\n"))
			}
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	cfg, err := ParseSMTPURL("smtp://gate:pw@" + net.JoinHostPort(ip, port) + "?from=a@example.com")
	if err != nil {
		t.Fatal(err)
	}
	err = NewSMTPSender(cfg).Send(ctxTimeout(t, 5*time.Second), Message{To: "x@example.com", Subject: "s", Text: "t"})
	if err == nil || !strings.Contains(err.Error(), "refusing AUTH") {
		t.Errorf("err = %v, want AUTH refused", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, l := range lines {
		if strings.HasPrefix(strings.ToUpper(l), "AUTH") {
			t.Errorf("client sent %q in clear", l)
		}
	}
}

func nonLoopbackIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interfaces: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address")
	return ""
}

func TestSendNonASCIISubject(t *testing.T) {
	srv := smtptest.StartSMTP(t)
	subject := "Passwort zurücksetzen – Grüße aus Zürich 🎉, ein ziemlich langer Betreff für die Faltung"
	err := senderFor(t, srv).Send(ctxTimeout(t, 5*time.Second), Message{To: "Zoë Ünal <zoe@example.com>", Subject: subject, Text: "x"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	m := srv.WaitFor(t, "zoe@example.com", 2*time.Second)
	if m.Subject != subject {
		t.Errorf("Subject = %q, want %q", m.Subject, subject)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Zoë Ünal" || to[0].Address != "zoe@example.com" {
		t.Errorf("To = %q (%v)", m.Header.Get("To"), err)
	}
	raw := string(m.Raw)
	if strings.ContainsFunc(raw, func(r rune) bool { return r > 127 }) {
		t.Errorf("raw mail is not 7-bit:\n%s", raw)
	}
}

func TestSendRejectsHeaderInjection(t *testing.T) {
	srv := smtptest.StartSMTP(t)
	s := senderFor(t, srv)
	ctx := ctxTimeout(t, 5*time.Second)
	for _, m := range []Message{
		{To: "a@example.com\r\nBcc: victim@example.com", Subject: "s", Text: "t"},
		{To: "a@example.com\nBcc: victim@example.com", Subject: "s", Text: "t"},
		{To: "a@example.com", Subject: "hi\r\nBcc: victim@example.com", Text: "t"},
		{To: "a@example.com", Subject: "hi\rX-Evil: 1", Text: "t"},
	} {
		if err := s.Send(ctx, m); !errors.Is(err, ErrHeaderInjection) {
			t.Errorf("Send(%q, %q) err = %v, want ErrHeaderInjection", m.To, m.Subject, err)
		}
	}
	for _, to := range []string{"", "not an address", "a@example.com, b@example.com"} {
		if err := s.Send(ctx, Message{To: to, Subject: "s", Text: "t"}); err == nil {
			t.Errorf("Send(To=%q) succeeded", to)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d mails, want none", n)
	}
}

func TestSendMissingFrom(t *testing.T) {
	srv := smtptest.StartSMTP(t)
	cfg, _ := ParseSMTPURL(srv.URL())
	if err := NewSMTPSender(cfg).Send(ctxTimeout(t, 5*time.Second), Message{To: "a@example.com", Subject: "s", Text: "t"}); err == nil {
		t.Error("Send without From succeeded")
	}
}

// blackhole accepts connections and never says anything, like a firewall
// that lets SYNs through to a dead service.
func blackhole(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return ln.Addr().String()
}

func TestSendUnreachable(t *testing.T) {
	msg := Message{To: "a@example.com", Subject: "s", Text: "t"}
	senderAt := func(addr string, opts ...SMTPOption) *SMTPSender {
		cfg, err := ParseSMTPURL("smtp://" + addr + "?from=a@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return NewSMTPSender(cfg, opts...)
	}
	check := func(name string, err error, start time.Time, max time.Duration, want error) {
		t.Helper()
		if d := time.Since(start); d > max {
			t.Errorf("%s: took %v, want < %v", name, d, max)
		}
		if err == nil || (want != nil && !errors.Is(err, want)) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}

	// Connection refused: a port that was just free.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	start := time.Now()
	check("refused", senderAt(closed).Send(ctxTimeout(t, 5*time.Second), msg), start, 2*time.Second, nil)

	hole := blackhole(t)
	start = time.Now()
	check("context deadline", senderAt(hole).Send(ctxTimeout(t, 300*time.Millisecond), msg), start, 2*time.Second, context.DeadlineExceeded)

	start = time.Now()
	check("WithTimeout", senderAt(hole, WithTimeout(300*time.Millisecond)).Send(context.Background(), msg), start, 2*time.Second, context.DeadlineExceeded)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	check("cancel", senderAt(hole).Send(ctx, msg), start, 2*time.Second, context.Canceled)
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.0.0.2": true, "::1": true,
		"10.0.0.1": false, "mail.example.com": false, "localhost.example.com": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
}
