package store

import (
	"context"
	"database/sql"
	"errors"
)

// OrgDraft returns a user's organization wizard draft (JSON as saved);
// ok is false when the user has none.
func (r reads) OrgDraft(ctx context.Context, userID int64) (data string, ok bool, err error) {
	err = r.q.queryRow(ctx, `SELECT data FROM org_drafts WHERE user_id = ?`, userID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return data, err == nil, err
}

// SaveOrgDraft stores a user's draft, replacing the previous one (one per user).
func (s *Store) SaveOrgDraft(ctx context.Context, userID int64, data string) error {
	_, err := s.exec(ctx, `INSERT INTO org_drafts (user_id, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, userID, data, s.unix())
	return err
}

// DeleteOrgDraft drops a user's draft (no error when there is none).
func (s *Store) DeleteOrgDraft(ctx context.Context, userID int64) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.DeleteOrgDraft(ctx, userID) })
}

// DeleteOrgDraft drops a user's draft inside the transaction that creates
// the organization, so a created organization never leaves its draft behind.
func (tx *Tx) DeleteOrgDraft(ctx context.Context, userID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM org_drafts WHERE user_id = ?`, userID)
	return err
}
