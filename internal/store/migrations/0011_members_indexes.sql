-- 11: every members page is a few index ranges in sort order
-- (ListMembers). (a) For a role or status filter, one index per sort
-- order after (org_id, role, status): a filter is one range per (role,
-- status) pair, merged; they carry the name, email and last activity
-- (the name-sorted one every listed column, like memberships_org_name),
-- so a search checks and sorts rows without reading the table (last
-- activity as an expression: SQLite reads an indexed expression from
-- the index, not an indexed generated column). (b) For a group filter, the
-- same on group_members, which now carries copies of its membership's
-- role, status, name, email and last activity (triggers keep them
-- equal), and group_member_counts, its members per role and status. (c)
-- member_names: each organization's distinct names and how many members
-- bear each, with a trigram index, so a search of names runs once per
-- name, not per member. (d) member_emails: a trigram index of the
-- memberships' emails alone. A row with an empty email (its copy of the
-- user still to come, see memberships_copy_user) is neither counted nor
-- indexed until the copy arrives, whatever order the triggers fire in.

CREATE INDEX memberships_org_rs_name ON memberships(org_id, role, status, user_name, user_email, id, COALESCE(last_active_at, 0),
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
END;
