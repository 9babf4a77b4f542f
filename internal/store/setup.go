package store

import (
	"context"
	"gatehouse/internal/domain"
)

// The first instance admin comes from a one-time setup link that `serve`
// prints on a database without one (never from being the first to sign
// up, which any visitor could race for), or from `gatehouse admin`.

// NewSetupToken stores the hash of a setup link when the instance has no
// admin yet and reports whether it did. Earlier unused links die: only the
// link printed last works.
func (s *Store) NewSetupToken(ctx context.Context, tokenHash string) (bool, error) {
	made := false
	err := s.Write(ctx, func(tx *Tx) error {
		var hasAdmin bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE is_instance_admin = 1)`).Scan(&hasAdmin); err != nil {
			return err
		}
		if hasAdmin {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM setup_tokens WHERE used_at IS NULL`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`, tokenHash, tx.Now()); err != nil {
			return err
		}
		made = true
		return nil
	})
	return made, err
}

// SetupTokenLive reports whether a setup link can still be used.
func (r reads) SetupTokenLive(ctx context.Context, tokenHash string) (bool, error) {
	var ok bool
	err := r.q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL)`, tokenHash).Scan(&ok)
	return ok, err
}

// CreateSetupAdmin consumes a setup link and creates the account it was
// for as instance admin, in one transaction: of two concurrent uses one
// wins, the other gets ErrNotFound and creates nothing. ErrConflict when
// the address is taken (the link stays usable).
func (s *Store) CreateSetupAdmin(ctx context.Context, tokenHash, email, name, passwordHash string) (domain.User, error) {
	var u domain.User
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.execOne(ctx, `UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
			tx.Now(), tokenHash); err != nil {
			return err
		}
		var err error
		if u, err = tx.CreateUser(ctx, email, name, passwordHash); err != nil {
			return err
		}
		return tx.makeInstanceAdmin(ctx, &u)
	})
	return u, err
}

// SetInstanceAdmin makes an account an instance admin.
func (tx *Tx) SetInstanceAdmin(ctx context.Context, userID int64) error {
	return tx.execOne(ctx, `UPDATE users SET is_instance_admin = 1 WHERE id = ?`, userID)
}

// makeInstanceAdmin makes u an instance admin and says so in u.
func (tx *Tx) makeInstanceAdmin(ctx context.Context, u *domain.User) error {
	if err := tx.SetInstanceAdmin(ctx, u.ID); err != nil {
		return err
	}
	u.IsInstanceAdmin = true
	return nil
}

// GrantInstanceAdmin makes the account of email an instance admin
// (ErrNotFound when no account has that address).
func (s *Store) GrantInstanceAdmin(ctx context.Context, email string) (domain.User, error) {
	var u domain.User
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if u, err = tx.UserByEmail(ctx, email); err != nil {
			return err
		}
		return tx.makeInstanceAdmin(ctx, &u)
	})
	return u, err
}
