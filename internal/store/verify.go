package store

import (
	"context"
	"database/sql"
	"errors"
)

// EmailTokenKind says what a confirmation link does when followed.
type EmailTokenKind string

const (
	// EmailVerify confirms the account's current address.
	EmailVerify EmailTokenKind = "verify"
	// EmailChange moves the account to the token's address.
	EmailChange EmailTokenKind = "change"
)

// EmailTokenUse is what following a confirmation link did.
type EmailTokenUse struct {
	UserID   int64
	Kind     EmailTokenKind
	Email    string // the confirmed address (the new one for a change)
	OldEmail string // the address before a change ("" for verify)
	Name     string
}

// CreateEmailToken stores a confirmation link's hash for userID and
// address; the user's older open links of the same kind die, so only the
// newest one works.
func (s *Store) CreateEmailToken(ctx context.Context, userID int64, email string, kind EmailTokenKind, tokenHash string, expiresAt int64) error {
	return s.Write(ctx, func(tx *Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(ctx, `UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL`,
			now, userID, string(kind)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO email_tokens (token_hash, user_id, email, kind, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, userID, NormalizeEmail(email), string(kind), now, expiresAt)
		return err
	})
}

// UseEmailToken follows a confirmation link in one transaction: the token
// is consumed (single-use even under concurrent clicks) and its effect
// written. A verify link counts only while the account still has the
// address it was sent to; a change link moves the account to its address
// and counts as verified. ErrNotFound for an unknown, used, expired or
// no longer matching link (nothing changes); ErrConflict when another
// account took the new address meanwhile (nothing changes).
func (s *Store) UseEmailToken(ctx context.Context, tokenHash string) (EmailTokenUse, error) {
	var use EmailTokenUse
	err := s.Write(ctx, func(tx *Tx) error {
		now := tx.Now()
		var kind string
		err := tx.QueryRow(ctx, `UPDATE email_tokens SET used_at = ?1
			WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
			RETURNING user_id, kind, email`, now, tokenHash).Scan(&use.UserID, &kind, &use.Email)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		use.Kind = EmailTokenKind(kind)
		var current string
		if err := tx.QueryRow(ctx, `SELECT email, name FROM users WHERE id = ?`, use.UserID).Scan(&current, &use.Name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		switch use.Kind {
		case EmailVerify:
			if NormalizeEmail(current) != use.Email {
				return ErrNotFound // sent to an address the account no longer has
			}
			_, err = tx.Exec(ctx, `UPDATE users SET verified_at = COALESCE(verified_at, ?) WHERE id = ?`, now, use.UserID)
			return err
		case EmailChange:
			use.OldEmail = current
			_, err = tx.Exec(ctx, `UPDATE users SET email = ?, verified_at = ? WHERE id = ?`, use.Email, now, use.UserID)
			if tx.s.isUnique(err) {
				return ErrConflict
			}
			if err != nil {
				return err
			}
			// A verify link of the old address must not count any more.
			_, err = tx.Exec(ctx, `UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, use.UserID)
			return err
		}
		return ErrNotFound
	})
	return use, err
}

// PendingEmail is the address an account asked to move to and has not
// confirmed yet ("" when none is open).
func (r reads) PendingEmail(ctx context.Context, userID int64) (string, error) {
	var email string
	err := r.q.queryRow(ctx, `SELECT email FROM email_tokens
		WHERE user_id = ? AND kind = 'change' AND used_at IS NULL AND expires_at > ?
		ORDER BY created_at DESC LIMIT 1`, userID, r.Now()).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return email, err
}

// MarkVerified records that the account proved it reads email (a
// reset link or an invitation link mailed there was used), as long as
// the account still has that address.
func (s *Store) MarkVerified(ctx context.Context, userID int64, email string) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.MarkVerified(ctx, userID, email) })
}

// MarkVerified is MarkVerified inside a transaction.
func (tx *Tx) MarkVerified(ctx context.Context, userID int64, email string) error {
	_, err := tx.Exec(ctx, `UPDATE users SET verified_at = ? WHERE id = ? AND email = ? AND verified_at IS NULL`,
		tx.Now(), userID, NormalizeEmail(email))
	return err
}
