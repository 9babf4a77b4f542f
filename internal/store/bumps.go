package store

import (
	"fmt"
	"strings"
)

// The version-bump triggers, declared once (ARCHITECTURE.md, Storage:
// "Version-bump triggers"). Every cache is keyed by a counter that a change
// moves; these triggers move it, so no code path can forget to. A
// migration creates them by name with a directive line,
//
//	-- gatehouse:bump-triggers members_list_ins members_list_del
//
// which the loader replaces with the CREATE TRIGGER statements generated
// from this list. A directive expands to an entry as it reads now, so to
// change a trigger, change its entry and add a migration that drops the
// trigger and names it again (as 0006 does); a database built from scratch
// then just gets the new form a few versions early. That needs the new
// form to work at the older versions: SQLite accepts a trigger naming a
// column that does not exist yet, but then fails every UPDATE of its table,
// so a form needing a column added later cannot be expressed this way yet.
// A table added later adds one entry here and names its triggers in the
// migration that creates it.
var bumps = []bump{
	// perm_version: anything that can change someone's access in the
	// organization (keys the effective-permission cache).
	{counter: permVersion, table: "groups", org: "%s.org_id", on: []bumpOn{
		{trigger: "groups_bump_ins", event: onInsert},
		// UPDATE OF fires whenever the column is set, and every group save
		// sets them all: only a changed value counts.
		{trigger: "groups_bump_upd", event: onUpdate, of: []string{"permissions", "name"}, changed: true},
		{trigger: "groups_bump_del", event: onDelete},
	}},
	{counter: permVersion, table: "group_members", org: viaMembership, on: []bumpOn{
		{trigger: "group_members_bump_ins", event: onInsert},
		{trigger: "group_members_bump_del", event: onDelete},
		// Migration 0020's column: a trigger of its own (an older one naming
		// it would fail every update before 0020).
		{trigger: "group_members_bump_expiry", event: onUpdate, of: []string{"expires_at"}, changed: true},
	}},
	{counter: permVersion, table: "memberships", org: "%s.org_id", on: []bumpOn{
		{trigger: "memberships_bump_upd", event: onUpdate, of: []string{"role", "status", "custom_permissions"}},
		{trigger: "memberships_bump_del", event: onDelete},
		{trigger: "memberships_bump_expiry", event: onUpdate, of: []string{"custom_expires_at", "role_until", "role_then"}, changed: true},
	}},
	{counter: permVersion, table: "organizations", org: "%s.id", on: []bumpOn{
		{trigger: "organizations_bump_products", event: onUpdate, of: []string{"products"}},
	}},
	// Teams grant nothing, but they change scopes (a member's teams' records),
	// whether the organization has teams at all (the "My teams" lists) and
	// the team names the access report and My Permissions show.
	{counter: permVersion, table: "teams", org: "%s.org_id", on: []bumpOn{
		{trigger: "teams_bump_ins", event: onInsert},
		{trigger: "teams_bump_upd", event: onUpdate, of: []string{"name"}, changed: true},
		{trigger: "teams_bump_del", event: onDelete},
	}},
	{counter: permVersion, table: "team_members", org: viaMembership, on: []bumpOn{
		{trigger: "team_members_bump_ins", event: onInsert},
		{trigger: "team_members_bump_upd", event: onUpdate, of: []string{"is_lead"}, changed: true},
		{trigger: "team_members_bump_del", event: onDelete},
	}},

	// directory_version: anyone's list of organizations (the switcher:
	// names, slugs, roles, suspensions) and the per-user page chrome.
	{counter: directoryVersion, table: "memberships", on: []bumpOn{
		{trigger: "directory_membership_ins", event: onInsert},
		{trigger: "directory_membership_del", event: onDelete},
		{trigger: "directory_membership_upd", event: onUpdate, of: []string{"role", "status", "org_id", "user_id"}},
	}},
	{counter: directoryVersion, table: "organizations", on: []bumpOn{
		{trigger: "directory_org_upd", event: onUpdate, of: []string{"name", "slug"}},
		{trigger: "directory_org_del", event: onDelete},
	}},
	{counter: directoryVersion, table: "users", on: []bumpOn{
		{trigger: "directory_user_verified", event: onUpdate, of: []string{"verified_at"}, changed: true},
	}},

	// members_version: what an organization's members page shows (who,
	// names, emails, photos, roles, statuses, individual permissions,
	// groups and their names, invitations, the seat quota). Last activity
	// is left out on purpose: the cache bounds its age instead.
	{counter: membersVersion, table: "memberships", org: "%s.org_id", on: []bumpOn{
		{trigger: "members_list_ins", event: onInsert},
		{trigger: "members_list_del", event: onDelete},
		{trigger: "members_list_upd", event: onUpdate, both: true, of: []string{"org_id", "user_id", "role", "status",
			"custom_permissions", "created_at", "user_name", "user_email", "user_photo_version"}},
		{trigger: "members_list_expiry", event: onUpdate, of: []string{"custom_expires_at", "role_until", "role_then"}, changed: true},
	}},
	{counter: membersVersion, table: "group_members", org: viaMembership, on: []bumpOn{
		{trigger: "members_list_group_ins", event: onInsert},
		{trigger: "members_list_group_del", event: onDelete},
		{trigger: "members_list_group_expiry", event: onUpdate, of: []string{"expires_at"}, changed: true},
	}},
	{counter: membersVersion, table: "groups", org: "%s.org_id", on: []bumpOn{
		{trigger: "members_list_group_name", event: onUpdate, of: []string{"name"}, changed: true},
		{trigger: "members_list_group_gone", event: onDelete},
	}},
	{counter: membersVersion, table: "invites", org: "%s.org_id", on: []bumpOn{
		{trigger: "members_list_invite_ins", event: onInsert},
		{trigger: "members_list_invite_upd", event: onUpdate, both: true},
		{trigger: "members_list_invite_del", event: onDelete},
	}},
	{counter: membersVersion, table: "organizations", org: "%s.id", on: []bumpOn{
		{trigger: "members_list_seats", event: onUpdate, of: []string{"seats"}},
	}},
	// The members page shows each member's teams and filters by team.
	{counter: membersVersion, table: "team_members", org: viaMembership, on: []bumpOn{
		{trigger: "members_list_team_ins", event: onInsert},
		{trigger: "members_list_team_del", event: onDelete},
	}},
	{counter: membersVersion, table: "teams", org: "%s.org_id", on: []bumpOn{
		{trigger: "members_list_team_name", event: onUpdate, of: []string{"name"}, changed: true},
		{trigger: "members_list_team_gone", event: onDelete},
	}},

	// customers_version: a customers list. Removing a member sets their
	// customers' assignee to NULL, which is a customer change.
	{counter: customersVersion, table: "customers", org: "%s.org_id", on: []bumpOn{
		{trigger: "customers_list_ins", event: onInsert},
		{trigger: "customers_list_upd", event: onUpdate, both: true},
		{trigger: "customers_list_del", event: onDelete},
	}},
	{counter: customersVersion, table: "memberships", org: "%s.org_id", on: []bumpOn{
		// The assignee's name shown in the list is the membership's copy.
		{trigger: "customers_list_assignee", event: onUpdate, of: []string{"user_name"}},
	}},
	// A team-scoped list is the member's teams' customers: joining or
	// leaving a team changes it; the owning team's name is shown.
	{counter: customersVersion, table: "team_members", org: viaMembership, on: []bumpOn{
		{trigger: "customers_list_team_ins", event: onInsert},
		{trigger: "customers_list_team_del", event: onDelete},
	}},
	{counter: customersVersion, table: "teams", org: "%s.org_id", on: []bumpOn{
		{trigger: "customers_list_team_name", event: onUpdate, of: []string{"name"}, changed: true},
	}},

	// conversations_version: a conversations list (with customers_version,
	// members_version and perm_version for the names and team scope).
	{counter: conversationsVersion, table: "conversations", org: "%s.org_id", on: []bumpOn{
		{trigger: "conversations_list_ins", event: onInsert},
		{trigger: "conversations_list_upd", event: onUpdate},
		{trigger: "conversations_list_del", event: onDelete},
	}},
	// The lists' channel filter and their rows' channel names.
	{counter: conversationsVersion, table: "channels", org: "%s.org_id", on: []bumpOn{
		{trigger: "conversations_list_channel_ins", event: onInsert},
		{trigger: "conversations_list_channel_name", event: onUpdate, of: []string{"name"}, changed: true},
		{trigger: "conversations_list_channel_del", event: onDelete},
	}},
	// A conversation's page keeps its rendered thread under
	// conversations_version too (web/chats, threadKey): a message added,
	// changed (a reply's delivery state) or removed, and a file added or
	// removed, move it, whether or not the conversation row changes.
	{counter: conversationsVersion, table: "messages", org: "%s.org_id", on: []bumpOn{
		{trigger: "conversations_thread_msg_ins", event: onInsert},
		{trigger: "conversations_thread_msg_upd", event: onUpdate},
		{trigger: "conversations_thread_msg_del", event: onDelete},
	}},
	{counter: conversationsVersion, table: "attachments", org: "%s.org_id", on: []bumpOn{
		{trigger: "conversations_thread_file_ins", event: onInsert},
		{trigger: "conversations_thread_file_upd", event: onUpdate},
		{trigger: "conversations_thread_file_del", event: onDelete},
	}},
}

// bump is one table's changes that move one counter.
type bump struct {
	counter string
	table   string
	// org is how a row of table names its organization, with %s for NEW
	// or OLD; unused for directoryVersion, which is one per instance.
	org string
	on  []bumpOn
}

// bumpOn is one trigger of a bump.
type bumpOn struct {
	trigger string   // its name: migrations create it by this name
	event   string   // onInsert, onUpdate or onDelete
	of      []string // update: only when one of these columns is set (none: any update)
	changed bool     // update: only when one of them changed value
	both    bool     // update: the old row's organization and the new one's
}

const (
	permVersion          = "perm_version" // columns of organizations
	membersVersion       = "members_version"
	customersVersion     = "customers_version"
	conversationsVersion = "conversations_version"
	directoryVersion     = "directory_version" // the one-row table

	onInsert = "INSERT"
	onUpdate = "UPDATE"
	onDelete = "DELETE"

	viaMembership = "(SELECT org_id FROM memberships WHERE id = %s.membership_id)"
)

// bumpTrigger is the CREATE TRIGGER statement of the trigger named name,
// without its final semicolon; ok is false when no entry declares it.
func bumpTrigger(name string) (sql string, ok bool) {
	for _, b := range bumps {
		for _, o := range b.on {
			if o.trigger == name {
				return b.create(o), true
			}
		}
	}
	return "", false
}

// bumpTriggerNames lists every declared trigger, in the list's order.
func bumpTriggerNames() []string {
	var names []string
	for _, b := range bumps {
		for _, o := range b.on {
			names = append(names, o.trigger)
		}
	}
	return names
}

func (b bump) create(o bumpOn) string {
	var s strings.Builder
	fmt.Fprintf(&s, "CREATE TRIGGER %s AFTER %s", o.trigger, o.event)
	if len(o.of) > 0 {
		fmt.Fprintf(&s, " OF %s", strings.Join(o.of, ", "))
	}
	fmt.Fprintf(&s, " ON %s", b.table)
	if o.changed {
		var when []string
		for _, c := range o.of {
			when = append(when, fmt.Sprintf("NEW.%s IS NOT OLD.%s", c, c))
		}
		fmt.Fprintf(&s, "\nWHEN %s", strings.Join(when, " OR "))
	}
	s.WriteString(" BEGIN\n    ")
	if b.counter == directoryVersion {
		s.WriteString("UPDATE directory_version SET version = version + 1 WHERE id = 1;")
	} else {
		fmt.Fprintf(&s, "UPDATE organizations SET %[1]s = %[1]s + 1 WHERE id %[2]s;", b.counter, b.which(o))
	}
	s.WriteString("\nEND")
	return s.String()
}

// which is the organization the trigger bumps: the new row's, except on
// delete; both rows' when the update may move the row.
func (b bump) which(o bumpOn) string {
	switch {
	case o.both:
		return fmt.Sprintf("IN (%s, %s)", fmt.Sprintf(b.org, "OLD"), fmt.Sprintf(b.org, "NEW"))
	case o.event == onDelete:
		return "= " + fmt.Sprintf(b.org, "OLD")
	default:
		return "= " + fmt.Sprintf(b.org, "NEW")
	}
}
