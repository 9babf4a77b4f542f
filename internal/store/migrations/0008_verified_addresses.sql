-- verified addresses, invitation consent, first instance admin.
-- users.verified_at: when the account proved it reads its address
-- (NULL: not yet; accounts from before this migration start unverified).
-- email_tokens: confirmation links, hashed, single-use, expiring and
-- bound to one address: "verify" confirms the current address,
-- "change" moves the account to a new one. invites.declined_at: an
-- existing account said no (the row is revoked too, so the seat frees
-- and every open-invite query already skips it); invites_email finds
-- an account's pending invitations. setup_tokens: the one-time link
-- that creates the first instance admin. Verification moves the
-- directory version, which keys the per-user page chrome.

ALTER TABLE users ADD COLUMN verified_at INTEGER;
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
-- gatehouse:bump-triggers directory_user_verified
