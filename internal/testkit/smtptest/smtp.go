// Package smtptest runs a real in-process SMTP server (go-smtp) for mail tests.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is a real SMTP server (go-smtp) on 127.0.0.1 that records every
// mail it accepts.
type SMTPServer struct {
	Addr string // 127.0.0.1:PORT

	user, pass  string
	tls         bool
	implicitTLS bool

	mu      sync.Mutex
	refuse  int // mails still to refuse (RefuseNext)
	msgs    []ReceivedMail
	taken   []bool        // per msgs index: already returned by WaitFor
	arrived chan struct{} // closed and replaced on every new mail
	closed  bool
	logf    func(string, ...any)
	srv     *smtp.Server
}

// ReceivedMail is one accepted mail, decoded the way a mail client would.
type ReceivedMail struct {
	From    string   // envelope MAIL FROM
	To      []string // envelope RCPT TO
	Subject string   // RFC 2047-decoded
	Text    string   // body with the transfer encoding undone and \n line endings
	Header  mail.Header
	Auth    string // username the client authenticated as, "" if none
	TLS     bool   // whether the mail arrived over an encrypted connection
	Raw     []byte // the DATA exactly as received (CRLF line endings)
}

// SMTPOption configures StartSMTP.
type SMTPOption func(*SMTPServer)

// WithTLS offers STARTTLS using cfg (see SelfSignedTLS).
func WithTLS(cfg *tls.Config) SMTPOption {
	return func(s *SMTPServer) {
		s.srv.TLSConfig = cfg
		s.tls = true
	}
}

// WithImplicitTLS makes the server speak TLS from the first byte, like an
// smtps:// (port 465) server; URL() then returns an smtps:// URL.
func WithImplicitTLS(cfg *tls.Config) SMTPOption {
	return func(s *SMTPServer) {
		s.srv.TLSConfig = cfg
		s.tls, s.implicitTLS = true, true
	}
}

// WithAuth requires AUTH PLAIN with these credentials before MAIL FROM. When
// combined with WithTLS, AUTH is only offered after STARTTLS, as real servers
// do.
func WithAuth(user, pass string) SMTPOption {
	return func(s *SMTPServer) { s.user, s.pass = user, pass }
}

// StartSMTP starts a server on 127.0.0.1:0; t.Cleanup stops it.
func StartSMTP(t testing.TB, opts ...SMTPOption) *SMTPServer {
	t.Helper()
	s := &SMTPServer{arrived: make(chan struct{}), logf: t.Logf}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s, conn: c}, nil
	}))
	for _, o := range opts {
		o(s)
	}
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	// Without TLS there is no way to authenticate but in clear; over TLS keep
	// the realistic rule so clients that skip STARTTLS fail here too.
	s.srv.AllowInsecureAuth = !s.tls
	// go-smtp logs from connection goroutines that may outlive the test.
	s.srv.ErrorLog = serverLog{s}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: smtp listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	if s.implicitTLS {
		ln = tls.NewListener(ln, s.srv.TLSConfig)
	}
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		_ = s.srv.Close()
	})
	return s
}

// URL is the server as an --smtp value ("smtp://127.0.0.1:PORT"), including the credentials when
// WithAuth was given.
func (s *SMTPServer) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.implicitTLS {
		u.Scheme = "smtps"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	return u.String()
}

// Messages returns all mails received so far, in arrival order.
func (s *SMTPServer) Messages() []ReceivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ReceivedMail(nil), s.msgs...)
}

// WaitFor returns the oldest mail to `to` (case-insensitive) that no earlier
// WaitFor returned, waiting up to timeout for it to arrive; otherwise it
// fails the test. Consuming mails lets a test wait for a second mail to the
// same address without getting the first one again.
func (s *SMTPServer) WaitFor(t testing.TB, to string, timeout time.Duration) ReceivedMail {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for i, m := range s.msgs {
			if !s.taken[i] && hasRecipient(m, to) {
				s.taken[i] = true
				s.mu.Unlock()
				return m
			}
		}
		arrived := s.arrived
		var got []string
		for _, m := range s.msgs {
			got = append(got, strings.Join(m.To, ","))
		}
		s.mu.Unlock()

		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("testkit: no new mail to %s within %v (received so far, by recipient: %q)", to, timeout, got)
			return ReceivedMail{}
		}
	}
}

func hasRecipient(m ReceivedMail, to string) bool {
	for _, r := range m.To {
		if strings.EqualFold(r, to) {
			return true
		}
	}
	return false
}

// RefuseNext makes the server refuse the next n mails at DATA with a
// temporary failure (451), as a mail server that is down or overloaded
// does; they are not recorded.
func (s *SMTPServer) RefuseNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// refusing takes one refusal, if any are left.
func (s *SMTPServer) refusing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse <= 0 {
		return false
	}
	s.refuse--
	return true
}

func (s *SMTPServer) add(m ReceivedMail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	s.taken = append(s.taken, false)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

type serverLog struct{ s *SMTPServer }

func (l serverLog) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	// Logging through t after the test finished panics; drop late lines.
	if !l.s.closed {
		l.s.logf("smtp server: "+format, v...)
	}
}

func (l serverLog) Println(v ...any) { l.Printf("%s", fmt.Sprintln(v...)) }

type smtpSession struct {
	s      *SMTPServer
	conn   *smtp.Conn
	authed string
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if ss.s.user == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if (identity != "" && identity != user) || user != ss.s.user || pass != ss.s.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = user
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.authed == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.refusing() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "testkit: try again later"}
	}
	m, err := parseMail(raw)
	if err != nil {
		// Reject rather than record: the sender under test produced a broken
		// mail, and its Send error points straight at the problem.
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "testkit: unparseable message: " + err.Error()}
	}
	m.From, m.To, m.Auth = ss.from, append([]string(nil), ss.to...), ss.authed
	_, m.TLS = ss.conn.TLSConnectionState()
	ss.s.add(m)
	return nil
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }

// parseMail decodes a mail with the standard library only, so that it checks
// the sender's encoding independently of how the sender produced it.
func parseMail(raw []byte) (ReceivedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ReceivedMail{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return ReceivedMail{}, fmt.Errorf("subject: %w", err)
	}
	var body io.Reader = msg.Body
	switch cte := strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		// The decoder skips the CRLFs between base64 lines itself.
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit", "binary":
	default:
		return ReceivedMail{}, fmt.Errorf("unsupported Content-Transfer-Encoding %q", cte)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return ReceivedMail{}, fmt.Errorf("body: %w", err)
	}
	return ReceivedMail{
		Subject: subject,
		Text:    strings.ReplaceAll(string(text), "\r\n", "\n"),
		Header:  msg.Header,
		Raw:     raw,
	}, nil
}

// FindLink returns the first URL in text that starts with prefix, ending at
// whitespace, quotes or angle brackets, minus trailing sentence punctuation.
// It fails the test if there is none.
func FindLink(t testing.TB, text, prefix string) string {
	t.Helper()
	if prefix == "" {
		t.Fatalf("testkit: FindLink needs a non-empty prefix")
	}
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("testkit: no link starting with %q in:\n%s", prefix, text)
	}
	rest := text[i:]
	end := len(prefix) + strings.IndexAny(rest[len(prefix):], " \t\r\n<>\"'")
	if end < len(prefix) {
		end = len(rest)
	}
	link := rest[:end]
	// Keep at least the prefix: it may itself end in punctuation.
	for len(link) > len(prefix) && strings.ContainsRune(".,;:!?)]", rune(link[len(link)-1])) {
		link = link[:len(link)-1]
	}
	return link
}

// SelfSignedTLS generates a throwaway ECDSA certificate for 127.0.0.1, ::1
// and localhost. It returns the server config (for WithTLS) and a pool that
// trusts it (for a client's RootCAs), so tests verify certificates for real
// instead of skipping verification.
func SelfSignedTLS(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testkit: generate key: %v", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatalf("testkit: serial: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "testkit"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("testkit: create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("testkit: parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}, pool
}
