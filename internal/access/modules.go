package access

import (
	"net/http"
	"slices"
)

// The catalog, declared once (ARCHITECTURE.md, Adding a module): the
// products, the sidebar's sections, and one declaration per module. The
// engine's tables, the pages the web layer routes and guards, the sidebar,
// the permission grid, import/export validation and the access JSON all
// derive from these three lists.

// ProductDecl declares a purchasable bundle; its modules name it.
type ProductDecl struct {
	Key, Label     string
	AlwaysIncluded bool
	GroupName      string // its predefined group's name; "" for none
}

// SectionDecl declares a sidebar section: a parent entry whose children are
// the modules whose MenuPlace names it.
type SectionDecl struct {
	Key, Label, Icon string
	Weight           int // its place among the top-level entries
}

// MenuPlace is where a module's sidebar entry sits: in Section ("" = top
// level), ordered by Weight (lightest first) among its siblings. The entry
// links to the module's "home" page; its list pages (those with a
// MenuLabel) become the entry's children.
type MenuPlace struct {
	Section string
	Icon    string
	Weight  int
}

// FlagDecl declares a flag of a module; Scope is the scope it grants when
// true (0 for a flag that is no scope flag).
type FlagDecl struct {
	Key, Label string
	Scope      Scope
}

// ModuleDecl is a module's one declaration.
type ModuleDecl struct {
	Key, Label string
	Product    string   // product key
	Actions    []Action // the standard actions it offers; View is required
	Own        []string // actions of its own ([a-z]+), after the standard five in this order
	Flags      []FlagDecl
	Fields     []FieldDecl // in display order; sensitive ones hidden by default
	Menu       MenuPlace
	// Pages are the module's pages, keyed by name ("show"): Key and Module
	// are filled in from the declaration ("customers.show").
	Pages []Page
}

// Page builders for declarations: the key is the page's name only.

// GetPage is a GET page named name at path (relative to /o/:slug).
func GetPage(name, path string, act Action) Page {
	return Page{Key: name, Method: http.MethodGet, Path: path, Action: act}
}

// PostPage is a POST page named name at path.
func PostPage(name, path string, act Action) Page {
	return Page{Key: name, Method: http.MethodPost, Path: path, Action: act}
}

// HomePage is a module's one landing page at path.
func HomePage(path string) []Page { return []Page{GetPage("home", path, View)} }

// ScopedLists are a scoped module's pages under base: the bare path (which
// goes to the widest list the member may open), the "mine" list (labelled
// mineLabel in the sidebar), the "team" list ("My teams"), which needs team
// scope and an organization with a team, and the "all" list, which needs
// all scope.
func ScopedLists(base, mineLabel string) []Page {
	mine := GetPage("mine", base+"/mine", View)
	mine.MenuLabel = mineLabel
	team := GetPage("team", base+"/team", View)
	team.Scope, team.Teams, team.MenuLabel = ScopeTeam, true, "My teams"
	all := GetPage("all", base+"/all", View)
	all.Scope, all.MenuLabel = ScopeAll, "All"
	return []Page{GetPage("home", base, View), mine, team, all}
}

// MemberSetPages are the pages of a module whose objects are named sets of
// members (permission groups, service teams) under base: the list, create,
// a set's page, update, delete, the member candidates, adding and removing
// a member; then extra.
func MemberSetPages(base string, extra ...Page) []Page {
	one := base + "/:id"
	return append([]Page{
		GetPage("home", base, View),
		PostPage("create", base, Create),
		GetPage("show", one, View),
		PostPage("update", one, Edit),
		PostPage("delete", one+"/delete", Delete),
		GetPage("candidates", one+"/candidates", Edit),
		PostPage("members.add", one+"/members", Edit),
		PostPage("members.remove", one+"/members/:mid/remove", Edit),
	}, extra...)
}

var productDecls = []ProductDecl{
	{Key: "core", Label: "Core", AlwaysIncluded: true},
	{Key: "crm", Label: "CRM", GroupName: "Sales Team"},
	{Key: "inbox", Label: "Inbox", GroupName: "Support Agents"},
	{Key: "finance", Label: "Finance", GroupName: "Finance Team"},
	{Key: "medical", Label: "Medical", GroupName: "Medical Staff"},
}

// Top-level weights: dashboard 10, customers 20, crm 30, chats 40, then the sections.
var sectionDecls = []SectionDecl{
	{Key: "menu.automation", Label: "Automation", Icon: "bolt", Weight: 50},
	{Key: "menu.finance", Label: "Finance", Icon: "wallet", Weight: 60},
	{Key: "menu.medical", Label: "Medical", Icon: "heart", Weight: 70},
	{Key: "menu.insights", Label: "Insights", Icon: "chart", Weight: 80},
	{Key: "menu.settings", Label: "Settings", Icon: "settings", Weight: 90},
}

// moduleDecls are in catalog order: grouped by product, in product order.
var moduleDecls = []ModuleDecl{
	{Key: "dashboard", Label: "Dashboard", Product: "core", Actions: []Action{View},
		Menu: MenuPlace{Icon: "home", Weight: 10}, Pages: HomePage("")},
	{Key: "reports", Label: "Reports", Product: "core", Actions: []Action{View, Create, Export},
		Menu: MenuPlace{Section: "menu.insights", Icon: "report", Weight: 1}, Pages: HomePage("/reports")},
	{Key: "members", Label: "Members", Product: "core", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.settings", Icon: "user", Weight: 2}, Pages: []Page{
			GetPage("home", "/settings/members", View),
			GetPage("export", "/settings/members/export.csv", Export),
			GetPage("invite", "/settings/members/invite", Create),
			PostPage("invite.create", "/settings/members/invite", Create),
			PostPage("invite.preview", "/settings/members/invite/preview", Create),
			GetPage("import", "/settings/members/import", Create),
			PostPage("import.preview", "/settings/members/import", Create),
			PostPage("import.confirm", "/settings/members/import/confirm", Create),
			GetPage("import.template", "/settings/members/import/template.csv", Create),
			PostPage("import.problems", "/settings/members/import/problems.csv", Create),
			PostPage("invites.resend", "/settings/members/invites/resend", Create),
			PostPage("invites.preview", "/settings/members/invites/resend/preview", Create),
			PostPage("invite.resend", "/settings/members/invites/:inv/resend", Create),
			PostPage("invite.revoke", "/settings/members/invites/:inv/revoke", Create),
			PostPage("bulk", "/settings/members/bulk", Edit),
			PostPage("bulk.preview", "/settings/members/bulk/preview", Edit),
			GetPage("show", "/settings/members/:id", View),
			PostPage("role", "/settings/members/:id/role", Edit),
			PostPage("groups", "/settings/members/:id/groups", Edit),
			PostPage("preview", "/settings/members/:id/preview", Edit),
			PostPage("suspend", "/settings/members/:id/suspend", Edit),
			PostPage("reenable", "/settings/members/:id/reenable", Edit),
			PostPage("force-reset", "/settings/members/:id/force-reset", Edit),
			PostPage("sessions.revoke-all", "/settings/members/:id/sessions/revoke-all", Edit),
			PostPage("sessions.revoke", "/settings/members/:id/sessions/:sid/revoke", Edit),
			PostPage("signout", "/settings/members/:id/signout", Edit),
			PostPage("remove", "/settings/members/:id/remove", Delete),
			GetPage("permissions", "/settings/members/:id/permissions", View),
			PostPage("permissions.save", "/settings/members/:id/permissions", Edit),
			PostPage("permissions.preview", "/settings/members/:id/permissions/preview", Edit),
			PostPage("permissions.enable", "/settings/members/:id/permissions/custom/enable", Edit),
			PostPage("permissions.disable", "/settings/members/:id/permissions/custom/disable", Edit),
			PostPage("grant-end", "/settings/members/:id/grant-end", Edit),
			PostPage("grant-end.preview", "/settings/members/:id/grant-end/preview", Edit),
		}},
	{Key: "groups", Label: "Permission groups", Product: "core", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.settings", Icon: "shield", Weight: 3}, Pages: MemberSetPages("/settings/groups",
			GetPage("new", "/settings/groups/new", Create),
			PostPage("preview", "/settings/groups/:id/preview", Edit),
			PostPage("reset", "/settings/groups/:id/reset", Edit),
			PostPage("members.confirm", "/settings/groups/:id/members/:mid/preview", Edit),
		)},
	{Key: "service_teams", Label: "Service teams", Product: "core", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.settings", Icon: "team", Weight: 4}, Pages: MemberSetPages("/settings/service_teams",
			PostPage("members.lead", "/settings/service_teams/:id/members/:mid/lead", Edit),
			PostPage("members.preview", "/settings/service_teams/:id/members/preview", Edit),
			PostPage("members.confirm", "/settings/service_teams/:id/members/:mid/preview", Edit),
		)},
	{Key: "settings", Label: "Organization settings", Product: "core", Actions: []Action{View, Edit},
		Menu: MenuPlace{Section: "menu.settings", Icon: "building", Weight: 1}, Pages: []Page{
			GetPage("home", "/settings/organization", View),
			PostPage("save", "/settings/organization", Edit),
		}},
	{Key: "integrations", Label: "Integrations", Product: "core", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.settings", Icon: "plug", Weight: 6}, Pages: HomePage("/settings/integrations")},
	{Key: "billing", Label: "Billing", Product: "core", Actions: []Action{View, Edit},
		Menu: MenuPlace{Section: "menu.settings", Icon: "card", Weight: 7}, Pages: HomePage("/settings/billing")},
	{Key: "audit", Label: "Audit log", Product: "core", Actions: []Action{View, Export},
		Menu: MenuPlace{Section: "menu.settings", Icon: "log", Weight: 8}, Pages: []Page{
			GetPage("home", "/settings/audit", View),
			GetPage("export", "/settings/audit/export.csv", Export),
		}},

	{Key: "customers", Label: "Customers", Product: "crm", Actions: AllActions(),
		Flags: []FlagDecl{
			{"canAccessAll", "See all customers", ScopeAll},
			{"canAccessTeam", "See my teams' customers", ScopeTeam},
		},
		Fields: []FieldDecl{
			{"name", "Name", false}, {"email", "Email", false}, {"phone", "Phone", false},
			{"company", "Company", false}, {"notes", "Notes", false},
			{"tax_id", "Tax ID", true}, {"credit_limit", "Credit limit", true}, {"internal_notes", "Internal notes", true},
		},
		Menu: MenuPlace{Icon: "users", Weight: 20}, Pages: slices.Concat(
			ScopedLists("/customers", "Those I serve"),
			[]Page{
				GetPage("export", "/customers/export.csv", Export),
				GetPage("new", "/customers/new", Create),
				PostPage("create", "/customers", Create),
				GetPage("show", "/customers/:id", View),
				GetPage("edit", "/customers/:id/edit", Edit),
				PostPage("update", "/customers/:id", Edit),
				PostPage("delete", "/customers/:id/delete", Delete),
			})},
	{Key: "crm", Label: "Pipelines", Product: "crm", Actions: AllActions(),
		Flags: []FlagDecl{
			{"canAccessAll", "See all pipelines", ScopeAll},
			{"canAccessTeam", "See my teams' pipelines", ScopeTeam},
		},
		Menu: MenuPlace{Icon: "funnel", Weight: 30}, Pages: ScopedLists("/crm", "Mine")},
	{Key: "utm", Label: "UTM tracking", Product: "crm", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.insights", Icon: "link", Weight: 2}, Pages: HomePage("/utm")},

	{Key: "chats", Label: "Conversations", Product: "inbox", Actions: AllActions(),
		// reply to the customer, write an internal note, attach a file.
		Own: []string{"reply", "note", "attach"},
		Flags: []FlagDecl{
			{"canAccessAll", "See all conversations", ScopeAll},
			{"canAccessTeam", "See my teams' conversations", ScopeTeam},
			{"canAssignToOthers", "Assign conversations to others", 0},
		},
		Menu: MenuPlace{Icon: "chat", Weight: 40}, Pages: slices.Concat(
			ScopedLists("/chats", "Assigned to me"),
			[]Page{
				GetPage("new", "/chats/new", Create),
				PostPage("create", "/chats", Create),
				GetPage("show", "/chats/:id", View),
				PostPage("update", "/chats/:id", Edit),
				// The thread's poll and the composer: which of reply, note
				// and attach a post needs depends on what it carries, and
				// the conversation's scope (404) is checked before it (403).
				GetPage("messages", "/chats/:id/messages", View),
				PostPage("messages.create", "/chats/:id/messages", View),
				PostPage("move", "/chats/:id/move", Edit),
				PostPage("assign", "/chats/:id/assign", Edit),
				PostPage("delete", "/chats/:id/delete", Delete),
				GetPage("attachment", "/chats/:id/attachments/:aid", View),
			})},
	{Key: "bulk_messages", Label: "Bulk messages", Product: "inbox", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.automation", Icon: "send", Weight: 1}, Pages: HomePage("/bulk_messages")},
	{Key: "flows", Label: "Flows", Product: "inbox", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.automation", Icon: "flow", Weight: 2}, Pages: HomePage("/flows")},
	{Key: "prompts", Label: "Prompts", Product: "inbox", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.automation", Icon: "sparkle", Weight: 3}, Pages: HomePage("/prompts")},
	{Key: "channels", Label: "Channels", Product: "inbox", Actions: AllActions(),
		// Archiving takes a channel out of use (it is never deleted while
		// conversations run on it), so it and its undoing are channels_delete.
		Menu: MenuPlace{Section: "menu.settings", Icon: "inbox", Weight: 5}, Pages: []Page{
			GetPage("home", "/settings/channels", View),
			PostPage("create", "/settings/channels", Create),
			GetPage("show", "/settings/channels/:id", View),
			PostPage("update", "/settings/channels/:id", Edit),
			PostPage("archive", "/settings/channels/:id/archive", Delete),
			PostPage("unarchive", "/settings/channels/:id/unarchive", Delete),
		}},

	{Key: "financial", Label: "Financial", Product: "finance", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.finance", Icon: "coins", Weight: 1}, Pages: HomePage("/financial")},
	{Key: "pos", Label: "Point of sale", Product: "finance", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.finance", Icon: "cart", Weight: 2}, Pages: HomePage("/pos")},

	{Key: "medical", Label: "Medical records", Product: "medical", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.medical", Icon: "clipboard", Weight: 1}, Pages: HomePage("/medical")},
	{Key: "documents", Label: "Documents", Product: "medical", Actions: AllActions(),
		Menu: MenuPlace{Section: "menu.medical", Icon: "file", Weight: 2}, Pages: HomePage("/documents")},
}
