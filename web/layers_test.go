package web_test

import (
	"cmp"
	"context"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
	"gatehouse/web"
)

// demoMember is a demo account's membership as the store holds it.
type demoMember struct {
	login demo.Login
	org   domain.Org
	user  domain.User
	m     domain.Membership
}

func seedDemo(t *testing.T) (*testkit.App, []demoMember) {
	t.Helper()
	app := testkit.NewApp(t)
	ctx := context.Background()
	if err := demo.Seed(ctx, app.DB, app.URL, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	var out []demoMember
	for _, l := range demo.Logins() {
		org := app.Org(l.Org)
		u := app.User(l.Email)
		m, err := app.DB.MembershipOfUser(ctx, org.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, demoMember{login: l, org: org, user: u, m: m})
	}
	return app, out
}

// One assembly of a membership's layers (store.MemberInput) is the source
// of every view of it: the guards' permission cache, My Permissions, the
// access report (`gatehouse access`, the JSON of My Permissions) and the
// services' actor (store.Acting) agree for every demo member.
func TestEveryViewOfAMemberAgrees(t *testing.T) {
	app, members := seedDemo(t)
	ctx := context.Background()
	for _, dm := range members {
		t.Run(dm.login.Email, func(t *testing.T) {
			guard, err := web.GuardEffective(app.Server, ctx, dm.org, dm.m)
			if err != nil {
				t.Fatal(err)
			}
			x, err := web.MemberExplanation(app.Server, ctx, dm.org, dm.m)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := orgio.Access(ctx, app.DB, dm.org.Slug, dm.user.Email)
			if err != nil {
				t.Fatal(err)
			}
			var act store.Acting
			if err := app.DB.Write(ctx, func(tx *store.Tx) error {
				act, err = tx.Acting(ctx, dm.org.ID, dm.user.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if guard.Layer != x.Layer || guard.Layer != rep.Layer || guard.Layer != act.Eff.Layer {
				t.Errorf("layers: guard %s, My Permissions %s, access report %s, service %s", guard.Layer, x.Layer, rep.Layer, act.Eff.Layer)
			}
			if guard.Set != x.Set || guard.Set != act.Eff.Set {
				t.Errorf("sets differ: guard %v, My Permissions %v, service %v", guard.Set, x.Set, act.Eff.Set)
			}
			if !reflect.DeepEqual(orgio.Sources(x.Permissions), rep.Permissions) || !reflect.DeepEqual(orgio.FlagValues(x.Flags), rep.Flags) ||
				!reflect.DeepEqual(x.Groups, rep.Groups) {
				t.Errorf("access report %+v differs from My Permissions %+v", rep, x)
			}
			// What the demo says of them holds too.
			if dm.login.Status == domain.StatusSuspended && guard.Layer != access.LayerSuspended {
				t.Errorf("suspended demo member resolved as %s", guard.Layer)
			}
			if len(dm.login.Groups) > 0 && !reflect.DeepEqual(sorted(x.Groups), sorted(dm.login.Groups)) {
				t.Errorf("groups %v, the demo says %v", x.Groups, dm.login.Groups)
			}
		})
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// buttonTag finds the opening tag of the button whose tag or text matches.
func buttonTag(body, marker string) (string, bool) {
	re := regexp.MustCompile(`<button[^>]*>[^<]*`)
	for _, tag := range re.FindAllString(body, -1) {
		if strings.Contains(tag, marker) {
			return tag[:strings.Index(tag, ">")+1], true
		}
	}
	return "", false
}

func isDisabled(tag string) bool { return strings.Contains(tag, " disabled") }

// The member page enables its controls by the services' own rule: for
// every pair of demo members of Acme (actor × target), its role, groups,
// suspend, re-enable and remove controls are disabled exactly when
// membership.MayTouch refuses the actor that member. Then once more with
// the manager given members_edit on individual permissions, so that rank
// (a member holding more than the actor) refuses too.
func TestMemberPageControlsFollowMayTouch(t *testing.T) {
	app, members := seedDemo(t)
	ctx := context.Background()
	var acme []demoMember
	for _, dm := range members {
		if dm.org.Slug == demo.OrgSlug {
			acme = append(acme, dm)
		}
	}
	clients := map[string]*testkit.Client{}
	check := func(t *testing.T) (refusals, allowed int) {
		org := app.Org(demo.OrgSlug) // as the guards read it: its permission version now
		for _, actor := range acme {
			am, err := app.DB.Membership(ctx, org.ID, actor.m.ID)
			if err != nil {
				t.Fatal(err)
			}
			eff, err := web.GuardEffective(app.Server, ctx, org, am)
			if err != nil {
				t.Fatal(err)
			}
			if !eff.Can(access.ModMembers, access.Edit) {
				continue
			}
			c := clients[actor.login.Email]
			if c == nil {
				c = app.LoginAs(actor.login.Email, demo.Password)
				clients[actor.login.Email] = c
			}
			for _, target := range acme {
				m, err := app.DB.Membership(ctx, org.ID, target.m.ID)
				if err != nil {
					t.Fatal(err)
				}
				in, err := app.DB.MemberInput(ctx, org, m, store.DecidingLayers)
				if err != nil {
					t.Fatal(err)
				}
				touch := membership.MayTouch(eff, in)
				if touch.OK() {
					allowed++
				} else {
					refusals++
				}
				r := c.Get("/o/" + demo.OrgSlug + "/settings/members/" + strconv.FormatInt(target.m.ID, 10))
				if r.Status != 200 {
					t.Fatalf("%s views %s: %d", actor.login.Email, target.login.Email, r.Status)
				}
				pair := actor.login.Email + " → " + target.login.Email
				if got := strings.Contains(r.Body, `id="member-locked"`); got == touch.OK() {
					t.Errorf("%s: locked note shown %v, MayTouch %+v", pair, got, touch)
				}
				self := actor.user.ID == target.user.ID
				controls := map[string]bool{"Save role": false, "Save groups": false, `data-confirm="Remove `: self}
				if m.Suspended() {
					controls["Re-enable"] = false
				} else {
					controls[`data-confirm="Suspend `] = self
				}
				for marker, alsoDisabled := range controls {
					tag, ok := buttonTag(r.Body, marker)
					if !ok {
						t.Errorf("%s: no %q button", pair, marker)
						continue
					}
					if want := !touch.OK() || alsoDisabled; isDisabled(tag) != want {
						t.Errorf("%s: %q disabled %v, want %v (MayTouch %+v)", pair, marker, isDisabled(tag), want, touch)
					}
				}
				if sel := regexp.MustCompile(`<select[^>]*name="role"[^>]*>`).FindString(r.Body); isDisabled(sel) == touch.OK() {
					t.Errorf("%s: role select %q, MayTouch %+v", pair, sel, touch)
				}
			}
		}
		return refusals, allowed
	}
	refusals, allowed := check(t)
	t.Logf("demo: %d pairs refused, %d allowed", refusals, allowed)
	if refusals == 0 || allowed == 0 {
		t.Fatalf("demo: %d refused pairs, %d allowed: the test proves nothing", refusals, allowed)
	}
	// The manager, with members_edit but less than most: rank refuses.
	var manager demoMember
	for _, dm := range acme {
		if dm.login.Email == demo.ManagerEmail {
			manager = dm
		}
	}
	set := testkit.Set(t, "dashboard_view", "members_view", "members_edit", "members_delete", "customers_view")
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetCustom(ctx, manager.org.ID, manager.m.ID, &set)
	})
	before := refusals
	if refusals, _ = check(t); refusals <= before {
		t.Fatalf("with the manager's individual permissions: %d refused pairs, before %d", refusals, before)
	}
}

// A customers write reads its actor again in its own transaction: a
// request whose auth was loaded while the member was active, and which
// reaches the write after they were suspended, removed or stripped of the
// permission, commits nothing and is answered as the guards would answer
// it now.
func TestInFlightCustomerWritesOfARefusedActorCommitNothing(t *testing.T) {
	app, members := seedDemo(t)
	ctx := context.Background()
	var agent demoMember
	for _, dm := range members {
		if dm.login.Email == demo.AgentEmail {
			agent = dm
		}
	}
	count := func() (n int) {
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
		})
		return n
	}
	names := func() string {
		var s string
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT group_concat(name || ':' || COALESCE(assigned_to, 0), ',') FROM (SELECT * FROM customers ORDER BY id)`).Scan(&s)
		})
		return s
	}
	// The auth of a request loaded now, while the agent is active.
	inFlight := func() *web.Auth {
		t.Helper()
		org := app.Org(demo.OrgSlug)
		m, err := app.DB.Membership(ctx, org.ID, agent.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		eff, err := web.GuardEffective(app.Server, ctx, org, m)
		if err != nil {
			t.Fatal(err)
		}
		return &web.Auth{User: agent.user, Org: &org, Membership: &m, Eff: eff}
	}
	mine := demo.CustomersOf(demo.AgentEmail)
	if len(mine) == 0 {
		t.Fatal("the demo agent serves no customer")
	}
	var ownID int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM customers WHERE name = ?`, mine[0]).Scan(&ownID)
	})
	form := url.Values{"name": {"Late Arrival"}, "email": {"late@example.test"}}

	// Control: an active agent's in-flight create is written.
	before := count()
	if st := web.InFlightCustomerWrite(app.Server, inFlight(), "create", 0, form); st != 303 {
		t.Fatalf("active agent's create: %d", st)
	}
	if count() != before+1 {
		t.Fatal("the active agent's create was not written")
	}

	refusals := []struct {
		name   string
		change func(tx *store.Tx) error
		status int
	}{
		{"suspended", func(tx *store.Tx) error { return tx.SetStatus(ctx, agent.org.ID, agent.m.ID, domain.StatusSuspended) }, 403},
		{"stripped of customers_create/edit/delete", func(tx *store.Tx) error {
			set := testkit.Set(t, "dashboard_view", "customers_view")
			return tx.SetCustom(ctx, agent.org.ID, agent.m.ID, &set)
		}, 403},
		{"removed", func(tx *store.Tx) error { return tx.RemoveMember(ctx, agent.org.ID, agent.m.ID) }, 404},
	}
	for _, rf := range refusals {
		a := inFlight()
		app.Tx(func(ctx context.Context, tx *store.Tx) error { return rf.change(tx) })
		was := names()
		for _, w := range []struct {
			handler string
			id      int64
		}{{"create", 0}, {"update", ownID}, {"delete", ownID}} {
			if st := web.InFlightCustomerWrite(app.Server, a, w.handler, w.id, form); st != rf.status {
				t.Errorf("%s agent's in-flight %s: status %d, want %d", rf.name, w.handler, st, rf.status)
			}
		}
		if names() != was {
			t.Errorf("%s agent's in-flight writes changed the customers:\n%s\n%s", rf.name, was, names())
		}
		// Back to active with the role's groups, for the next case.
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			if rf.name == "removed" {
				return nil
			}
			if err := tx.SetCustom(ctx, agent.org.ID, agent.m.ID, nil); err != nil {
				return err
			}
			return tx.SetStatus(ctx, agent.org.ID, agent.m.ID, domain.StatusActive)
		})
	}
}

// The organization settings save reads its actor again in its own
// transaction too (settings_edit), whatever part of the form changed.
func TestInFlightOrgSettingsSaveOfARefusedActorCommitsNothing(t *testing.T) {
	app, members := seedDemo(t)
	ctx := context.Background()
	var admin demoMember
	for _, dm := range members {
		if dm.login.Email == demo.AdminEmail {
			admin = dm
		}
	}
	load := func() (domain.Org, *web.Auth) {
		t.Helper()
		org := app.Org(demo.OrgSlug)
		m, err := app.DB.Membership(ctx, org.ID, admin.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		eff, err := web.GuardEffective(app.Server, ctx, org, m)
		if err != nil {
			t.Fatal(err)
		}
		return org, &web.Auth{User: admin.user, Org: &org, Membership: &m, Eff: eff}
	}
	form := func(org domain.Org, name string) url.Values {
		f := url.Values{"name": {name}, "country": {org.Country}, "city": {org.City}, "address": {cmp.Or(org.Address, "1 Main Street")}, "package": {org.Package}}
		if org.VATID == "" {
			f.Set("no_vat", "1")
		} else {
			f.Set("vat_id", org.VATID)
		}
		for _, p := range access.Products() {
			if org.Products.Has(p.Key) {
				f.Add("products", p.Key)
			}
		}
		return f
	}
	org, a := load()
	if !a.Eff.Can(access.ModSettings, access.Edit) {
		t.Fatal("the demo admin lacks settings_edit")
	}
	// Control: the active admin's in-flight rename is saved.
	if st, body := web.InFlightOrgSettingsSave(app.Server, a, form(org, org.Name+" Renamed")); st != 303 {
		t.Fatalf("active admin's save: %d\n%s", st, body)
	}
	org, _ = load()
	for _, rf := range []struct {
		name   string
		change func(tx *store.Tx) error
		says   string
	}{
		{"suspended", func(tx *store.Tx) error { return tx.SetStatus(ctx, org.ID, admin.m.ID, domain.StatusSuspended) }, "is suspended"},
		{"stripped of settings_edit", func(tx *store.Tx) error {
			set := testkit.Set(t, "dashboard_view", "settings_view")
			return tx.SetCustom(ctx, org.ID, admin.m.ID, &set)
		}, "settings_edit"},
		{"removed", func(tx *store.Tx) error { return tx.RemoveMember(ctx, org.ID, admin.m.ID) }, "not a member"},
	} {
		_, a := load()
		app.Tx(func(ctx context.Context, tx *store.Tx) error { return rf.change(tx) })
		st, body := web.InFlightOrgSettingsSave(app.Server, a, form(org, "Taken Over"))
		if st != 403 || !strings.Contains(body, "Nothing was saved") || !strings.Contains(body, rf.says) {
			t.Errorf("%s admin's in-flight save: %d, want 403 saying %q", rf.name, st, rf.says)
		}
		if now, _ := app.DB.OrgBySlug(ctx, demo.OrgSlug); now.Name != org.Name {
			t.Errorf("%s admin's in-flight save renamed the organization to %q", rf.name, now.Name)
		}
		app.Tx(func(ctx context.Context, tx *store.Tx) error {
			if rf.name == "removed" {
				return nil
			}
			if err := tx.SetCustom(ctx, org.ID, admin.m.ID, nil); err != nil {
				return err
			}
			return tx.SetStatus(ctx, org.ID, admin.m.ID, domain.StatusActive)
		})
	}
}
