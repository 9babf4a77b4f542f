package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// inviteIDs is the ids of the invitations to the emails, as posted.
func (fx *membersFx) inviteIDs(emails ...string) []string {
	var out []string
	for _, e := range emails {
		var id int64
		fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT id FROM invites WHERE email = ? ORDER BY id DESC LIMIT 1`, e).Scan(&id)
		})
		out = append(out, strconv.FormatInt(id, 10))
	}
	return out
}

// expireInvite moves an invitation's expiry into the past.
func (fx *membersFx) expireInvite(email string) {
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE invites SET expires_at = ? WHERE email = ?`, tx.Now()-60, email)
		return err
	})
}

// A bulk resend gives each selected invitation a new link (mailed, the old
// one dead) and one audit entry; an expired one is renewed and takes a
// seat; one the admin may not resend (an invitation to become owner) and a
// revoked one are listed with the single action's reason, and left alone.
// The preview says all of it first and writes nothing.
func TestInvitesBulkResend(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	oldA := fx.inviteLink(t, "owner", "a@example.com", nil)
	fx.inviteLink(t, "owner", "b@example.com", nil)
	fx.inviteLink(t, "owner", "gone@example.com", nil)
	fx.inviteLink(t, "owner", "boss@example.com", url.Values{"role": {"owner"}})
	fx.expireInvite("b@example.com")
	revoke := fx.clients["owner"].Post(fx.url("/invites/"+fx.inviteIDs("gone@example.com")[0]+"/revoke"), nil)
	if revoke.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", revoke.Status)
	}
	ids := fx.inviteIDs("a@example.com", "b@example.com", "gone@example.com", "boss@example.com")
	admin := fx.clients["admin"]

	before := fx.snapshot()
	r := admin.PostHTMX(fx.url("/invites/resend/preview"), url.Values{"ids": ids})
	for _, want := range []string{`id="invites-bulk-preview"`, "2 invitations will be resent", "1 expired invitation is renewed",
		"gone@example.com", "was revoked", "boss@example.com", "2 left unchanged"} {
		if r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Fatalf("preview lacks %q: %d %.2000s", want, r.Status, r.Body)
		}
	}
	if fx.snapshot() != before {
		t.Fatal("the preview wrote")
	}

	r = admin.PostHTMX(fx.url("/invites/resend"), url.Values{"ids": ids})
	for _, want := range []string{`id="invites"`, "Resent 2 invitations", "1 invitation had expired", `id="invites-refused"`,
		"<strong>gone@example.com</strong> — ", "<strong>boss@example.com</strong> — "} {
		if r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Fatalf("resend lacks %q: %d %.3000s", want, r.Status, r.Body)
		}
	}
	if n := len(fx.audit("invite.resend")); n != 2 {
		t.Errorf("audit entries = %d, want 2", n)
	}
	newA := testkit.FindLink(t, fx.app.SMTP.WaitFor(t, "a@example.com", 10*time.Second).Text, fx.app.URL+"/invite/")
	if newA == oldA {
		t.Fatal("resend mailed the same link")
	}
	fx.app.SMTP.WaitFor(t, "b@example.com", 10*time.Second)
	var bExp, bossResends int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT expires_at - ? FROM invites WHERE email = 'b@example.com'`, tx.Now()).Scan(&bExp); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'invite.resend' AND target IN ('boss@example.com', 'gone@example.com')`).Scan(&bossResends)
	})
	if bExp < 6*24*3600 || bossResends != 0 {
		t.Fatalf("expired invitation renewed for %ds; refused ones resent %d times", bExp, bossResends)
	}
	// The old link is dead, the new one lands.
	c := fx.app.LoginAs(fx.app.CreateUser("a@example.com", "Ann", mfxPassword).Email, mfxPassword)
	if r := c.Get(oldA); r.Status != http.StatusNotFound {
		t.Fatalf("old link: %d", r.Status)
	}
	if r := c.Get(newA); r.Status != http.StatusOK {
		t.Fatalf("new link: %d", r.Status)
	}
	// Without htmx: a redirect and the same words in the notice.
	r = fx.clients["owner"].Post(fx.url("/invites/resend"), url.Values{"ids": fx.inviteIDs("boss@example.com")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("plain resend: %d", r.Status)
	}
	if page := fx.clients["owner"].Get(fx.url("")).Body; !strings.Contains(page, "Resent 1 invitation with new links") {
		t.Fatalf("no notice: %.500s", between(page, "Resent", 1))
	}
}

// Denials: without members_create a 403, another organization's
// invitation among the ids a 404 with nothing resent (not even the valid
// ones), an outsider a 404, an empty or bad selection a refusal at its
// field; the list offers the bar only to those who may invite.
func TestInvitesBulkResendDenials(t *testing.T) {
	fx := newMembersFx(t, testkit.WithSMTP())
	fx.inviteLink(t, "owner", "a@example.com", nil)
	var foreign int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		inv, err := tx.CreateInvite(ctx, store.Invite{OrgID: fx.globex.ID, Email: "g@globex.test", Role: "agent", ExpiresAt: tx.Now() + 3600}, "globex-hash")
		foreign = inv.ID
		return err
	})
	ids := fx.inviteIDs("a@example.com")
	before := fx.snapshot()
	for _, path := range []string{"/invites/resend", "/invites/resend/preview"} {
		for _, actor := range []string{"agent", "manager"} {
			if r := fx.clients[actor].PostHTMX(fx.url(path), url.Values{"ids": ids}); r.Status != http.StatusForbidden || strings.Contains(r.Body, "a@example.com") {
				t.Errorf("%s %s: %d, want 403", actor, path, r.Status)
			}
		}
		if r := fx.clients["outsider"].PostHTMX(fx.url(path), url.Values{"ids": ids}); r.Status != http.StatusNotFound {
			t.Errorf("outsider %s: %d, want 404", path, r.Status)
		}
		withForeign := url.Values{"ids": append(ids, strconv.FormatInt(foreign, 10))}
		if r := fx.clients["owner"].PostHTMX(fx.url(path), withForeign); r.Status != http.StatusNotFound {
			t.Errorf("foreign id %s: %d, want 404", path, r.Status)
		}
		for _, form := range []url.Values{{}, {"ids": {"x"}}, {"ids": {"-3"}}} {
			if r := fx.clients["owner"].PostHTMX(fx.url(path), form); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("%s %v: %d, want a refusal", path, form, r.Status)
			}
		}
	}
	if fx.snapshot() != before {
		t.Fatal("a refused bulk resend wrote")
	}
	if n := len(fx.audit("invite.resend")); n != 0 {
		t.Fatalf("audit entries = %d after refusals", n)
	}
	if !strings.Contains(fx.clients["owner"].Get(fx.url("")).Body, `id="invites-bulk"`) {
		t.Error("owner's list has no resend bar")
	}
	if page := fx.clients["manager"].Get(fx.url("")).Body; strings.Contains(page, `id="invites-bulk"`) || strings.Contains(page, `form="invites-bulk"`) {
		t.Error("manager's list offers the bulk resend")
	}
}
