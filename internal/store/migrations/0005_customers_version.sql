-- customers_version, bumped whenever a customers list could read
-- differently: a customer added, changed or deleted, or an assignee's
-- name (the membership's copy of it) changed. Removing a member sets
-- their customers' assignee to NULL, which is a customer change.

ALTER TABLE organizations ADD COLUMN customers_version INTEGER NOT NULL DEFAULT 1;
-- gatehouse:bump-triggers customers_list_ins customers_list_upd customers_list_del customers_list_assignee
