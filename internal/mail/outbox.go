package mail

import (
	"context"
	"fmt"
	"log/slog"
)

// OutboxStore persists mails that could not be sent because no SMTP server is
// configured.
type OutboxStore interface {
	AddOutbox(ctx context.Context, to, subject, body string) error
}

type outboxSender struct {
	store OutboxStore
	log   *slog.Logger
}

// NewOutboxSender returns a Sender for deployments without SMTP: mails are
// stored and logged in full, because the operator copies reset and invite
// links out of the log. A nil log means slog.Default().
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
	if err := s.store.AddOutbox(ctx, m.To, m.Subject, m.Text); err != nil {
		// Still log the mail: the log may be the operator's only copy of the link.
		s.log.ErrorContext(ctx, "mail: outbox store failed", "to", m.To, "subject", m.Subject, "body", m.Text, "err", err)
		return fmt.Errorf("mail: outbox: %w", err)
	}
	s.log.InfoContext(ctx, "mail: no SMTP configured, mail stored in outbox", "to", m.To, "subject", m.Subject, "body", m.Text)
	return nil
}
