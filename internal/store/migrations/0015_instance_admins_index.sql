-- 15: whether the instance has an admin is asked at every start (serve
-- prints a setup link until one exists) and by the setup form; without an
-- index that reads every user row, tens of milliseconds at 100,000 members.
-- Admins are few: a partial index holds only them.

CREATE INDEX users_instance_admins ON users(id) WHERE is_instance_admin = 1;
