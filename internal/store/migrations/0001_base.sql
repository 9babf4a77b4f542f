-- Version 1, the base: applied once to an empty database. Never edited: later
-- changes are the numbered files after it. schema.sql (at the repository root)
-- shows the whole current schema.
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
-- Triggers make that impossible to forget in a code path (bumps.go
-- declares them).
-- gatehouse:bump-triggers groups_bump_ins groups_bump_upd groups_bump_del
-- gatehouse:bump-triggers group_members_bump_ins group_members_bump_del
-- gatehouse:bump-triggers memberships_bump_upd memberships_bump_del
-- gatehouse:bump-triggers organizations_bump_products

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
