package store

import (
	"context"
	"database/sql"
	"errors"
	"gatehouse/internal/domain"
	"sort"
)

// This file holds the reads of `gatehouse export` and `gatehouse import`:
// an organization's whole access configuration in one consistent snapshot.

// OrgMember is a membership with the user's email and name and its groups.
type OrgMember struct {
	domain.Membership
	Email    string
	Name     string
	GroupIDs []int64             // ascending
	Teams    []domain.MemberTeam // by team id (Name left empty)
	// GroupEnds are the ends of its time-bound group memberships, by group id.
	GroupEnds map[int64]int64
}

// OrgSnapshot is an organization's access configuration at one instant.
type OrgSnapshot struct {
	Org      domain.Org
	Groups   []domain.Group // predefined first, then by name (as Groups)
	Teams    []domain.Team  // by name (as Teams)
	Channels []Channel      // by name (as Channels), each with its teams
	Members  []OrgMember    // by email
}

// OrgSnapshot loads an organization's configuration by slug (ErrNotFound),
// every part of it read in one snapshot.
func (r reads) OrgSnapshot(ctx context.Context, slug string) (OrgSnapshot, error) {
	var snap OrgSnapshot
	err := r.q.snapshot(ctx, func(r reads) error {
		var err error
		snap, err = r.orgSnapshot(ctx, slug)
		return err
	})
	return snap, err
}

func (r reads) orgSnapshot(ctx context.Context, slug string) (OrgSnapshot, error) {
	var snap OrgSnapshot
	err := scanOrg(r.q.queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.slug = ?`, slug), &snap.Org)
	if errors.Is(err, sql.ErrNoRows) {
		return OrgSnapshot{}, ErrNotFound
	}
	if err != nil {
		return OrgSnapshot{}, err
	}
	orgID := snap.Org.ID
	if snap.Groups, err = r.Groups(ctx, orgID); err != nil {
		return OrgSnapshot{}, err
	}
	if snap.Teams, _, err = r.Teams(ctx, orgID, TeamQuery{}); err != nil {
		return OrgSnapshot{}, err
	}
	if snap.Channels, err = r.Channels(ctx, orgID); err != nil {
		return OrgSnapshot{}, err
	}
	rows, err := r.q.query(ctx, `SELECT `+membershipCols+`, u.email, u.name FROM memberships m
		JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.email`, orgID)
	if err != nil {
		return OrgSnapshot{}, err
	}
	index := map[int64]int{}
	for rows.Next() {
		var om OrgMember
		m := &om.Membership
		if err := scanMembership(rows, m, r.Now(), &om.Email, &om.Name); err != nil {
			rows.Close()
			return OrgSnapshot{}, err
		}
		index[m.ID] = len(snap.Members)
		snap.Members = append(snap.Members, om)
	}
	if err := rows.Close(); err != nil {
		return OrgSnapshot{}, err
	}
	if err := rows.Err(); err != nil {
		return OrgSnapshot{}, err
	}
	gm, err := r.q.query(ctx, `SELECT gm.membership_id, gm.group_id, COALESCE(gm.expires_at, 0) FROM group_members gm
		JOIN groups g ON g.id = gm.group_id WHERE g.org_id = ? AND `+liveGM+` ORDER BY gm.membership_id, gm.group_id`, orgID, r.Now())
	if err != nil {
		return OrgSnapshot{}, err
	}
	defer gm.Close()
	for gm.Next() {
		var mid, gid, until int64
		if err := gm.Scan(&mid, &gid, &until); err != nil {
			return OrgSnapshot{}, err
		}
		if i, ok := index[mid]; ok {
			m := &snap.Members[i]
			m.GroupIDs = append(m.GroupIDs, gid)
			if until != 0 {
				if m.GroupEnds == nil {
					m.GroupEnds = map[int64]int64{}
				}
				m.GroupEnds[gid] = until
			}
		}
	}
	if err := gm.Err(); err != nil {
		return OrgSnapshot{}, err
	}
	tm, err := r.q.query(ctx, `SELECT tm.membership_id, tm.team_id, tm.is_lead FROM team_members tm
		JOIN teams t ON t.id = tm.team_id WHERE t.org_id = ? ORDER BY tm.membership_id, tm.team_id`, orgID)
	if err != nil {
		return OrgSnapshot{}, err
	}
	defer tm.Close()
	for tm.Next() {
		var mid int64
		var mt domain.MemberTeam
		if err := tm.Scan(&mid, &mt.TeamID, &mt.Lead); err != nil {
			return OrgSnapshot{}, err
		}
		if i, ok := index[mid]; ok {
			snap.Members[i].Teams = append(snap.Members[i].Teams, mt)
		}
	}
	return snap, tm.Err()
}

// UsersByEmail finds the accounts among emails (any case), keyed by the
// normalized email, in one snapshot. Unknown emails are simply absent.
func (r reads) UsersByEmail(ctx context.Context, emails []string) (map[string]domain.User, error) {
	var out map[string]domain.User
	err := r.q.snapshot(ctx, func(r reads) error {
		var err error
		out, err = r.usersByEmail(ctx, emails)
		return err
	})
	return out, err
}

func (r reads) usersByEmail(ctx context.Context, emails []string) (map[string]domain.User, error) {
	out := map[string]domain.User{}
	norm := make([]string, 0, len(emails))
	for _, e := range emails {
		norm = append(norm, NormalizeEmail(e))
	}
	sort.Strings(norm)
	const batch = 512 // well under SQLite's bound-parameter limit
	for len(norm) > 0 {
		part := norm[:min(batch, len(norm))]
		norm = norm[len(part):]
		args := padList(part)
		rows, err := r.q.query(ctx, `SELECT `+userCols+` FROM users u WHERE u.email IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var u domain.User
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
func (r reads) OrgSlugByNameKey(ctx context.Context, nameKey string) (string, error) {
	var slug string
	err := r.q.queryRow(ctx, `SELECT slug FROM organizations WHERE name_key = ?`, nameKey).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return slug, err
}
