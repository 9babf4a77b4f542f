package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// The viewports every page must fit: a phone (390×844, emulated as one) and
// a laptop.
var layoutViewports = []struct {
	name   string
	w, h   int
	mobile bool
}{
	{"390", 390, 844, true},
	{"1280", 1280, 800, false},
}

// overflowJS reports the document's width and the widest element that sticks
// out of the viewport (w CSS pixels) without a scrolling (or clipping)
// ancestor that fits the viewport to contain it. Hidden elements (the closed phone sidebar, a
// closed dropdown) do not count.
const overflowJS = `(() => {
  const vw = %d;
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, worst: "", worstWidth: 0};
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      if (getComputedStyle(p).overflowX === "visible") continue;
      const r = p.getBoundingClientRect();
      if (r.left >= -1 && r.right <= vw + 1) return true; // scrolls inside a box that fits
    }
    return false;
  };
  const describe = (el, r) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return s + " [left " + Math.round(r.left) + ", right " + Math.round(r.right) + ", width " + Math.round(r.width) + "]" + (text ? " \"" + text + "\"" : "");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= vw + 1 && r.left >= -1) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue; // closed <details>, hidden drawer
    if (contained(el)) continue;
    if (r.width > out.worstWidth) { out.worstWidth = r.width; out.worst = describe(el, r); }
  }
  if (out.scrollWidth > vw && !out.worst) {
    // Something invisible, or absolutely positioned against a box outside
    // its scroller (which then does not clip it), still widens the page:
    // name the one reaching furthest right.
    let far = 0;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.right > far && (!contained(el) || getComputedStyle(el).position === "absolute")) { far = r.right; out.worst = "(hidden or positioned) " + describe(el, r); }
    }
  }
  return out;
})()`

type overflowReport struct {
	ScrollWidth int     `json:"scrollWidth"`
	InnerWidth  int     `json:"innerWidth"`
	Worst       string  `json:"worst"`
	WorstWidth  float64 `json:"worstWidth"`
}

// layoutPage is one page to check: who opens it (an email, or "" for a
// signed-out visitor) and its path.
type layoutPage struct{ who, path string }

// pageName turns a path into a file name for its screenshot.
func pageName(path string) string {
	r := strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_", ":", "")
	s := strings.Trim(r.Replace(path), "_")
	if s == "" {
		return "home"
	}
	return s
}

// TestPhoneLayoutEveryPage opens every GET page of the demo (from the
// server's route list, as the owner, an agent and a signed-out visitor) at
// 390 and 1280 px and fails when the page is wider than the screen, naming
// the page and the widest element that sticks out. With
// GATEHOUSE_LAYOUT_SHOTS=dir it also writes a PNG of every page there.
func TestPhoneLayoutEveryPage(t *testing.T) {
	shots := os.Getenv("GATEHOUSE_LAYOUT_SHOTS")
	app := testkit.NewDemoApp(t)
	ids := app.DemoIDs()

	// A real invitation, for the invite landing page.
	owner := app.LoginAs(demo.OwnerEmail, demo.Password)
	if r := owner.Post("/o/acme/settings/members/invite", url.Values{"email": {"newcomer@example.com"}, "name": {"Nia Newcomer"}, "role": {"agent"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %.300s", r.Status, r.Body)
	}
	app.Server.Wait()
	mails, err := app.DB.Outbox(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	var token string
	for _, m := range mails {
		if m.To == "newcomer@example.com" {
			token = strings.TrimPrefix(testkit.FindLink(t, m.Body, app.URL+"/invite/"), app.URL+"/invite/")
		}
	}
	if token == "" {
		t.Fatal("no invitation mail for newcomer@example.com")
	}

	var pages []layoutPage
	for _, rt := range app.Server.Routes() {
		if rt.Method != http.MethodGet || skipLayoutRoute(rt.Path) {
			continue
		}
		path, _ := ids.FillRoute(t, rt.Path, testkit.RouteFill{Token: token})
		switch {
		case strings.HasPrefix(rt.Path, "/o/") || rt.Guard.String() != "public":
			pages = append(pages, layoutPage{demo.OwnerEmail, path}, layoutPage{demo.AgentEmail, path})
		default:
			pages = append(pages, layoutPage{"", path})
		}
		// Tabs and states of a page that the route list does not name.
		if rt.Path == "/o/:slug/settings/members/:id/permissions" {
			pages = append(pages, layoutPage{demo.OwnerEmail, path + "?tab=individual"})
		}
	}
	// The invitee, signed in, sees the landing page with its accept form.
	pages = append(pages, layoutPage{demo.AssistantEmail, "/invite/" + token})

	for _, vp := range layoutViewports {
		for _, who := range []string{"", demo.OwnerEmail, demo.AgentEmail, demo.AssistantEmail} {
			name := vp.name + "/" + strings.SplitN(who+"visitor", "@", 2)[0]
			t.Run(name, func(t *testing.T) {
				b := testkit.NewBrowser(t)
				b.SetViewport(vp.w, vp.h, vp.mobile)
				if who != "" {
					b.Navigate(app.URL + "/login")
					b.Fill(loginForm+` input[name=email]`, who)
					b.Fill(loginForm+` input[name=password]`, demo.Password)
					b.Submit(loginForm)
					b.WaitURL(app.URL + "/o")
				}
				for _, p := range pages {
					if p.who != who {
						continue
					}
					b.Navigate(app.URL + p.path)
					user := strings.SplitN(who+"visitor", "@", 2)[0]
					expectFits(t, b, p.path, vp.w, shots, fmt.Sprintf("%s-%s-%s.png", vp.name, user, pageName(p.path)))
				}
			})
		}
	}
}

// expectFits fails the test when the current page (named where) is wider
// than w px, naming the widest element that sticks out; with shots set it
// also saves a screenshot there as file.
func expectFits(t *testing.T, b *testkit.Browser, where string, w int, shots, file string) {
	t.Helper()
	var rep overflowReport
	b.Eval(fmt.Sprintf(overflowJS, w), &rep)
	if rep.ScrollWidth > w || rep.Worst != "" {
		t.Errorf("%s at %d px: page is %d px wide (viewport %d); widest element out of the screen: %s",
			where, w, rep.ScrollWidth, w, rep.Worst)
	}
	if shots != "" {
		b.Screenshot(filepath.Join(shots, file))
	}
}

// The wizard's four steps (only the first is a GET page of its own) fit a
// phone too.
func TestPhoneWizardSteps(t *testing.T) {
	shots := os.Getenv("GATEHOUSE_LAYOUT_SHOTS")
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	b.SetViewport(390, 844, true)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	b.Navigate(app.URL + "/orgs/new")
	b.WaitVisible(wzCompany)
	expectFits(t, b, "wizard step 1", 390, shots, "390-wizard-1.png")
	b.Fill(`#org-name`, "Hopper Labs")
	b.Click(wzCompany + wzNext)
	b.WaitVisible(wzDetails)
	expectFits(t, b, "wizard step 2", 390, shots, "390-wizard-2.png")
	b.Fill(`#org-slug`, "hopper")
	b.Do("choose country", chromedp.SetValue(chromedp.CSS(`#org-country`), "DE"))
	b.Fill(`#org-city`, "Berlin")
	b.Fill(`#org-address`, "Unter den Linden 1")
	b.Fill(`#org-vat`, "DE123456789")
	b.Click(wzDetails + wzNext)
	b.WaitVisible(wzPlan)
	expectFits(t, b, "wizard step 3", 390, shots, "390-wizard-3.png")
	b.Click(wzPlan + ` input[name=products][value=crm]`)
	b.Click(wzPlan + ` input[name=package][value=team]`)
	b.Click(wzPlan + wzNext)
	b.WaitVisible(wzReview)
	expectFits(t, b, "wizard step 4", 390, shots, "390-wizard-4.png")
}

// skipLayoutRoute leaves out the GET routes that are not pages: files,
// JSON, htmx partials and redirects into other pages.
func skipLayoutRoute(path string) bool {
	switch {
	case path == "/healthz",
		strings.HasSuffix(path, ".csv"), strings.HasSuffix(path, ".json"),
		strings.HasPrefix(path, "/me/photo/"),          // an image
		strings.HasPrefix(path, "/orgs/new/check-"),    // htmx field checks
		strings.HasSuffix(path, "/candidates"),         // htmx partial of the group page
		strings.HasSuffix(path, "/chats/:id/messages"), // the live thread's htmx poll
		strings.Contains(path, "/attachments/"),        // a download
		path == "/verify":                              // a redirect after a token check
		return true
	}
	return false
}

// On a phone the sidebar is behind a menu button: a <button> whose
// aria-expanded follows the drawer; Escape and the close button shut it and
// give the focus back to the button.
func TestPhoneMenuButton(t *testing.T) {
	app := testkit.NewDemoApp(t)
	b := testkit.NewBrowser(t)
	b.SetViewport(390, 844, true)
	login(t, b, app, demo.OwnerEmail, demo.Password)
	b.Navigate(app.URL + "/o/acme/settings/members")

	const toggle = `button.nav-toggle[data-nav-toggle][aria-controls=sidebar]`
	state := func() (expanded string, visible, focused bool) {
		var s struct {
			Expanded string `json:"expanded"`
			Visible  bool   `json:"visible"`
			Focused  bool   `json:"focused"`
		}
		b.Eval(`(() => { const t = document.querySelector('`+toggle+`');
			const r = document.getElementById("sidebar").getBoundingClientRect();
			return {expanded: t.getAttribute("aria-expanded"),
				visible: document.getElementById("sidebar").checkVisibility({visibilityProperty: true}) && r.left >= 0,
				focused: document.activeElement === t}; })()`, &s)
		return s.Expanded, s.Visible, s.Focused
	}
	settle := func() { b.Do("wait for the drawer", chromedp.Sleep(400*time.Millisecond)) }

	if e, v, _ := state(); e != "false" || v {
		t.Fatalf("closed menu: aria-expanded=%q, sidebar visible=%v; want false, hidden", e, v)
	}
	b.Click(toggle)
	settle()
	if e, v, _ := state(); e != "true" || !v {
		t.Fatalf("after a tap on the menu button: aria-expanded=%q, sidebar visible=%v; want true, visible", e, v)
	}
	var inside bool
	b.Eval(`document.getElementById("sidebar").contains(document.activeElement)`, &inside)
	if !inside {
		t.Error("the open drawer does not take the focus")
	}
	b.Do("press Escape", chromedp.KeyEvent(kb.Escape))
	settle()
	if e, v, f := state(); e != "false" || v || !f {
		t.Fatalf("after Escape: aria-expanded=%q, sidebar visible=%v, focus on the button=%v; want false, hidden, true", e, v, f)
	}
	// Keyboard: Enter on the focused button opens it; the close button shuts it.
	b.Do("press Enter", chromedp.KeyEvent(kb.Enter))
	settle()
	if e, v, _ := state(); e != "true" || !v {
		t.Fatalf("after Enter on the button: aria-expanded=%q, visible=%v; want true, visible", e, v)
	}
	b.Click(`#sidebar button.sidebar-close`)
	settle()
	if e, v, f := state(); e != "false" || v || !f {
		t.Fatalf("after the close button: aria-expanded=%q, sidebar visible=%v, focus on the button=%v", e, v, f)
	}
}
