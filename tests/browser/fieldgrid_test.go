package browser_test

import (
	"context"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The field choices of the group grid in a browser: the live preview posts
// them, and the "default" label follows the module's Edit box.
func TestGroupFieldChoicesInBrowser(t *testing.T) {
	app := testkit.NewApp(t)
	org := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, app.CreateUser("owner@acme.test", "Olivia Owner", pw))
	dave := app.Join(org, "dave@acme.test", "Dave Loner", pw, access.RoleAgent)
	var gid int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		s := access.Set{}
		s.Grant(access.ModCustomers, access.View)
		var err error
		if gid, err = tx.CreateGroup(ctx, org.ID, "Night shift", "", s, ""); err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, org.ID, gid, dave.ID)
	})
	b := testkit.NewBrowser(t)
	login(t, b, app, "owner@acme.test", pw)
	b.Navigate(app.URL + "/o/acme/settings/groups/" + strconv.FormatInt(gid, 10))
	shown := func() string {
		var s string
		b.Eval(`[...document.querySelectorAll('[data-perm-field="customers.name"] .perm-default-edit, [data-perm-field="customers.name"] .perm-default-noedit')]
			.filter(e => getComputedStyle(e).display !== 'none').map(e => e.textContent.trim()).join('|')`, &s)
		return s
	}
	if got := shown(); got != "default: read (no edit on Customers)" {
		t.Errorf("without Edit the name's default shows %q", got)
	}
	b.Eval(`document.querySelector('[data-perm-fields="customers"] details').open = true; true`, nil)
	b.Click(`input[name="field.customers.tax_id"][value="read"]`)
	b.WaitText(`#group-preview`, "1 member: tax_id becomes read-only")
	b.Click(`input[name=perm][value=customers_edit]`)
	if got := shown(); got != "default: edit" {
		t.Errorf("with Edit ticked the name's default shows %q", got)
	}
}
