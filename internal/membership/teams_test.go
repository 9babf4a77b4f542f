package membership_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

func (w *world) teamRows() string {
	w.t.Helper()
	return testkit.Rows(w.t, w.db,
		`SELECT id || ':' || org_id || ':' || name || ':' || description FROM teams ORDER BY id`,
		`SELECT team_id || ':' || membership_id || ':' || is_lead FROM team_members ORDER BY 1`,
		`SELECT id || ':' || COALESCE(team_id, '-') FROM customers ORDER BY id`,
		`SELECT COUNT(*) FROM audit_log`)
}

func (w *world) audit(action string) []store.AuditEntry {
	w.t.Helper()
	log, err := w.db.AuditLog(w.ctx, w.org.ID, store.AuditFilter{Action: action})
	if err != nil {
		w.t.Fatal(err)
	}
	return log
}

func code(err error) domain.Code {
	if e := domain.AsError(err); e != nil {
		return e.Code
	}
	return ""
}

// Team changes need the service_teams action (create, edit, delete) of the
// actor as the transaction reads them; refusals write nothing; every change
// is audited with before → after; another organization's team is not found.
func TestTeamServiceGuardsAndAudits(t *testing.T) {
	w := newWorld(t)
	agent, manager, admin := w.as(w.agent), w.as(w.manager), w.as(w.admin)

	before := w.teamRows()
	if _, err := w.svc.CreateTeam(w.ctx, agent, "EMEA", ""); code(err) != domain.CodeForbidden ||
		!strings.Contains(err.Error(), "service_teams_create") {
		t.Errorf("agent creates a team: %v", err)
	}
	if w.teamRows() != before {
		t.Error("a refused create wrote something")
	}
	emea, err := w.svc.CreateTeam(w.ctx, manager, "EMEA", "Europe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateTeam(w.ctx, manager, "emea", ""); code(err) != domain.CodeConflict || domain.AsError(err).Field != "name" {
		t.Errorf("taken name: %v", err)
	}
	if _, err := w.svc.CreateTeam(w.ctx, manager, "  ", ""); code(err) != domain.CodeInvalid || domain.AsError(err).Field != "name" {
		t.Errorf("empty name: %v", err)
	}
	if e := w.audit("team.create"); len(e) != 1 || e[0].Target != "team EMEA" || e[0].After != `{"name":"EMEA","description":"Europe"}` ||
		e[0].ActorEmail != w.manager.Email || e[0].IP != "192.0.2.7" {
		t.Errorf("create audit %+v", e)
	}

	changed, err := w.svc.UpdateTeam(w.ctx, manager, emea, "Europe", "Europe, Middle East, Africa")
	if err != nil || !changed {
		t.Fatalf("update: %v %v", changed, err)
	}
	if e := w.audit("team.rename"); len(e) != 1 || e[0].Before != `{"name":"EMEA"}` || e[0].After != `{"name":"Europe"}` {
		t.Errorf("rename audit %+v", e)
	}
	if e := w.audit("team.describe"); len(e) != 1 || e[0].Before != `{"description":"Europe"}` ||
		e[0].After != `{"description":"Europe, Middle East, Africa"}` || e[0].Target != "team Europe" {
		t.Errorf("describe audit %+v", e)
	}
	if changed, err := w.svc.UpdateTeam(w.ctx, manager, emea, "Europe", "Europe, Middle East, Africa"); err != nil || changed {
		t.Errorf("an unchanged save: %v %v", changed, err)
	}

	before = w.teamRows()
	if err := w.svc.AddTeamMember(w.ctx, agent, emea, w.mAgent.ID); code(err) != domain.CodeForbidden {
		t.Errorf("agent adds to a team: %v", err)
	}
	if err := w.svc.SetTeamLead(w.ctx, manager, emea, w.mAgent.ID, true); code(err) != domain.CodeInvalid {
		t.Errorf("a lead who is not a member: %v", err)
	}
	if w.teamRows() != before {
		t.Error("a refused change wrote something")
	}
	if err := w.svc.AddTeamMember(w.ctx, manager, emea, w.mAgent.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.AddTeamMember(w.ctx, manager, emea, w.mAgent.ID); err != nil {
		t.Fatal(err)
	}
	if e := w.audit("team.member.add"); len(e) != 1 || e[0].After != `{"member":"agent@example.com"}` {
		t.Errorf("member audit (added twice, recorded once) %+v", e)
	}
	if err := w.svc.SetTeamLead(w.ctx, manager, emea, w.mAgent.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SetTeamLead(w.ctx, manager, emea, w.mAgent.ID, true); err != nil {
		t.Fatal(err)
	}
	if e := w.audit("team.lead.set"); len(e) != 1 || e[0].Before != `{"lead":false,"member":"agent@example.com"}` ||
		e[0].After != `{"lead":true,"member":"agent@example.com"}` {
		t.Errorf("lead audit %+v", e)
	}
	if err := w.svc.SetTeamLead(w.ctx, manager, emea, w.mAgent.ID, false); err != nil {
		t.Fatal(err)
	}
	if e := w.audit("team.lead.unset"); len(e) != 1 {
		t.Errorf("unlead audit %+v", e)
	}
	if err := w.svc.RemoveTeamMember(w.ctx, manager, emea, w.mAgent.ID); err != nil {
		t.Fatal(err)
	}
	if e := w.audit("team.member.remove"); len(e) != 1 || e[0].Before != `{"member":"agent@example.com"}` || e[0].After != "" {
		t.Errorf("remove audit %+v", e)
	}

	// Another organization's team and member.
	other := w.user("other@example.com", "Otto Other")
	var otherTeam int64
	var otherMember domain.Membership
	w.tx(func(tx *store.Tx) error {
		org, err := tx.CreateOrg(w.ctx, store.NewOrg{Name: "Globex", NameKey: names.FoldOrgName("Globex"), Slug: "globex", Seats: 5})
		if err != nil {
			return err
		}
		if otherMember, err = tx.AddMember(w.ctx, org.ID, other.ID, "agent", domain.StatusActive, nil); err != nil {
			return err
		}
		otherTeam, err = tx.CreateTeam(w.ctx, org.ID, "Globex team", "")
		return err
	})
	before = w.teamRows()
	for name, err := range map[string]error{
		"update":      func() error { _, err := w.svc.UpdateTeam(w.ctx, admin, otherTeam, "Mine", ""); return err }(),
		"delete":      w.svc.DeleteTeam(w.ctx, admin, otherTeam, 0),
		"delete into": w.svc.DeleteTeam(w.ctx, admin, emea, otherTeam),
		"add":         w.svc.AddTeamMember(w.ctx, admin, otherTeam, w.mAgent.ID),
		"add foreign": w.svc.AddTeamMember(w.ctx, admin, emea, otherMember.ID),
		"lead":        w.svc.SetTeamLead(w.ctx, admin, otherTeam, otherMember.ID, true),
	} {
		if code(err) != domain.CodeNotFound {
			t.Errorf("%s: %v, want not_found", name, err)
		}
	}
	if w.teamRows() != before {
		t.Error("a refused change wrote something")
	}

	// Delete needs service_teams_delete (the manager's template has none).
	amer, err := w.svc.CreateTeam(w.ctx, admin, "Americas", "")
	if err != nil {
		t.Fatal(err)
	}
	w.tx(func(tx *store.Tx) error {
		_, err := tx.CreateCustomer(w.ctx, store.Customer{OrgID: w.org.ID, Name: "Owned", TeamID: emea})
		return err
	})
	if err := w.svc.DeleteTeam(w.ctx, manager, emea, amer); code(err) != domain.CodeForbidden {
		t.Errorf("manager deletes: %v", err)
	}
	if err := w.svc.DeleteTeam(w.ctx, admin, emea, amer); err != nil {
		t.Fatal(err)
	}
	if e := w.audit("team.delete"); len(e) != 1 || e[0].Before != `{"name":"Europe","description":"Europe, Middle East, Africa"}` ||
		e[0].After != `{"moved_to":"Americas","records_moved":1}` {
		t.Errorf("delete audit %+v", e)
	}
	if n, _ := w.db.TeamRecordCount(w.ctx, w.org.ID, amer); n != 1 {
		t.Errorf("Americas owns %d", n)
	}
}

// May an actor touch a supervisor (team scope on three modules)? One who
// sees all there holds team scope; one with own scope does not.
func TestMayTouchCountsAllScopeAsTeam(t *testing.T) {
	products := access.AllProducts()
	sup := access.Input{Role: access.RoleSupervisor, Products: products}
	base := access.RoleTemplate(access.RoleSupervisor)
	for _, f := range []access.FlagID{access.FlagCustomersCanAccessTeam, access.FlagCRMCanAccessTeam, access.FlagChatsCanAccessTeam} {
		base.SetFlag(f, false)
	}
	allScope := base
	for _, f := range []access.FlagID{access.FlagCustomersCanAccessAll, access.FlagCRMCanAccessAll, access.FlagChatsCanAccessAll} {
		allScope.SetFlag(f, true)
	}
	actor := func(s access.Set) access.Effective {
		return access.Resolve(access.Input{Role: access.RoleManager, Custom: &s, Products: products})
	}
	if tc := membership.MayTouch(actor(allScope), sup); !tc.OK() {
		t.Errorf("an actor who sees all may not touch a supervisor: missing %v", tc.Missing)
	}
	tc := membership.MayTouch(actor(base), sup)
	if tc.OK() || !tc.Missing.HasFlag(access.FlagCustomersCanAccessTeam) {
		t.Errorf("an actor with own scope may touch a supervisor: %+v", tc)
	}
}
