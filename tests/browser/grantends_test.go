package browser_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// An owner gives the agent's Night shift membership an end on the member
// page: the Time limits panel states what happens at the instant before
// anything is saved, and after the save the group reads "until …".
func TestGrantEndInBrowser(t *testing.T) {
	app := testkit.NewDemoApp(t)
	var id int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?`, demo.AgentEmail).Scan(&id)
	})
	b := testkit.NewBrowser(t)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	b.Navigate(fmt.Sprintf("%s/o/%s/settings/members/%d", app.URL, demo.OrgSlug, id))
	b.WaitText(`#member-grants-preview`, "Choose a grant and a time")
	end := time.Now().UTC().Add(10 * 24 * time.Hour).Truncate(time.Minute)
	// A date-time input takes its value whole (typing into it depends on the locale).
	b.Eval(`(() => { const el = document.querySelector('#member-grant-until'); el.value = '`+end.Format("2006-01-02T15:04")+`';
		el.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, nil)
	until := end.Format("2 Jan 2006 15:04")
	got := b.WaitText(`#member-grants-preview`, "Until "+until+" UTC nothing changes; then:")
	if !strings.Contains(got, "then:") {
		t.Fatalf("panel: %q", got)
	}
	b.Click(`#member-grants button[type=submit]`)
	b.WaitText(`#member-detail`, "Night shift (until "+until+" UTC)")
}
