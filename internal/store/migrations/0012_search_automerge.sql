-- 12: the members search's full-text indexes merge their segments eagerly.
-- Every write adds a small segment to an FTS5 index and FTS5 merges them
-- in the background of later writes, by default once 4 of one size exist
-- ('automerge' 4); a query reads each segment's part of every trigram's
-- list, so fewer segments is a faster search. At 2, 100,000 single-row
-- writes leave 5 segments instead of 10 and an email search reads half as
-- much, at no measurable write cost (README, "Members queries without
-- cache"). The setting is stored in each index's _config table, so it
-- holds for every connection and survives backups.
INSERT INTO users_search(users_search, rank) VALUES ('automerge', 2);
INSERT INTO member_names_search(member_names_search, rank) VALUES ('automerge', 2);
INSERT INTO member_emails(member_emails, rank) VALUES ('automerge', 2);
