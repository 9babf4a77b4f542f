package store

import (
	"context"
	"database/sql"
	"errors"
)

// Session is a server-side login session.
type Session struct {
	ID         string // SHA-256 of the cookie token, hex
	UserID     int64
	CreatedAt  int64
	LastSeenAt int64
	IP         string
	UserAgent  string
	RevokedAt  int64 // 0 while live
	Data       []byte
}

// CreateSession stores a new session and records the login event.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	if sess.Data == nil {
		sess.Data = []byte{}
	}
	return s.Write(ctx, func(tx *Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, ip, user_agent, data)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sess.ID, sess.UserID, now, now, sess.IP, sess.UserAgent, sess.Data); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO login_events (user_id, at, ip, user_agent) VALUES (?, ?, ?, ?)`,
			sess.UserID, now, sess.IP, sess.UserAgent)
		return err
	})
}

// SessionByID loads a live (not revoked) session.
func (r reads) SessionByID(ctx context.Context, id string) (Session, error) {
	var sess Session
	var revoked sql.NullInt64
	err := r.q.queryRow(ctx, `SELECT id, user_id, created_at, last_seen_at, ip, user_agent, revoked_at, data
		FROM sessions WHERE id = ?`, id).Scan(&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt,
		&sess.IP, &sess.UserAgent, &revoked, &sess.Data)
	if errors.Is(err, sql.ErrNoRows) || revoked.Valid {
		return Session{}, ErrNotFound
	}
	sess.RevokedAt = revoked.Int64
	return sess, err
}

// SaveSessionData replaces a session's values (flashes).
func (s *Store) SaveSessionData(ctx context.Context, id string, data []byte) error {
	_, err := s.exec(ctx, `UPDATE sessions SET data = ? WHERE id = ? AND revoked_at IS NULL`, data, id)
	return err
}

// TouchSession records activity; callers throttle it to avoid a write per request.
func (s *Store) TouchSession(ctx context.Context, id string, ip string) error {
	_, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ?, ip = ? WHERE id = ?`, s.unix(), ip, id)
	return err
}

// RevokeSession ends one session. Scoped to the user so a member cannot end
// someone else's session by guessing an id.
func (s *Store) RevokeSession(ctx context.Context, userID int64, id string) error {
	res, err := s.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
		s.unix(), id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// RevokeSessionByID ends a session whatever its user (logout of the current one).
func (s *Store) RevokeSessionByID(ctx context.Context, id string) error {
	_, err := s.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.unix(), id)
	return err
}

// RevokeUserSessions ends every live session of a user; returns how many.
func (s *Store) RevokeUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, s.unix(), userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// UserSessions lists a user's live sessions, most recent first.
func (r reads) UserSessions(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := r.q.query(ctx, `SELECT id, user_id, created_at, last_seen_at, ip, user_agent
		FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY last_seen_at DESC, created_at DESC`, userID)
	return collect(rows, err, func(sc scanner, x *Session) error {
		return sc.Scan(&x.ID, &x.UserID, &x.CreatedAt, &x.LastSeenAt, &x.IP, &x.UserAgent)
	})
}

// LoginEvent is one successful login.
type LoginEvent struct {
	At        int64
	IP        string
	UserAgent string
}

// RecentLogins lists the user's latest logins.
func (r reads) RecentLogins(ctx context.Context, userID int64, limit int) ([]LoginEvent, error) {
	rows, err := r.q.query(ctx, `SELECT at, ip, user_agent FROM login_events WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?`, userID, limit)
	return collect(rows, err, func(sc scanner, e *LoginEvent) error { return sc.Scan(&e.At, &e.IP, &e.UserAgent) })
}
