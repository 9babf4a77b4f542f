-- directory_version, bumped whenever anyone's list of organizations
-- (the switcher: names, slugs, roles, suspensions) could read
-- differently, so that list can be cached per user and version.

CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);
-- gatehouse:bump-triggers directory_membership_ins directory_membership_del directory_membership_upd
-- gatehouse:bump-triggers directory_org_upd directory_org_del
