package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	_ "image/jpeg" // decode served photos

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/geo/geotest"
	"gatehouse/internal/photo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

const prPassword = "profile password 123"

const (
	uaChromeMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	uaIPhone    = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

// prUser creates an account and a signed-in client for it.
func prUser(t *testing.T, app *testkit.App, email, name string) (domain.User, *testkit.Client) {
	t.Helper()
	u := app.CreateUser(email, name, prPassword)
	return u, app.LoginAs(email, prPassword)
}

func prUserByID(t *testing.T, app *testkit.App, id int64) domain.User {
	t.Helper()
	u, err := app.DB.UserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func prPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// prBomb is a valid tiny PNG whose header claims w×h pixels.
func prBomb(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := prPNG(t, 1, 1)
	put := func(off int, v uint32) {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, w)
	put(20, h)
	crc := crc32IEEE(b[12:29])
	put(29, crc)
	return b
}

func crc32IEEE(p []byte) uint32 {
	crc := ^uint32(0)
	for _, x := range p {
		crc ^= uint32(x)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xEDB88320
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

func TestProfilePageShowsLoginsWithLocationAndDevice(t *testing.T) {
	app := testkit.NewApp(t, testkit.WithGeoIP(geotest.WriteDefault(t)))
	ctx := context.Background()
	u := app.CreateUser("pat@example.test", "Pat Profile", prPassword)
	c := app.Client()
	c.Header.Set("User-Agent", uaChromeMac)
	c.LogIn(u.Email, prPassword)
	// A login from London on a phone, recorded as the app records logins.
	if err := app.DB.CreateSession(ctx, store.Session{ID: "london-session", UserID: u.ID, IP: "81.2.69.142", UserAgent: uaIPhone}); err != nil {
		t.Fatal(err)
	}
	other := app.CreateUser("other@example.test", "Olga Other", prPassword)
	if err := app.DB.CreateSession(ctx, store.Session{ID: "other-user-session", UserID: other.ID, IP: "175.16.199.10", UserAgent: uaChromeMac}); err != nil {
		t.Fatal(err)
	}

	r := c.Get("/me/profile")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /me/profile: %d", r.Status)
	}
	for _, want := range []string{
		"Pat Profile", "pat@example.test",
		"81.2.69.142", "London, United Kingdom", // GeoIP from the test database
		"127.0.0.1", "Local network", // loopback needs no database
		"Chrome 126 on macOS", "Desktop · Mac",
		"Safari 17 on iOS 17", "Phone · iPhone",
		"This device", "/me/sessions/london-session/revoke",
		"Recent logins", "Active sessions",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	// Someone else's logins and sessions are not listed.
	for _, bad := range []string{"175.16.199.10", "Changchun", "other-user-session"} {
		if strings.Contains(r.Body, bad) {
			t.Errorf("profile shows another user's %q", bad)
		}
	}
	// The current session has no revoke button, only the marker.
	cur := app.DB
	sessions, _ := cur.UserSessions(ctx, u.ID)
	for _, s := range sessions {
		if s.IP == "127.0.0.1" && strings.Contains(r.Body, "/me/sessions/"+s.ID+"/revoke") {
			t.Error("the current session offers a revoke button")
		}
	}
}

func TestProfileWithoutGeoIPShowsTheIPAlone(t *testing.T) {
	app := testkit.NewApp(t)
	u, c := prUser(t, app, "ip@example.test", "Ivy Plain")
	if err := app.DB.CreateSession(context.Background(), store.Session{ID: "s2", UserID: u.ID, IP: "81.2.69.142", UserAgent: ""}); err != nil {
		t.Fatal(err)
	}
	r := c.Get("/me/profile")
	if !strings.Contains(r.Body, "81.2.69.142") || strings.Contains(r.Body, "London") {
		t.Errorf("without a database: want the IP alone; London shown = %v", strings.Contains(r.Body, "London"))
	}
	if !strings.Contains(r.Body, "Local network") {
		t.Error("loopback login not shown as Local network")
	}
	if !strings.Contains(r.Body, "Unknown browser") {
		t.Error("an empty user agent is not shown as unknown")
	}
}

func TestProfileGroupsPerOrganization(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	owner := app.CreateUser("boss@example.test", "Bo Boss", prPassword)
	u, c := prUser(t, app, "gina@example.test", "Gina Groups")
	acme := app.CreateOrg("Acme Ltd", "acme", []string{"crm", "inbox"}, owner)
	globex := app.CreateOrg("Globex", "globex", []string{"crm"}, owner)
	initech := app.CreateOrg("Initech", "initech", nil, owner)
	m := app.AddMember(acme, u, access.RoleAgent)
	app.AddMember(globex, u, access.RoleAdmin)
	ownerM, _ := app.DB.MembershipOfUser(ctx, initech.ID, owner.ID)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		groups, err := tx.Groups(ctx, acme.ID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.Name == "Sales Team" || g.Name == "Support Agents" {
				if err := tx.AddGroupMember(ctx, acme.ID, g.ID, m.ID); err != nil {
					return err
				}
			}
		}
		// The owner's groups elsewhere must not leak into Gina's profile.
		ig, err := tx.Groups(ctx, initech.ID)
		if err != nil {
			return err
		}
		return tx.AddGroupMember(ctx, initech.ID, ig[0].ID, ownerM.ID)
	})
	r := c.Get("/me/profile")
	for _, want := range []string{"Acme Ltd", "Globex", "Sales Team", "Support Agents", "No groups", "/o/acme/me/permissions", "Agent", "Admin"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("groups section lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "Initech") {
		t.Error("profile lists an organization the user is not in")
	}
}

func TestProfileDetailsValidation(t *testing.T) {
	app := testkit.NewApp(t)
	u, c := prUser(t, app, "val@example.test", "Val Idate")
	good := url.Values{"name": {"Val Idate"}, "phone": {"+44 20 7946 0958"}, "job_title": {"Support lead"}, "location": {"London office"}}
	with := func(k, v string) url.Values {
		f := maps.Clone(good)
		f.Set(k, v)
		return f
	}
	cases := []struct {
		field, value, msg string
	}{
		{"name", "", "Enter your name."},
		{"name", strings.Repeat("n", 101), "Use at most 100 characters."},
		{"name", "Val <script>", "Use letters, spaces and common punctuation only."},
		{"phone", "call me maybe", "Use digits, spaces and + ( ) - . only"},
		{"phone", "123", "5 to 17 digits"},
		{"phone", "12+345678", "A + may only start the number."},
		{"phone", strings.Repeat("1", 33), "Use at most 32 characters."},
		{"job_title", strings.Repeat("j", 101), "Use at most 100 characters."},
		{"job_title", "Boss\x07", "Use letters, digits, spaces and common punctuation only."},
		{"location", "<b>Paris</b>", "Use letters, digits, spaces and common punctuation only."},
		{"location", strings.Repeat("l", 101), "Use at most 100 characters."},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value[:min(len(tc.value), 12)], func(t *testing.T) {
			r := c.Post("/me/profile", with(tc.field, tc.value))
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Status)
			}
			if !strings.Contains(r.Body, `id="f-`+tc.field+`-error"`) || !strings.Contains(r.Body, htmlEsc(tc.msg)) {
				t.Errorf("no message %q next to %s", tc.msg, tc.field)
			}
			// The other fields keep what was typed.
			if tc.field != "location" && !strings.Contains(r.Body, `value="London office"`) {
				t.Error("typed values were lost")
			}
			if got := prUserByID(t, app, u.ID); got.Name != "Val Idate" || got.Phone != "" || got.JobTitle != "" {
				t.Errorf("something was saved: %+v", got)
			}
		})
	}
	// htmx gets the details card alone, still 422.
	r := c.PostHTMX("/me/profile", with("phone", "nope"))
	if r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="profile-details"`) {
		t.Errorf("htmx error: status %d, fragment=%v", r.Status, !strings.Contains(r.Body, "<html"))
	}
	// Valid input is saved, trimmed.
	f := with("name", "  Valerie Idate ")
	r = c.Post("/me/profile", f)
	if r.Status != http.StatusSeeOther || r.Location != "/me/profile" {
		t.Fatalf("save: %d %s", r.Status, r.Location)
	}
	got := prUserByID(t, app, u.ID)
	if got.Name != "Valerie Idate" || got.Phone != "+44 20 7946 0958" || got.JobTitle != "Support lead" || got.Location != "London office" {
		t.Errorf("saved %+v", got)
	}
	if page := c.Follow(r); !strings.Contains(page.Body, "Your details are saved.") || !strings.Contains(page.Body, `value="Support lead"`) {
		t.Error("saved details not shown")
	}
	// Optional fields may be cleared.
	r = c.Post("/me/profile", url.Values{"name": {"Valerie Idate"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("clearing: %d", r.Status)
	}
	if got := prUserByID(t, app, u.ID); got.Phone != "" || got.JobTitle != "" || got.Location != "" {
		t.Errorf("not cleared: %+v", got)
	}
}

func htmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "+").Replace(s)
}

func TestProfileEmailChange(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	u, c := prUser(t, app, "old@example.test", "Eve Email")
	app.CreateUser("taken@example.test", "Tak En", prPassword)

	cases := []struct {
		name, email, pw, field, msg string
	}{
		{"wrong password", "new@example.test", "not my password", "email-password", "Your current password is not correct."},
		{"no password", "new@example.test", "", "email-password", "Enter your current password."},
		{"invalid email", "not-an-email", prPassword, "new-email", "Enter a valid email address"},
		{"same email", "OLD@example.test", prPassword, "new-email", "This is already your email address."},
		{"taken", "Taken@Example.test", prPassword, "new-email", "You can&#39;t use this email address."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Post("/me/profile/email", url.Values{"email": {tc.email}, "password": {tc.pw}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", r.Status)
			}
			if !strings.Contains(r.Body, `id="f-`+tc.field+`-error"`) || !strings.Contains(r.Body, tc.msg) {
				t.Errorf("no %q next to %s", tc.msg, tc.field)
			}
			if strings.Contains(strings.ToLower(r.Body), "already registered") || strings.Contains(r.Body, "Tak En") {
				t.Error("the answer reveals the other account")
			}
			if got := prUserByID(t, app, u.ID); got.Email != "old@example.test" {
				t.Errorf("email changed to %s", got.Email)
			}
		})
	}
	r := c.Post("/me/profile/email", url.Values{"email": {"New.Address@Example.test"}, "password": {prPassword}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %.300s", r.Status, r.Body)
	}
	// Nothing changes until the new address follows its link.
	if got := prUserByID(t, app, u.ID); got.Email != "old@example.test" {
		t.Fatalf("email = %s before the link was followed", got.Email)
	}
	if r := c.Get("/me/profile"); !strings.Contains(r.Body, "Waiting for confirmation: new.address@example.test") {
		t.Fatalf("the profile does not show the pending address: %.300s", between(r.Body, "profile-email", 600))
	}
	app.Server.Wait()
	mails, err := app.DB.Outbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	var oldTold bool
	for _, m := range mails {
		switch {
		case m.To == "new.address@example.test":
			link = testkit.FindLink(t, m.Body, app.URL+"/verify?token=")
		case m.To == "old@example.test" && strings.Contains(m.Body, "new.address@example.test"):
			oldTold = true
		}
	}
	if link == "" || !oldTold {
		t.Fatalf("mails: want a link to the new address and a notice to the old one: %+v", mails)
	}
	if r := app.Client().Post("/login", url.Values{"email": {"new.address@example.test"}, "password": {prPassword}}); r.Status == http.StatusSeeOther {
		t.Error("the new address signs in before it was confirmed")
	}
	r = c.Get(strings.TrimPrefix(link, app.URL))
	if r.Status != http.StatusSeeOther || r.Location != "/me/profile" {
		t.Fatalf("follow link: %d %s", r.Status, r.Location)
	}
	if got := prUserByID(t, app, u.ID); got.Email != "new.address@example.test" || !got.Verified() {
		t.Fatalf("after the link: email = %s verified = %v", got.Email, got.Verified())
	}
	if r := c.Get(strings.TrimPrefix(link, app.URL)); r.Status != http.StatusNotFound {
		t.Fatalf("link used twice: %d", r.Status)
	}
	// The new address signs in; the old one no longer does.
	if r := app.Client().Post("/login", url.Values{"email": {"old@example.test"}, "password": {prPassword}}); r.Status == http.StatusSeeOther {
		t.Error("old email still signs in")
	}
	app.LoginAs("new.address@example.test", prPassword)
}

func TestProfilePasswordChangeEndsOtherSessions(t *testing.T) {
	app := testkit.NewApp(t)
	u, c := prUser(t, app, "pw@example.test", "Paul Word")
	other := app.LoginAs(u.Email, prPassword)
	if r := other.Get("/me/profile"); r.Status != http.StatusOK {
		t.Fatalf("second session: %d", r.Status)
	}
	cases := []struct {
		name               string
		cur, next, confirm string
		field, msg         string
	}{
		{"wrong current", "nope nope nope", "brand new password", "brand new password", "current_password", "Your current password is not correct."},
		{"too short", prPassword, "short", "short", "new_password", "Use at least 10 characters."},
		{"mismatch", prPassword, "brand new password", "brand new passw0rd", "confirm_password", "The two passwords do not match."},
		{"unchanged", prPassword, prPassword, prPassword, "new_password", "Choose a password different from the current one."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Post("/me/profile/password", url.Values{"current_password": {tc.cur}, "new_password": {tc.next}, "confirm_password": {tc.confirm}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-`+tc.field+`-error"`) || !strings.Contains(r.Body, tc.msg) {
				t.Fatalf("status %d; want %q next to %s", r.Status, tc.msg, tc.field)
			}
			if strings.Contains(r.Body, tc.next) && tc.next != "" {
				t.Error("a password is echoed back into the page")
			}
			if r := other.Get("/me/profile"); r.Status != http.StatusOK {
				t.Error("a refused change ended the other session")
			}
		})
	}
	r := c.Post("/me/profile/password", url.Values{"current_password": {prPassword}, "new_password": {"brand new password"}, "confirm_password": {"brand new password"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %.300s", r.Status, r.Body)
	}
	if r := c.Get("/me/profile"); r.Status != http.StatusOK {
		t.Errorf("this session ended too: %d", r.Status)
	}
	if r := other.Get("/me/profile"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Errorf("the other session survives: %d %s", r.Status, r.Location)
	}
	app.LoginAs(u.Email, "brand new password")
	if r := app.Client().Post("/login", url.Values{"email": {u.Email}, "password": {prPassword}}); r.Status == http.StatusSeeOther {
		t.Error("old password still works")
	}
}

func TestProfilePhotoUpload(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	u, c := prUser(t, app, "photo@example.test", "Phil Photo")

	// No photo yet: initials, and /me/photo answers 404.
	r := c.Get("/me/profile")
	if !strings.Contains(r.Body, ">PP</span>") {
		t.Error("initials avatar not shown")
	}
	if r := c.Get("/me/photo/" + strconv.FormatInt(u.ID, 10)); r.Status != http.StatusNotFound {
		t.Errorf("photo before upload: %d", r.Status)
	}

	upload := prPNG(t, 300, 200)
	r = c.PostFile("/me/profile/photo", "photo", "me.png", upload, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", r.Status, r.Body)
	}
	stored, version, err := app.DB.Photo(ctx, u.ID)
	if err != nil || version == 0 {
		t.Fatalf("photo not stored: %v v%d", err, version)
	}
	if bytes.Equal(stored, upload) {
		t.Error("the upload was stored as sent; want re-encoded")
	}
	photoURL := "/me/photo/" + strconv.FormatInt(u.ID, 10) + "?v=" + strconv.FormatInt(version, 10)
	page := c.Get("/me/profile")
	if !strings.Contains(page.Body, photoURL) {
		t.Errorf("profile does not show %s", photoURL)
	}
	img := c.Get(photoURL)
	if img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" || img.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("serve: %d %q %q", img.Status, img.Header.Get("Content-Type"), img.Header.Get("X-Content-Type-Options"))
	}
	if !strings.Contains(img.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned photo not cacheable: %q", img.Header.Get("Cache-Control"))
	}
	cfg, _, err := image.DecodeConfig(strings.NewReader(img.Body))
	if err != nil || cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("served image: %v %dx%d", err, cfg.Width, cfg.Height)
	}
	// Revalidation with the ETag costs no body.
	req, _ := http.NewRequest(http.MethodGet, app.URL+photoURL, nil)
	req.Header.Set("If-None-Match", img.Header.Get("ETag"))
	if r := c.Do(req); r.Status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.Status)
	}

	bigPNG := make([]byte, photo.MaxBytes+1)
	copy(bigPNG, prPNG(t, 4, 4))
	refused := []struct {
		name, file string
		data       []byte
		msg        string
	}{
		{"5 MB + 1 byte", "big.png", bigPNG, "larger than 5 MB"},
		{"not an image", "notes.txt", []byte("just some text\n"), "not a PNG, JPEG or WebP image"},
		{"text named .png", "photo.png", []byte("I am text pretending to be a PNG"), "not a PNG, JPEG or WebP image"},
		{"html named .jpg", "x.jpg", []byte("<html><script>alert(1)</script></html>"), "not a PNG, JPEG or WebP image"},
		{"decompression bomb", "bomb.png", prBomb(t, 50000, 50000), "too large (at most 16 megapixels"},
		{"truncated png", "half.png", upload[:len(upload)/2], "could not be read"},
		{"empty file", "empty.png", nil, "Choose an image file"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			r := c.PostFile("/me/profile/photo", "photo", tc.file, tc.data, nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Status)
			}
			if !strings.Contains(r.Body, `id="f-photo-error"`) || !strings.Contains(r.Body, tc.msg) {
				t.Errorf("no message %q next to the photo field", tc.msg)
			}
			now, v, err := app.DB.Photo(ctx, u.ID)
			if err != nil || v != version || !bytes.Equal(now, stored) {
				t.Error("the old photo did not stay")
			}
			if !strings.Contains(r.Body, photoURL) {
				t.Error("the page no longer shows the old photo")
			}
		})
	}
	// No file field at all.
	if r := c.Post("/me/profile/photo", url.Values{}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose an image file") {
		t.Errorf("no file: %d", r.Status)
	}
	// Content decides, not the name: a PNG named .jpg is a fine photo.
	r = c.PostFile("/me/profile/photo", "photo", "actually-png.jpg", prPNG(t, 64, 64), nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("png named .jpg: %d", r.Status)
	}
	_, v2, _ := app.DB.Photo(ctx, u.ID)
	if v2 <= version {
		t.Errorf("version did not move on: %d → %d", version, v2)
	}
	// An old version URL must revalidate rather than be cached for good.
	if r := c.Get(photoURL); r.Status != http.StatusOK || strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stale version URL: %d %q", r.Status, r.Header.Get("Cache-Control"))
	}

	// Remove: initials again, and the photo is gone.
	r = c.Post("/me/profile/photo/remove", nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.Status)
	}
	if _, _, err := app.DB.Photo(ctx, u.ID); err != store.ErrNotFound {
		t.Errorf("after remove: %v", err)
	}
	if r := c.Get("/me/photo/" + strconv.FormatInt(u.ID, 10)); r.Status != http.StatusNotFound {
		t.Errorf("photo after remove: %d", r.Status)
	}
}

func TestProfilePhotoVisibility(t *testing.T) {
	app := testkit.NewApp(t)
	owner, oc := prUser(t, app, "own@example.test", "Oona Owner")
	colleague, cc := prUser(t, app, "col@example.test", "Cole League")
	_, stranger := prUser(t, app, "str@example.test", "Stan Ranger")
	org := app.CreateOrg("Acme Ltd", "acme", nil, owner)
	app.AddMember(org, colleague, access.RoleAgent)
	app.CreateOrg("Elsewhere", "elsewhere", nil, app.CreateUser("boss2@example.test", "B Two", prPassword))
	if r := cc.PostFile("/me/profile/photo", "photo", "c.png", prPNG(t, 40, 40), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.Status)
	}
	path := "/me/photo/" + strconv.FormatInt(colleague.ID, 10)
	if r := oc.Get(path); r.Status != http.StatusOK {
		t.Errorf("a colleague cannot see the photo: %d", r.Status)
	}
	if r := stranger.Get(path); r.Status != http.StatusNotFound {
		t.Errorf("a stranger sees the photo: %d", r.Status)
	}
	if r := app.Client().Get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Errorf("signed out: %d %s", r.Status, r.Location)
	}
	for _, bad := range []string{"/me/photo/0", "/me/photo/abc", "/me/photo/-1", "/me/photo/99999"} {
		if r := oc.Get(bad); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.Status)
		}
	}
}

func TestSessionsRevoke(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	u, c := prUser(t, app, "sess@example.test", "Sal Session")
	second := app.LoginAs(u.Email, prPassword)
	third := app.LoginAs(u.Email, prPassword)
	victim, vc := prUser(t, app, "victim@example.test", "Vic Tim")

	ids := func(userID int64) []string {
		ss, err := app.DB.UserSessions(ctx, userID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	if n := len(ids(u.ID)); n != 3 {
		t.Fatalf("%d sessions, want 3", n)
	}
	page := c.Get("/me/profile")
	if !strings.Contains(page.Body, "Sign out all 2 other sessions") {
		t.Error("no revoke-others button")
	}
	// Another user's session id: 404, nothing ended.
	vid := ids(victim.ID)[0]
	if r := c.Post("/me/sessions/"+vid+"/revoke", nil); r.Status != http.StatusNotFound {
		t.Errorf("revoking another user's session: %d", r.Status)
	}
	if r := vc.Get("/me/profile"); r.Status != http.StatusOK {
		t.Fatal("the victim was signed out")
	}
	// Revoke the second session by its id (as listed on the page).
	var secondID string
	for _, id := range ids(u.ID) {
		if strings.Contains(page.Body, "/me/sessions/"+id+"/revoke") {
			secondID = id
			break
		}
	}
	if secondID == "" {
		t.Fatal("no revoke link found")
	}
	if r := c.Post("/me/sessions/"+secondID+"/revoke", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if n := len(ids(u.ID)); n != 2 {
		t.Errorf("%d sessions after revoking one, want 2", n)
	}
	// Revoke all others: only this one stays.
	if r := c.Post("/me/sessions/revoke-others", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke others: %d", r.Status)
	}
	for name, cl := range map[string]*testkit.Client{"second": second, "third": third} {
		if r := cl.Get("/me/profile"); r.Status != http.StatusSeeOther {
			t.Errorf("%s session still signed in: %d", name, r.Status)
		}
	}
	if r := c.Get("/me/profile"); r.Status != http.StatusOK || strings.Contains(r.Body, "/me/sessions/revoke-others") {
		t.Errorf("current session: %d", r.Status)
	}
	if r := vc.Get("/me/profile"); r.Status != http.StatusOK {
		t.Error("revoke-others ended another user's session")
	}
}

func TestProfileRoutesNeedSignIn(t *testing.T) {
	app := testkit.NewApp(t)
	anon := app.Client()
	if r := anon.Get("/me/profile"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login?next=") {
		t.Errorf("GET /me/profile signed out: %d %s", r.Status, r.Location)
	}
	for _, p := range []string{"/me/profile", "/me/profile/email", "/me/profile/password", "/me/profile/photo", "/me/profile/photo/remove", "/me/sessions/revoke-others", "/me/sessions/x/revoke"} {
		if r := anon.Post(p, url.Values{"name": {"X"}}); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Errorf("POST %s signed out: %d %s", p, r.Status, r.Location)
		}
	}
}
