package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/orgio"
	"gatehouse/internal/testkit"
)

// Field levels in the permission grids (ARCHITECTURE.md, Fields, issue 23 item 4):
// field.<module>.<key> = hidden | read | edit ("" = the default), saved
// exactly, refused above the actor's own level, previewed and explained.

// withFields adds field level choices to a submitted grid: "tax_id=read".
func withFields(f url.Values, levels ...string) url.Values {
	for _, l := range levels {
		k, v, _ := strings.Cut(l, "=")
		f.Add("field.customers."+k, v)
	}
	return f
}

// exportedPermissions is the group's permissions in the export JSON.
func exportedPermissions(t *testing.T, fx *groupsFx, name string) string {
	t.Helper()
	cfg, err := orgio.Export(context.Background(), fx.app.DB, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range cfg.Groups {
		if g.Name == name {
			b, err := json.Marshal(g.Permissions)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no group %q in the export", name)
	return ""
}

// radio finds field key's choice of value in a page: its input tag.
func radio(body, key, value string) string {
	re := regexp.MustCompile(`<input type="radio" name="field\.customers\.` + regexp.QuoteMeta(key) + `" value="` + regexp.QuoteMeta(value) + `"[^>]*>`)
	return re.FindString(body)
}

func TestGroupFieldLevelsSaveExactlyAndRoundTrip(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	night := fx.path("Night shift", "")

	// The grid offers the fields with what "default" means for this set.
	page := owner.Get(night)
	for _, want := range []string{`data-perm-fields="customers"`, "<details", `name="field.customers.tax_id"`,
		"default: hidden (sensitive)", "default: read (no edit on Customers)", "Fields: 8, all default"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("group page lacks %q", want)
		}
	}
	if in := radio(page.Body, "tax_id", ""); !strings.Contains(in, "checked") {
		t.Errorf("tax_id's default is not the checked choice: %q", in)
	}
	if in := radio(page.Body, "tax_id", "edit"); in == "" || strings.Contains(in, "disabled") {
		t.Errorf("the owner cannot choose edit on tax_id: %q", in)
	}

	form := withFields(gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "customers_view", "customers_edit"),
		"tax_id=read", "internal_notes=hidden", "email=", "name=edit")
	if r := owner.Post(night, form); r.Status != http.StatusSeeOther {
		t.Fatalf("save with field levels: %d %.500s", r.Status, r.Body)
	}
	g := fx.mustGroup("Night shift")
	for key, want := range map[string]access.Level{"tax_id": access.LevelRead, "internal_notes": access.LevelHidden, "name": access.LevelEdit,
		"email": 0, "credit_limit": 0} {
		if got := g.Set.FieldLevelStated(access.ModCustomers, key); got != want {
			t.Errorf("stored %s = %q, want %q", key, got, want)
		}
	}
	// The export writes exactly the stated levels, in declaration order, and reads back the same set.
	exp := exportedPermissions(t, fx, "Night shift")
	if !strings.Contains(exp, `"fields":{"name":"edit","tax_id":"read","internal_notes":"hidden"}`) {
		t.Errorf("export permissions %s lack the stated fields in order", exp)
	}
	back, errs := access.DecodeSet([]byte(exp), "groups[0].permissions")
	if len(errs) > 0 || back != g.Set {
		t.Errorf("export does not round trip: %v, %v != %v", errs, back, g.Set)
	}

	// Shown again as saved, the disclosure open.
	page = owner.Get(night)
	if in := radio(page.Body, "tax_id", "read"); !strings.Contains(in, "checked") {
		t.Errorf("tax_id read not checked after the save: %q", in)
	}
	if in := radio(page.Body, "email", ""); !strings.Contains(in, "checked") {
		t.Errorf("email not at its default after the save: %q", in)
	}
	if !strings.Contains(page.Body, "<details class=\"perm-field-details\" open") || !strings.Contains(page.Body, "Fields: 8, 3 stated") {
		t.Error("the fields disclosure is not open with its count after a save")
	}
	// Saving the same grid again changes nothing; clearing a level states none.
	if r := owner.PostHTMX(night, form); r.Status != http.StatusOK || !strings.Contains(r.Body, "Nothing changed.") {
		t.Errorf("same save again: %d %.300s", r.Status, r.Body)
	}
	form.Set("field.customers.name", "")
	if r := owner.Post(night, form); r.Status != http.StatusSeeOther {
		t.Fatalf("clear name: %d", r.Status)
	}
	if got := fx.mustGroup("Night shift").Set.FieldLevelStated(access.ModCustomers, "name"); got != 0 {
		t.Errorf("name still states %s", got)
	}
}

func TestGroupFieldLevelsBadInputNothingWritten(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	night := fx.path("Night shift", "")
	before := fx.snapshot() + exportedPermissions(t, fx, "Night shift")
	base := func() url.Values { return gridForm("Night shift", "", "chats_view", "customers_view") }
	for _, c := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"a level that does not exist", withFields(base(), "tax_id=write"),
			[]string{"is not a level", "write", `id="err-field.customers.tax_id"`, "perm-field perm-missing"}},
		{"an unknown field", withFields(base(), "ssn=read"), []string{"unknown field", "customers.ssn"}},
		{"two levels for one field", withFields(base(), "tax_id=read", "tax_id=edit"), []string{"2 different levels"}},
	} {
		r := owner.Post(night, c.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", c.name, r.Status)
		}
		for _, w := range c.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: answer lacks %q", c.name, w)
			}
		}
	}
	// A group of an organization without CRM cannot state Customers' fields.
	f := url.Values{"field.pipelines.amount": {"read"}}
	if r := owner.PostHTMX(fx.path("Night shift", "/preview"), f); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "unknown field") {
		t.Errorf("preview of an unknown field: %d %.300s", r.Status, r.Body)
	}
	if after := fx.snapshot() + exportedPermissions(t, fx, "Night shift"); after != before {
		t.Errorf("refused saves changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

func TestGroupFieldLevelsEscalationRefused(t *testing.T) {
	fx := newGroupsFx(t)
	boss := fx.clients["boss"] // individual permissions with Customers view/create/edit: tax_id hidden for them
	night := fx.path("Night shift", "")

	// The page does not offer what the boss cannot grant, and says why.
	page := boss.Get(night)
	for _, lvl := range []string{"read", "edit"} {
		if in := radio(page.Body, "tax_id", lvl); !strings.Contains(in, "disabled") {
			t.Errorf("boss is offered %s on tax_id: %q", lvl, in)
		}
	}
	if in := radio(page.Body, "tax_id", "hidden"); in == "" || strings.Contains(in, "disabled") {
		t.Errorf("boss cannot choose hidden on tax_id: %q", in)
	}
	if in := radio(page.Body, "email", "edit"); in == "" || strings.Contains(in, "disabled") {
		t.Errorf("boss cannot choose edit on email, which they hold: %q", in)
	}
	if !strings.Contains(page.Body, "You hold hidden on Tax ID, so you cannot grant read.") {
		t.Error("the disabled choice does not say why")
	}
	if owner := fx.clients["owner"].Get(night); strings.Contains(radio(owner.Body, "tax_id", "edit"), "disabled") {
		t.Error("the owner's choice is disabled")
	}

	before := fx.snapshot() + exportedPermissions(t, fx, "Night shift")
	form := withFields(gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "customers_view"), "tax_id=read")
	r := boss.Post(night, form)
	if r.Status != http.StatusForbidden {
		t.Fatalf("boss grants tax_id read: %d, want 403; %.400s", r.Status, r.Body)
	}
	for _, want := range []string{"Nothing was saved", "customers.tax_id (read, you hold hidden)",
		`id="err-field.customers.tax_id">You hold hidden on Tax ID, so you cannot grant read.</p>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	// The preview says so before the save.
	p := boss.PostHTMX(fx.path("Night shift", "/preview"), form)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "This cannot be saved: you can only grant field levels you hold yourself") {
		t.Errorf("preview of a field escalation: %d %.400s", p.Status, p.Body)
	}
	// A new group too.
	if r := boss.Post("/o/acme/settings/groups", withFields(gridForm("Auditors", "", "customers_view"), "internal_notes=read")); r.Status != http.StatusForbidden ||
		!strings.Contains(r.Body, "customers.internal_notes (read, you hold hidden)") {
		t.Errorf("boss creates a group with internal_notes read: %d %.300s", r.Status, r.Body)
	}
	if after := fx.snapshot() + exportedPermissions(t, fx, "Night shift"); after != before {
		t.Errorf("refused saves changed the database:\nbefore %s\nafter  %s", before, after)
	}
	// Hiding what they hold is theirs to do.
	if r := boss.Post(night, withFields(gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "customers_view"), "email=hidden")); r.Status != http.StatusSeeOther {
		t.Fatalf("boss hides email: %d %.300s", r.Status, r.Body)
	}
	if got := fx.mustGroup("Night shift").Set.FieldLevelStated(access.ModCustomers, "email"); got != access.LevelHidden {
		t.Errorf("email stated %q, want hidden", got)
	}
	// A group whose field levels exceed the boss's own: the page says they cannot add to it, and the service agrees.
	if r := fx.clients["owner"].Post(night, withFields(gridForm("Night shift", "", "customers_view"), "tax_id=read")); r.Status != http.StatusSeeOther {
		t.Fatalf("owner states tax_id read: %d %s", r.Status, r.Body)
	}
	page = boss.Get(night)
	if !strings.Contains(page.Body, "You cannot add members to Night shift: it grants field levels above your own: customers.tax_id (read, you hold hidden).") {
		t.Error("the group page offers the boss to add members to a group with tax_id read")
	}
	add := boss.Post(fx.path("Night shift", "/members"), url.Values{"membership_id": {itoa(fx.members["dave"].ID)}})
	if add.Status != http.StatusForbidden {
		t.Errorf("boss adds dave to a group above their field levels: %d", add.Status)
	}
}

func TestGroupFieldLevelsPreview(t *testing.T) {
	fx := newGroupsFx(t)
	owner := fx.clients["owner"]
	night := fx.path("Night shift", "")
	base := func() url.Values {
		return gridForm("Night shift", "", "dashboard_view", "chats_view", "chats_create", "customers_view", "customers_edit")
	}
	if r := owner.Post(night, base()); r.Status != http.StatusSeeOther {
		t.Fatalf("give Night shift Customers: %d", r.Status)
	}
	r := owner.PostHTMX(fx.path("Night shift", "/preview"), withFields(base(), "tax_id=read", "internal_notes=hidden", "phone=hidden"))
	if r.Status != http.StatusOK {
		t.Fatalf("preview: %d %.300s", r.Status, r.Body)
	}
	for _, re := range []string{`\d+ members?: tax_id becomes read-only`, `\d+ members?: phone becomes hidden`} {
		if !regexp.MustCompile(re).MatchString(r.Body) {
			t.Errorf("preview lacks %s: %.1500s", re, r.Body)
		}
	}
	if strings.Contains(r.Body, "internal_notes") {
		t.Error("the preview lists internal_notes, which stays hidden")
	}
	// The save's summary says the same.
	s := owner.PostHTMX(night, withFields(base(), "tax_id=read"))
	if s.Status != http.StatusOK || !regexp.MustCompile(`Saved\.[^<]*tax_id becomes read-only`).MatchString(s.Body) {
		t.Errorf("save summary: %d %.800s", s.Status, s.Body)
	}
}

func TestMemberFieldLevelsSavePreviewAndExplain(t *testing.T) {
	fx := newMPFx(t)
	owner, boss := fx.clients["owner"], fx.clients["boss"]
	// Tess's groups give Customers edit and the defaults; the page explains each field.
	page := owner.Get(fx.url("tess", ""))
	for _, want := range []string{`id="mp-fields"`, `data-field="customers.tax_id" data-level="hidden"`,
		`data-field="customers.name" data-level="edit"`, "edit, from group Night shift"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("member permissions page lacks %q", want)
		}
	}
	if r := owner.Post(fx.url("tess", "/custom/enable"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("enable: %d", r.Status)
	}
	// Saving states exactly the chosen levels.
	form := withFields(grid([]string{"customers_view", "customers_edit"}), "tax_id=read", "internal_notes=read", "notes=hidden")
	if r := owner.PostHTMX(fx.url("tess", ""), form); r.Status != http.StatusOK {
		t.Fatalf("save with field levels: %d %.400s", r.Status, r.Body)
	}
	m := fx.membership(t, "tess")
	if m.Custom == nil {
		t.Fatal("tess has no individual permissions")
	}
	for key, want := range map[string]access.Level{"tax_id": access.LevelRead, "internal_notes": access.LevelRead, "notes": access.LevelHidden, "email": 0} {
		if got := m.Custom.FieldLevelStated(access.ModCustomers, key); got != want {
			t.Errorf("stored %s = %q, want %q", key, got, want)
		}
	}
	cfg, err := orgio.Export(context.Background(), fx.app.DB, "acme")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mem := range cfg.Members {
		if mem.Name == "Tess Target" {
			b, _ := json.Marshal(mem)
			found = strings.Contains(string(b), `"fields":{"notes":"hidden","tax_id":"read","internal_notes":"read"}`)
			if !found {
				t.Errorf("export of tess: %s", b)
			}
		}
	}
	if !found && !t.Failed() {
		t.Error("tess not in the export")
	}
	// The preview words the change for her by name.
	p := owner.PostHTMX(fx.url("tess", "/preview"), withFields(grid([]string{"customers_view", "customers_edit"}), "tax_id=read", "notes=hidden"))
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Tess Target will no longer see internal_notes") {
		t.Errorf("preview: %d %.1200s", p.Status, p.Body)
	}
	p = owner.PostHTMX(fx.url("tess", "/preview"), withFields(grid([]string{"customers_view", "customers_edit"}), "tax_id=edit", "internal_notes=read"))
	if !strings.Contains(p.Body, "Tess Target can now edit tax_id") || !strings.Contains(p.Body, "Tess Target can now edit notes") {
		t.Errorf("preview of gains: %.1200s", p.Body)
	}

	// Her own My Permissions lists each field with what grants it.
	mine := fx.clients["tess"].Get("/o/acme/me/permissions")
	for _, want := range []string{`data-field="customers.tax_id" data-level="read"`, "read, from individual permissions",
		`data-field="customers.notes" data-level="hidden"`, "hidden, from individual permissions"} {
		if !strings.Contains(mine.Body, want) {
			t.Errorf("My Permissions lacks %q", want)
		}
	}

	// The boss (a manager's set as individual permissions: sensitive fields hidden) cannot grant more.
	before := fx.snapshot(t)
	r := boss.PostHTMX(fx.url("tess", ""), withFields(grid([]string{"customers_view", "customers_edit"}), "tax_id=read", "internal_notes=edit"))
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "customers.internal_notes (edit, you hold hidden)") ||
		!strings.Contains(r.Body, `id="err-field.customers.internal_notes">You hold hidden on Internal notes, so you cannot grant edit.</p>`) {
		t.Errorf("boss grants internal_notes edit: %d %.400s", r.Status, r.Body)
	}
	r = boss.PostHTMX(fx.url("tess", ""), withFields(grid([]string{"customers_view"}), "tax_id=secret"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "is not a level") || !strings.Contains(r.Body, `id="err-field.customers.tax_id"`) {
		t.Errorf("bad level: %d %.400s", r.Status, r.Body)
	}
	if fx.snapshot(t) != before {
		t.Fatal("a refused save changed something")
	}
	if bp := boss.Get(fx.url("tess", "?tab=individual")); !strings.Contains(radio(bp.Body, "credit_limit", "read"), "disabled") {
		t.Errorf("boss is offered read on credit_limit: %q", radio(bp.Body, "credit_limit", "read"))
	}
}

// Turning individual permissions on copies the field levels too.
func TestMemberEnableCustomKeepsFieldLevels(t *testing.T) {
	fx := newMPFx(t)
	owner := fx.clients["owner"]
	night := withFields(url.Values{"name": {"Night shift"}, "perm": {"customers_view", "customers_edit"}}, "tax_id=read")
	if r := owner.Post("/o/acme/settings/groups/"+itoa(fx.groups["Night shift"]), night); r.Status != http.StatusSeeOther {
		t.Fatalf("Night shift tax_id read: %d %.300s", r.Status, r.Body)
	}
	before := fx.effective(t, "tess")
	if before.FieldLevel(access.ModCustomers, "tax_id") != access.LevelRead {
		t.Fatalf("tess tax_id %s before", before.FieldLevel(access.ModCustomers, "tax_id"))
	}
	if r := owner.Post(fx.url("tess", "/custom/enable"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("enable: %d", r.Status)
	}
	after := fx.effective(t, "tess")
	for _, f := range before.Fields(access.ModCustomers) {
		if got := after.FieldLevel(access.ModCustomers, f.Field.Key); got != f.Level {
			t.Errorf("%s: %s after enabling, was %s", f.Field.Key, got, f.Level)
		}
	}
}

// A change that lets another layer decide is judged on field levels too:
// turning individual permissions off hands Tess back to a group that shows
// her tax_id, a level the boss does not hold.
func TestFallBackJudgedOnFieldLevels(t *testing.T) {
	fx := newMPFx(t)
	owner, boss := fx.clients["owner"], fx.clients["boss"]
	night := withFields(url.Values{"name": {"Night shift"}, "perm": {"customers_view", "customers_edit"}}, "tax_id=read")
	if r := owner.Post("/o/acme/settings/groups/"+itoa(fx.groups["Night shift"]), night); r.Status != http.StatusSeeOther {
		t.Fatalf("Night shift tax_id read: %d", r.Status)
	}
	if r := owner.Post(fx.url("tess", "/custom/enable"), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("enable: %d", r.Status)
	}
	if r := owner.PostHTMX(fx.url("tess", ""), withFields(grid([]string{"customers_view"}), "tax_id=hidden")); r.Status != http.StatusOK {
		t.Fatalf("owner hides tax_id for tess: %d", r.Status)
	}
	if page := boss.Get(fx.url("tess", "?tab=individual")); !strings.Contains(page.Body,
		"Returning to inherited permissions would open field levels above your own for Tess Target (customers.tax_id (read, you hold hidden))") {
		t.Error("the individual tab does not say why the boss cannot turn individual permissions off")
	}
	before := fx.snapshot(t)
	r := boss.PostHTMX(fx.url("tess", "/custom/disable"), nil)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "opens field levels above your own (customers.tax_id (read, you hold hidden))") {
		t.Errorf("boss turns individual permissions off: %d %.600s", r.Status, r.Body)
	}
	if fx.snapshot(t) != before {
		t.Fatal("the refused fall-back changed something")
	}
	if r := owner.PostHTMX(fx.url("tess", "/custom/disable"), nil); r.Status != http.StatusOK {
		t.Errorf("the owner turns them off: %d", r.Status)
	}
}

// A role template's field levels count as a grant too: the boss (sensitive
// fields hidden) may not invite a manager, who edits every field, and the
// invite form does not offer the role.
func TestInviteRoleJudgedOnFieldLevels(t *testing.T) {
	fx := newMPFx(t)
	boss := fx.clients["boss"]
	form := boss.Get("/o/acme/settings/members/invite")
	if form.Status != http.StatusOK {
		t.Fatalf("invite form: %d", form.Status)
	}
	if strings.Contains(form.Body, `<option value="manager"`) {
		t.Error("the invite form offers the boss the manager role")
	}
	if !strings.Contains(form.Body, `<option value="agent"`) {
		t.Error("the invite form does not offer the agent role, whose fields the boss holds")
	}
	before := fx.snapshot(t) + testkit.Rows(t, fx.app.DB, "SELECT COUNT(*) FROM invites")
	r := boss.Post("/o/acme/settings/members/invite", url.Values{"email": {"newcomer@example.com"}, "role": {"manager"}})
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "customers.tax_id (edit, you hold hidden)") {
		t.Errorf("boss invites a manager: %d %.400s", r.Status, r.Body)
	}
	if after := fx.snapshot(t) + testkit.Rows(t, fx.app.DB, "SELECT COUNT(*) FROM invites"); after != before {
		t.Errorf("a refused invitation wrote:\nbefore %s\nafter  %s", before, after)
	}
}
