-- the members list reads everything it shows from one index: the
-- user's photo version is copied into memberships like the name and
-- email (triggers keep it equal), and the name-sorted index carries
-- every listed column, so a page is one index range, no table lookups.

ALTER TABLE memberships ADD COLUMN user_photo_version INTEGER NOT NULL DEFAULT 0;
UPDATE memberships SET user_photo_version = (SELECT photo_version FROM users WHERE users.id = memberships.user_id);
CREATE TRIGGER memberships_copy_photo AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET user_photo_version = (SELECT photo_version FROM users WHERE id = NEW.user_id) WHERE id = NEW.id;
END;
CREATE TRIGGER users_copy_photo_to_memberships AFTER UPDATE OF photo_version ON users BEGIN
    UPDATE memberships SET user_photo_version = NEW.photo_version WHERE user_id = NEW.id;
END;
DROP INDEX memberships_org_name;
CREATE INDEX memberships_org_name ON memberships(org_id, user_name, user_email, id,
    user_id, role, status, created_at, last_active_at, user_photo_version, custom_permissions);
