package browser_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// An admin creates a group in the browser: ticking an action ticks View and
// says so, the save swaps in place, a field error shows next to the field,
// a member is added through the live search and removed, and deleting asks
// first, naming how many members lose the group. It needs
// static/js/permgrid.js in the shell.
func TestGroupEditorInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, app.CreateUser("owner@acme.test", "Olivia Owner", pw))
	app.Join(org, "admin@acme.test", "Adam Admin", pw, access.RoleAdmin)
	dave := app.Join(org, "dave@acme.test", "Dave Loner", pw, access.RoleAgent)

	b := testkit.NewBrowser(t)
	dialogs := acceptDialogs(b)
	login(t, b, app, "admin@acme.test", pw)

	b.Navigate(app.URL + "/o/acme/settings/groups/new")
	var loaded bool
	b.Eval(`[...document.scripts].some(s => s.src.endsWith('/static/js/permgrid.js'))`, &loaded)
	if !loaded {
		t.Fatal("static/js/permgrid.js is not loaded by the shell: add it next to app.js in views/layout/shell.templ")
	}
	b.Fill(`#f-name`, "Night shift")
	b.Click(`input[name=perm][value=customers_edit]`)
	checked := func(sel string) bool {
		var on bool
		b.Eval(fmt.Sprintf(`document.querySelector(%q).checked`, sel), &on)
		return on
	}
	if !checked(`input[name=perm][value=customers_view]`) {
		t.Error("ticking Customers: Edit did not tick View")
	}
	b.WaitText(`[data-permgrid-live]`, "View was ticked for Customers")
	b.Click(`input[name=flag][value="customers.canAccessAll"]`)
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/group-new.png")
	}
	b.Click(`#group-form button[type=submit]`)
	b.WaitURL(app.URL + "/o/acme/settings/groups/")
	b.WaitText(`#flashes`, "Group Night shift created.")
	var g domain.Group
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		gs, err := tx.Groups(ctx, org.ID)
		for _, x := range gs {
			if x.Name == "Night shift" {
				g = x
			}
		}
		return err
	})
	want := access.Set{}
	want.Grant(access.ModCustomers, access.View)
	want.Grant(access.ModCustomers, access.Edit)
	want.SetFlag(access.FlagCustomersCanAccessAll, true)
	if g.Set != want {
		t.Fatalf("saved %v, want %v", g.Set, want)
	}

	// Unticking View clears the row; the save swaps the form in place.
	b.Click(`input[name=perm][value=customers_view]`)
	if checked(`input[name=perm][value=customers_edit]`) || checked(`input[name=flag][value="customers.canAccessAll"]`) {
		t.Error("unticking View left Customers' other boxes ticked")
	}
	b.Click(`input[name=perm][value=chats_create]`)
	b.Eval(`document.querySelector('#permgrid').dataset.kept = 'yes'; true`, nil)
	b.Click(`#group-form button[type=submit]`)
	b.WaitText(`#group-form-status`, "Saved. Members of Night shift get these permissions on their next page load.")
	// The form already showed what was saved, so the answer was the status
	// line alone: the grid is the element the user ticked, not a new one,
	// and the form is what a fresh load of the page shows.
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/group-saved.png")
	}
	var kept string
	b.Eval(`document.querySelector('#permgrid').dataset.kept || ''`, &kept)
	if kept != "yes" {
		t.Error("the save swapped the grid although the form showed what was saved")
	}
	formState := func() string {
		var s string
		b.Eval(`[...document.querySelectorAll('#group-form input, #group-form textarea')].map(e =>
			e.name + '=' + e.value + (e.checked ? ' checked' : '') + (e.disabled ? ' disabled' : '')).join('\n')`, &s)
		return s
	}
	kept = formState()
	var here string
	b.Eval(`location.href`, &here)
	b.Navigate(here)
	if fresh := formState(); fresh != kept {
		t.Errorf("after the save the form differs from a fresh load:\nkept:\n%s\nfresh:\n%s", kept, fresh)
	}
	if !checked(`input[name=perm][value=chats_view]`) || !checked(`input[name=perm][value=chats_create]`) {
		t.Error("the reloaded form lost the saved Chats boxes")
	}

	// A field error in place (422 swapped).
	b.Fill(`#f-name`, strings.Repeat("n", 70))
	b.Eval(`document.querySelector('#f-name').removeAttribute('maxlength'); document.querySelector('#f-name').value = 'n'.repeat(70); true`, nil)
	b.Click(`#group-form button[type=submit]`)
	b.WaitText(`#group-form .field-error`, "Use at most 60 characters (this has 70).")
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/group-field-error.png")
	}

	// Add a member by the live search, then remove them (the confirm step shows the preview).
	b.Fill(`#group-members input[name=q]`, "dave")
	b.WaitText(`#group-candidates`, "Dave Loner")
	b.Click(`#group-candidates button[type=submit]`)
	b.WaitText(`#group-members`, "Added Dave Loner to Night shift.")
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/group-detail.png")
	}
	b.Click(fmt.Sprintf(`#group-members tr[data-member-id="%d"] button[type=submit]`, dave.ID))
	b.WaitText(`#group-remove-confirm`, "Remove Dave Loner from Night shift?") // the confirm step, with the preview
	b.WaitText(`#group-remove-preview`, "Dave Loner will be in no group")
	b.Click(`#group-remove-confirm button.btn-danger`)
	b.WaitText(`#group-members`, "Removed Dave Loner from Night shift.")

	// Delete asks first and names the member count, without a reload.
	b.Fill(`#group-members input[name=q]`, "dave")
	b.WaitText(`#group-candidates`, "Dave Loner")
	b.Click(`#group-candidates button[type=submit]`)
	b.WaitText(`#group-members`, "Added Dave Loner")
	b.WaitText(`#group-header`, "1 member") // the count and the confirmation follow the change
	b.ClickNav(`form[action$="/delete"] button[type=submit]`)
	b.WaitText(`#flashes`, "Group Night shift deleted. 1 member lost the permissions it granted.")
	asked := strings.Join(dialogs(), "\n")
	for _, q := range []string{"Delete Night shift? 1 member loses the permissions it grants."} {
		if !strings.Contains(asked, q) {
			t.Errorf("no confirmation %q; asked: %q", q, asked)
		}
	}
}
