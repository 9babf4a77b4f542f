-- 18: conversations (ARCHITECTURE.md, Conversations): channels and their teams, conversations,
-- their messages and attachments. Nothing existing changes.
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
