package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

var syncTokenRe = regexp.MustCompile(`name="form_sync" value="([0-9a-f]+)"`)

// syncToken is the sync token in a page or form section ("" if none).
func syncToken(body string) string {
	if m := syncTokenRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// loadedForm fetches a group's page as actor and returns its sync token.
func (fx *groupsFx) loadedForm(t *testing.T, actor, path string) string {
	t.Helper()
	r := fx.clients[actor].Get(path)
	if r.Status != 200 {
		t.Fatalf("%s GET %s: %d", actor, path, r.Status)
	}
	return syncToken(r.Body)
}

// statusOnly reports whether r is the short answer: the status line out of
// band and no main swap.
func statusOnly(r *testkit.Response) bool {
	return r.Header.Get("HX-Reswap") == "none" && strings.Contains(r.Body, `id="group-form-status" hx-swap-oob="innerHTML"`) &&
		!strings.Contains(r.Body, "permgrid") && !strings.Contains(r.Body, `id="group-form"`)
}

// A save whose form already shows what was saved is answered with the
// status line alone; everything else gets the whole form, as before.
func TestGroupSaveAnswersStatusLineWhenFormShowsIt(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	owner := fx.clients["owner"]
	tok := fx.loadedForm(t, "owner", night)
	if tok == "" {
		t.Fatal("the owner's group form has no sync token")
	}

	post := func(c *testkit.Client, form url.Values, token string) *testkit.Response {
		if token != "" {
			form.Set("form_sync", token)
		}
		return c.PostHTMX(night, form)
	}

	// A change: saved, and the answer is the status line.
	r := post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "chats_edit"), tok)
	if r.Status != 200 || !statusOnly(r) || !strings.Contains(r.Body, "Saved. Members of Night shift get these permissions") {
		t.Fatalf("save from a synced form: %d %q %.600s", r.Status, r.Header.Get("HX-Reswap"), r.Body)
	}
	if got := fx.mustGroup("Night shift").Set; got != testkit.Set(t, "dashboard_view", "chats_view", "chats_create", "chats_edit") {
		t.Fatalf("saved %v", got)
	}
	// The same form again: nothing changed, still the short answer; the
	// token the form holds is still the right one.
	r = post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "chats_edit"), tok)
	if !statusOnly(r) || !strings.Contains(r.Body, "Nothing changed.") {
		t.Fatalf("unchanged save: %.600s", r.Body)
	}
	// A fresh page renders the same token: the form it shows is the one
	// the client kept.
	if again := fx.loadedForm(t, "owner", night); again != tok {
		t.Errorf("the page after the save has token %q, the client kept %q", again, tok)
	}

	full := func(name string, r *testkit.Response, want ...string) {
		t.Helper()
		if r.Status != 200 || statusOnly(r) || r.Header.Get("HX-Reswap") != "" || !strings.Contains(r.Body, `id="group-form"`) {
			t.Fatalf("%s: want the whole form, got %d %q %.400s", name, r.Status, r.Header.Get("HX-Reswap"), r.Body)
		}
		for _, w := range want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: the form lacks %q", name, w)
			}
		}
	}
	full("no token (an older page)", post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view"), ""),
		"Saved.", `value="chats_create"`, tok)
	full("another token", post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create"),
		strings.Repeat("0", len(tok))), "Saved.")
	// The server trims the name: the field must show what was saved.
	full("a name that was trimmed", post(owner, gridForm("  Night shift ", "Covers the night.", "dashboard_view", "chats_view"), tok),
		`value="Night shift"`)
	// View added by the server: the grid must show it and say so.
	full("View added", post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view", "crm_create"), tok),
		"View was added automatically to Pipelines", `name="perm" value="crm_view" checked`)
	if strings.Contains(post(owner, gridForm("Night shift", "Covers the night.", "dashboard_view"), "").Body, "View was added") {
		t.Error("the next full answer still says View was added")
	}

	// A plain form post still redirects.
	form := gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view")
	form.Set("form_sync", tok)
	if r := owner.Post(night, form); r.Status != 303 {
		t.Errorf("plain post with a token: %d", r.Status)
	}
}

// The token covers what the actor may grant: a box the actor does not hold
// turns disabled once it is unticked, so that save is answered in full, as
// is a save after the actor's own permissions changed.
func TestGroupSaveAnswersInFullWhenTheGridChanges(t *testing.T) {
	fx := newGroupsFx(t)
	var deskID int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var err error
		deskID, err = tx.CreateGroup(ctx, fx.acme.ID, "Pipeline desk", "", testkit.Set(t, "dashboard_view", "crm_view"), "")
		return err
	})
	desk := "/o/acme/settings/groups/" + strconv.FormatInt(deskID, 10)
	boss := fx.clients["boss"]
	page := boss.Get(desk)
	tok := syncToken(page.Body)
	if tok == "" || !strings.Contains(page.Body, `name="perm" value="crm_view" checked`) {
		t.Fatalf("boss's form of Pipeline desk: token %q, %.300s", tok, page.Body)
	}
	// Boss lacks crm_view but may take it away; unticked, it is disabled.
	form := gridForm("Pipeline desk", "", "dashboard_view")
	form.Set("form_sync", tok)
	r := boss.PostHTMX(desk, form)
	if r.Status != 200 || statusOnly(r) || !regexp.MustCompile(`value="crm_view"[^>]*disabled`).MatchString(r.Body) {
		t.Fatalf("taking away a box boss does not hold: want the whole form with it disabled, got %d %.600s", r.Status, r.Body)
	}
	next := syncToken(r.Body)
	if next == "" || next == tok {
		t.Fatalf("the new form's token %q (was %q)", next, tok)
	}
	// From the new form, a save within boss's permissions is short again.
	form = gridForm("Pipeline desk", "", "dashboard_view", "chats_view")
	form.Set("form_sync", next)
	if r := boss.PostHTMX(desk, form); !statusOnly(r) {
		t.Fatalf("save from the re-rendered form: %.400s", r.Body)
	}

	// Boss's own permissions change: the grid's disabled boxes differ, so
	// a form rendered before is answered in full.
	fewer := testkit.Set(t, "dashboard_view", "chats_view", "groups_view", "groups_edit")
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetCustom(ctx, fx.acme.ID, fx.members["boss"].ID, &fewer)
	})
	form = gridForm("Pipeline desk", "", "dashboard_view")
	form.Set("form_sync", next)
	r = boss.PostHTMX(desk, form)
	if r.Status != 200 || statusOnly(r) || !regexp.MustCompile(`value="chats_create"[^>]*disabled`).MatchString(r.Body) {
		t.Fatalf("after boss lost chats_create: want the whole form, got %d %.600s", r.Status, r.Body)
	}
}

// Forms that must be rendered whole after a save carry no token: a new
// group, a read-only form, a refused save.
func TestGroupFormsWithoutSyncToken(t *testing.T) {
	fx := newGroupsFx(t)
	night := fx.path("Night shift", "")
	if tok := fx.loadedForm(t, "owner", "/o/acme/settings/groups/new"); tok != "" {
		t.Error("the new-group form has a sync token")
	}
	if tok := fx.loadedForm(t, "manager", night); tok != "" {
		t.Error("the read-only form has a sync token")
	}
	tok := fx.loadedForm(t, "boss", night)
	if tok == "" {
		t.Fatal("boss's editable form has no sync token")
	}
	form := gridForm("Night shift", "Covers the night.", "dashboard_view", "chats_view", "chats_create", "billing_view")
	form.Set("form_sync", tok)
	r := fx.clients["boss"].PostHTMX(night, form)
	if r.Status != 403 || statusOnly(r) || !strings.Contains(r.Body, "perm-missing") || syncToken(r.Body) != "" {
		t.Fatalf("refused save: want 403 with the marked grid and no token, got %d token %q %.400s", r.Status, syncToken(r.Body), r.Body)
	}
	// A field error: the whole form, no token.
	form = gridForm("", "Covers the night.", "dashboard_view")
	form.Set("form_sync", tok)
	r = fx.clients["boss"].PostHTMX(night, form)
	if r.Status != 422 || syncToken(r.Body) != "" || !strings.Contains(r.Body, "Enter a name for the group.") {
		t.Fatalf("invalid save: %d token %q %.400s", r.Status, syncToken(r.Body), r.Body)
	}
}
