package mail

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// SMTPConfig describes how to reach the SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS means TLS from the first byte (smtps://, usually port 465)
	// instead of upgrading a plain connection with STARTTLS.
	ImplicitTLS bool
	From        string
}

// Addr is host:port, IPv6-safe.
func (c SMTPConfig) Addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

// String renders the config as a URL with the password redacted, so the
// config can be logged at startup.
func (c SMTPConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: c.Addr()}
	if c.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.User(c.Username)
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, "xxxxx")
		}
	}
	if c.From != "" {
		u.RawQuery = url.Values{"from": {c.From}}.Encode()
	}
	return u.String()
}

// ParseSMTPURL parses smtp://user:pass@host:port?from=addr (or smtps:// for
// implicit TLS). The port defaults to 587 (submission) or 465 (smtps). From
// is left empty when absent; the caller supplies its default (DefaultFrom).
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included; keep only the cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: %v", err)
	}
	var cfg SMTPConfig
	switch u.Scheme {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = 465, true
	case "":
		return SMTPConfig{}, errors.New("mail: invalid SMTP URL: missing scheme (want smtp:// or smtps://)")
	default:
		return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: unsupported scheme %q (want smtp or smtps)", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return SMTPConfig{}, errors.New("mail: invalid SMTP URL: missing host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: bad port %q (want 1-65535)", p)
		}
		cfg.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return SMTPConfig{}, errors.New("mail: invalid SMTP URL: bad port \"\" (want 1-65535)")
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: unexpected path %q", u.Path)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL query: %v", err)
	}
	for k := range q {
		// Fail loudly on typos rather than silently ignoring a setting.
		if k != "from" {
			return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: unknown parameter %q (only \"from\" is supported)", k)
		}
	}
	if from := q.Get("from"); from != "" {
		if strings.ContainsAny(from, "\r\n") {
			return SMTPConfig{}, fmt.Errorf("%w: from", ErrHeaderInjection)
		}
		if _, err := mail.ParseAddress(from); err != nil {
			return SMTPConfig{}, fmt.Errorf("mail: invalid SMTP URL: bad from address %q: %v", from, err)
		}
		cfg.From = from
	}
	return cfg, nil
}
