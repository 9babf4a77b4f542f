package store

import (
	"context"
	"gatehouse/internal/domain"
	"strings"
)

const userCols = `u.id, u.email, u.name, COALESCE(u.password_hash, ''), u.must_reset_password,
	u.is_instance_admin, u.phone, u.job_title, u.location, u.photo_version, u.created_at, COALESCE(u.verified_at, 0)`

func scanUser(sc interface{ Scan(...any) error }, u *domain.User) error {
	return sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.MustResetPassword,
		&u.IsInstanceAdmin, &u.Phone, &u.JobTitle, &u.Location, &u.PhotoVersion, &u.CreatedAt, &u.VerifiedAt)
}

// NormalizeEmail trims and lower-cases an address for storage and lookup.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts an account, unverified and not an instance admin (the
// first instance admin comes from the setup link or "gatehouse admin", never
// from being first). ErrConflict if the email is taken.
func (s *Store) CreateUser(ctx context.Context, email, name, passwordHash string) (domain.User, error) {
	return writeValue(ctx, s, func(tx *Tx) (domain.User, error) { return tx.CreateUser(ctx, email, name, passwordHash) })
}

// CreateUser inserts an account inside a transaction (imports, invites).
func (tx *Tx) CreateUser(ctx context.Context, email, name, passwordHash string) (domain.User, error) {
	email = NormalizeEmail(email)
	var hash any
	if passwordHash != "" {
		hash = passwordHash
	}
	now := tx.Now()
	res, err := tx.Exec(ctx, `INSERT INTO users (email, name, password_hash, created_at)
		VALUES (?, ?, ?, ?)`, email, name, hash, now)
	if tx.s.isUnique(err) {
		return domain.User{}, ErrConflict
	}
	if err != nil {
		return domain.User{}, err
	}
	id, _ := res.LastInsertId()
	return tx.UserByID(ctx, id)
}

// UserByEmail finds an account (case-insensitive).
func (r reads) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	return one(r.q.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.email = ?`, NormalizeEmail(email)), scanUser)
}

// UserByID finds an account by id.
func (r reads) UserByID(ctx context.Context, id int64) (domain.User, error) {
	return one(r.q.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ?`, id), scanUser)
}

// SetPassword stores a new hash, clears a forced reset and ends every session
// of the user except keepSession (the one that changed it, "" for none).
func (s *Store) SetPassword(ctx context.Context, userID int64, hash, keepSession string) error {
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_reset_password = 0 WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
			tx.Now(), userID, keepSession)
		return err
	})
}

// InstanceAdminEmails lists the addresses of instance admins (for notifications).
func (r reads) InstanceAdminEmails(ctx context.Context) ([]string, error) {
	rows, err := r.q.query(ctx, `SELECT email FROM users WHERE is_instance_admin = 1 ORDER BY id`)
	return collect(rows, err, scanText)
}

// CountUsers counts accounts.
func (r reads) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
