-- 13: service teams (ARCHITECTURE.md, Teams). A team's name is unique in its
-- organization compared like organization names (name_key: case, accents
-- and spaces folded). A member may be in several teams; a lead is a member
-- of the team. Customers gain an optional owning team besides their
-- assignee: existing customers have none.
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

ALTER TABLE customers ADD COLUMN team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL;
CREATE INDEX customers_team ON customers(org_id, team_id, name COLLATE NOCASE, id);

-- gatehouse:bump-triggers teams_bump_ins teams_bump_upd teams_bump_del
-- gatehouse:bump-triggers team_members_bump_ins team_members_bump_upd team_members_bump_del
-- gatehouse:bump-triggers members_list_team_ins members_list_team_del members_list_team_name members_list_team_gone
-- gatehouse:bump-triggers customers_list_team_ins customers_list_team_del customers_list_team_name

-- The role supervisor sorts between sales and agent (access.Roles): a
-- virtual column's expression cannot be altered, so role_rank is dropped
-- and added again (with its index), which rewrites no row.
DROP INDEX memberships_org_rank;
ALTER TABLE memberships DROP COLUMN role_rank;
ALTER TABLE memberships ADD COLUMN role_rank INTEGER GENERATED ALWAYS AS (CASE role
    WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'manager' THEN 2 WHEN 'financial' THEN 3
    WHEN 'sales' THEN 4 WHEN 'supervisor' THEN 5 WHEN 'agent' THEN 6 WHEN 'agent_limited' THEN 7
    WHEN 'medical_doctor' THEN 8 WHEN 'medical_assistant' THEN 9 ELSE 10 END) VIRTUAL;
CREATE INDEX memberships_org_rank ON memberships(org_id, role_rank, user_name, user_email);
