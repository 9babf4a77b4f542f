package store

import (
	"context"
	"database/sql"
	"errors"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// AuthRow is everything the auth layer needs for one request, loaded by one
// query: the session, its user and, when the request names an organization,
// that organization and the user's membership in it. It holds only what
// requests use (every column costs on every request): the user's password
// hash and contact details, the session's user agent and the creation times
// are left zero; a page that shows them loads the row (UserByID, …).
type AuthRow struct {
	Session    Session
	User       domain.User
	Org        *domain.Org        // nil: no slug asked, or no such organization
	Membership *domain.Membership // nil: not a member of Org, or signed out of it
	// SignedOut: the session was live when its member was signed out of Org
	// (managed accounts): it must sign in again before Org accepts it.
	// Membership is nil then, so nothing of Org is reachable with it; the
	// session itself, and every other organization, still work.
	SignedOut bool
	// DirectoryVersion changes whenever any user's list of organizations
	// could read differently (see migration 2): a cache key for that list.
	DirectoryVersion int64
	// OrgHasTeams: Org has at least one team (its "My teams" lists exist
	// only then); read with the row, so the auth context stays one query.
	OrgHasTeams bool
	// DataVersion is the database's data version the row was checked at
	// (authCache; 0 from LoadAuthForWrite, which does not read it): a
	// later answer read at the same version cannot differ, which lets a
	// request reuse one (ConversationLastMessageAt).
	DataVersion int64
	// At is the time (Unix seconds) the row was judged at: Membership is
	// settled then, and Org.NextExpiry is the first grant end after it.
	At int64
}

// LoadAuth runs the single auth-context query. Idle sessions older than
// idleCutoff (Unix seconds) count as gone.
// Answers are reused until anything is committed (see authCache).
func (s *Store) LoadAuth(ctx context.Context, sessionID, slug string, idleCutoff int64) (AuthRow, error) {
	s.queries.Add(1) // the data version
	key := authKey{sessionID, slug}
	version, err := s.auth.dataVersion(uncancelled(ctx))
	if err != nil {
		return AuthRow{}, err
	}
	now := s.unix()
	if a, ok := s.auth.get(key, version); ok && a.validAt(now) {
		if a.Session.LastSeenAt <= idleCutoff { // as the query's WHERE would
			return AuthRow{}, ErrNotFound
		}
		a.DataVersion = version
		return a, nil
	}
	a, err := s.loadAuth(ctx, sessionID, slug, idleCutoff, now)
	if err == nil {
		// Read after the version: a commit in between makes the entry
		// older than the next version asked, never newer.
		s.auth.put(key, version, a)
		a.DataVersion = version
	}
	return a, err
}

// LoadAuthForWrite is LoadAuth for a request that may write (a save, a
// sign-out): the same query, run on the writer's connection in the
// writers' queue, without the cache. Every commit empties the readers'
// page caches and moves the data version, so under a burst of saves the
// cache never hit and the query read its dozen pages back from the file:
// auth was 30% of a save's CPU. The writer's page cache survives its own
// commits, which halves that. It also means such a request is authorized
// against every write committed before it.
func (s *Store) LoadAuthForWrite(ctx context.Context, sessionID, slug string, idleCutoff int64) (AuthRow, error) {
	s.queries.Add(1)
	var a AuthRow
	err := s.onWriter(ctx, &writeJob{read: func() (err error) {
		now := s.unix()
		a, err = scanAuth(s.wAuthStmt.QueryRowContext(uncancelled(ctx), sessionID, slug, idleCutoff, now), now)
		return err
	}})
	return a, err
}

func (s *Store) loadAuth(ctx context.Context, sessionID, slug string, idleCutoff, now int64) (AuthRow, error) {
	return scanAuth(s.authRow(ctx, sessionID, slug, idleCutoff, now), now)
}

// validAt reports whether a cached row still holds at now: no grant of its
// organization has ended since it was read (ARCHITECTURE.md, Time-bound
// grants). The data version cannot say so, since nothing is written then.
func (a AuthRow) validAt(now int64) bool {
	return a.Org == nil || now < a.Org.NextExpiry
}

func scanAuth(row *sql.Row, now int64) (AuthRow, error) {
	a := AuthRow{At: now}
	var (
		orgID                                     sql.NullInt64
		orgName, orgSlug, orgProducts, orgPackage sql.NullString
		orgSeats, orgVersion                      sql.NullInt64
		orgMembersVersion, orgCustomersVersion    sql.NullInt64
		orgConversationsVersion                   sql.NullInt64
		memID, memActive                          sql.NullInt64
		memRole, memStatus, memCustom             sql.NullString
		signedOut, hasTeams                       bool
		nextExpiry                                sql.NullInt64
		ends                                      domain.Membership
	)
	u := &a.User
	err := row.Scan(
		&a.Session.ID, &a.Session.UserID, &a.Session.LastSeenAt, &a.Session.IP, &a.Session.Data,
		&u.ID, &u.Email, &u.Name, &u.MustResetPassword, &u.IsInstanceAdmin, &u.PhotoVersion, &u.VerifiedAt,
		&orgID, &orgName, &orgSlug, &orgProducts, &orgPackage, &orgSeats, &orgVersion, &orgMembersVersion, &orgCustomersVersion, &orgConversationsVersion,
		&memID, &memRole, &memStatus, &memCustom, &memActive, &ends.CustomUntil, &ends.RoleUntil, &ends.RoleThen,
		&a.DirectoryVersion, &signedOut, &hasTeams, &nextExpiry)
	if errors.Is(err, sql.ErrNoRows) {
		return AuthRow{}, ErrNotFound
	}
	if err != nil {
		return AuthRow{}, err
	}
	if orgID.Valid {
		a.Org = &domain.Org{ID: orgID.Int64, Name: orgName.String, Slug: orgSlug.String, Products: parseProducts(orgProducts.String),
			Package: orgPackage.String, Seats: int(orgSeats.Int64), PermVersion: orgVersion.Int64,
			MembersVersion: orgMembersVersion.Int64, CustomersVersion: orgCustomersVersion.Int64, ConversationsVersion: orgConversationsVersion.Int64,
			NextExpiry: domain.NoExpiry}
		if nextExpiry.Valid {
			a.Org.NextExpiry = nextExpiry.Int64
		}
	}
	a.OrgHasTeams = orgID.Valid && hasTeams
	if signedOut {
		a.SignedOut = true
	} else if memID.Valid {
		a.Membership = &domain.Membership{ID: memID.Int64, OrgID: orgID.Int64, UserID: u.ID, Role: access.Role(memRole.String),
			Status: memStatus.String, Custom: decodeCustom(memCustom), LastActiveAt: memActive.Int64,
			CustomUntil: ends.CustomUntil, RoleUntil: ends.RoleUntil, RoleThen: ends.RoleThen}
		*a.Membership = a.Membership.Settle(now)
	}
	return a, nil
}

// authQuery runs on every request: it is prepared once per reader
// connection instead of being compiled again each time.
const authQuery = `SELECT s.id, s.user_id, s.last_seen_at, s.ip, s.data,
			u.id, u.email, u.name, u.must_reset_password, u.is_instance_admin, u.photo_version, COALESCE(u.verified_at, 0),
			o.id, o.name, o.slug, o.products, o.package, o.seats, o.perm_version, o.members_version, o.customers_version, o.conversations_version,
			m.id, m.role, m.status, m.custom_permissions, m.last_active_at, ` + grantEndCols + `,
			(SELECT version FROM directory_version WHERE id = 1),
			EXISTS (SELECT 1 FROM session_signouts x WHERE x.session_id = s.id AND x.org_id = o.id),
			EXISTS (SELECT 1 FROM teams t WHERE t.org_id = o.id),
			` + nextExpirySQL + `
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		LEFT JOIN organizations o ON o.slug = ?2
		LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = u.id
		WHERE s.id = ?1 AND s.revoked_at IS NULL AND s.last_seen_at > ?3`

func (s *Store) authRow(ctx context.Context, sessionID, slug string, idleCutoff, now int64) *sql.Row {
	s.queries.Add(1)
	return s.authStmt.QueryRowContext(uncancelled(ctx), sessionID, slug, idleCutoff, now)
}

// nextExpirySQL is organization o's earliest grant end after ?4 (NULL:
// none): of its members' individual sets, temporary roles and group
// memberships, each from a partial index of the grants that end (few).
// Each part walks the pending ends of every organization (INDEXED BY, and
// CROSS JOIN for the groups): left to itself SQLite started from the
// organization's members, a scan of all of them on every auth query.
const nextExpirySQL = `(SELECT MIN(e) FROM (
				SELECT MIN(x.custom_expires_at) AS e FROM memberships x INDEXED BY memberships_custom_expiry
					WHERE x.custom_expires_at > ?4 AND x.org_id = o.id
				UNION ALL SELECT MIN(x.role_until) FROM memberships x INDEXED BY memberships_role_until
					WHERE x.role_until > ?4 AND x.org_id = o.id
				UNION ALL SELECT MIN(gm.expires_at) FROM group_members gm INDEXED BY group_members_expiry
					CROSS JOIN memberships x ON x.id = gm.membership_id WHERE gm.expires_at > ?4 AND x.org_id = o.id))`
