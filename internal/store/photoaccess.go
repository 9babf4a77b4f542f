package store

import (
	"context"
	"gatehouse/internal/domain"
)

// PhotoVisible reports whether viewer may see owner's photo: both hold an
// active membership in one organization. A suspended member (or one whose
// colleague is suspended there) sees nothing through that organization,
// the same as a stranger. Yourself and instance admins are the caller's
// to allow.
func (r reads) PhotoVisible(ctx context.Context, viewer, owner int64) (bool, error) {
	var ok bool
	err := r.q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships v
		JOIN memberships o ON o.org_id = v.org_id AND o.user_id = ? AND o.status = ?
		WHERE v.user_id = ? AND v.status = ?)`, owner, domain.StatusActive, viewer, domain.StatusActive).Scan(&ok)
	return ok, err
}
