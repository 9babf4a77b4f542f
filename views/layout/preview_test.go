package layout_test

// Visual preview: renders sample pages to /tmp/preview/*.html for screenshots.
// Skipped unless GATEHOUSE_PREVIEW is set:
//
//	GATEHOUSE_PREVIEW=1 go test ./views/layout -run TestPreview

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"gatehouse/internal/nav"
	"gatehouse/views/admin"
	"gatehouse/views/auth"
	"gatehouse/views/layout"
	"gatehouse/views/orgs"
)

func TestPreview(t *testing.T) {
	if os.Getenv("GATEHOUSE_PREVIEW") == "" {
		t.Skip("set GATEHOUSE_PREVIEW=1 to render previews to /tmp/preview")
	}
	out := "/tmp/preview"
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := copyDir("../../static", filepath.Join(out, "static")); err != nil {
		t.Fatal(err)
	}

	user := &layout.User{Name: "Maria Santos", Email: "maria@acme.example", IsInstanceAdmin: true}
	acme := layout.OrgRef{Name: "Acme Health Ltd", Slug: "acme", Role: "owner"}
	myOrgs := []layout.OrgRef{
		acme,
		{Name: "Northwind Traders", Slug: "northwind", Role: "manager"},
		{Name: "Globex Clinics", Slug: "globex", Role: "agent_limited", Suspended: true},
		{Name: "Initech", Slug: "initech", Role: "sales"},
	}
	s := "/o/acme"
	sidebar := []nav.Item{
		{Key: "dashboard", Label: "Dashboard", Href: s, Icon: "home"},
		{Key: "customers", Label: "Customers", Icon: "users", Href: s + "/customers/mine", Children: []nav.Item{
			{Key: "customers.mine", Label: "Those I serve", Href: s + "/customers/mine"},
			{Key: "customers.all", Label: "All", Href: s + "/customers/all"},
		}},
		{Key: "crm", Label: "Pipelines", Href: s + "/crm/mine", Icon: "briefcase"},
		{Key: "chats", Label: "Conversations", Href: s + "/chats/mine", Icon: "chat"},
		{Key: "menu.automation", Label: "Automation", Icon: "bolt", Children: []nav.Item{
			{Key: "bulk_messages", Label: "Bulk messages", Href: s + "/bulk_messages"},
			{Key: "flows", Label: "Flows", Href: s + "/flows"},
			{Key: "prompts", Label: "Prompts", Href: s + "/prompts"},
		}},
		{Key: "menu.finance", Label: "Finance", Icon: "wallet", Children: []nav.Item{
			{Key: "financial", Label: "Financial", Href: s + "/financial"},
			{Key: "pos", Label: "Point of sale", Href: s + "/pos"},
		}},
		{Key: "menu.medical", Label: "Medical", Icon: "heart", Children: []nav.Item{
			{Key: "medical", Label: "Medical records", Href: s + "/medical"},
			{Key: "documents", Label: "Documents", Href: s + "/documents"},
		}},
		{Key: "menu.insights", Label: "Insights", Icon: "chart", Children: []nav.Item{
			{Key: "reports", Label: "Reports", Href: s + "/reports"},
			{Key: "utm", Label: "UTM tracking", Href: s + "/utm"},
		}},
		{Key: "menu.settings", Label: "Settings", Icon: "settings", Children: []nav.Item{
			{Key: "settings", Label: "Organization", Href: s + "/settings/organization"},
			{Key: "members", Label: "Members", Href: s + "/settings/members", Active: true},
			{Key: "groups", Label: "Permission groups", Href: s + "/settings/groups"},
			{Key: "service_teams", Label: "Service teams", Href: s + "/settings/service_teams"},
			{Key: "integrations", Label: "Integrations", Href: s + "/settings/integrations"},
			{Key: "billing", Label: "Billing", Href: s + "/settings/billing"},
			{Key: "audit", Label: "Audit log", Href: s + "/settings/audit"},
		}},
	}
	inOrg := layout.Page{Title: "Members", CSRF: `tok"en<&>`, User: user, Org: &acme, Orgs: myOrgs, Sidebar: sidebar,
		Flashes: []layout.Flash{{Kind: "success", Message: "Invitation sent to lee@acme.example."}}}
	outside := layout.Page{Title: "My organizations", CSRF: "tok", User: user, Orgs: myOrgs}
	anon := layout.Page{Title: "Log in", CSRF: "tok"}

	permsPage := inOrg
	permsPage.Title = "Member permissions"
	permsPage.Flashes = nil
	permsPage.Sidebar = cloneWithActive(sidebar, "members")

	wizard := outside
	wizard.Title = "New organization"

	render := map[string]templ.Component{
		"shell":           withChildren(layout.Shell(inOrg), templ.Raw(membersHTML)),
		"perms":           withChildren(layout.Shell(permsPage), templ.Raw(permsHTML)),
		"wizard":          withChildren(layout.Shell(wizard), templ.Raw(wizardHTML)),
		"login":           auth.Login(anon, auth.LoginForm{Email: "maria@acme.example", Error: "Incorrect email or password.", Next: "/o/acme"}),
		"login-clean":     auth.Login(anon, auth.LoginForm{}),
		"signup":          auth.Signup(anon, auth.SignupForm{Name: "Maria", Email: "maria@", Errors: map[string]string{"email": "Enter a valid email address.", "password": "Use at least 10 characters."}}),
		"forgot":          auth.Forgot(anon, auth.ForgotForm{}),
		"forgot-sent":     auth.Forgot(anon, auth.ForgotForm{Sent: true}),
		"reset":           auth.Reset(anon, auth.ResetForm{Forced: true}),
		"orgs":            orgs.List(outside, myOrgs),
		"orgs-empty":      orgs.List(layout.Page{Title: "My organizations", User: &layout.User{Name: "New Person", Email: "new@x.io"}}, nil),
		"error-403":       layout.ErrorPage(inOrg, layout.ErrorInfo{Status: 403, BackHref: "/o/acme"}),
		"error-404":       layout.ErrorPage(outside, layout.ErrorInfo{Status: 404}),
		"error-500":       layout.ErrorPage(anon, layout.ErrorInfo{Status: 500}),
		"error-suspended": layout.ErrorPage(outside, layout.ErrorInfo{Status: 403, Title: "Your access to Globex Clinics is suspended", Message: "An administrator of Globex Clinics suspended your membership. Your other organizations are not affected."}),
		"error-fragment":  layout.ErrorFragment(layout.ErrorInfo{Status: 403}),
		"outbox": admin.Outbox(layout.Page{Title: "Instance outbox", User: user, Orgs: myOrgs}, []admin.OutboxMail{
			{ID: 1, To: "lee@acme.example", Subject: "You're invited to Acme Health Ltd", Body: "Hi,\n\nMaria Santos invited you to Acme Health Ltd on Gatehouse.\n\nAccept: http://localhost:8080/invite/8f3a...\n\nThis link expires in 7 days.", CreatedAt: time.Date(2025, 5, 2, 9, 12, 0, 0, time.UTC)},
			{ID: 2, To: "bob@example.com", Subject: "Reset your Gatehouse password", Body: "Someone asked to reset the password for this account.\n\nhttp://localhost:8080/reset?token=a-very-long-token-value-that-should-wrap-nicely-on-small-screens-0123456789abcdef\n\nIf it was not you, ignore this email.", CreatedAt: time.Date(2025, 5, 3, 14, 40, 0, 0, time.UTC)},
			{ID: 3, To: "new@globex.example", Subject: "Welcome to Gatehouse", Body: "Welcome!", CreatedAt: time.Date(2025, 4, 29, 8, 0, 0, 0, time.UTC)},
		}),
	}
	for name, c := range render {
		var buf bytes.Buffer
		if err := c.Render(context.Background(), &buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		html := strings.ReplaceAll(buf.String(), `"/static/`, `"static/`)
		if name == "error-fragment" {
			html = `<!DOCTYPE html><html><head><link rel="stylesheet" href="static/css/app.css"></head><body><main class="main">` + html + `</main></body></html>`
		}
		if err := os.WriteFile(filepath.Join(out, name+".html"), []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		// open-dropdown variants
		if name == "shell" {
			sw := strings.Replace(html, `<details class="dropdown switcher">`, `<details class="dropdown switcher" open>`, 1)
			_ = os.WriteFile(filepath.Join(out, "shell-switcher.html"), []byte(sw), 0o644)
			pr := strings.Replace(html, `<details class="dropdown profile">`, `<details class="dropdown profile" open>`, 1)
			_ = os.WriteFile(filepath.Join(out, "shell-profile.html"), []byte(pr), 0o644)
			nv := strings.Replace(html, `<body`, `<body class="nav-open"`, 1)
			_ = os.WriteFile(filepath.Join(out, "shell-navopen.html"), []byte(nv), 0o644)
		}
		if name == "outbox" {
			op := strings.Replace(html, `<details class="mail">`, `<details class="mail" open>`, 2)
			_ = os.WriteFile(filepath.Join(out, "outbox-open.html"), []byte(op), 0o644)
		}
	}
}

func withChildren(c, child templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return c.Render(templ.WithChildren(ctx, child), w)
	})
}

func cloneWithActive(items []nav.Item, key string) []nav.Item {
	out := make([]nav.Item, len(items))
	for i, it := range items {
		it.Active = it.Key == key
		it.Children = cloneWithActive(it.Children, key)
		out[i] = it
	}
	return out
}

func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

const membersHTML = `
<div class="page-header">
  <div class="page-header-text">
    <ol class="breadcrumbs"><li><a href="#">Settings</a></li><li>Members</li></ol>
    <h1 class="page-title">Members</h1>
    <p class="page-subtitle">18 of 25 seats used · 2 pending invitations</p>
  </div>
  <div class="page-actions">
    <a class="btn btn-secondary" href="#">Export CSV</a>
    <a class="btn btn-primary" href="#">Invite member</a>
  </div>
</div>
<div class="grid-4 mb-4">
  <div class="card stat"><div class="stat-label">Seats used</div><div class="stat-value">18 / 25</div><div class="stat-meta">7 available</div></div>
  <div class="card stat"><div class="stat-label">Active</div><div class="stat-value">16</div><div class="stat-meta">+2 this week</div></div>
  <div class="card stat"><div class="stat-label">Suspended</div><div class="stat-value">2</div><div class="stat-meta">not counted</div></div>
  <div class="card stat"><div class="stat-label">Pending invites</div><div class="stat-value">2</div><div class="stat-meta">expire in 7 days</div></div>
</div>
<div class="toolbar">
  <div class="input-group search"><svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75"><circle cx="11" cy="11" r="7"></circle><path d="m20 20-3.5-3.5"></path></svg><input class="input" type="search" placeholder="Search name or email" aria-label="Search"></div>
  <select class="select" aria-label="Role"><option>All roles</option></select>
  <select class="select" aria-label="Status"><option>Any status</option></select>
  <span class="htmx-indicator"><span class="spinner"></span></span>
</div>
<div class="table-wrap">
<table class="table">
<thead><tr><th>Member</th><th>Role</th><th>Groups</th><th>Status</th><th>Last seen</th><th class="actions"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
<tr><td><div class="cell-user"><span class="avatar avatar-32 avatar-c0">MS</span><div><div class="cell-primary">Maria Santos</div><div class="cell-secondary">maria@acme.example</div></div></div></td><td><span class="badge badge-role-owner">Owner</span></td><td>Admin</td><td><span class="badge badge-active badge-dot">Active</span></td><td class="nowrap">2 min ago</td><td class="actions"><a class="btn btn-ghost btn-sm" href="#">Manage</a></td></tr>
<tr><td><div class="cell-user"><span class="avatar avatar-32 avatar-c2">BS</span><div><div class="cell-primary">Bob Stone</div><div class="cell-secondary">bob@example.com</div></div></div></td><td><span class="badge badge-role">Agent</span></td><td>Sales Team, Night shift</td><td><span class="badge badge-active badge-dot">Active</span></td><td class="nowrap">Yesterday</td><td class="actions"><a class="btn btn-ghost btn-sm" href="#">Manage</a></td></tr>
<tr><td><div class="cell-user"><span class="avatar avatar-32 avatar-c4">LC</span><div><div class="cell-primary">Lee Chen</div><div class="cell-secondary">lee@acme.example</div></div></div></td><td><span class="badge badge-role-admin">Admin</span></td><td>—</td><td><span class="badge badge-suspended badge-dot">Suspended</span></td><td class="nowrap">Apr 12</td><td class="actions"><a class="btn btn-ghost btn-sm" href="#">Manage</a></td></tr>
<tr><td><div class="cell-user"><span class="avatar avatar-32 avatar-c5">?</span><div><div class="cell-primary">dana@acme.example</div><div class="cell-secondary">Invited by Maria Santos</div></div></div></td><td><span class="badge badge-role">Medical assistant</span></td><td>Medical Staff</td><td><span class="badge badge-pending badge-dot">Pending</span></td><td class="nowrap">—</td><td class="actions"><a class="btn btn-ghost btn-sm" href="#">Resend</a></td></tr>
</tbody></table></div>
<nav class="pagination" aria-label="Pagination"><span class="pagination-info">Showing 1–50 of 18,204</span>
<ul class="pagination-list"><li><span aria-disabled="true">Previous</span></li><li><span aria-current="page">1</span></li><li><a href="#">2</a></li><li><a href="#">3</a></li><li><span class="gap">…</span></li><li><a href="#">365</a></li><li><a href="#">Next</a></li></ul></nav>
<div class="section grid-2">
<div class="card"><div class="card-header"><div><div class="card-title">Invite member</div><p class="card-subtitle">They get an email with a link.</p></div></div>
<div class="card-body"><form class="form"><div class="field"><label class="field-label" for="e">Email</label><input class="input" id="e" aria-invalid="true" value="dana@"><p class="field-error">Enter a valid email address.</p></div>
<div class="field"><label class="field-label" for="r">Role</label><select class="select" id="r"><option>Agent</option></select><p class="field-hint">You can change it later.</p></div>
<label class="check"><input type="checkbox" checked><span class="check-text">Sales Team<span class="check-hint">12 members</span></span></label></form></div>
<div class="card-footer"><button class="btn btn-ghost">Cancel</button><button class="btn btn-primary">Send invite</button></div></div>
<div class="stack">
<div class="alert alert-info"><svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75"><circle cx="12" cy="12" r="10"></circle><path d="M12 16v-4M12 8h.01"></path></svg><div class="alert-body"><div class="alert-title">Heads up</div>Individual permissions will override 2 groups.</div></div>
<div class="alert alert-warning"><svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75"><circle cx="12" cy="12" r="10"></circle></svg><div class="alert-body">Only 7 seats left on your package.</div></div>
<div class="alert alert-error"><svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75"><circle cx="12" cy="12" r="10"></circle></svg><div class="alert-body">Could not save: the last active owner cannot be suspended.</div></div>
<div class="cluster"><button class="btn btn-primary">Primary</button><button class="btn btn-secondary">Secondary</button><button class="btn btn-danger">Danger</button><button class="btn btn-danger-outline">Suspend</button><button class="btn btn-ghost">Ghost</button><button class="btn btn-primary" disabled>Disabled</button></div>
<div class="cluster"><span class="badge badge-role-owner">Owner</span><span class="badge badge-role-admin">Admin</span><span class="badge badge-role">Manager</span><span class="badge badge-active badge-dot">Active</span><span class="badge badge-suspended badge-dot">Suspended</span><span class="badge badge-pending badge-dot">Pending</span><span class="badge badge-predefined">Predefined</span></div>
</div></div>
`

const permsHTML = `
<div class="page-header"><div class="page-header-text"><ol class="breadcrumbs"><li><a href="#">Members</a></li><li>Bob Stone</li></ol>
<h1 class="page-title">Bob Stone</h1><p class="page-subtitle">bob@example.com · Agent · deciding layer: <strong>groups</strong></p></div>
<div class="page-actions"><button class="btn btn-danger-outline">Suspend</button><button class="btn btn-secondary">Force password reset</button></div></div>
<div class="tabs" role="tablist"><a class="tab" role="tab" aria-selected="false" href="#">Role &amp; groups</a><a class="tab" role="tab" aria-selected="true" href="#">Individual permission <span class="badge badge-info">custom</span></a><a class="tab" href="#" role="tab" aria-selected="false">Sessions</a></div>
<div class="alert alert-info mb-4"><div class="alert-body">Individual permissions will override 2 groups (Sales Team, Night shift).</div></div>
<div class="table-wrap perm-grid-wrap"><table class="table perm-grid">
<thead><tr><th class="perm-module">Module</th><th>View</th><th>Create</th><th>Edit</th><th>Delete</th><th>Export</th></tr></thead>
<tbody>
<tr class="perm-product"><th colspan="6">Core <span class="muted">· always included</span></th></tr>
<tr><th class="perm-module" scope="row">Dashboard<span class="perm-module-key">dashboard</span></th><td class="perm-cell"><label><input type="checkbox" checked aria-label="Dashboard view"></label></td><td class="perm-cell perm-na">—</td><td class="perm-cell perm-na">—</td><td class="perm-cell perm-na">—</td><td class="perm-cell perm-na">—</td></tr>
<tr><th class="perm-module" scope="row">Reports<span class="perm-module-key">reports</span></th><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell perm-na">—</td><td class="perm-cell perm-na">—</td><td class="perm-cell"><label><input type="checkbox"></label></td></tr>
<tr><th class="perm-module" scope="row">Members<span class="perm-module-key">members</span></th><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td></tr>
<tr class="perm-product"><th colspan="6">CRM</th></tr>
<tr class="has-flags"><th class="perm-module" scope="row">Customers<span class="perm-module-key">customers</span></th><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td></tr>
<tr class="perm-flags"><td colspan="6"><div class="perm-flag-list"><label class="check"><input type="checkbox"> See all customers</label></div></td></tr>
<tr><th class="perm-module" scope="row">Pipelines<span class="perm-module-key">crm</span></th><td class="perm-cell"><label><input type="checkbox" checked></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td><td class="perm-cell"><label><input type="checkbox"></label></td></tr>
</tbody></table></div>
<div class="form-actions form-actions--end"><button class="btn btn-ghost">Return to inherited permissions</button><button class="btn btn-primary">Save permissions</button></div>
`

const wizardHTML = `
<div class="content--narrow">
<div class="page-header"><div class="page-header-text"><h1 class="page-title">Create organization</h1><p class="page-subtitle">Step 2 of 4 · Details</p></div></div>
<ol class="steps"><li class="step is-done"><span class="step-label"><span class="step-name">Company</span></span></li><li class="step is-current" aria-current="step"><span class="step-label"><span class="step-name">Details</span></span></li><li class="step"><span class="step-label"><span class="step-name">Products</span></span></li><li class="step"><span class="step-label"><span class="step-name">Payment</span></span></li></ol>
<div class="card"><div class="card-body"><form class="form">
<div class="field"><label class="field-label" for="sd">Subdomain</label><div class="input-addon"><input class="input" id="sd" value="acme"><span class="addon">.gatehouse.local</span></div><p class="field-status field-status--ok">✓ Available</p></div>
<div class="form-grid"><div class="field"><label class="field-label">Country</label><select class="select"><option>Portugal</option></select></div><div class="field"><label class="field-label">City</label><input class="input" value="Lisbon"></div>
<div class="field span-2"><label class="field-label">Address</label><input class="input"></div><div class="field"><label class="field-label">VAT ID</label><input class="input" aria-invalid="true" value="PT12"><p class="field-error">A Portuguese VAT ID has 9 digits after PT.</p></div></div>
</form></div><div class="card-footer"><a class="btn btn-ghost" href="#">Back</a><button class="btn btn-primary">Continue</button></div></div>
</div>
`
