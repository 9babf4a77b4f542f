package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
)

// This file holds the reads of `gatehouse export` and `gatehouse import`:
// an organization's whole access configuration in one consistent snapshot.

// OrgMember is a membership with the user's email and name and its groups.
type OrgMember struct {
	Membership
	Email    string
	Name     string
	GroupIDs []int64 // ascending
}

// OrgSnapshot is an organization's access configuration at one instant.
type OrgSnapshot struct {
	Org     Org
	Groups  []Group     // predefined first, then by name (as Groups)
	Members []OrgMember // by email
}

// snapQuerier is what both a write transaction and a read transaction offer.
type snapQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// snapReader reads for export and import, counting every statement like the store's own helpers do.
type snapReader struct {
	q snapQuerier
	s *Store
}

func (c snapReader) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.s.queries.Add(1)
	return c.q.QueryContext(ctx, q, args...)
}

func (c snapReader) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	c.s.queries.Add(1)
	return c.q.QueryRowContext(ctx, q, args...)
}

// readSnapshot runs fn in one read-only transaction: every read inside sees the same
// snapshot of the database, even while the server keeps writing.
func (s *Store) readSnapshot(ctx context.Context, fn func(c snapReader) error) error {
	s.queries.Add(1)
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() // read-only: nothing to keep
	return fn(snapReader{q: tx, s: s})
}

// OrgSnapshot loads an organization's configuration by slug (ErrNotFound).
func (s *Store) OrgSnapshot(ctx context.Context, slug string) (OrgSnapshot, error) {
	var snap OrgSnapshot
	err := s.readSnapshot(ctx, func(c snapReader) error {
		var err error
		snap, err = c.orgSnapshot(ctx, slug)
		return err
	})
	return snap, err
}

// OrgSnapshot loads an organization's configuration inside a write transaction.
func (tx *Tx) OrgSnapshot(ctx context.Context, slug string) (OrgSnapshot, error) {
	return snapReader{q: tx.tx, s: tx.s}.orgSnapshot(ctx, slug)
}

func (c snapReader) orgSnapshot(ctx context.Context, slug string) (OrgSnapshot, error) {
	var snap OrgSnapshot
	err := scanOrg(c.queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.slug = ?`, slug), &snap.Org)
	if errors.Is(err, sql.ErrNoRows) {
		return OrgSnapshot{}, ErrNotFound
	}
	if err != nil {
		return OrgSnapshot{}, err
	}
	orgID := snap.Org.ID
	if snap.Groups, err = collectGroups(c.query(ctx, `SELECT `+groupCols+`, (SELECT COUNT(*) FROM group_members gm WHERE gm.group_id = g.id)
		FROM groups g WHERE g.org_id = ? ORDER BY g.predefined_key IS NULL, g.name COLLATE NOCASE`, orgID)); err != nil {
		return OrgSnapshot{}, err
	}
	rows, err := c.query(ctx, `SELECT `+membershipCols+`, u.email, u.name FROM memberships m
		JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.email`, orgID)
	if err != nil {
		return OrgSnapshot{}, err
	}
	index := map[int64]int{}
	for rows.Next() {
		var om OrgMember
		var custom sql.NullString
		m := &om.Membership
		if err := rows.Scan(&m.ID, &m.OrgID, &m.UserID, &m.Role, &m.Status, &custom, &m.CreatedAt, &m.LastActiveAt,
			&om.Email, &om.Name); err != nil {
			rows.Close()
			return OrgSnapshot{}, err
		}
		m.Custom = decodeCustom(custom)
		index[m.ID] = len(snap.Members)
		snap.Members = append(snap.Members, om)
	}
	if err := rows.Close(); err != nil {
		return OrgSnapshot{}, err
	}
	if err := rows.Err(); err != nil {
		return OrgSnapshot{}, err
	}
	gm, err := c.query(ctx, `SELECT gm.membership_id, gm.group_id FROM group_members gm
		JOIN groups g ON g.id = gm.group_id WHERE g.org_id = ? ORDER BY gm.membership_id, gm.group_id`, orgID)
	if err != nil {
		return OrgSnapshot{}, err
	}
	defer gm.Close()
	for gm.Next() {
		var mid, gid int64
		if err := gm.Scan(&mid, &gid); err != nil {
			return OrgSnapshot{}, err
		}
		if i, ok := index[mid]; ok {
			snap.Members[i].GroupIDs = append(snap.Members[i].GroupIDs, gid)
		}
	}
	return snap, gm.Err()
}

// UsersByEmail finds the accounts among emails (any case), keyed by the
// normalized email. Unknown emails are simply absent.
func (s *Store) UsersByEmail(ctx context.Context, emails []string) (map[string]User, error) {
	var out map[string]User
	err := s.readSnapshot(ctx, func(c snapReader) error {
		var err error
		out, err = c.usersByEmail(ctx, emails)
		return err
	})
	return out, err
}

// UsersByEmail is UsersByEmail inside a write transaction.
func (tx *Tx) UsersByEmail(ctx context.Context, emails []string) (map[string]User, error) {
	return snapReader{q: tx.tx, s: tx.s}.usersByEmail(ctx, emails)
}

func (c snapReader) usersByEmail(ctx context.Context, emails []string) (map[string]User, error) {
	out := map[string]User{}
	norm := make([]string, 0, len(emails))
	for _, e := range emails {
		norm = append(norm, NormalizeEmail(e))
	}
	sort.Strings(norm)
	const batch = 500 // well under SQLite's bound-parameter limit
	for len(norm) > 0 {
		n := min(batch, len(norm))
		part := norm[:n]
		norm = norm[n:]
		args := make([]any, len(part))
		for i, e := range part {
			args[i] = e
		}
		rows, err := c.query(ctx, `SELECT `+userCols+` FROM users u WHERE u.email IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var u User
			if err := scanUser(rows, &u); err != nil {
				rows.Close()
				return nil, err
			}
			out[NormalizeEmail(u.Email)] = u
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OrgSlugByNameKey returns the slug of the organization whose folded name is
// nameKey, or "" when the name is free.
func (s *Store) OrgSlugByNameKey(ctx context.Context, nameKey string) (string, error) {
	return snapReader{q: s.r, s: s}.orgSlugByNameKey(ctx, nameKey)
}

// OrgSlugByNameKey is OrgSlugByNameKey inside a write transaction.
func (tx *Tx) OrgSlugByNameKey(ctx context.Context, nameKey string) (string, error) {
	return snapReader{q: tx.tx, s: tx.s}.orgSlugByNameKey(ctx, nameKey)
}

func (c snapReader) orgSlugByNameKey(ctx context.Context, nameKey string) (string, error) {
	var slug string
	err := c.queryRow(ctx, `SELECT slug FROM organizations WHERE name_key = ?`, nameKey).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return slug, err
}

// CountUsers counts accounts inside a transaction (the demo seeds only an
// empty database, decided where the seed writes).
func (tx *Tx) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
