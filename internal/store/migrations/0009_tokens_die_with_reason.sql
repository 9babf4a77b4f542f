-- tokens die with their reason. Open reset links end whenever the
-- password or the email changes or a reset is forced, whatever code path
-- does it: the triggers sit on users, so no caller can forget them. The
-- outbox keeps a mailed link's token apart from the (masked) body, in
-- outbox_secrets, so the link can be shown while its token is live and
-- is gone for good once it is used, replaced or expired (outbox.go).

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
WHERE body LIKE '%/reset?token=%' OR body LIKE '%/invite/%';
