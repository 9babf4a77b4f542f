package mail

import (
	"context"
	"fmt"
	"log/slog"
)

// OutboxStore persists mails: the outbox is the delivery when no SMTP
// server is configured, and a record of what was sent when one is. The
// store masks the given secrets (the tokens of the body's links) in what it
// keeps and shows them only while they are live.
type OutboxStore interface {
	AddOutbox(ctx context.Context, to, subject, body string, secrets []string) (int64, error)
	ForgetOutboxSecrets(ctx context.Context, id int64) error
}

type outboxSender struct {
	store OutboxStore
	log   *slog.Logger
}

// NewOutboxSender returns a Sender for deployments without SMTP: mails are
// stored, and the operator reads their links on /admin/outbox while they
// are live. The log names each mail but never prints a link's token: a
// log is copied to far more places than the database. A nil log means
// slog.Default().
func NewOutboxSender(store OutboxStore, log *slog.Logger) Sender {
	if log == nil {
		log = slog.Default()
	}
	return &outboxSender{store: store, log: log}
}

func (s *outboxSender) Send(ctx context.Context, m Message) error {
	// Same validation as SMTP so that bad input fails in dev, not first in prod.
	if _, err := checkMessage(m); err != nil {
		return err
	}
	if _, err := s.store.AddOutbox(ctx, m.To, m.Subject, m.Text, Secrets(m.Text)); err != nil {
		s.log.ErrorContext(ctx, "mail: outbox store failed", "to", m.To, "subject", m.Subject, "body", MaskSecrets(m.Text), "err", err)
		return fmt.Errorf("mail: outbox: %w", err)
	}
	s.log.InfoContext(ctx, "mail: no SMTP configured, mail stored in outbox (links on /admin/outbox)",
		"to", m.To, "subject", m.Subject, "body", MaskSecrets(m.Text))
	return nil
}
