-- 20: time-bound grants (ARCHITECTURE.md, Time-bound grants): a group
-- membership, a member's individual permissions and a role may carry an end
-- (Unix seconds; NULL: none). At and after it the grant is ignored by every
-- read that resolves access; the sweep removes it later and audits it.
ALTER TABLE group_members ADD COLUMN expires_at INTEGER;
ALTER TABLE memberships ADD COLUMN custom_expires_at INTEGER;
-- A temporary role: role until role_until, then role_then (never owner,
-- and the owner role itself is never temporary).
ALTER TABLE memberships ADD COLUMN role_until INTEGER;
ALTER TABLE memberships ADD COLUMN role_then TEXT;
-- The auth query reads an organization's earliest pending end, the sweep
-- the ends that have come: both walk these (few) from a time.
CREATE INDEX group_members_expiry ON group_members(expires_at, membership_id) WHERE expires_at IS NOT NULL;
CREATE INDEX memberships_custom_expiry ON memberships(custom_expires_at, org_id) WHERE custom_expires_at IS NOT NULL;
CREATE INDEX memberships_role_until ON memberships(role_until, org_id) WHERE role_until IS NOT NULL;
-- The 3-day notices sent, one per grant and end (grant: 'custom', 'role'
-- or 'group:<id>'), so a sweep never mails one twice.
CREATE TABLE grant_notices (
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    grant_key     TEXT    NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (membership_id, grant_key, expires_at)
) WITHOUT ROWID;
-- gatehouse:bump-triggers group_members_bump_expiry memberships_bump_expiry members_list_group_expiry members_list_expiry
