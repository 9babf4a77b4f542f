package membership_test

import (
	"errors"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// fixture is an organization (crm and inbox) with an owner, a manager and
// an agent on a real SQLite file, and one custom group.
type fixture struct {
	base
	org     domain.Org
	owner   domain.Membership
	manager domain.Membership
	agent   domain.Membership
	desk    domain.Membership // role agent, individual permissions: dashboard, chats view and every groups_ action
	night   int64             // custom group: dashboard_view, chats_view
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{base: newBase(t)}
	ctx := f.ctx
	user := func(email string) domain.User { return f.user(email, strings.Split(email, "@")[0]) }
	owner, manager, agent, desk := user("owner@acme.test"), user("manager@acme.test"), user("agent@acme.test"), user("desk@acme.test")
	products, _ := access.ParseProducts([]string{"crm", "inbox"})
	f.tx(func(tx *store.Tx) (err error) {
		if f.org, err = tx.CreateOrg(ctx, store.NewOrg{Name: "Acme", NameKey: names.FoldOrgName("Acme"), Slug: "acme", Products: products, Seats: 10}); err != nil {
			return err
		}
		if f.owner, err = tx.AddMember(ctx, f.org.ID, owner.ID, access.RoleOwner, domain.StatusActive, nil); err != nil {
			return err
		}
		if f.manager, err = tx.AddMember(ctx, f.org.ID, manager.ID, access.RoleManager, domain.StatusActive, nil); err != nil {
			return err
		}
		if f.agent, err = tx.AddMember(ctx, f.org.ID, agent.ID, access.RoleAgent, domain.StatusActive, nil); err != nil {
			return err
		}
		deskSet := testkit.Set(t, "dashboard_view", "chats_view", "groups_view", "groups_create", "groups_edit", "groups_delete")
		if f.desk, err = tx.AddMember(ctx, f.org.ID, desk.ID, access.RoleAgent, domain.StatusActive, &deskSet); err != nil {
			return err
		}
		f.night, err = tx.CreateGroup(ctx, f.org.ID, "Night shift", "Covers the night.", testkit.Set(t, "dashboard_view", "chats_view"), "")
		return err
	})
	return f
}

// actor acts as m (the service reads m's permissions itself).
func (f *fixture) actor(m domain.Membership) domain.Actor {
	return domain.Actor{Org: f.org, UserID: m.UserID, Email: "actor@acme.test", IP: "192.0.2.9"}
}

func (f *fixture) group(id int64) domain.Group {
	f.t.Helper()
	g, err := f.db.Group(f.ctx, f.org.ID, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

func (f *fixture) audits() int {
	f.t.Helper()
	es, err := f.db.AuditLog(f.ctx, f.org.ID, store.AuditFilter{Action: "group."})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(es)
}

func refusal(t *testing.T, err error, want domain.Code) *domain.Error {
	t.Helper()
	r := domain.AsError(err)
	if r == nil || r.Code != want {
		t.Fatalf("err = %v; want a refusal with code %s", err, want)
	}
	return r
}

func TestUpdateRefusesWhatTheActorDoesNotHold(t *testing.T) {
	f := newFixture(t)
	before := f.group(f.night)
	grid := testkit.Set(t, "dashboard_view", "chats_view", "billing_view")
	_, err := f.svc.UpdateGroup(f.ctx, f.actor(f.desk), f.night, "Night shift", "Covers the night.", grid)
	r := refusal(t, err, domain.CodeForbidden)
	if !r.Missing.Has(access.MustModule("billing"), access.View) || r.Missing.Has(access.MustModule("dashboard"), access.View) {
		t.Errorf("missing = %v; want billing_view only", r.Missing.Permissions())
	}
	if got := r.Text(func(s access.Set) string { return strings.Join(s.Permissions(), ", ") }); !strings.HasSuffix(got, "yourself: billing_view.") {
		t.Errorf("Text = %q", got)
	}
	if after := f.group(f.night); after.Set != before.Set || f.audits() != 0 {
		t.Errorf("a refused save changed the group (%v → %v) or audited (%d)", before.Set.Permissions(), after.Set.Permissions(), f.audits())
	}
	// The owner may grant it.
	if changed, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, "Night shift", "Covers the night.", grid); err != nil || !changed {
		t.Fatalf("owner's save: changed %v, %v", changed, err)
	}
	if f.group(f.night).Set != grid || f.audits() != 1 {
		t.Errorf("owner's save: set %v, %d audit entries", f.group(f.night).Set.Permissions(), f.audits())
	}
}

func TestUpdateKeepsGrantsOfProductsTheOrganizationLacks(t *testing.T) {
	f := newFixture(t)
	// A grant of a product the organization does not have (left from
	// before a product was dropped): the grid never shows it.
	inert := access.Set{}
	for _, m := range access.Modules() {
		if !f.org.Products.Has(m.Product) && m.Offers(access.View) {
			inert.Grant(m.ID, access.View)
			break
		}
	}
	if inert.IsEmpty() {
		t.Skip("every module's product is in the fixture's organization")
	}
	f.tx(func(tx *store.Tx) error {
		return tx.UpdateGroup(f.ctx, f.org.ID, f.night, "Night shift", "Covers the night.", f.group(f.night).Set.Union(inert))
	})
	shown := testkit.Set(t, "dashboard_view")
	if _, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, "Night shift", "Covers the night.", shown); err != nil {
		t.Fatal(err)
	}
	if got := f.group(f.night).Set; got != shown.Union(inert) {
		t.Errorf("set after save = %v; want %v", got.Permissions(), shown.Union(inert).Permissions())
	}
}

func TestUpdateNameTakenAndNothingChanged(t *testing.T) {
	f := newFixture(t)
	cur := f.group(f.night)
	changed, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, cur.Name, cur.Description, cur.Set)
	if err != nil || changed || f.audits() != 0 {
		t.Fatalf("same values: changed %v, %v, %d audit entries", changed, err, f.audits())
	}
	var other domain.Group
	gs, _ := f.db.Groups(f.ctx, f.org.ID)
	for _, g := range gs {
		if g.ID != f.night {
			other = g
			break
		}
	}
	_, err = f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, other.Name, cur.Description, cur.Set)
	if r := refusal(t, err, domain.CodeConflict); !strings.Contains(r.Message, other.Name) {
		t.Errorf("message %q does not name %q", r.Message, other.Name)
	}
	if _, err := f.svc.CreateGroup(f.ctx, f.actor(f.owner), cur.Name, "", access.Set{}); err == nil {
		t.Fatal("Create took a name in use")
	} else {
		refusal(t, err, domain.CodeConflict)
	}
	if f.group(f.night).Name != cur.Name || f.audits() != 0 {
		t.Error("a refused rename or create wrote something")
	}
	if _, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), 999_999, "X", "", access.Set{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown group: %v; want store.ErrNotFound", err)
	}
}

func TestPredefinedAndCustomGroupsRefuseWhatTheyCannotDo(t *testing.T) {
	f := newFixture(t)
	gs, _ := f.db.Groups(f.ctx, f.org.ID)
	var predefined domain.Group
	for _, g := range gs {
		if g.Predefined() {
			predefined = g
			break
		}
	}
	if predefined.ID == 0 {
		t.Fatal("the organization has no predefined group")
	}
	_, err := f.svc.DeleteGroup(f.ctx, f.actor(f.owner), predefined.ID)
	refusal(t, err, domain.CodeConflict)
	refusal(t, f.svc.ResetGroup(f.ctx, f.actor(f.owner), f.night), domain.CodeConflict)
	if f.audits() != 0 {
		t.Error("a refusal was audited")
	}
	if err := f.svc.ResetGroup(f.ctx, f.actor(f.owner), predefined.ID); err != nil {
		t.Fatalf("reset of a predefined group: %v", err)
	}
	if _, err := f.svc.DeleteGroup(f.ctx, f.actor(f.owner), f.night); err != nil {
		t.Fatalf("delete of a custom group: %v", err)
	}
	if f.audits() != 2 {
		t.Errorf("%d audit entries after a reset and a delete", f.audits())
	}
}

func TestMembersOfAGroup(t *testing.T) {
	f := newFixture(t)
	// Only an owner changes an owner's groups.
	_, _, err := f.svc.AddToGroup(f.ctx, f.actor(f.manager), f.night, f.owner.ID)
	refusal(t, err, domain.CodeForbidden)

	target, already, err := f.svc.AddToGroup(f.ctx, f.actor(f.owner), f.night, f.agent.ID)
	if err != nil || already || target.MembershipID != f.agent.ID {
		t.Fatalf("add: %+v, already %v, %v", target, already, err)
	}
	if _, already, err = f.svc.AddToGroup(f.ctx, f.actor(f.owner), f.night, f.agent.ID); err != nil || !already {
		t.Fatalf("add again: already %v, %v", already, err)
	}
	if f.audits() != 1 {
		t.Errorf("%d audit entries; the second add changed nothing and must not be audited", f.audits())
	}
	if _, err := f.svc.RemoveFromGroup(f.ctx, f.actor(f.owner), f.night, f.manager.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing a member who is not in the group: %v; want store.ErrNotFound", err)
	}
	if _, err := f.svc.RemoveFromGroup(f.ctx, f.actor(f.owner), f.night, f.agent.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	members, err := f.db.GroupMembers(f.ctx, f.org.ID, f.night, 10)
	if err != nil || len(members) != 0 || f.audits() != 2 {
		t.Errorf("after remove: %d members, %v, %d audit entries", len(members), err, f.audits())
	}
}

// TestSavesKeepFieldLevelsOfProductsTheOrganizationLacks: a group's and
// an individual set's stated levels for a module outside the products
// (Customers, in an organization that dropped CRM) survive a save of
// the grid, which cannot show them; saving the same grid changes nothing.
func TestSavesKeepFieldLevelsOfProductsTheOrganizationLacks(t *testing.T) {
	f := newFixture(t)
	cust := access.MustModule("customers")
	stated := testkit.Set(t, "dashboard_view", "chats_view", "customers_view")
	stated.SetFieldLevel(cust, "tax_id", access.LevelRead)
	stated.SetFieldLevel(cust, "internal_notes", access.LevelEdit)
	f.tx(func(tx *store.Tx) error {
		if err := tx.UpdateGroup(f.ctx, f.org.ID, f.night, "Night shift", "Covers the night.", stated); err != nil {
			return err
		}
		if err := tx.SetCustom(f.ctx, f.org.ID, f.agent.ID, &stated); err != nil {
			return err
		}
		inbox, _ := access.ParseProducts([]string{"inbox"})
		o := f.org
		o.Products = inbox
		f.org = o
		return tx.UpdateOrg(f.ctx, o, names.FoldOrgName(o.Name))
	})
	shown := stated.RestrictTo(f.org.Products) // what the grid shows and posts back
	if shown.FieldLevelStated(cust, "tax_id") != 0 || shown.Has(cust, access.View) {
		t.Fatal("the fixture's grid would show Customers")
	}
	check := func(what string, got access.Set) {
		t.Helper()
		if got != stated {
			t.Errorf("%s after save = %v (tax_id %v, internal_notes %v); want %v (read, edit)", what, got.Permissions(),
				got.FieldLevelStated(cust, "tax_id"), got.FieldLevelStated(cust, "internal_notes"), stated.Permissions())
		}
	}
	changed, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, "Night shift", "Covers the night.", shown)
	if err != nil || changed || f.audits() != 0 {
		t.Errorf("saving the grid as shown: changed %v, %v, %d audit entries; want nothing changed", changed, err, f.audits())
	}
	check("group", f.group(f.night).Set)
	if err := f.svc.SetCustom(f.ctx, f.actor(f.owner), f.agent.ID, shown); err != nil {
		t.Fatal(err)
	}
	m, err := f.db.Membership(f.ctx, f.org.ID, f.agent.ID)
	if err != nil || m.Custom == nil {
		t.Fatalf("membership: %+v, %v", m, err)
	}
	check("individual set", *m.Custom)
	// A real change keeps them too.
	less := testkit.Set(t, "dashboard_view")
	if _, err := f.svc.UpdateGroup(f.ctx, f.actor(f.owner), f.night, "Night shift", "Covers the night.", less); err != nil {
		t.Fatal(err)
	}
	want := less.KeepOutside(stated, f.org.Products)
	if got := f.group(f.night).Set; got != want || got.FieldLevelStated(cust, "tax_id") != access.LevelRead || !got.Has(cust, access.View) {
		t.Errorf("after a change: %v, tax_id %v", got.Permissions(), got.FieldLevelStated(cust, "tax_id"))
	}
}
