-- Gatehouse schema, version 1. Applied once on an empty database; later changes
-- go in as numbered migrations (internal/store/migrations.go), never here.
-- Times are Unix seconds (UTC) so comparisons and indexes stay cheap.

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
    created_at          INTEGER NOT NULL
);

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

CREATE TABLE login_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    ip         TEXT    NOT NULL,
    user_agent TEXT    NOT NULL
);
CREATE INDEX login_events_user ON login_events(user_id, at DESC);

-- Single-use tokens (password reset); stored hashed.
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

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
    perm_version INTEGER NOT NULL DEFAULT 1, -- bumped by every change that can alter access
    created_at   INTEGER NOT NULL
);

CREATE TABLE memberships (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role               TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    custom_permissions TEXT,              -- NULL: inherit; JSON set (possibly {}): individual
    created_at         INTEGER NOT NULL,
    last_active_at     INTEGER,
    UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);
CREATE INDEX memberships_org_status ON memberships(org_id, status, id);
CREATE INDEX memberships_org_role ON memberships(org_id, role, id);

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
    PRIMARY KEY (group_id, membership_id)
) WITHOUT ROWID;
CREATE INDEX group_members_membership ON group_members(membership_id, group_id);

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
    revoked_at  INTEGER
);
CREATE INDEX invites_org ON invites(org_id, accepted_at, revoked_at, expires_at);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    company     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    assigned_to INTEGER REFERENCES memberships(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX customers_org_name ON customers(org_id, name COLLATE NOCASE, id);
CREATE INDEX customers_assigned ON customers(org_id, assigned_to, name COLLATE NOCASE, id);

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

-- Every change that can alter someone's access bumps the organization's
-- perm_version, which keys the in-memory cache of effective permissions.
-- Triggers make that impossible to forget in a code path.
CREATE TRIGGER groups_bump_ins AFTER INSERT ON groups BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER groups_bump_upd AFTER UPDATE OF permissions, name ON groups BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER groups_bump_del AFTER DELETE ON groups BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = OLD.org_id;
END;
CREATE TRIGGER group_members_bump_ins AFTER INSERT ON group_members BEGIN
    UPDATE organizations SET perm_version = perm_version + 1
    WHERE id = (SELECT org_id FROM memberships WHERE id = NEW.membership_id);
END;
CREATE TRIGGER group_members_bump_del AFTER DELETE ON group_members BEGIN
    UPDATE organizations SET perm_version = perm_version + 1
    WHERE id = (SELECT org_id FROM memberships WHERE id = OLD.membership_id);
END;
CREATE TRIGGER memberships_bump_upd AFTER UPDATE OF role, status, custom_permissions ON memberships BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER memberships_bump_del AFTER DELETE ON memberships BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = OLD.org_id;
END;
CREATE TRIGGER organizations_bump_products AFTER UPDATE OF products ON organizations BEGIN
    UPDATE organizations SET perm_version = perm_version + 1 WHERE id = NEW.id;
END;

-- ============================================================================
-- Members list and invitations (issue 5, membership engineer). Everything in
-- this block serves /o/{slug}/settings/members at 100,000 members.
--
-- Each membership carries a copy of its user's name and email (kept by the
-- triggers below) so the members page filters, sorts and pages with keyset
-- cursors inside one organization's index range: no join-and-sort over all
-- of an organization's users per page. (name, email) is unique within an
-- organization, so it is a stable sort key.
ALTER TABLE memberships ADD COLUMN user_name  TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
ALTER TABLE memberships ADD COLUMN user_email TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
-- Roles sort by rank (owner first), not alphabetically.
ALTER TABLE memberships ADD COLUMN role_rank INTEGER GENERATED ALWAYS AS (CASE role
    WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'manager' THEN 2 WHEN 'financial' THEN 3
    WHEN 'sales' THEN 4 WHEN 'agent' THEN 5 WHEN 'agent_limited' THEN 6
    WHEN 'medical_doctor' THEN 7 WHEN 'medical_assistant' THEN 8 ELSE 9 END) VIRTUAL;
-- "Never active" sorts as 0, so keyset comparisons never meet a NULL.
ALTER TABLE memberships ADD COLUMN last_active INTEGER GENERATED ALWAYS AS (COALESCE(last_active_at, 0)) VIRTUAL;
CREATE INDEX memberships_org_name   ON memberships(org_id, user_name, user_email);
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

-- Pending invitations of one address (duplicate check at invite time).
CREATE INDEX invites_org_email ON invites(org_id, email);

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
-- ============================================================================ end of members block

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
