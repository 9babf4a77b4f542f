package orgio_test

import (
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
)

// Export → import → export is byte-identical, into the same database (no
// changes at all) and into an empty one (everything created).
func TestExportImportRoundTrip(t *testing.T) {
	src := demoDB(t)
	for _, slug := range []string{demo.OrgSlug, demo.OtherOrgSlug} {
		t.Run(slug, func(t *testing.T) {
			first := export(t, src, slug)

			res := mustImport(t, src, first, orgio.Options{})
			if len(res.Changes) != 0 || res.Created {
				t.Errorf("re-import into the same database changed things: %q", res.Changes)
			}
			if again := export(t, src, slug); again != first {
				t.Fatalf("export after re-import differs:\n%s\nvs\n%s", first, again)
			}

			dst := openDB(t)
			res = mustImport(t, dst, first, orgio.Options{})
			if !res.Created || len(res.Changes) == 0 {
				t.Fatalf("import into an empty database: created=%v changes=%q", res.Created, res.Changes)
			}
			if second := export(t, dst, slug); second != first {
				t.Fatalf("export after import into a new database differs:\n--- first\n%s\n--- second\n%s", first, second)
			}
			if res := mustImport(t, dst, first, orgio.Options{}); len(res.Changes) != 0 {
				t.Errorf("second import changed things: %q", res.Changes)
			}
		})
	}
}

func TestExportShape(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OrgSlug)
	for _, want := range []string{
		"{\n  \"version\": 2,\n  \"organization\": {\n    \"name\": \"Acme Health\",\n    \"slug\": \"acme\",\n" +
			"    \"products\": [\"crm\", \"inbox\", \"finance\", \"medical\"],\n    \"seats\": 25\n  },\n  \"groups\": [\n",
		`"name": "Admin",` + "\n      \"description\": \"Everything, all flags on.\",\n      \"predefined\": true,",
		"\"name\": \"Night shift\",\n      \"description\": \"Evening and weekend cover: conversations and the customers they serve.\",\n      \"permissions\": {",
		`"flags": {"canAccessAll": false, "canAccessTeam": false}`,
		"\"email\": \"agent@acme.test\",\n      \"name\": \"Alex Morgan\",\n      \"role\": \"agent\",\n      \"status\": \"active\",\n" +
			"      \"groups\": [\"Support Agents\", \"Night shift\"],\n      \"teams\": [\"EMEA\"],\n      \"custom\": null,\n      \"group_expires\": {},\n      \"custom_expires\": null,\n      \"role_until\": null\n",
		"\"email\": \"suspended@acme.test\",\n      \"name\": \"Sam Keller\",\n      \"role\": \"agent\",\n      \"status\": \"suspended\",",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %q\n%s", want, doc)
		}
	}
	if strings.Contains(doc, `"core"`) {
		t.Error("products must not list core")
	}
	if !strings.HasSuffix(doc, "}\n") {
		t.Error("export must end with a newline")
	}
	// Predefined groups in catalog order, then custom ones; members by email.
	c, _ := orgio.Export(ctx, db, demo.OrgSlug)
	var groups, emails []string
	for _, g := range c.Groups {
		groups = append(groups, g.Name)
		if g.Predefined != (g.Name != demo.GroupNightShift) {
			t.Errorf("group %s predefined=%v", g.Name, g.Predefined)
		}
	}
	want := []string{"Admin", "User", "Guest", "Sales Team", "Support Agents", "Finance Team", "Medical Staff", "Night shift"}
	if !slices.Equal(groups, want) {
		t.Errorf("groups %q, want %q", groups, want)
	}
	for _, m := range c.Members {
		emails = append(emails, m.Email)
	}
	if !slices.IsSorted(emails) || len(emails) != 12 {
		t.Errorf("members not sorted by email or incomplete: %q", emails)
	}
}

// custom null (inherit) and custom {} (nothing) survive as they are.
func TestExportCustomNullVersusEmpty(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OrgSlug)
	doc = replace(t, doc, "\"email\": \"manager@acme.test\",\n      \"name\": \"Megan Fischer\",\n      \"role\": \"manager\",\n      \"status\": \"active\",\n      \"groups\": [],\n      \"teams\": [],\n      \"custom\": null",
		"\"email\": \"manager@acme.test\",\n      \"name\": \"Megan Fischer\",\n      \"role\": \"manager\",\n      \"status\": \"active\",\n      \"groups\": [],\n      \"teams\": [],\n      \"custom\": {}")
	res := mustImport(t, db, doc, orgio.Options{})
	if !slices.Equal(res.Changes, []string{"update member manager@acme.test: individual permissions inherited → {} (nothing)"}) {
		t.Fatalf("changes %q", res.Changes)
	}
	if got := export(t, db, demo.OrgSlug); got != doc {
		t.Fatalf("custom {} did not round-trip:\n%s", got)
	}
	rep, err := orgio.Access(ctx, db, demo.OrgSlug, demo.ManagerEmail)
	if err != nil || rep.Layer != access.LayerCustom || len(rep.Permissions) != 0 {
		t.Fatalf("manager with custom {}: layer %s, %d permissions, %v", rep.Layer, len(rep.Permissions), err)
	}
}

const badDoc = `{
  "version": 3,
  "extra": true,
  "organization": {"name": "Newco", "slug": "New Co", "products": ["crm", "crmm", "crm"], "seats": 0},
  "groups": [
    {"name": "Night shift", "description": "", "permissions": {"customer": {"actions": ["view"]}}},
    {"name": "night SHIFT", "permissions": {"customers": {"actions": ["view", "fly"], "flags": {"seeAll": true}}}},
    {"name": "Reports", "permissions": {"dashboard": {"actions": ["edit"]}}}
  ],
  "members": [
    {"email": "owner@newco.test", "name": "Owner", "role": "owner", "status": "active", "groups": [], "custom": null},
    {"email": "not-an-email", "role": "agent"},
    {"email": "OWNER@newco.test", "role": "agent"},
    {"email": "bob@newco.test", "role": "agnet", "status": "gone", "groups": ["Night shift", "Ghosts"],
     "custom": {"customers": {"actions": ["view"], "flags": {"canAccessAll": "yes"}}}}
  ]
}`

// Every problem is reported at once, each with its JSON path, and nothing is
// written (dry run or not).
func TestImportReportsEveryProblem(t *testing.T) {
	want := []string{
		`version: unsupported version 3 (this Gatehouse reads versions 1 and 2)`,
		`extra: unknown field "extra" (expected version, organization, groups, teams, channels, members)`,
		`organization.slug: "New Co" is not a valid subdomain: Use only lowercase letters a–z, digits and hyphens.`,
		`organization.products[1]: unknown product "crmm" (products: crm, inbox, finance, medical)`,
		`organization.products[2]: duplicate product "crm"`,
		`organization.seats: must be at least 1 (got 0)`,
		`groups[0].permissions.customer: unknown module "customer"`,
		`groups[1].permissions.customers.actions[1]: unknown action "fly"`,
		`groups[1].permissions.customers.flags.seeAll: unknown flag "seeAll" of module "customers" (it has canAccessAll, canAccessTeam)`,
		`groups[2].permissions.dashboard.actions[0]: module "dashboard" does not offer action "edit" (it offers view)`,
		`members[1].email: "not-an-email" is not a valid email address (like name@example.com)`,
		`members[3].role: unknown role "agnet" (roles: owner, admin, manager, financial, sales, supervisor, agent, agent_limited, medical_doctor, medical_assistant)`,
		`members[3].status: unknown status "gone" (use "active" or "suspended")`,
		`members[3].custom.customers.flags.canAccessAll: expected true or false, got a string`,
		`groups[1].name: duplicate group name "night SHIFT" (already used by groups[0]; names are compared case-insensitively)`,
		`members[2].email: duplicate email "owner@newco.test" (already used by members[0])`,
		`members[3].groups[1]: unknown group "Ghosts": define it in "groups"`,
	}
	for _, dry := range []bool{true, false} {
		db := demoDB(t)
		before := counts(t, db)
		got := importProblems(t, db, badDoc, orgio.Options{DryRun: dry})
		if !slices.Equal(got, want) {
			t.Errorf("dry=%v problems:\n%s\nwant:\n%s", dry, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		sameCounts(t, before, counts(t, db))
	}
}

func TestParseStructuralProblems(t *testing.T) {
	cases := []struct{ doc, want string }{
		{``, `the file is empty; expected a JSON object`},
		{`{"version": 1,`, `invalid JSON at line 1, column 14: unexpected end of JSON input`},
		{"{\n  \"version\": 1\n  \"organization\": {}\n}", `invalid JSON at line 3, column 3: invalid character '"' after object key:value pair`},
		{`[]`, `expected an object with version, organization, groups, teams, channels and members, got an array`},
		{`{"version": "1", "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`version: expected a whole number, got a string`},
		{`{"version": 1, "version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`version: duplicate field "version"`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 2.5}, "groups": [], "members": []}`,
			`organization.seats: expected a whole number, got 2.5`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1, "vat": ""}, "groups": [], "members": []}`,
			`organization.vat: unknown field "vat" (expected name, slug, products, seats)`},
		{`{"version": 1, "organization": {"name": " A Co", "slug": "admin", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`organization.name: " A Co" has leading or trailing spaces`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "admin", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`organization.slug: "admin" is not a valid subdomain: “admin” is reserved. Choose another subdomain.`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "ab", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`organization.slug: "ab" is not a valid subdomain: Use at least 3 characters.`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "-abc", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`organization.slug: "-abc" is not a valid subdomain: A subdomain cannot start or end with a hyphen.`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": []}`,
			`members: required (use [] for none)`},
		{`{"organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [], "members": []}`,
			`version: required: this Gatehouse reads versions 1 and 2`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [{"name": "G"}], "members": []}`,
			`groups[0].permissions: required (use {} for none)`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [{"name": "G", "permissions": null}], "members": []}`,
			`groups[0].permissions: expected an object of modules, got null`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [],
		  "members": [{"email": "a@b.co", "role": "owner", "groups": ["X", "x"]}]}`,
			`members[0].groups[1]: group "x" is listed twice (also at index 0)`},
		{`{"version": 1, "organization": {"name": "A Co", "slug": "aco", "products": [], "seats": 1}, "groups": [],
		  "members": [{"email": "a@b.co", "role": "owner", "nickname": "A"}]}`,
			`members[0].nickname: unknown field "nickname" (expected email, name, role, status, groups, teams, custom, group_expires, custom_expires, role_until)`},
	}
	for _, c := range cases {
		_, errs := orgio.Parse([]byte(c.doc))
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		if !slices.Contains(got, c.want) {
			t.Errorf("%s\n  problems %q\n  want %q", c.doc, got, c.want)
		}
	}
}

const newOrgDoc = `{
  "version": 1,
  "organization": {"name": "Newco Ltd", "slug": "newco", "products": ["crm"], "seats": 5},
  "groups": [
    {"name": "Night shift", "description": "", "permissions": {
      "customers": {"actions": ["view", "edit"], "flags": {"canAccessAll": false}},
      "chats": {"actions": ["create"], "flags": {"canAssignToOthers": true}}}},
    {"name": "Sales Team", "description": "Our own sales team.", "predefined": true, "permissions": {
      "customers": {"actions": ["view"]}}}
  ],
  "members": [
    {"email": "Bob@Newco.test", "name": "Bob Stone", "role": "agent", "status": "active", "groups": ["Night shift", "sales team"], "custom": null},
    {"email": "boss@newco.test", "name": "Bea Boss", "role": "owner"}
  ]
}`

// A new organization gets its predefined groups; file groups update them;
// unknown emails become accounts without a password; none of them becomes
// instance admin by being first (the setup link or "gatehouse admin" does).
func TestImportCreatesOrganization(t *testing.T) {
	db := openDB(t)
	dry := mustImport(t, db, newOrgDoc, orgio.Options{DryRun: true})
	if n, _ := db.CountUsers(ctx); n != 0 {
		t.Fatal("dry run created users")
	}
	if _, err := db.OrgBySlug(ctx, "newco"); err == nil {
		t.Fatal("dry run created the organization")
	}
	res := mustImport(t, db, newOrgDoc, orgio.Options{})
	if !slices.Equal(dry.Changes, res.Changes) || !res.Created || dry.Created != res.Created {
		t.Errorf("dry run %q\nreal %q", dry.Changes, res.Changes)
	}
	wantChanges := []string{
		`create organization newco "Newco Ltd" (products: crm; seats: 5)`,
		`create group Night shift`,
		`create group Sales Team (predefined)`,
		`create group Admin (predefined, default permissions: not in the file)`,
		`create group User (predefined, default permissions: not in the file)`,
		`create group Guest (predefined, default permissions: not in the file)`,
		`create user boss@newco.test "Bea Boss" (no password yet)`,
		`add member boss@newco.test as owner`,
		`create user bob@newco.test "Bob Stone" (no password yet)`,
		`add member bob@newco.test as agent, groups: Night shift, Sales Team`,
	}
	if !slices.Equal(res.Changes, wantChanges) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(res.Changes, "\n"), strings.Join(wantChanges, "\n"))
	}
	if !slices.Contains(res.Notes, `groups[0].permissions: "view" added to chats (other actions need it)`) {
		t.Errorf("notes %q", res.Notes)
	}

	c, err := orgio.Export(ctx, db, "newco")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]orgio.Group{}
	var names []string
	for _, g := range c.Groups {
		byName[g.Name] = g
		names = append(names, g.Name)
	}
	if !slices.Equal(names, []string{"Admin", "User", "Guest", "Sales Team", "Night shift"}) {
		t.Errorf("groups %q", names)
	}
	if g := byName["Sales Team"]; !g.Predefined || g.Description != "Our own sales team." || g.Permissions.String() != "customers_view" {
		t.Errorf("Sales Team = %+v", g)
	}
	if g := byName["Night shift"]; g.Predefined || g.Permissions.String() != "customers_view customers_edit chats_view chats_create +chats.canAssignToOthers" {
		t.Errorf("Night shift = %+v (%s)", g, g.Permissions)
	}
	boss, err := db.UserByEmail(ctx, "boss@newco.test")
	if err != nil || boss.PasswordHash != "" || boss.IsInstanceAdmin || boss.Name != "Bea Boss" {
		t.Errorf("owner account %+v, %v", boss, err)
	}
	bob, err := db.UserByEmail(ctx, "bob@newco.test")
	if err != nil || bob.PasswordHash != "" || bob.IsInstanceAdmin {
		t.Errorf("bob %+v, %v", bob, err)
	}
	rep, err := orgio.Access(ctx, db, "newco", "BOB@newco.test")
	if err != nil || rep.Layer != access.LayerGroups || !slices.Equal(rep.Permissions["customers_view"], []string{"group:Night shift", "group:Sales Team"}) {
		t.Errorf("bob's access %+v, %v", rep, err)
	}
	// The import is audited inside its transaction.
	org, _ := db.OrgBySlug(ctx, "newco")
	log, err := db.AuditLog(ctx, org.ID, store.AuditFilter{})
	if err != nil || len(log) != len(wantChanges) {
		t.Fatalf("audit entries %d, want %d (%v)", len(log), len(wantChanges), err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
		if e.ActorEmail != "gatehouse import" {
			t.Errorf("audit actor %q", e.ActorEmail)
		}
	}
	slices.Reverse(actions)
	if !slices.Equal(actions, []string{"org.create", "group.create", "group.create", "group.create", "group.create", "group.create",
		"user.create", "member.add", "user.create", "member.add"}) {
		t.Errorf("audit actions %q", actions)
	}
}

// The file is the whole truth: members and custom groups missing from it go
// (the accounts stay); predefined groups stay; changes are listed per field.
func TestImportUpdatesAndRemoves(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OrgSlug)
	// agent → sales, suspended; agent2 back to inherited; Night shift gone;
	// manager missing from the file; a predefined group missing too.
	doc = replace(t, doc, "\"email\": \"agent@acme.test\",\n      \"name\": \"Alex Morgan\",\n      \"role\": \"agent\",\n      \"status\": \"active\",\n      \"groups\": [\"Support Agents\", \"Night shift\"],",
		"\"email\": \"agent@acme.test\",\n      \"name\": \"Alex Morgan\",\n      \"role\": \"sales\",\n      \"status\": \"suspended\",\n      \"groups\": [\"Support Agents\", \"Guest\"],")
	doc = replace(t, doc, "\"groups\": [\"Sales Team\", \"Night shift\"]", "\"groups\": [\"Sales Team\"]")
	c, errs := orgio.Parse([]byte(doc))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c.Groups = slices.DeleteFunc(c.Groups, func(g orgio.Group) bool { return g.Name == demo.GroupNightShift || g.Name == "Medical Staff" })
	c.Members = slices.DeleteFunc(c.Members, func(m orgio.Member) bool { return m.Email == demo.ManagerEmail })
	for i := range c.Members {
		if c.Members[i].Email == demo.Agent2Email {
			c.Members[i].Custom = nil
		}
	}
	var b strings.Builder
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, db, b.String(), orgio.Options{})
	want := []string{
		"delete group Night shift (not in the file)",
		"update member agent2@acme.test: individual permissions {dashboard_view customers_view +customers.canAccessAll} → inherited",
		"update member agent@acme.test: role agent → sales",
		"update member agent@acme.test: status active → suspended",
		"update member agent@acme.test: groups Support Agents, Night shift → Support Agents, Guest",
		"remove member manager@acme.test (manager; not in the file; the account stays)",
	}
	if !slices.Equal(res.Changes, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(res.Changes, "\n"), strings.Join(want, "\n"))
	}
	org, _ := db.OrgBySlug(ctx, demo.OrgSlug)
	log, _ := db.AuditLog(ctx, org.ID, store.AuditFilter{Actor: "gatehouse import"})
	var entries []string
	for _, e := range log {
		entries = append(entries, e.Action+" "+e.Target+" "+e.Before+" → "+e.After)
	}
	slices.Reverse(entries)
	wantLog := []string{
		`group.delete group Night shift {"name":"Night shift","description":"Evening and weekend cover: conversations and the customers they serve.",` +
			`"permissions":{"dashboard":{"actions":["view"]},"customers":{"actions":["view","create","edit"],"flags":{"canAccessAll":false,"canAccessTeam":false}},` +
			`"chats":{"actions":["view","create","edit"],"flags":{"canAccessAll":false,"canAccessTeam":false,"canAssignToOthers":true}}}} → `,
		`member.custom agent2@acme.test {"custom":{"dashboard":{"actions":["view"]},"customers":{"actions":["view"],"flags":{"canAccessAll":true,"canAccessTeam":false}}}} → {"custom":null}`,
		`member.role agent@acme.test {"role":"agent"} → {"role":"sales"}`,
		`member.suspend agent@acme.test {"status":"active"} → {"status":"suspended"}`,
		`member.groups agent@acme.test {"groups":["Support Agents","Night shift"]} → {"groups":["Support Agents","Guest"]}`,
		`member.remove manager@acme.test {"role":"manager","status":"active"} → `,
	}
	if !slices.Equal(entries, wantLog) {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(entries, "\n"), strings.Join(wantLog, "\n"))
	}
	after, _ := orgio.Export(ctx, db, demo.OrgSlug)
	var groups []string
	for _, g := range after.Groups {
		groups = append(groups, g.Name)
	}
	if slices.Contains(groups, demo.GroupNightShift) || !slices.Contains(groups, "Medical Staff") {
		t.Errorf("groups after import %q", groups)
	}
	if _, err := db.UserByEmail(ctx, demo.ManagerEmail); err != nil {
		t.Errorf("removing a member deleted the account: %v", err)
	}
	if _, err := orgio.Access(ctx, db, demo.OrgSlug, demo.ManagerEmail); err == nil || !strings.Contains(err.Error(), "is not a member") {
		t.Errorf("manager still a member: %v", err)
	}
	// Sales lost Night shift: its customers view now comes from Sales Team alone.
	rep, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.SalesEmail)
	if !slices.Equal(rep.Groups, []string{"Sales Team"}) || rep.Permissions["chats_view"] != nil {
		t.Errorf("sales after import: groups %q, chats_view %q", rep.Groups, rep.Permissions["chats_view"])
	}
}

func TestImportKeepsAnActiveOwner(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OrgSlug)

	// Demoting the only owner: refused.
	demoted := replace(t, doc, "\"email\": \"owner@acme.test\",\n      \"name\": \"Olivia Bennett\",\n      \"role\": \"owner\"",
		"\"email\": \"owner@acme.test\",\n      \"name\": \"Olivia Bennett\",\n      \"role\": \"admin\"")
	before := counts(t, db)
	got := importProblems(t, db, demoted, orgio.Options{})
	if !slices.Equal(got, []string{`members: the organization needs at least one active owner (a member with "role": "owner" and "status": "active")`}) {
		t.Errorf("problems %q", got)
	}
	sameCounts(t, before, counts(t, db))

	// Leaving the only owner out of the file: they stay, and the import says so.
	c, _ := orgio.Parse([]byte(doc))
	c.Members = slices.DeleteFunc(c.Members, func(m orgio.Member) bool { return m.Email == demo.OwnerEmail })
	var b strings.Builder
	c.Encode(&b)
	res := mustImport(t, db, b.String(), orgio.Options{})
	if len(res.Changes) != 0 || !slices.Contains(res.Notes, "owner@acme.test stays owner although the file omits them: the organization's last active owner is never removed") {
		t.Errorf("changes %q notes %q", res.Changes, res.Notes)
	}
	if rep, err := orgio.Access(ctx, db, demo.OrgSlug, demo.OwnerEmail); err != nil || rep.Layer != access.LayerOwner {
		t.Errorf("owner after import: %+v %v", rep, err)
	}

	// Suspending the only owner: refused too.
	suspended := replace(t, doc, "\"email\": \"owner@acme.test\",\n      \"name\": \"Olivia Bennett\",\n      \"role\": \"owner\",\n      \"status\": \"active\"",
		"\"email\": \"owner@acme.test\",\n      \"name\": \"Olivia Bennett\",\n      \"role\": \"owner\",\n      \"status\": \"suspended\"")
	got = importProblems(t, db, suspended, orgio.Options{DryRun: true})
	if !slices.Equal(got, []string{`members: the organization needs at least one active owner (a member with "role": "owner" and "status": "active")`}) {
		t.Errorf("problems %q", got)
	}
	sameCounts(t, before, counts(t, db))
}

// The format's own example (ARCHITECTURE.md, Contracts) has no owner: it creates the
// organization, and says that it has none.
func TestImportDesignExample(t *testing.T) {
	const example = `{
  "version": 1,
  "organization": {"name": "Acme Ltd", "slug": "acme", "products": ["crm", "inbox"], "seats": 25},
  "groups": [
    {"name": "Night shift", "description": "", "permissions": {
      "customers": {"actions": ["view", "edit"], "flags": {"canAccessAll": false}},
      "chats": {"actions": ["view", "create"], "flags": {"canAssignToOthers": true}}}}
  ],
  "members": [
    {"email": "bob@example.com", "name": "Bob Stone", "role": "agent", "status": "active",
     "groups": ["Night shift"], "custom": null}
  ]
}`
	db := openDB(t)
	res := mustImport(t, db, example, orgio.Options{})
	if !res.Created || !slices.Contains(res.Notes, "acme has no active owner: only an import naming one can give it an owner") {
		t.Errorf("%+v", res)
	}
	rep, err := orgio.Access(ctx, db, "acme", "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Layer != access.LayerGroups || !slices.Equal(rep.Permissions["customers_edit"], []string{"group:Night shift"}) ||
		!rep.Flags["chats.canAssignToOthers"] || rep.Flags["customers.canAccessAll"] {
		t.Errorf("bob: %+v", rep)
	}
	// Exported, it reads back the same way, and re-importing changes nothing.
	first := export(t, db, "acme")
	if !strings.Contains(first, "\"customers\": {\n          \"actions\": [\"view\", \"edit\"],\n          \"flags\": {\"canAccessAll\": false, \"canAccessTeam\": false}\n        },") {
		t.Errorf("export:\n%s", first)
	}
	if res := mustImport(t, db, first, orgio.Options{}); len(res.Changes) != 0 {
		t.Errorf("re-import changed %q", res.Changes)
	}
}

// Problems that need the database: another organization's name, seats,
// a group the import would delete, predefined claims.
func TestImportProblemsAgainstTheDatabase(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OtherOrgSlug)
	cases := []struct {
		name, old, new, want string
	}{
		{"name of another org", `"name": "Globex"`, `"name": "ACME  health"`,
			`organization.name: "ACME  health" is already the name of organization "acme" (names are compared ignoring case, accents and spaces)`},
		{"seats", `"seats": 10`, `"seats": 1`, `organization.seats: 1 seats, but 2 members would be active; raise seats or suspend members`},
		{"predefined claim", `"name": "Guest",`, `"name": "Guests",`,
			`groups[2].predefined: "Guests" is not a predefined group (predefined groups: Admin, User, Guest, Sales Team, Support Agents, Finance Team, Medical Staff); remove "predefined" to create it as a custom group`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := counts(t, db)
			got := importProblems(t, db, replace(t, doc, c.old, c.new), orgio.Options{})
			if !slices.Equal(got, []string{c.want}) {
				t.Errorf("problems %q\nwant %q", got, c.want)
			}
			sameCounts(t, before, counts(t, db))
		})
	}
	// A member in an org's custom group that the file leaves out.
	acme := export(t, db, demo.OrgSlug)
	c, _ := orgio.Parse([]byte(acme))
	c.Groups = slices.DeleteFunc(c.Groups, func(g orgio.Group) bool { return g.Name == demo.GroupNightShift })
	var b strings.Builder
	c.Encode(&b)
	got := importProblems(t, db, b.String(), orgio.Options{})
	want := []string{
		`members[2].groups[1]: group "Night shift" is not in "groups", so the import deletes it; add it to "groups" to keep it`,
		`members[9].groups[1]: group "Night shift" is not in "groups", so the import deletes it; add it to "groups" to keep it`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q", got)
	}
	// Claiming a custom group is predefined.
	claim := replace(t, acme, "\"name\": \"Night shift\",\n      \"description\"", "\"name\": \"Night shift\",\n      \"predefined\": true,\n      \"description\"")
	got = importProblems(t, db, claim, orgio.Options{})
	if !slices.Equal(got, []string{`groups[7].predefined: "Night shift" is a custom group in this organization, not a predefined one; remove "predefined"`}) {
		t.Errorf("problems %q", got)
	}
}

// A dry run lists exactly the changes a real import then makes, and writes nothing.
func TestImportDryRunWritesNothing(t *testing.T) {
	db := demoDB(t)
	doc := export(t, db, demo.OrgSlug)
	changed := replace(t, doc, `"seats": 25`, `"seats": 30`)
	changed = replace(t, changed, "\"role\": \"agent_limited\"", "\"role\": \"agent\"")
	before, beforeCounts := export(t, db, demo.OrgSlug), counts(t, db)
	dry := mustImport(t, db, changed, orgio.Options{DryRun: true})
	want := []string{"update organization acme: seats 25 → 30", "update member agent_limited@acme.test: role agent_limited → agent"}
	if !dry.DryRun || !slices.Equal(dry.Changes, want) {
		t.Fatalf("dry run changes %q", dry.Changes)
	}
	if export(t, db, demo.OrgSlug) != before {
		t.Fatal("dry run changed the organization")
	}
	sameCounts(t, beforeCounts, counts(t, db))
	real := mustImport(t, db, changed, orgio.Options{})
	if real.DryRun || !slices.Equal(real.Changes, want) {
		t.Fatalf("real changes %q", real.Changes)
	}
	if export(t, db, demo.OrgSlug) != changed {
		t.Fatal("export after import is not the imported file")
	}
}

func TestImportDryRunWithoutDatabase(t *testing.T) {
	res, err := orgio.Import(ctx, nil, []byte(newOrgDoc), orgio.Options{DryRun: true})
	if err != nil || !res.Created || len(res.Changes) != 10 {
		t.Fatalf("%+v %v", res, err)
	}
}
