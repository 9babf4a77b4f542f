package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// DefaultSMTPTimeout bounds a whole Send (connect to QUIT) when the caller's
// context has no earlier deadline, so a stuck server cannot hang a request.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPSender delivers mail through an SMTP server. It opens one connection
// per message; Gatehouse sends few mails, so pooling is not worth the state.
type SMTPSender struct {
	cfg     SMTPConfig
	tls     *tls.Config
	timeout time.Duration
	outbox  OutboxStore
}

// SMTPOption customises an SMTPSender.
type SMTPOption func(*SMTPSender)

// WithTLSConfig sets the TLS client config used for STARTTLS and implicit
// TLS (e.g. RootCAs trusting a test CA). It is cloned; an empty ServerName is
// filled with the configured host so certificate verification stays on.
func WithTLSConfig(c *tls.Config) SMTPOption {
	return func(s *SMTPSender) { s.tls = c }
}

// WithTimeout replaces DefaultSMTPTimeout.
func WithTimeout(d time.Duration) SMTPOption {
	return func(s *SMTPSender) { s.timeout = d }
}

// WithOutbox keeps a copy of every mail in the outbox (/admin/outbox):
// its links stay readable until the server has taken the mail, so a mail
// that could not be sent can still be delivered by hand, and are masked
// for good once it has.
func WithOutbox(o OutboxStore) SMTPOption {
	return func(s *SMTPSender) { s.outbox = o }
}

// NewSMTPSender returns a Sender for cfg. cfg.From must be set (see
// DefaultFrom); Send fails otherwise.
func NewSMTPSender(cfg SMTPConfig, opts ...SMTPOption) *SMTPSender {
	s := &SMTPSender{cfg: cfg, timeout: DefaultSMTPTimeout}
	for _, o := range opts {
		o(s)
	}
	return s
}

var _ Sender = (*SMTPSender)(nil)

// Send delivers m. STARTTLS is used whenever the server offers it; AUTH PLAIN
// is used when credentials are configured, and refused on an unencrypted
// connection to anything but loopback so the password never crosses the
// network in clear.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	to, err := checkMessage(m)
	if err != nil {
		return err
	}
	if s.cfg.From == "" {
		return errors.New("mail: SMTP sender has no From address")
	}
	from, err := mail.ParseAddress(s.cfg.From)
	if err != nil {
		return fmt.Errorf("mail: invalid From address %q: %w", s.cfg.From, err)
	}
	msg, err := buildMessage(from, to, m, time.Now())
	if err != nil {
		return fmt.Errorf("mail: build message: %w", err)
	}

	var copyID int64
	if s.outbox != nil {
		if copyID, err = s.outbox.AddOutbox(ctx, m.To, m.Subject, m.Text, Secrets(m.Text)); err != nil {
			return fmt.Errorf("mail: outbox copy: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.deliver(ctx, from.Address, to.Address, msg); err != nil {
		// Cancellation surfaces as a closed-connection error; report the cause.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("mail: send via %s: %w", s.cfg.Addr(), ctxErr)
		}
		return fmt.Errorf("mail: send via %s: %w", s.cfg.Addr(), err)
	}
	if s.outbox != nil {
		// Sent: the copy's links are no one's business any more. A context
		// of its own, so a deadline hit just after delivery cannot skip it.
		if err := s.outbox.ForgetOutboxSecrets(context.WithoutCancel(ctx), copyID); err != nil {
			return fmt.Errorf("mail: sent, but masking the outbox copy failed: %w", err)
		}
	}
	return nil
}

func (s *SMTPSender) deliver(ctx context.Context, from, to string, msg []byte) error {
	tlsCfg := s.tlsConfig()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Addr())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	// net/smtp has no context support: closing the socket when ctx ends
	// unblocks whatever read or write is in progress.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	if s.cfg.ImplicitTLS {
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("tls handshake: %w", err)
		}
		conn = tc
	}

	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}

	_, encrypted := c.TLSConnectionState()
	if !encrypted {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsCfg); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
			encrypted = true
		}
	}

	if s.cfg.Username != "" {
		if !encrypted && !isLoopback(s.cfg.Host) {
			return errors.New("refusing AUTH over an unencrypted connection (server offers no STARTTLS; use smtps:// or a server with TLS)")
		}
		ok, mechs := c.Extension("AUTH")
		if !ok || !hasWord(mechs, "PLAIN") {
			return fmt.Errorf("server does not offer AUTH PLAIN (offers %q)", mechs)
		}
		if err := c.Auth(plainAuth{user: s.cfg.Username, pass: s.cfg.Password}); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}

	if err := c.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	// The server has accepted the mail; a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	var c *tls.Config
	if s.tls != nil {
		c = s.tls.Clone()
	} else {
		c = &tls.Config{}
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func hasWord(list, word string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, word) {
			return true
		}
	}
	return false
}

// plainAuth is AUTH PLAIN (RFC 4616). net/smtp.PlainAuth is not used because
// it applies its own, narrower localhost rule; the TLS policy is enforced in
// deliver instead.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge during AUTH PLAIN")
	}
	return nil, nil
}
