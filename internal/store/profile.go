package store

import (
	"context"
	"database/sql"
	"errors"
)

// Profile is the part of a user's account they edit themselves.
type Profile struct {
	Name     string
	Phone    string
	JobTitle string
	Location string
}

// UpdateProfile saves a user's name and contact details.
func (s *Store) UpdateProfile(ctx context.Context, userID int64, p Profile) error {
	return s.Write(ctx, func(tx *Tx) error {
		return tx.execOne(ctx, `UPDATE users SET name = ?, phone = ?, job_title = ?, location = ? WHERE id = ?`,
			p.Name, p.Phone, p.JobTitle, p.Location, userID)
	})
}

// ChangeEmail sets a new sign-in address (normalized). ErrConflict when
// another account uses it; setting the current address again is a no-op.
func (s *Store) ChangeEmail(ctx context.Context, userID int64, email string) error {
	err := s.Write(ctx, func(tx *Tx) error {
		return tx.execOne(ctx, `UPDATE users SET email = ? WHERE id = ?`, NormalizeEmail(email), userID)
	})
	if s.isUnique(err) {
		return ErrConflict
	}
	return err
}

// SetPhoto stores a re-encoded photo (never the upload as sent) and moves
// photo_version on, so /me/photo/{id}?v=… URLs change and caches refetch.
// The version is at least the current time in milliseconds, so a photo
// uploaded after a removal never reuses a version a browser may have cached.
func (s *Store) SetPhoto(ctx context.Context, userID int64, data []byte) (int64, error) {
	var v int64
	err := s.Write(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `UPDATE users SET photo = ?, photo_version = MAX(photo_version + 1, ?)
			WHERE id = ? RETURNING photo_version`, data, s.now().UnixMilli(), userID).Scan(&v)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return v, err
}

// RemovePhoto clears the photo; avatars fall back to initials (version 0).
func (s *Store) RemovePhoto(ctx context.Context, userID int64) error {
	return s.Write(ctx, func(tx *Tx) error {
		return tx.execOne(ctx, `UPDATE users SET photo = NULL, photo_version = 0 WHERE id = ?`, userID)
	})
}

// Photo returns a user's stored photo and its version; ErrNotFound when none.
func (r reads) Photo(ctx context.Context, userID int64) ([]byte, int64, error) {
	var data []byte
	var v int64
	err := r.q.queryRow(ctx, `SELECT photo, photo_version FROM users WHERE id = ? AND photo IS NOT NULL`, userID).Scan(&data, &v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(data) == 0) {
		return nil, 0, ErrNotFound
	}
	return data, v, err
}

// OrgGroups is one organization of a user with the user's groups there, for
// "groups per organization" on the profile.
type OrgGroups struct {
	UserOrg
	Groups []string // group names, by name
}

// GroupsByOrg lists every organization of the user with their role, status
// and group names: two queries whatever the number of organizations.
func (r reads) GroupsByOrg(ctx context.Context, userID int64) ([]OrgGroups, error) {
	orgs, err := r.OrgsOfUser(ctx, userID)
	if err != nil || len(orgs) == 0 {
		return nil, err
	}
	rows, err := r.q.query(ctx, `SELECT gm.membership_id, g.name FROM memberships m
		JOIN group_members gm ON gm.membership_id = m.id
		JOIN groups g ON g.id = gm.group_id
		WHERE m.user_id = ? ORDER BY g.name COLLATE NOCASE`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byMembership := map[int64][]string{}
	for rows.Next() {
		var mid int64
		var name string
		if err := rows.Scan(&mid, &name); err != nil {
			return nil, err
		}
		byMembership[mid] = append(byMembership[mid], name)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]OrgGroups, len(orgs))
	for i, o := range orgs {
		out[i] = OrgGroups{UserOrg: o, Groups: byMembership[o.MembershipID]}
	}
	return out, nil
}

// SharesOrg reports whether two users belong to a common organization
// (photos are visible to colleagues only).
func (r reads) SharesOrg(ctx context.Context, userA, userB int64) (bool, error) {
	var ok bool
	err := r.q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships a JOIN memberships b ON b.org_id = a.org_id
		WHERE a.user_id = ? AND b.user_id = ?)`, userA, userB).Scan(&ok)
	return ok, err
}

// RevokeOtherSessions ends every live session of the user except keep (the
// current one); returns how many ended.
func (s *Store) RevokeOtherSessions(ctx context.Context, userID int64, keep string) (int64, error) {
	res, err := s.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
		s.unix(), userID, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
