-- members_version, bumped whenever an organization's members page
-- could read differently (who is in the list, their names, emails,
-- photos, roles, statuses, individual permissions, groups and group
-- names; the invitations; the seat quota), so the page's data can be
-- cached per organization and version. Last
-- activity is left out on purpose: it is recorded at most every five
-- minutes anyway, and the cache bounds its age instead.

ALTER TABLE organizations ADD COLUMN members_version INTEGER NOT NULL DEFAULT 1;
-- gatehouse:bump-triggers members_list_ins members_list_del members_list_upd
-- gatehouse:bump-triggers members_list_group_ins members_list_group_del members_list_group_name members_list_group_gone
-- gatehouse:bump-triggers members_list_invite_ins members_list_invite_upd members_list_invite_del
-- gatehouse:bump-triggers members_list_seats
