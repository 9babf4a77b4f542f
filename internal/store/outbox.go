package store

import "context"

// OutboxMail is a mail kept in the database when no SMTP server is configured.
type OutboxMail struct {
	ID        int64
	To        string
	Subject   string
	Body      string
	CreatedAt int64
}

// AddOutbox stores a mail (implements mail.OutboxStore).
func (s *Store) AddOutbox(ctx context.Context, to, subject, body string) error {
	_, err := s.exec(ctx, `INSERT INTO outbox (to_addr, subject, body, created_at) VALUES (?, ?, ?, ?)`, to, subject, body, s.unix())
	return err
}

// Outbox lists the newest mails first.
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxMail, error) {
	rows, err := s.query(ctx, `SELECT id, to_addr, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxMail
	for rows.Next() {
		var m OutboxMail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
