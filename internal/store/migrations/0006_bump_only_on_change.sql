-- "AFTER UPDATE OF name" fires whenever an UPDATE sets the column,
-- changed or not, and every group save sets name, description and
-- permissions together. So each permission save dropped every cached
-- members page of the organization (members_version), and a change of
-- description alone every cached permission set (perm_version). The
-- triggers now fire only for the values they stand for (their entries in
-- bumps.go say changed: true).

DROP TRIGGER members_list_group_name;
DROP TRIGGER groups_bump_upd;
-- gatehouse:bump-triggers members_list_group_name groups_bump_upd
