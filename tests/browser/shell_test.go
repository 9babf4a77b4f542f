package browser_test

import (
	"context"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The page shell at desktop and phone widths: top bar and heading visible,
// nothing wider than the screen. Screenshots are always saved for review.
func TestPageShellResponsive(t *testing.T) {
	app := testkit.NewApp(t)
	u := app.CreateUser("grace@example.com", "Grace Brewster Murray Hopper", "cobol-compiler-1959")
	b := testkit.NewBrowser(t)
	login(t, b, app, u.Email, "cobol-compiler-1959")

	shoot := func(name string) {
		t.Helper()
		b.Screenshot(testkit.ArtifactPath(t, testkit.ArtifactName(t.Name())+"-"+name+".png"))
	}
	check := func(what string, width int) {
		t.Helper()
		b.WaitVisible(`header.topbar`)
		b.WaitVisible(`header.topbar .brand`)
		b.WaitVisible(profileMenu + ` > summary`)
		b.WaitVisible(pageHeading)
		expectText(t, b, pageHeading, myOrgsHeading)
		expectNoOverflow(t, b, what, width)
	}

	// Empty state.
	check("empty, desktop", 1280)
	shoot("empty-desktop")
	b.SetViewport(390, 844, true)
	b.Navigate(app.URL + "/orgs")
	check("empty, phone", 390)
	shoot("empty-phone")

	// A list with a long name and a suspended membership.
	app.CreateOrg("Acme Corporation", "acme", []string{"crm"}, u)
	owner := app.CreateUser("owner@example.com", "Owner", "owner-password-1")
	globex := app.CreateOrg("Globex International Holdings and Subsidiaries Worldwide", "globex", []string{"crm", "inbox"}, owner)
	app.AddMember(globex, u, access.RoleSales)
	initech := app.CreateOrg("Initech", "initech", nil, owner)
	m := app.AddMember(initech, u, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, initech.ID, m.ID, domain.StatusSuspended)
	})
	b.SetViewport(1280, 900, false)
	b.Navigate(app.URL + "/orgs")
	check("list, desktop", 1280)
	expectText(t, b, `main`, "Acme Corporation")
	expectText(t, b, `main`, "Globex International")
	expectText(t, b, `main`, "Suspended")
	shoot("desktop")

	b.SetViewport(390, 844, true)
	b.Navigate(app.URL + "/orgs")
	check("list, phone", 390)
	shoot("phone")

	// The profile dropdown opens inside the screen on a phone.
	b.Click(profileMenu + ` > summary`)
	b.WaitVisible(logoutButton)
	var box struct{ Left, Right float64 }
	b.Eval(`(() => { const r = document.querySelector("details.profile .dropdown-menu").getBoundingClientRect();
		return {Left: r.left, Right: r.right}; })()`, &box)
	if box.Left < 0 || box.Right > 390 {
		t.Errorf("profile menu spans x %.0f..%.0f, outside the 390px screen", box.Left, box.Right)
	}
	expectNoOverflow(t, b, "phone, profile menu open", 390)
	shoot("phone-menu")
}

// expectNoOverflow fails when the page is wider than the window (a
// horizontal scrollbar on a phone) or the viewport is not the one asked for.
func expectNoOverflow(t *testing.T, b *testkit.Browser, what string, width int) {
	t.Helper()
	var m struct{ ScrollWidth, InnerWidth int }
	b.Eval(`({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: window.innerWidth})`, &m)
	if m.InnerWidth != width {
		t.Errorf("%s: window.innerWidth %d, want %d", what, m.InnerWidth, width)
	}
	if m.ScrollWidth > m.InnerWidth {
		t.Errorf("%s: horizontal overflow, scrollWidth %d > innerWidth %d", what, m.ScrollWidth, m.InnerWidth)
	}
}
