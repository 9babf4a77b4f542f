package store

import (
	"context"
	"database/sql"
	"errors"
)

// CreatePasswordReset stores a hashed single-use reset token; older unused
// tokens of the user die so only the newest link works.
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, expiresAt int64) error {
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.Now(), userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)`, tokenHash, userID, expiresAt)
		return err
	})
}

// ResetUser returns the user of a live (unused, unexpired) reset token.
func (r reads) ResetUser(ctx context.Context, tokenHash string) (int64, error) {
	var userID int64
	err := r.q.queryRow(ctx, `SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
		tokenHash, r.Now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return userID, err
}

// UsePasswordReset consumes the token and sets the password in one
// transaction: the token is single-use even under concurrent submits, and
// every session of the user ends.
func (s *Store) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string) (int64, error) {
	var userID int64
	err := s.Write(ctx, func(tx *Tx) error {
		now := tx.Now()
		err := tx.QueryRow(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING user_id`, now, tokenHash, now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_reset_password = 0 WHERE id = ?`, passwordHash, userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID)
		return err
	})
	return userID, err
}
