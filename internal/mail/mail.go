// Package mail sends Gatehouse's plain-text notification mails (password
// resets, invitations) either through an SMTP server or, when none is
// configured, into an outbox that the operator reads from the log.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
)

// Message is one plain-text mail. From is not part of it: it comes from the
// sender's configuration so that callers cannot spoof it.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender delivers a Message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrHeaderInjection is returned when To or Subject contain CR or LF, which
// would let a caller smuggle extra headers (e.g. Bcc) into the mail.
var ErrHeaderInjection = errors.New("mail: CR or LF in header value")

// DefaultFrom is the From address used when the SMTP URL has no ?from=:
// "Gatehouse <no-reply@HOST>" with HOST taken from the app's base URL.
func DefaultFrom(baseURL string) string {
	host := "localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	// An IPv6 literal is not a valid bare mail domain.
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		host = "localhost"
	}
	return "Gatehouse <no-reply@" + host + ">"
}

// checkMessage validates the caller-controlled header values and returns the
// parsed recipient.
func checkMessage(m Message) (*mail.Address, error) {
	if strings.ContainsAny(m.To, "\r\n") {
		return nil, fmt.Errorf("%w: To", ErrHeaderInjection)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, fmt.Errorf("%w: Subject", ErrHeaderInjection)
	}
	if strings.TrimSpace(m.To) == "" {
		return nil, errors.New("mail: empty recipient")
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid recipient %q: %w", m.To, err)
	}
	return to, nil
}
