package orgio_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
)

// doc is an access configuration as plain JSON values, for editing.
type doc map[string]any

func parseDoc(t *testing.T, s string) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d doc) String() string {
	var b strings.Builder
	if err := orgio.WriteJSON(&b, map[string]any(d)); err != nil {
		panic(err)
	}
	return b.String()
}

func (d doc) members() []any { return d["members"].([]any) }
func (d doc) teams() []any   { return d["teams"].([]any) }

// member is the member with email, and its index.
func (d doc) member(t *testing.T, email string) (map[string]any, int) {
	t.Helper()
	for i, m := range d.members() {
		if mm := m.(map[string]any); mm["email"] == email {
			return mm, i
		}
	}
	t.Fatalf("no member %s", email)
	return nil, 0
}

func teamNames(t *testing.T, db *store.Store, slug, email string) []string {
	t.Helper()
	rep, err := orgio.Access(ctx, db, slug, email)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Teams
}

// Version 2 exports carry the teams (by name, leads by email) and each
// member's teams (by name), and round-trip byte for byte (the round-trip
// test runs over the demo, which has teams).
func TestExportVersion2Teams(t *testing.T) {
	db := demoDB(t)
	out := export(t, db, demo.OrgSlug)
	for _, want := range []string{
		"{\n  \"version\": 2,\n",
		"  \"teams\": [\n    {\n      \"name\": \"Americas\",\n      \"description\": \"Customers in North and South America.\",\n      \"leads\": []\n    },\n" +
			"    {\n      \"name\": \"EMEA\",\n      \"description\": \"Customers in Europe, the Middle East and Africa.\",\n      \"leads\": [\"supervisor@acme.test\"]\n    }\n  ],\n",
		"\"groups\": [\"Support Agents\", \"Night shift\"],\n      \"teams\": [\"EMEA\"],\n      \"custom\": null,\n      \"group_expires\": {},\n      \"custom_expires\": null,\n      \"role_until\": null\n",
		"\"email\": \"owner@acme.test\",\n      \"name\": \"Olivia Bennett\",\n      \"role\": \"owner\",\n      \"status\": \"active\",\n      \"groups\": [],\n      \"teams\": [],\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q\n%s", want, out)
		}
	}
	if g := export(t, db, demo.OtherOrgSlug); !strings.Contains(g, "\"teams\": [],\n  \"channels\"") {
		t.Errorf("an organization without teams exports \"teams\": []:\n%s", g)
	}
}

// A version 1 file still imports, and leaves the teams and every member's
// teams as they are; version 1 files cannot state teams.
func TestImportVersion1LeavesTeamsAlone(t *testing.T) {
	db := demoDB(t)
	v2 := export(t, db, demo.OrgSlug)
	d := parseDoc(t, v2)
	d["version"] = 1
	delete(d, "teams")
	delete(d, "channels") // version 2's too
	for _, m := range d.members() {
		delete(m.(map[string]any), "teams")
	}
	res := mustImport(t, db, d.String(), orgio.Options{})
	if len(res.Changes) != 0 {
		t.Errorf("a version 1 re-import changed %q", res.Changes)
	}
	// A change of a version 1 file applies, teams untouched.
	agent, _ := d.member(t, demo.AgentEmail)
	agent["groups"] = []any{"Support Agents"}
	res = mustImport(t, db, d.String(), orgio.Options{})
	if !slices.Equal(res.Changes, []string{"update member agent@acme.test: groups Support Agents, Night shift → Support Agents"}) {
		t.Errorf("changes %q", res.Changes)
	}
	if got := teamNames(t, db, demo.OrgSlug, demo.AgentEmail); !slices.Equal(got, []string{"EMEA"}) {
		t.Errorf("agent's teams after a version 1 import: %v", got)
	}
	after := parseDoc(t, export(t, db, demo.OrgSlug))
	if fmt.Sprint(after["teams"]) != fmt.Sprint(parseDoc(t, v2)["teams"]) {
		t.Errorf("teams changed:\n%v\n%v", after["teams"], parseDoc(t, v2)["teams"])
	}

	d["teams"] = []any{}
	agent["teams"] = []any{}
	before := counts(t, db)
	lines := importProblems(t, db, d.String(), orgio.Options{})
	_, i := d.member(t, demo.AgentEmail)
	for _, want := range []string{
		`teams: version 1 files have no teams: write "version": 2`,
		fmt.Sprintf(`members[%d].teams: version 1 files have no teams: write "version": 2`, i),
	} {
		if !contains(lines, want) {
			t.Errorf("problems lack %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	sameCounts(t, before, counts(t, db))
}

// Every problem of a version 2 file's teams is named by its JSON path, and
// nothing is written: a team a member names that "teams" lacks, a lead who
// is not a member of the team, duplicates, missing required fields.
func TestImportTeamProblems(t *testing.T) {
	db := demoDB(t)
	base := export(t, db, demo.OrgSlug)
	d := parseDoc(t, base)
	sup, _ := d.member(t, demo.SupervisorEmail)
	_, ai := d.member(t, demo.AgentEmail)
	agent := d.members()[ai].(map[string]any)
	agent["teams"] = []any{"EMEA", "Nowhere", "emea"}
	sup["teams"] = []any{} // the EMEA lead leaves the team
	teams := d.teams()
	teams[0].(map[string]any)["leads"] = []any{"ghost@acme.test", "sales@acme.test", "SALES@acme.test"} // Americas
	d["teams"] = append(teams, map[string]any{"name": " e m e a ", "description": "", "leads": []any{}},
		map[string]any{"description": "no name"})
	_, ownerI := d.member(t, demo.OwnerEmail)
	delete(d.members()[ownerI].(map[string]any), "teams")
	before := counts(t, db)
	lines := importProblems(t, db, d.String(), orgio.Options{})
	for _, want := range []string{
		fmt.Sprintf(`members[%d].teams[1]: unknown team "Nowhere": define it in "teams"`, ai),
		fmt.Sprintf(`members[%d].teams[2]: team "emea" is listed twice (also at index 0)`, ai),
		fmt.Sprintf(`members[%d].teams: required in version 2 (use [] for none)`, ownerI),
		`teams[0].leads[0]: ghost@acme.test is not a member of the team: a lead must be one (add "Americas" to their "teams")`,
		`teams[0].leads[2]: lead "SALES@acme.test" is listed twice (also at index 1)`,
		`teams[1].leads[0]: supervisor@acme.test is not a member of the team: a lead must be one (add "EMEA" to their "teams")`,
		`teams[2].name: " e m e a " has leading or trailing spaces`,
		`teams[3].name: required`,
	} {
		if !contains(lines, want) {
			t.Errorf("problems lack %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if contains(lines, `teams[0].leads[1]: sales@acme.test is not a member of the team: a lead must be one (add "Americas" to their "teams")`) {
		t.Error("sales is in Americas: a valid lead was refused")
	}
	sameCounts(t, before, counts(t, db))

	d = parseDoc(t, base)
	delete(d, "teams")
	lines = importProblems(t, db, d.String(), orgio.Options{})
	if !contains(lines, `teams: required in version 2 (use [] for none)`) {
		t.Errorf("missing teams: %q", lines)
	}
	d["version"] = 3
	d["teams"] = []any{}
	if lines = importProblems(t, db, d.String(), orgio.Options{}); !contains(lines, `version: unsupported version 3 (this Gatehouse reads versions 1 and 2)`) {
		t.Errorf("version 3: %q", lines)
	}
	sameCounts(t, before, counts(t, db))
}

// A version 2 file is the whole truth about teams: a new team is created
// with its members and leads, a description changes, a team the file omits
// is deleted (its customers keep no team), a lead mark moves; every change
// is audited; a dry run writes nothing; a second import changes nothing.
func TestImportVersion2ChangesTeams(t *testing.T) {
	db := demoDB(t)
	d := parseDoc(t, export(t, db, demo.OrgSlug))
	d["teams"] = []any{
		map[string]any{"name": "APAC", "description": "Asia and the Pacific", "leads": []any{demo.AgentEmail}},
		map[string]any{"name": "EMEA", "description": "Europe and around", "leads": []any{}},
	}
	agent, _ := d.member(t, demo.AgentEmail)
	agent["teams"] = []any{"APAC", "EMEA"}
	sales, _ := d.member(t, demo.SalesEmail)
	sales["teams"] = []any{}
	priya, _ := d.member(t, demo.Agent2Email)
	priya["teams"] = []any{}
	for _, ch := range d["channels"].([]any) { // a channel may only name the file's teams
		if ch := ch.(map[string]any); ch["name"] == "SMS Americas" {
			ch["teams"] = []any{}
		}
	}
	want := []string{
		"create team APAC",
		`update team EMEA: description "Customers in Europe, the Middle East and…" → "Europe and around"`,
		"update channel SMS Americas: teams Americas → (none)",
		"update member agent@acme.test: teams EMEA → APAC (lead), EMEA",
		"update member supervisor@acme.test: teams EMEA (lead) → EMEA",
		"delete team Americas (not in the file; records it owns keep no team)",
	}
	importAsPlanned(t, db, d.String(), "ops@acme.test", want)
	if got := teamNames(t, db, demo.OrgSlug, demo.AgentEmail); !slices.Equal(got, []string{"APAC", "EMEA"}) {
		t.Errorf("agent's teams %v", got)
	}
	org, _ := db.OrgBySlug(ctx, demo.OrgSlug)
	teams, _, err := db.Teams(ctx, org.ID, store.TeamQuery{})
	if err != nil || len(teams) != 2 || teams[0].Name != "APAC" || teams[1].Description != "Europe and around" {
		t.Errorf("teams %+v %v", teams, err)
	}
	ms, _, _ := db.TeamMembers(ctx, org.ID, teams[0].ID, store.TeamMemberQuery{})
	if len(ms) != 1 || ms[0].Email != demo.AgentEmail || !ms[0].Lead {
		t.Errorf("APAC members %+v", ms)
	}
	log, _ := db.AuditLog(ctx, org.ID, store.AuditFilter{Action: "team."})
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Target)
		if e.ActorEmail != "ops@acme.test" {
			t.Errorf("%s by %q", e.Action, e.ActorEmail)
		}
	}
	if !slices.Contains(actions, "team.create team APAC") || !slices.Contains(actions, "team.delete team Americas") ||
		!slices.Contains(actions, "team.describe team EMEA") {
		t.Errorf("audit %q", actions)
	}
	if again := mustImport(t, db, d.String(), orgio.Options{}); len(again.Changes) != 0 {
		t.Errorf("second import changed %q", again.Changes)
	}
	all := store.CustomersIn(org.ID, 3, 0)
	owned := 0
	if err := db.EachCustomer(ctx, all, "", func(c store.Customer) error {
		if c.TeamName == "Americas" {
			t.Errorf("%s still owned by the deleted team", c.Name)
		}
		if c.TeamID != 0 {
			owned++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if owned != len(demo.CustomersOfTeam(demo.TeamEMEA)) {
		t.Errorf("%d customers owned by a team, want EMEA's %d", owned, len(demo.CustomersOfTeam(demo.TeamEMEA)))
	}
}

// The access report states each accessible scoped module's scope, what
// grants it and the member's teams (by name); a suspended member has
// {} {} [].
func TestAccessReportScopesAndTeams(t *testing.T) {
	db := demoDB(t)
	sup, err := orgio.Access(ctx, db, demo.OrgSlug, demo.SupervisorEmail)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sup.Scopes) != "map[chats:team crm:team customers:team]" ||
		fmt.Sprint(sup.ScopeSources) != "map[chats:[role:supervisor] crm:[role:supervisor] customers:[role:supervisor]]" ||
		!slices.Equal(sup.Teams, []string{"EMEA"}) {
		t.Errorf("supervisor: %v %v %v", sup.Scopes, sup.ScopeSources, sup.Teams)
	}
	b, err := json.Marshal(sup)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"scopes":{"customers":"team","crm":"team","chats":"team"}`,
		`"scope_sources":{"customers":["role:supervisor"],"crm":["role:supervisor"],"chats":["role:supervisor"]}`,
		`"teams":["EMEA"]`, `"customers.canAccessTeam":true`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("supervisor's JSON lacks %s:\n%s", want, b)
		}
	}
	agent, err := orgio.Access(ctx, db, demo.OrgSlug, demo.AgentEmail)
	if err != nil {
		t.Fatal(err)
	}
	if agent.Scopes["customers"] != "own" || agent.ScopeSources["customers"] == nil || len(agent.ScopeSources["customers"]) != 0 {
		t.Errorf("agent: %v %#v", agent.Scopes, agent.ScopeSources)
	}
	priya, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.Agent2Email)
	if priya.Scopes["customers"] != "all" || !slices.Equal(priya.ScopeSources["customers"], []string{"custom"}) {
		t.Errorf("agent2: %v %v", priya.Scopes, priya.ScopeSources)
	}
	if _, ok := priya.Scopes["chats"]; ok {
		t.Errorf("agent2 has no chats: %v", priya.Scopes)
	}
	sus, err := orgio.Access(ctx, db, demo.OrgSlug, demo.SuspendedEmail)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(sus)
	for _, want := range []string{`"scopes":{}`, `"scope_sources":{}`, `"teams":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("suspended JSON lacks %s:\n%s", want, b)
		}
	}
	owner, _ := orgio.Access(ctx, db, demo.OrgSlug, demo.OwnerEmail)
	if owner.Scopes["customers"] != "all" || !slices.Equal(owner.ScopeSources["customers"], []string{"owner"}) || owner.Teams == nil || len(owner.Teams) != 0 {
		t.Errorf("owner: %v %v %#v", owner.Scopes, owner.ScopeSources, owner.Teams)
	}
}
