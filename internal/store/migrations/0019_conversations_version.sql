-- conversations_version, bumped whenever a conversations list could read
-- differently: a conversation started, changed (a message moves its last
-- activity; assignment, team, status, subject) or deleted. Removing a
-- member or a team sets the conversations' column to NULL, which is a
-- conversation change. A channel added, renamed or deleted changes the
-- lists' channel filter and names. Customer and assignee names and team
-- scope have their own counters (customers_version, members_version,
-- perm_version), which the lists' cache key carries too.

ALTER TABLE organizations ADD COLUMN conversations_version INTEGER NOT NULL DEFAULT 1;
-- gatehouse:bump-triggers conversations_list_ins conversations_list_upd conversations_list_del
-- gatehouse:bump-triggers conversations_list_channel_ins conversations_list_channel_name conversations_list_channel_del
