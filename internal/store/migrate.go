package store

import (
	"context"
	"fmt"

	"gatehouse"
)

// migrations run in order after the base schema; entry i moves the database
// from version i+1 to i+2. Never edit an entry once released: append one.
var migrations = []string{
	// 2: directory_version, bumped whenever anyone's list of organizations
	// (the switcher: names, slugs, roles, suspensions) could read
	// differently, so that list can be cached per user and version.
	`CREATE TABLE directory_version (
		id      INTEGER PRIMARY KEY CHECK (id = 1),
		version INTEGER NOT NULL
	);
	INSERT INTO directory_version (id, version) VALUES (1, 1);
	CREATE TRIGGER directory_membership_ins AFTER INSERT ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_membership_del AFTER DELETE ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_membership_upd AFTER UPDATE OF role, status, org_id, user_id ON memberships BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_org_upd AFTER UPDATE OF name, slug ON organizations BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;
	CREATE TRIGGER directory_org_del AFTER DELETE ON organizations BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;`,
	// 3: the members list reads everything it shows from one index: the
	// user's photo version is copied into memberships like the name and
	// email (triggers keep it equal), and the name-sorted index carries
	// every listed column, so a page is one index range, no table lookups.
	`ALTER TABLE memberships ADD COLUMN user_photo_version INTEGER NOT NULL DEFAULT 0;
	UPDATE memberships SET user_photo_version = (SELECT photo_version FROM users WHERE users.id = memberships.user_id);
	CREATE TRIGGER memberships_copy_photo AFTER INSERT ON memberships BEGIN
		UPDATE memberships SET user_photo_version = (SELECT photo_version FROM users WHERE id = NEW.user_id) WHERE id = NEW.id;
	END;
	CREATE TRIGGER users_copy_photo_to_memberships AFTER UPDATE OF photo_version ON users BEGIN
		UPDATE memberships SET user_photo_version = NEW.photo_version WHERE user_id = NEW.id;
	END;
	DROP INDEX memberships_org_name;
	CREATE INDEX memberships_org_name ON memberships(org_id, user_name, user_email, id,
		user_id, role, status, created_at, last_active_at, user_photo_version, custom_permissions);`,
	// 4: members_version, bumped whenever an organization's members page
	// could read differently (who is in the list, their names, emails,
	// photos, roles, statuses, individual permissions, groups and group
	// names; the invitations; the seat quota), so the page's data can be
	// cached per organization and version. Last
	// activity is left out on purpose: it is recorded at most every five
	// minutes anyway, and the cache bounds its age instead.
	`ALTER TABLE organizations ADD COLUMN members_version INTEGER NOT NULL DEFAULT 1;
	CREATE TRIGGER members_list_ins AFTER INSERT ON memberships BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = NEW.org_id;
	END;
	CREATE TRIGGER members_list_del AFTER DELETE ON memberships BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = OLD.org_id;
	END;
	CREATE TRIGGER members_list_upd AFTER UPDATE OF org_id, user_id, role, status, custom_permissions,
			created_at, user_name, user_email, user_photo_version ON memberships BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
	END;
	CREATE TRIGGER members_list_group_ins AFTER INSERT ON group_members BEGIN
		UPDATE organizations SET members_version = members_version + 1
		WHERE id = (SELECT org_id FROM memberships WHERE id = NEW.membership_id);
	END;
	CREATE TRIGGER members_list_group_del AFTER DELETE ON group_members BEGIN
		UPDATE organizations SET members_version = members_version + 1
		WHERE id = (SELECT org_id FROM memberships WHERE id = OLD.membership_id);
	END;
	CREATE TRIGGER members_list_group_name AFTER UPDATE OF name ON groups BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = NEW.org_id;
	END;
	CREATE TRIGGER members_list_group_gone AFTER DELETE ON groups BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = OLD.org_id;
	END;
	CREATE TRIGGER members_list_invite_ins AFTER INSERT ON invites BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = NEW.org_id;
	END;
	CREATE TRIGGER members_list_invite_upd AFTER UPDATE ON invites BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
	END;
	CREATE TRIGGER members_list_invite_del AFTER DELETE ON invites BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = OLD.org_id;
	END;
	CREATE TRIGGER members_list_seats AFTER UPDATE OF seats ON organizations BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = NEW.id;
	END;`,
	// 5: customers_version, bumped whenever a customers list could read
	// differently: a customer added, changed or deleted, or an assignee's
	// name (the membership's copy of it) changed. Removing a member sets
	// their customers' assignee to NULL, which is a customer change.
	`ALTER TABLE organizations ADD COLUMN customers_version INTEGER NOT NULL DEFAULT 1;
	CREATE TRIGGER customers_list_ins AFTER INSERT ON customers BEGIN
		UPDATE organizations SET customers_version = customers_version + 1 WHERE id = NEW.org_id;
	END;
	CREATE TRIGGER customers_list_upd AFTER UPDATE ON customers BEGIN
		UPDATE organizations SET customers_version = customers_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
	END;
	CREATE TRIGGER customers_list_del AFTER DELETE ON customers BEGIN
		UPDATE organizations SET customers_version = customers_version + 1 WHERE id = OLD.org_id;
	END;
	CREATE TRIGGER customers_list_assignee AFTER UPDATE OF user_name ON memberships BEGIN
		UPDATE organizations SET customers_version = customers_version + 1 WHERE id = NEW.org_id;
	END;`,
	// 6: "AFTER UPDATE OF name" fires whenever an UPDATE sets the column,
	// changed or not, and every group save sets name, description and
	// permissions together. So each permission save dropped every cached
	// members page of the organization (members_version), and a change of
	// description alone every cached permission set (perm_version). The
	// triggers now fire only for the values they stand for.
	`DROP TRIGGER members_list_group_name;
	CREATE TRIGGER members_list_group_name AFTER UPDATE OF name ON groups
	WHEN NEW.name IS NOT OLD.name BEGIN
		UPDATE organizations SET members_version = members_version + 1 WHERE id = NEW.org_id;
	END;
	DROP TRIGGER groups_bump_upd;
	CREATE TRIGGER groups_bump_upd AFTER UPDATE OF permissions, name ON groups
	WHEN NEW.permissions IS NOT OLD.permissions OR NEW.name IS NOT OLD.name BEGIN
		UPDATE organizations SET perm_version = perm_version + 1 WHERE id = NEW.org_id;
	END;`,
	// 7: signing a member out of one organization (managed accounts): each
	// session of theirs that was live at the sign-out is listed with the
	// organization, and the auth query does not accept a listed session
	// there (it still works everywhere else). A session started later is
	// not listed, so a sign-in right after the sign-out, even in the same
	// second, is accepted: no clock is compared.
	`CREATE TABLE session_signouts (
		session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
		at         INTEGER NOT NULL,
		PRIMARY KEY (session_id, org_id)
	) WITHOUT ROWID;
	CREATE INDEX session_signouts_org ON session_signouts(org_id);`,
	// 8: verified addresses, invitation consent, first instance admin.
	// users.verified_at: when the account proved it reads its address
	// (NULL: not yet; accounts from before this migration start unverified).
	// email_tokens: confirmation links, hashed, single-use, expiring and
	// bound to one address: "verify" confirms the current address,
	// "change" moves the account to a new one. invites.declined_at: an
	// existing account said no (the row is revoked too, so the seat frees
	// and every open-invite query already skips it); invites_email finds
	// an account's pending invitations. setup_tokens: the one-time link
	// that creates the first instance admin. Verification moves the
	// directory version, which keys the per-user page chrome.
	`ALTER TABLE users ADD COLUMN verified_at INTEGER;
	CREATE TABLE email_tokens (
		token_hash TEXT    PRIMARY KEY,
		user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		email      TEXT    NOT NULL COLLATE NOCASE,
		kind       TEXT    NOT NULL CHECK (kind IN ('verify', 'change')),
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at    INTEGER
	);
	CREATE INDEX email_tokens_user ON email_tokens(user_id, kind, used_at);
	ALTER TABLE invites ADD COLUMN declined_at INTEGER;
	CREATE INDEX invites_email ON invites(email, accepted_at, revoked_at, expires_at);
	CREATE TABLE setup_tokens (
		token_hash TEXT    PRIMARY KEY,
		created_at INTEGER NOT NULL,
		used_at    INTEGER
	);
	CREATE TRIGGER directory_user_verified AFTER UPDATE OF verified_at ON users
	WHEN NEW.verified_at IS NOT OLD.verified_at BEGIN
		UPDATE directory_version SET version = version + 1 WHERE id = 1;
	END;`,
	// 9: tokens die with their reason. Open reset links end whenever the
	// password or the email changes or a reset is forced, whatever code path
	// does it: the triggers sit on users, so no caller can forget them. The
	// outbox keeps a mailed link's token apart from the (masked) body, in
	// outbox_secrets, so the link can be shown while its token is live and
	// is gone for good once it is used, replaced or expired (outbox.go).
	`CREATE TRIGGER users_end_resets_on_change AFTER UPDATE OF password_hash, email ON users
	WHEN NEW.password_hash IS NOT OLD.password_hash OR NEW.email IS NOT OLD.email BEGIN
		UPDATE password_resets SET used_at = CAST(strftime('%s', 'now') AS INTEGER)
		WHERE user_id = NEW.id AND used_at IS NULL;
	END;
	CREATE TRIGGER users_end_resets_on_force AFTER UPDATE OF must_reset_password ON users
	WHEN NEW.must_reset_password != 0 BEGIN
		UPDATE password_resets SET used_at = CAST(strftime('%s', 'now') AS INTEGER)
		WHERE user_id = NEW.id AND used_at IS NULL;
	END;
	CREATE TABLE outbox_secrets (
		outbox_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
		pos        INTEGER NOT NULL, -- byte offset of its mask in outbox.body
		secret     TEXT    NOT NULL,
		token_hash TEXT    NOT NULL, -- sha256 hex, as the token tables store it
		expires_at INTEGER NOT NULL,
		PRIMARY KEY (outbox_id, pos)
	);
	CREATE INDEX outbox_secrets_hash ON outbox_secrets(token_hash);
	CREATE INDEX outbox_secrets_expiry ON outbox_secrets(expires_at);
	CREATE TRIGGER outbox_forget_used_reset AFTER UPDATE OF used_at ON password_resets
	WHEN NEW.used_at IS NOT NULL BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	CREATE TRIGGER outbox_forget_deleted_reset AFTER DELETE ON password_resets BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	CREATE TRIGGER outbox_forget_closed_invite AFTER UPDATE OF accepted_at, revoked_at, token_hash ON invites
	WHEN NEW.accepted_at IS NOT NULL OR NEW.revoked_at IS NOT NULL OR NEW.token_hash IS NOT OLD.token_hash BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	CREATE TRIGGER outbox_forget_deleted_invite AFTER DELETE ON invites BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	CREATE TRIGGER outbox_forget_used_email_token AFTER UPDATE OF used_at ON email_tokens
	WHEN NEW.used_at IS NOT NULL BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	CREATE TRIGGER outbox_forget_deleted_email_token AFTER DELETE ON email_tokens BEGIN
		DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
	END;
	-- Mails stored before this version carry their links in clear; mask
	-- the query and path tokens of the two links they can hold.
	UPDATE outbox SET body = '[removed: mail stored before links were masked]'
	WHERE body LIKE '%/reset?token=%' OR body LIKE '%/invite/%';`,
	// 10: RESERVED (CSRF bound to the session, rate limits).
	`SELECT 1`,
	// 11: every members page is a few index ranges in sort order
	// (ListMembers). (a) For a role or status filter, one index per sort
	// order after (org_id, role, status): a filter is one range per (role,
	// status) pair, merged; they carry the name, email and last activity
	// (the name-sorted one every listed column, like memberships_org_name),
	// so a search checks and sorts rows without reading the table (last
	// activity as an expression: SQLite reads an indexed expression from
	// the index, not an indexed generated column). (b) For a group filter, the
	// same on group_members, which now carries copies of its membership's
	// role, status, name, email and last activity (triggers keep them
	// equal), and group_member_counts, its members per role and status. (c)
	// member_names: each organization's distinct names and how many members
	// bear each, with a trigram index, so a search of names runs once per
	// name, not per member. (d) member_emails: a trigram index of the
	// memberships' emails alone. A row with an empty email (its copy of the
	// user still to come, see memberships_copy_user) is neither counted nor
	// indexed until the copy arrives, whatever order the triggers fire in.
	`CREATE INDEX memberships_org_rs_name ON memberships(org_id, role, status, user_name, user_email, id, COALESCE(last_active_at, 0),
		user_id, custom_permissions, created_at, last_active_at, user_photo_version);
	CREATE INDEX memberships_org_rs_email ON memberships(org_id, role, status, user_email, id, user_name, COALESCE(last_active_at, 0));
	CREATE INDEX memberships_org_rs_active ON memberships(org_id, role, status, COALESCE(last_active_at, 0), id, user_name, user_email);

	ALTER TABLE group_members ADD COLUMN role TEXT NOT NULL DEFAULT '';
	ALTER TABLE group_members ADD COLUMN status TEXT NOT NULL DEFAULT '';
	ALTER TABLE group_members ADD COLUMN user_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
	ALTER TABLE group_members ADD COLUMN user_email TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
	ALTER TABLE group_members ADD COLUMN last_active INTEGER NOT NULL DEFAULT 0;
	UPDATE group_members SET role = m.role, status = m.status, user_name = m.user_name, user_email = m.user_email,
		last_active = COALESCE(m.last_active_at, 0)
	FROM memberships m WHERE m.id = group_members.membership_id;
	CREATE INDEX group_members_rs_name ON group_members(group_id, role, status, user_name, user_email, membership_id, last_active);
	CREATE INDEX group_members_rs_email ON group_members(group_id, role, status, user_email, membership_id, user_name, last_active);
	CREATE INDEX group_members_rs_active ON group_members(group_id, role, status, last_active, membership_id, user_name, user_email);
	CREATE TRIGGER group_members_copy_membership AFTER INSERT ON group_members BEGIN
		UPDATE group_members SET (role, status, user_name, user_email, last_active) =
			(SELECT role, status, user_name, user_email, COALESCE(last_active_at, 0) FROM memberships WHERE id = NEW.membership_id)
		WHERE group_id = NEW.group_id AND membership_id = NEW.membership_id
			AND EXISTS (SELECT 1 FROM memberships WHERE id = NEW.membership_id);
	END;
	CREATE TRIGGER memberships_copy_to_groups AFTER UPDATE OF role, status, user_name, user_email, last_active_at ON memberships
	WHEN NEW.role IS NOT OLD.role OR NEW.status IS NOT OLD.status OR NEW.user_name IS NOT OLD.user_name
		OR NEW.user_email IS NOT OLD.user_email OR NEW.last_active_at IS NOT OLD.last_active_at BEGIN
		UPDATE group_members SET role = NEW.role, status = NEW.status, user_name = NEW.user_name, user_email = NEW.user_email,
			last_active = COALESCE(NEW.last_active_at, 0)
		WHERE membership_id = NEW.id;
	END;

	CREATE TABLE group_member_counts (
		group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
		role     TEXT    NOT NULL,
		status   TEXT    NOT NULL,
		n        INTEGER NOT NULL,
		PRIMARY KEY (group_id, role, status)
	) WITHOUT ROWID;
	INSERT INTO group_member_counts (group_id, role, status, n)
		SELECT group_id, role, status, COUNT(*) FROM group_members WHERE role != '' GROUP BY group_id, role, status;
	CREATE TRIGGER group_member_counts_ins AFTER INSERT ON group_members WHEN NEW.role != '' BEGIN
		INSERT INTO group_member_counts (group_id, role, status, n) VALUES (NEW.group_id, NEW.role, NEW.status, 1)
			ON CONFLICT (group_id, role, status) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER group_member_counts_del AFTER DELETE ON group_members WHEN OLD.role != '' BEGIN
		UPDATE group_member_counts SET n = n - 1 WHERE group_id = OLD.group_id AND role = OLD.role AND status = OLD.status;
	END;
	CREATE TRIGGER group_member_counts_upd AFTER UPDATE OF group_id, role, status ON group_members
	WHEN NEW.group_id IS NOT OLD.group_id OR NEW.role IS NOT OLD.role OR NEW.status IS NOT OLD.status BEGIN
		UPDATE group_member_counts SET n = n - 1 WHERE group_id = OLD.group_id AND role = OLD.role AND status = OLD.status;
		INSERT INTO group_member_counts (group_id, role, status, n) SELECT NEW.group_id, NEW.role, NEW.status, 1 WHERE NEW.role != ''
			ON CONFLICT (group_id, role, status) DO UPDATE SET n = n + 1;
	END;

	CREATE TABLE member_names (
		id     INTEGER PRIMARY KEY,
		org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
		name   TEXT    NOT NULL COLLATE NOCASE,
		n      INTEGER NOT NULL,
		UNIQUE (org_id, name)
	);
	INSERT INTO member_names (org_id, name, n)
		SELECT org_id, user_name, COUNT(*) FROM memberships WHERE user_email != '' GROUP BY org_id, user_name;
	CREATE VIRTUAL TABLE member_names_search USING fts5(name, content='member_names', content_rowid='id', tokenize='trigram');
	INSERT INTO member_names_search(member_names_search) VALUES ('rebuild');
	INSERT INTO member_names_search(member_names_search) VALUES ('optimize');
	CREATE TRIGGER member_names_search_ins AFTER INSERT ON member_names BEGIN
		INSERT INTO member_names_search(rowid, name) VALUES (NEW.id, NEW.name);
	END;
	CREATE TRIGGER member_names_search_del AFTER DELETE ON member_names BEGIN
		INSERT INTO member_names_search(member_names_search, rowid, name) VALUES ('delete', OLD.id, OLD.name);
	END;
	CREATE TRIGGER member_names_ins AFTER INSERT ON memberships WHEN NEW.user_email != '' BEGIN
		INSERT INTO member_names (org_id, name, n) VALUES (NEW.org_id, NEW.user_name, 1)
			ON CONFLICT (org_id, name) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER member_names_del AFTER DELETE ON memberships WHEN OLD.user_email != '' BEGIN
		UPDATE member_names SET n = n - 1 WHERE org_id = OLD.org_id AND name = OLD.user_name;
		DELETE FROM member_names WHERE org_id = OLD.org_id AND name = OLD.user_name AND n <= 0;
	END;
	CREATE TRIGGER member_names_upd AFTER UPDATE OF org_id, user_name, user_email ON memberships
	WHEN NEW.org_id IS NOT OLD.org_id OR NEW.user_name IS NOT OLD.user_name OR (NEW.user_email = '') IS NOT (OLD.user_email = '') BEGIN
		UPDATE member_names SET n = n - 1 WHERE OLD.user_email != '' AND org_id = OLD.org_id AND name = OLD.user_name;
		DELETE FROM member_names WHERE OLD.user_email != '' AND org_id = OLD.org_id AND name = OLD.user_name AND n <= 0;
		INSERT INTO member_names (org_id, name, n) SELECT NEW.org_id, NEW.user_name, 1 WHERE NEW.user_email != ''
			ON CONFLICT (org_id, name) DO UPDATE SET n = n + 1;
	END;

	CREATE VIRTUAL TABLE member_emails USING fts5(user_email, content='memberships', content_rowid='id', tokenize='trigram');
	INSERT INTO member_emails(member_emails) VALUES ('rebuild');
	INSERT INTO member_emails(member_emails) VALUES ('optimize');
	CREATE TRIGGER member_emails_ins AFTER INSERT ON memberships WHEN NEW.user_email != '' BEGIN
		INSERT INTO member_emails(rowid, user_email) VALUES (NEW.id, NEW.user_email);
	END;
	CREATE TRIGGER member_emails_del AFTER DELETE ON memberships WHEN OLD.user_email != '' BEGIN
		INSERT INTO member_emails(member_emails, rowid, user_email) VALUES ('delete', OLD.id, OLD.user_email);
	END;
	CREATE TRIGGER member_emails_upd AFTER UPDATE OF user_email ON memberships
	WHEN NEW.user_email IS NOT OLD.user_email BEGIN
		INSERT INTO member_emails(member_emails, rowid, user_email) SELECT 'delete', OLD.id, OLD.user_email WHERE OLD.user_email != '';
		INSERT INTO member_emails(rowid, user_email) SELECT NEW.id, NEW.user_email WHERE NEW.user_email != '';
	END;`,
}

// migrate applies schema.sql to an empty database, then every pending
// migration, each in its own transaction with PRAGMA user_version bumped inside it.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	steps := append([]string{gatehouse.Schema}, migrations...)
	if version > len(steps) {
		return fmt.Errorf("database schema version %d is newer than this binary (%d)", version, len(steps))
	}
	for v := version; v < len(steps); v++ {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}

// SchemaVersion reports PRAGMA user_version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.queryRow(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
