-- Gatehouse schema: the whole of it, as a database looks after every migration.
--
-- This file is for reading. Databases are built by the numbered files in
-- internal/store/migrations/ (0001 is the base), new ones and old ones alike;
-- a test in internal/store builds one database from those files and one from
-- this file and compares their sqlite_master, so a migration that changes the
-- schema changes this file too (ARCHITECTURE.md, Storage).
--
-- The version-bump triggers are not written out here: internal/store/bumps.go
-- declares them (which table change moves which counter) and generates their
-- statements; the test adds them when it builds a database from this file.
--
-- Times are Unix seconds (UTC) so comparisons and indexes stay cheap.
-- Columns added by a migration sit at the end of their table, where ALTER
-- TABLE put them.

-- ============================================================================
-- Accounts

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    name                TEXT    NOT NULL,
    password_hash       TEXT,               -- NULL: imported or invited, must use "forgot password"
    must_reset_password INTEGER NOT NULL DEFAULT 0,
    is_instance_admin   INTEGER NOT NULL DEFAULT 0,
    phone               TEXT    NOT NULL DEFAULT '',
    job_title           TEXT    NOT NULL DEFAULT '',
    location            TEXT    NOT NULL DEFAULT '',
    photo               BLOB,               -- re-encoded image, never the upload as sent
    photo_version       INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    verified_at         INTEGER             -- the address was confirmed; NULL: not yet
);
-- The instance's admins (asked at every start, see migration 15).
CREATE INDEX users_instance_admins ON users(id) WHERE is_instance_admin = 1;

-- Substring search over names and emails ("smith" finds "Jane Smith"):
-- a trigram full-text index, kept in step with users by triggers.
CREATE VIRTUAL TABLE users_search USING fts5(name, email, content='users', content_rowid='id', tokenize='trigram');
CREATE TRIGGER users_search_ins AFTER INSERT ON users BEGIN
    INSERT INTO users_search(rowid, name, email) VALUES (NEW.id, NEW.name, NEW.email);
END;
CREATE TRIGGER users_search_del AFTER DELETE ON users BEGIN
    INSERT INTO users_search(users_search, rowid, name, email) VALUES ('delete', OLD.id, OLD.name, OLD.email);
END;
CREATE TRIGGER users_search_upd AFTER UPDATE OF name, email ON users BEGIN
    INSERT INTO users_search(users_search, rowid, name, email) VALUES ('delete', OLD.id, OLD.name, OLD.email);
    INSERT INTO users_search(rowid, name, email) VALUES (NEW.id, NEW.name, NEW.email);
END;

-- Server-side sessions behind the gorilla/sessions store. id is the SHA-256 of the
-- cookie token, so a leaked database does not hand out live cookies.
CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT '',
    revoked_at   INTEGER,
    data         BLOB    NOT NULL DEFAULT x''
);
CREATE INDEX sessions_user ON sessions(user_id, revoked_at);

-- A member signed out of one organization (managed accounts): each session of
-- theirs that was live at the sign-out is listed with the organization, and the
-- auth query does not accept a listed session there (it still works everywhere
-- else). A session started later is not listed: no clock is compared.
CREATE TABLE session_signouts (
    session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    PRIMARY KEY (session_id, org_id)
) WITHOUT ROWID;
CREATE INDEX session_signouts_org ON session_signouts(org_id);

CREATE TABLE login_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    ip         TEXT    NOT NULL,
    user_agent TEXT    NOT NULL
);
CREATE INDEX login_events_user ON login_events(user_id, at DESC);

-- ============================================================================
-- Tokens: random, stored hashed, single-use, expiring, and dying with their reason.

-- Password reset links.
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);
-- Open reset links end whenever the password or the email changes or a reset is
-- forced, whatever code path does it.
CREATE TRIGGER users_end_resets_on_change AFTER UPDATE OF password_hash, email ON users
WHEN NEW.password_hash IS NOT OLD.password_hash OR NEW.email IS NOT OLD.email BEGIN
    UPDATE password_resets SET used_at = CAST(strftime('%s', 'now') AS INTEGER)
    WHERE user_id = NEW.id AND used_at IS NULL;
END;
CREATE TRIGGER users_end_resets_on_force AFTER UPDATE OF must_reset_password ON users
WHEN NEW.must_reset_password != 0 BEGIN
    UPDATE password_resets SET used_at = CAST(strftime('%s', 'now') AS INTEGER)
    WHERE user_id = NEW.id AND used_at IS NULL;
END;

-- Address confirmation links, bound to one address: "verify" confirms the
-- current address, "change" moves the account to a new one.
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

-- The one-time link that creates the first instance admin.
CREATE TABLE setup_tokens (
    token_hash TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- ============================================================================
-- Mail

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,        -- the links' tokens masked
    created_at INTEGER NOT NULL
);

-- A mailed link's token, apart from the masked body: the link can be shown while
-- its token is live and is gone for good once it is used, replaced or expired.
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
CREATE TRIGGER outbox_forget_used_email_token AFTER UPDATE OF used_at ON email_tokens
WHEN NEW.used_at IS NOT NULL BEGIN
    DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
END;
CREATE TRIGGER outbox_forget_deleted_email_token AFTER DELETE ON email_tokens BEGIN
    DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
END;
-- (the invitation triggers follow the invites table)

-- ============================================================================
-- Organizations, memberships, groups, invitations

CREATE TABLE organizations (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    name_key     TEXT    NOT NULL UNIQUE,   -- folded name: case, accents and spaces removed
    slug         TEXT    NOT NULL UNIQUE,
    country      TEXT    NOT NULL DEFAULT '',
    city         TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    vat_id       TEXT    NOT NULL DEFAULT '',
    products     TEXT    NOT NULL DEFAULT '',  -- comma-separated product keys, core implied
    package      TEXT    NOT NULL DEFAULT '',
    seats        INTEGER NOT NULL,
    billing_name  TEXT   NOT NULL DEFAULT '',
    billing_email TEXT   NOT NULL DEFAULT '',
    po_number     TEXT   NOT NULL DEFAULT '',
    payment_provider TEXT NOT NULL DEFAULT 'invoice',
    -- Version counters, bumped by the triggers of bumps.go; they key the caches.
    perm_version INTEGER NOT NULL DEFAULT 1, -- anything that can alter someone's access
    created_at   INTEGER NOT NULL,
    members_version   INTEGER NOT NULL DEFAULT 1, -- what the members page shows
    customers_version INTEGER NOT NULL DEFAULT 1, -- what a customers list shows
    conversations_version INTEGER NOT NULL DEFAULT 1 -- what a conversations list shows
);

-- The instance's one directory counter: anyone's list of organizations (the
-- switcher: names, slugs, roles, suspensions) and the per-user page chrome.
-- Its one row is inserted by migration 0002.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

-- Each membership carries a copy of its user's name, email and photo version
-- (kept by the triggers below) so the members page filters, sorts and pages
-- with keyset cursors inside one organization's index range: no join-and-sort
-- over all of an organization's users per page. (name, email) is unique within
-- an organization, so it is a stable sort key.
CREATE TABLE memberships (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role               TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    custom_permissions TEXT,              -- NULL: inherit; JSON set (possibly {}): individual
    created_at         INTEGER NOT NULL,
    last_active_at     INTEGER,
    user_name          TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    user_email         TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    -- "Never active" sorts as 0, so keyset comparisons never meet a NULL.
    last_active INTEGER GENERATED ALWAYS AS (COALESCE(last_active_at, 0)) VIRTUAL,
    user_photo_version INTEGER NOT NULL DEFAULT 0,
    -- Roles sort by rank (owner first, as access.Roles), not alphabetically.
    -- The last column because migration 0013 added it again (with supervisor).
    role_rank INTEGER GENERATED ALWAYS AS (CASE role
        WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'manager' THEN 2 WHEN 'financial' THEN 3
        WHEN 'sales' THEN 4 WHEN 'supervisor' THEN 5 WHEN 'agent' THEN 6 WHEN 'agent_limited' THEN 7
        WHEN 'medical_doctor' THEN 8 WHEN 'medical_assistant' THEN 9 ELSE 10 END) VIRTUAL,
    -- Time-bound grants (migration 20; Unix seconds, NULL: none): the end of
    -- the individual permissions, and of a temporary role, which then
    -- becomes role_then (never owner; an owner's role is never temporary).
    custom_expires_at INTEGER,
    role_until         INTEGER,
    role_then          TEXT,
    UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);
CREATE INDEX memberships_org_status ON memberships(org_id, status, id);
CREATE INDEX memberships_org_role ON memberships(org_id, role, id);
-- The name-sorted index carries every listed column: a members page is one
-- index range, no table lookups.
CREATE INDEX memberships_org_name ON memberships(org_id, user_name, user_email, id,
    user_id, role, status, created_at, last_active_at, user_photo_version, custom_permissions);
CREATE INDEX memberships_org_email  ON memberships(org_id, user_email);
CREATE INDEX memberships_org_rank   ON memberships(org_id, role_rank, user_name, user_email);
CREATE INDEX memberships_org_active ON memberships(org_id, last_active);
-- Only fills the copy when the inserter did not (bulk seeding may).
CREATE TRIGGER memberships_copy_user AFTER INSERT ON memberships WHEN NEW.user_email = '' BEGIN
    UPDATE memberships SET user_name = (SELECT name FROM users WHERE id = NEW.user_id),
        user_email = (SELECT email FROM users WHERE id = NEW.user_id) WHERE id = NEW.id;
END;
CREATE TRIGGER users_copy_to_memberships AFTER UPDATE OF name, email ON users BEGIN
    UPDATE memberships SET user_name = NEW.name, user_email = NEW.email WHERE user_id = NEW.id;
END;
CREATE TRIGGER memberships_copy_photo AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET user_photo_version = (SELECT photo_version FROM users WHERE id = NEW.user_id) WHERE id = NEW.id;
END;
CREATE TRIGGER users_copy_photo_to_memberships AFTER UPDATE OF photo_version ON users BEGIN
    UPDATE memberships SET user_photo_version = NEW.photo_version WHERE user_id = NEW.id;
END;

-- Members per organization, role and status, kept by triggers: seat usage
-- and "Showing 1–50 of N" read a handful of rows instead of counting every
-- membership of the organization on each page.
CREATE TABLE member_counts (
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role   TEXT    NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (org_id, role, status)
) WITHOUT ROWID;
CREATE TRIGGER member_counts_ins AFTER INSERT ON memberships BEGIN
    INSERT INTO member_counts (org_id, role, status, n) VALUES (NEW.org_id, NEW.role, NEW.status, 1)
        ON CONFLICT (org_id, role, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER member_counts_del AFTER DELETE ON memberships BEGIN
    UPDATE member_counts SET n = n - 1 WHERE org_id = OLD.org_id AND role = OLD.role AND status = OLD.status;
END;
CREATE TRIGGER member_counts_upd AFTER UPDATE OF role, status ON memberships
    WHEN OLD.role IS NOT NEW.role OR OLD.status IS NOT NEW.status BEGIN
    UPDATE member_counts SET n = n - 1 WHERE org_id = OLD.org_id AND role = OLD.role AND status = OLD.status;
    INSERT INTO member_counts (org_id, role, status, n) VALUES (NEW.org_id, NEW.role, NEW.status, 1)
        ON CONFLICT (org_id, role, status) DO UPDATE SET n = n + 1;
END;

CREATE TABLE groups (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    permissions    TEXT    NOT NULL DEFAULT '{}',
    predefined_key TEXT,                  -- NULL for custom groups
    created_at     INTEGER NOT NULL,
    UNIQUE (org_id, name COLLATE NOCASE)
);

CREATE TABLE group_members (
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    -- Copies of the membership's columns (memberships_copy_to_groups keeps
    -- them equal), so a group-filtered members page is one index range.
    role          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT '',
    user_name     TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    user_email    TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    last_active   INTEGER NOT NULL DEFAULT 0,
    expires_at    INTEGER, -- migration 20: the membership's end (NULL: none)
    PRIMARY KEY (group_id, membership_id)
) WITHOUT ROWID;
CREATE INDEX group_members_membership ON group_members(membership_id, group_id);
-- The auth query reads an organization's earliest pending end of a grant.
CREATE INDEX group_members_expiry ON group_members(expires_at, membership_id) WHERE expires_at IS NOT NULL;
CREATE INDEX memberships_custom_expiry ON memberships(custom_expires_at, org_id) WHERE custom_expires_at IS NOT NULL;
CREATE INDEX memberships_role_until ON memberships(role_until, org_id) WHERE role_until IS NOT NULL;
-- The 3-day notices of ending grants sent, one per grant and end (grant_key:
-- 'custom', 'role' or 'group:<id>'), so no sweep mails one twice.
CREATE TABLE grant_notices (
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    grant_key     TEXT    NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (membership_id, grant_key, expires_at)
) WITHOUT ROWID;

-- Service teams: a name unique in the organization compared like
-- organization names (name_key: case, accents and spaces folded), members in
-- several teams, leads (a lead is a member of the team).
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (org_id, name_key)
);
CREATE INDEX teams_org_name ON teams(org_id, name COLLATE NOCASE, id);

CREATE TABLE team_members (
    team_id       INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    is_lead       INTEGER NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1)),
    PRIMARY KEY (team_id, membership_id)
) WITHOUT ROWID;
-- A member's teams: the team scope of every scoped query reads this range.
CREATE INDEX team_members_membership ON team_members(membership_id, team_id);

CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email       TEXT    NOT NULL COLLATE NOCASE,
    name        TEXT    NOT NULL DEFAULT '',
    role        TEXT    NOT NULL,
    groups      TEXT    NOT NULL DEFAULT '[]', -- JSON array of group ids
    token_hash  TEXT    NOT NULL UNIQUE,
    invited_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    revoked_at  INTEGER,
    declined_at INTEGER  -- an existing account said no (the row is revoked too, so the seat frees)
);
CREATE INDEX invites_org ON invites(org_id, accepted_at, revoked_at, expires_at);
-- Pending invitations of one address: the duplicate check at invite time, and
-- an account's invitations on /orgs.
CREATE INDEX invites_org_email ON invites(org_id, email);
CREATE INDEX invites_email ON invites(email, accepted_at, revoked_at, expires_at);
CREATE TRIGGER outbox_forget_closed_invite AFTER UPDATE OF accepted_at, revoked_at, token_hash ON invites
WHEN NEW.accepted_at IS NOT NULL OR NEW.revoked_at IS NOT NULL OR NEW.token_hash IS NOT OLD.token_hash BEGIN
    DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
END;
CREATE TRIGGER outbox_forget_deleted_invite AFTER DELETE ON invites BEGIN
    DELETE FROM outbox_secrets WHERE token_hash = OLD.token_hash;
END;

-- ============================================================================
-- Customers (the CRM module)

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    company     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    assigned_to INTEGER REFERENCES memberships(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    team_id     INTEGER REFERENCES teams(id) ON DELETE SET NULL,  -- the owning team; NULL: none
    -- the sensitive fields (ARCHITECTURE.md, Fields), hidden unless a set opens them
    tax_id      TEXT    NOT NULL DEFAULT '',
    credit_limit_cents INTEGER CHECK (credit_limit_cents IS NULL OR credit_limit_cents >= 0),  -- NULL: no limit set
    internal_notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_org_name ON customers(org_id, name COLLATE NOCASE, id);
CREATE INDEX customers_assigned ON customers(org_id, assigned_to, name COLLATE NOCASE, id);
CREATE INDEX customers_team ON customers(org_id, team_id, name COLLATE NOCASE, id);

-- Customers per organization, kept by triggers: the dashboard and the "All"
-- list show the total without counting every customer on each view.
CREATE TABLE customer_counts (
    org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    n      INTEGER NOT NULL
);
CREATE TRIGGER customer_counts_ins AFTER INSERT ON customers BEGIN
    INSERT INTO customer_counts (org_id, n) VALUES (NEW.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER customer_counts_del AFTER DELETE ON customers BEGIN
    UPDATE customer_counts SET n = n - 1 WHERE org_id = OLD.org_id;
END;

-- ============================================================================
-- Conversations (the Inbox product, ARCHITECTURE.md, Conversations)

-- A channel a conversation runs on. An archived channel takes no new
-- replies; its conversations stay readable (channels are archived, never
-- deleted while a conversation uses them).
CREATE TABLE channels (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('email', 'whatsapp', 'web_chat', 'sms')),
    archived_at INTEGER,            -- NULL: in use
    created_at  INTEGER NOT NULL
);
CREATE INDEX channels_org_name ON channels(org_id, name COLLATE NOCASE, id);

-- A channel with teams is usable only by members of those teams; one
-- without by everyone who may reply (owners use every channel).
CREATE TABLE channel_teams (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    team_id    INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, team_id)
) WITHOUT ROWID;
CREATE INDEX channel_teams_team ON channel_teams(team_id, channel_id);

-- Lists sort by last activity (updated_at, newest first, then id) and page
-- with keyset cursors inside one index range per scope or filter.
-- last_message_id is the thread's newest message (0: none): the live
-- thread's poll reads it from this row, with the scope check, in one query.
CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels(id),
    team_id         INTEGER REFERENCES teams(id) ON DELETE SET NULL,       -- the owning team; NULL: none
    assigned_to     INTEGER REFERENCES memberships(id) ON DELETE SET NULL, -- NULL: unassigned
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed')),
    subject         TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_message_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_org_updated ON conversations(org_id, updated_at, id);
CREATE INDEX conversations_org_status ON conversations(org_id, status, updated_at, id);
CREATE INDEX conversations_assigned ON conversations(org_id, assigned_to, updated_at, id);
CREATE INDEX conversations_team ON conversations(org_id, team_id, updated_at, id);
CREATE INDEX conversations_channel ON conversations(org_id, channel_id, updated_at, id);
CREATE INDEX conversations_customer ON conversations(customer_id, updated_at, id);

-- The thread: replies (to the customer), internal notes (members only) and
-- events (assignment, hand-off, status; written by the server). A reply
-- records its channel and its delivery: 'stored' (kept, not sent: no
-- provider for the channel's kind), 'queued' or 'sent' (email with --smtp).
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES memberships(id) ON DELETE SET NULL, -- NULL: a removed member or the customer
    kind            TEXT    NOT NULL CHECK (kind IN ('reply', 'note', 'event')),
    body            TEXT    NOT NULL,
    channel_id      INTEGER REFERENCES channels(id),                       -- replies only
    sent_state      TEXT    NOT NULL DEFAULT '' CHECK (sent_state IN ('', 'stored', 'queued', 'sent')),
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_thread ON messages(conversation_id, id);

-- Files of a message (up to 5 MB each, content-sniffed on upload), stored
-- in the database and served only as downloads.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB    NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id, id);

-- ============================================================================
-- Everything else

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor_email TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    before_json TEXT    NOT NULL DEFAULT '',
    after_json  TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX audit_org_at ON audit_log(org_id, at DESC, id DESC);

-- Wizard drafts live on the server so reload, back/forward and a new tab keep them.
CREATE TABLE org_drafts (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    data       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE quote_requests (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    company    TEXT    NOT NULL,
    seats      INTEGER NOT NULL,
    message    TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);


-- Members page indexes (migration 0011): per-sort indexes after (org_id,
-- role, status), per-group counts, distinct names and email trigram indexes
-- (ListMembers in internal/store/members.go says how each is used).
CREATE INDEX memberships_org_rs_name ON memberships(org_id, role, status, user_name, user_email, id, COALESCE(last_active_at, 0),
	user_id, custom_permissions, created_at, last_active_at, user_photo_version);
CREATE INDEX memberships_org_rs_email ON memberships(org_id, role, status, user_email, id, user_name, COALESCE(last_active_at, 0));
CREATE INDEX memberships_org_rs_active ON memberships(org_id, role, status, COALESCE(last_active_at, 0), id, user_name, user_email);
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
CREATE VIRTUAL TABLE member_names_search USING fts5(name, content='member_names', content_rowid='id', tokenize='trigram');
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
END;

-- ============================================================================
-- Members pages from index ranges (migration 11, internal/store/migrate.go).
--
-- This file is the version-1 base that the migrations build on, so the
-- objects of migration 11 are listed here as comments: uncomment them where
-- this file describes the whole current schema. Every members filter, sort
-- and search reads a few index ranges in sort order (ListMembers):
-- * memberships_org_rs_*: one index per sort order after (org_id, role,
--   status), so a filter is one range per (role, status) pair;
-- * group_members carries copies of its membership's role, status, name,
--   email and last activity, with the same three indexes after group_id,
--   and group_member_counts holds its members per role and status;
-- * member_names: each organization's distinct names with their members,
--   and a trigram index of them (a name search runs once per name);
-- * member_emails: a trigram index of the memberships' emails alone.
--
-- CREATE INDEX memberships_org_rs_name ON memberships(org_id, role, status, user_name, user_email, id, COALESCE(last_active_at, 0),
--     user_id, custom_permissions, created_at, last_active_at, user_photo_version);
-- CREATE INDEX memberships_org_rs_email ON memberships(org_id, role, status, user_email, id, user_name, COALESCE(last_active_at, 0));
-- CREATE INDEX memberships_org_rs_active ON memberships(org_id, role, status, COALESCE(last_active_at, 0), id, user_name, user_email);
--
-- ALTER TABLE group_members ADD COLUMN role TEXT NOT NULL DEFAULT '';
-- ALTER TABLE group_members ADD COLUMN status TEXT NOT NULL DEFAULT '';
-- ALTER TABLE group_members ADD COLUMN user_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
-- ALTER TABLE group_members ADD COLUMN user_email TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
-- ALTER TABLE group_members ADD COLUMN last_active INTEGER NOT NULL DEFAULT 0;
-- UPDATE group_members SET role = m.role, status = m.status, user_name = m.user_name, user_email = m.user_email,
--     last_active = COALESCE(m.last_active_at, 0)
-- FROM memberships m WHERE m.id = group_members.membership_id;
-- CREATE INDEX group_members_rs_name ON group_members(group_id, role, status, user_name, user_email, membership_id, last_active);
-- CREATE INDEX group_members_rs_email ON group_members(group_id, role, status, user_email, membership_id, user_name, last_active);
-- CREATE INDEX group_members_rs_active ON group_members(group_id, role, status, last_active, membership_id, user_name, user_email);
-- CREATE TRIGGER group_members_copy_membership AFTER INSERT ON group_members BEGIN
--     UPDATE group_members SET (role, status, user_name, user_email, last_active) =
--         (SELECT role, status, user_name, user_email, COALESCE(last_active_at, 0) FROM memberships WHERE id = NEW.membership_id)
--     WHERE group_id = NEW.group_id AND membership_id = NEW.membership_id
--         AND EXISTS (SELECT 1 FROM memberships WHERE id = NEW.membership_id);
-- END;
-- CREATE TRIGGER memberships_copy_to_groups AFTER UPDATE OF role, status, user_name, user_email, last_active_at ON memberships
-- WHEN NEW.role IS NOT OLD.role OR NEW.status IS NOT OLD.status OR NEW.user_name IS NOT OLD.user_name
--     OR NEW.user_email IS NOT OLD.user_email OR NEW.last_active_at IS NOT OLD.last_active_at BEGIN
--     UPDATE group_members SET role = NEW.role, status = NEW.status, user_name = NEW.user_name, user_email = NEW.user_email,
--         last_active = COALESCE(NEW.last_active_at, 0)
--     WHERE membership_id = NEW.id;
-- END;
--
-- CREATE TABLE group_member_counts (
--     group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
--     role     TEXT    NOT NULL,
--     status   TEXT    NOT NULL,
--     n        INTEGER NOT NULL,
--     PRIMARY KEY (group_id, role, status)
-- ) WITHOUT ROWID;
-- INSERT INTO group_member_counts (group_id, role, status, n)
--     SELECT group_id, role, status, COUNT(*) FROM group_members WHERE role != '' GROUP BY group_id, role, status;
-- CREATE TRIGGER group_member_counts_ins AFTER INSERT ON group_members WHEN NEW.role != '' BEGIN
--     INSERT INTO group_member_counts (group_id, role, status, n) VALUES (NEW.group_id, NEW.role, NEW.status, 1)
--         ON CONFLICT (group_id, role, status) DO UPDATE SET n = n + 1;
-- END;
-- CREATE TRIGGER group_member_counts_del AFTER DELETE ON group_members WHEN OLD.role != '' BEGIN
--     UPDATE group_member_counts SET n = n - 1 WHERE group_id = OLD.group_id AND role = OLD.role AND status = OLD.status;
-- END;
-- CREATE TRIGGER group_member_counts_upd AFTER UPDATE OF group_id, role, status ON group_members
-- WHEN NEW.group_id IS NOT OLD.group_id OR NEW.role IS NOT OLD.role OR NEW.status IS NOT OLD.status BEGIN
--     UPDATE group_member_counts SET n = n - 1 WHERE group_id = OLD.group_id AND role = OLD.role AND status = OLD.status;
--     INSERT INTO group_member_counts (group_id, role, status, n) SELECT NEW.group_id, NEW.role, NEW.status, 1 WHERE NEW.role != ''
--         ON CONFLICT (group_id, role, status) DO UPDATE SET n = n + 1;
-- END;
--
-- CREATE TABLE member_names (
--     id     INTEGER PRIMARY KEY,
--     org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
--     name   TEXT    NOT NULL COLLATE NOCASE,
--     n      INTEGER NOT NULL,
--     UNIQUE (org_id, name)
-- );
-- INSERT INTO member_names (org_id, name, n)
--     SELECT org_id, user_name, COUNT(*) FROM memberships WHERE user_email != '' GROUP BY org_id, user_name;
-- CREATE VIRTUAL TABLE member_names_search USING fts5(name, content='member_names', content_rowid='id', tokenize='trigram');
-- INSERT INTO member_names_search(member_names_search) VALUES ('rebuild');
-- INSERT INTO member_names_search(member_names_search) VALUES ('optimize');
-- CREATE TRIGGER member_names_search_ins AFTER INSERT ON member_names BEGIN
--     INSERT INTO member_names_search(rowid, name) VALUES (NEW.id, NEW.name);
-- END;
-- CREATE TRIGGER member_names_search_del AFTER DELETE ON member_names BEGIN
--     INSERT INTO member_names_search(member_names_search, rowid, name) VALUES ('delete', OLD.id, OLD.name);
-- END;
-- CREATE TRIGGER member_names_ins AFTER INSERT ON memberships WHEN NEW.user_email != '' BEGIN
--     INSERT INTO member_names (org_id, name, n) VALUES (NEW.org_id, NEW.user_name, 1)
--         ON CONFLICT (org_id, name) DO UPDATE SET n = n + 1;
-- END;
-- CREATE TRIGGER member_names_del AFTER DELETE ON memberships WHEN OLD.user_email != '' BEGIN
--     UPDATE member_names SET n = n - 1 WHERE org_id = OLD.org_id AND name = OLD.user_name;
--     DELETE FROM member_names WHERE org_id = OLD.org_id AND name = OLD.user_name AND n <= 0;
-- END;
-- CREATE TRIGGER member_names_upd AFTER UPDATE OF org_id, user_name, user_email ON memberships
-- WHEN NEW.org_id IS NOT OLD.org_id OR NEW.user_name IS NOT OLD.user_name OR (NEW.user_email = '') IS NOT (OLD.user_email = '') BEGIN
--     UPDATE member_names SET n = n - 1 WHERE OLD.user_email != '' AND org_id = OLD.org_id AND name = OLD.user_name;
--     DELETE FROM member_names WHERE OLD.user_email != '' AND org_id = OLD.org_id AND name = OLD.user_name AND n <= 0;
--     INSERT INTO member_names (org_id, name, n) SELECT NEW.org_id, NEW.user_name, 1 WHERE NEW.user_email != ''
--         ON CONFLICT (org_id, name) DO UPDATE SET n = n + 1;
-- END;
--
-- CREATE VIRTUAL TABLE member_emails USING fts5(user_email, content='memberships', content_rowid='id', tokenize='trigram');
-- INSERT INTO member_emails(member_emails) VALUES ('rebuild');
-- INSERT INTO member_emails(member_emails) VALUES ('optimize');
-- CREATE TRIGGER member_emails_ins AFTER INSERT ON memberships WHEN NEW.user_email != '' BEGIN
--     INSERT INTO member_emails(rowid, user_email) VALUES (NEW.id, NEW.user_email);
-- END;
-- CREATE TRIGGER member_emails_del AFTER DELETE ON memberships WHEN OLD.user_email != '' BEGIN
--     INSERT INTO member_emails(member_emails, rowid, user_email) VALUES ('delete', OLD.id, OLD.user_email);
-- END;
-- CREATE TRIGGER member_emails_upd AFTER UPDATE OF user_email ON memberships
-- WHEN NEW.user_email IS NOT OLD.user_email BEGIN
--     INSERT INTO member_emails(member_emails, rowid, user_email) SELECT 'delete', OLD.id, OLD.user_email WHERE OLD.user_email != '';
--     INSERT INTO member_emails(rowid, user_email) SELECT NEW.id, NEW.user_email WHERE NEW.user_email != '';
-- END;
-- ============================================================================ end of migration 11

-- ============================================================================
-- The search indexes' merge setting (migration 12). Not an object of
-- sqlite_master: FTS5 keeps it in each index's _config table. Every write
-- adds a segment to an index, and a search reads every segment, so the
-- indexes merge segments once 2 of one size exist (FTS5's default is 4);
-- a bulk import ends with Store.OptimizeSearch (one segment each).
--
-- INSERT INTO users_search(users_search, rank) VALUES ('automerge', 2);
-- INSERT INTO member_names_search(member_names_search, rank) VALUES ('automerge', 2);
-- INSERT INTO member_emails(member_emails, rank) VALUES ('automerge', 2);
