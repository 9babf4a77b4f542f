package web_test

import (
	"regexp"
	"strings"
	"testing"

	"gatehouse/internal/membership"
)

// cardOf is the member page's section with that id, up to its end.
func cardOf(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return "(no " + id + ")"
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

var submitRe = regexp.MustCompile(`<button type="submit"[^>]*>`)

// An admin viewing an owner sees each control off with the owner rule next
// to it, and the same POST is still refused, in the card that sent it.
func TestMemberPageDisabledControlsSayWhy(t *testing.T) {
	fx := newMembersFx(t)
	admin, owner := fx.clients["admin"], fx.clients["owner"]
	const ownerRule = "Only an owner can change an owner&#39;s membership."

	body := admin.Get(fx.memberURL("owner", "")).Body
	for _, card := range []string{"member-role", "member-groups", "member-access"} {
		sec := cardOf(body, card)
		buttons := submitRe.FindAllString(sec, -1)
		if len(buttons) == 0 {
			t.Fatalf("admin → owner: %s has no buttons: %s", card, sec)
		}
		for _, b := range buttons {
			if !strings.Contains(b, "disabled") {
				t.Errorf("admin → owner: %s has an enabled control %s", card, b)
			}
		}
		if strings.Count(sec, `class="field-hint control-reason"`) != len(buttons) || !strings.Contains(sec, ownerRule) {
			t.Errorf("admin → owner: %s does not say why each control is off: %s", card, sec)
		}
	}
	before := fx.snapshot()
	for path, card := range map[string]string{"/suspend": "member-access", "/remove": "member-access", "/role": "member-role"} {
		r := admin.PostHTMX(fx.memberURL("owner", path), map[string][]string{"role": {"agent"}})
		if r.Status != 403 {
			t.Errorf("admin POST %s on the owner: %d, want 403", path, r.Status)
		}
		if sec := cardOf(r.Body, card); !strings.Contains(sec, `role="alert"`) || !strings.Contains(sec, ownerRule) {
			t.Errorf("admin POST %s: refusal not in %s: %s", path, card, sec)
		}
	}
	if fx.snapshot() != before {
		t.Error("a refused POST wrote something")
	}

	// The owner viewing the admin: everything on, no reasons.
	body = owner.Get(fx.memberURL("admin", "")).Body
	for _, card := range []string{"member-role", "member-groups", "member-access"} {
		sec := cardOf(body, card)
		for _, b := range submitRe.FindAllString(sec, -1) {
			if strings.Contains(b, "disabled") {
				t.Errorf("owner → admin: %s has a disabled control %s", card, b)
			}
		}
		if strings.Contains(sec, "control-reason") {
			t.Errorf("owner → admin: %s shows a reason: %s", card, sec)
		}
	}

	// Yourself: suspend and remove are off with the service's own words,
	// role and groups stay on (an owner may change their own).
	sec := cardOf(owner.Get(fx.memberURL("owner", "")).Body, "member-access")
	for _, why := range []string{membership.SelfSuspend, membership.SelfRemove} {
		if !strings.Contains(sec, strings.ReplaceAll(why, "'", "&#39;")) {
			t.Errorf("owner on their own page: %q missing: %s", why, sec)
		}
	}
	if r := owner.PostHTMX(fx.memberURL("owner", "/suspend"), nil); r.Status != 422 ||
		!strings.Contains(cardOf(r.Body, "member-access"), strings.ReplaceAll(membership.SelfSuspend, "'", "&#39;")) {
		t.Errorf("owner suspends self: %d, want 422 with the reason in the access card", r.Status)
	}
}
