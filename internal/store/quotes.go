package store

import "context"

// QuoteRequest is a "contact sales" request for a custom package.
type QuoteRequest struct {
	ID        int64
	UserID    int64
	UserEmail string // filled by QuoteRequests
	Company   string
	Seats     int
	Message   string
	CreatedAt int64
}

// CreateQuoteRequest stores a request and returns it with its id and time.
func (s *Store) CreateQuoteRequest(ctx context.Context, q QuoteRequest) (QuoteRequest, error) {
	q.CreatedAt = s.unix()
	res, err := s.exec(ctx, `INSERT INTO quote_requests (user_id, company, seats, message, created_at) VALUES (?, ?, ?, ?, ?)`,
		q.UserID, q.Company, q.Seats, q.Message, q.CreatedAt)
	if err != nil {
		return QuoteRequest{}, err
	}
	q.ID, err = res.LastInsertId()
	return q, err
}

// QuoteRequests lists the newest requests first, at most limit.
func (r reads) QuoteRequests(ctx context.Context, limit int) ([]QuoteRequest, error) {
	rows, err := r.q.query(ctx, `SELECT q.id, COALESCE(q.user_id, 0), COALESCE(u.email, ''), q.company, q.seats, q.message, q.created_at
		FROM quote_requests q LEFT JOIN users u ON u.id = q.user_id ORDER BY q.id DESC LIMIT ?`, limit)
	return collect(rows, err, func(sc scanner, q *QuoteRequest) error {
		return sc.Scan(&q.ID, &q.UserID, &q.UserEmail, &q.Company, &q.Seats, &q.Message, &q.CreatedAt)
	})
}
