package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

func (fx *membersFx) ids(actors ...string) []string {
	var out []string
	for _, a := range actors {
		out = append(out, strconv.FormatInt(fx.members[a].ID, 10))
	}
	return out
}

// An admin's bulk suspend changes the members they may touch, one audit
// entry each, and lists the others with the single action's reason: the
// owner (owner protection), themselves, another organization's member.
func TestMembersBulkSuspendChecksEachMember(t *testing.T) {
	fx := newMembersFx(t)
	admin := fx.clients["admin"]
	var outsider int64
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM memberships WHERE org_id = ? LIMIT 1`, fx.globex.ID).Scan(&outsider)
	})
	ids := append(fx.ids("agent", "manager", "owner", "admin"), strconv.FormatInt(outsider, 10))
	r := admin.Post(fx.url("/bulk"), url.Values{"action": {"suspend"}, "ids": ids})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("bulk suspend: %d %.500s", r.Status, r.Body)
	}
	for actor, want := range map[string]string{"agent": domain.StatusSuspended, "manager": domain.StatusSuspended,
		"owner": domain.StatusActive, "admin": domain.StatusActive} {
		if got := fx.membership(actor).Status; got != want {
			t.Errorf("%s: status %s, want %s", actor, got, want)
		}
	}
	var st string
	fx.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT status FROM memberships WHERE id = ?`, outsider).Scan(&st)
	})
	if st != domain.StatusActive {
		t.Errorf("globex member touched: %s", st)
	}
	if n := len(fx.audit("member.suspend")); n != 2 {
		t.Errorf("audit entries = %d, want 2 (members changed)", n)
	}
	page := admin.Get(fx.url("")).Body
	for _, want := range []string{"Suspended 2 members.", "3 left unchanged", "suspend yourself", "does not exist"} {
		if !strings.Contains(page, want) {
			t.Errorf("notice lacks %q: %.3000s", want, between(page, "Suspended 2", 1))
		}
	}
}

// Denials: an agent (members_view only) and a plain manager get 403 and
// nothing changes; a bad action or an empty selection is refused at its
// field with nothing written; removal needs members_delete.
func TestMembersBulkDenials(t *testing.T) {
	fx := newMembersFx(t)
	before := fx.snapshot()
	for _, actor := range []string{"agent", "manager"} {
		r := fx.clients[actor].Post(fx.url("/bulk"), url.Values{"action": {"suspend"}, "ids": fx.ids("admin")})
		if r.Status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", actor, r.Status)
		}
	}
	if r := fx.clients["outsider"].Post(fx.url("/bulk"), url.Values{"action": {"suspend"}, "ids": fx.ids("agent")}); r.Status != http.StatusNotFound {
		t.Errorf("outsider: %d, want 404", r.Status)
	}
	owner := fx.clients["owner"]
	for _, form := range []url.Values{{"action": {"explode"}, "ids": fx.ids("agent")}, {"action": {"suspend"}},
		{"action": {"role"}, "role": {"emperor"}, "ids": fx.ids("agent")}, {"action": {"suspend"}, "ids": {"x"}}} {
		if r := owner.Post(fx.url("/bulk"), form); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
			t.Errorf("%v: %d, want a refusal", form, r.Status)
		}
	}
	if after := fx.snapshot(); after != before {
		t.Fatalf("a refused bulk action wrote:\n%s\n%s", before, after)
	}
	// The boss (members edit+delete, not admin) cannot make anyone admin.
	r := fx.clients["boss"].Post(fx.url("/bulk"), url.Values{"action": {"role"}, "role": {"admin"}, "ids": fx.ids("agent")})
	if r.Status != http.StatusSeeOther || fx.membership("agent").Role != access.RoleAgent {
		t.Fatalf("boss made an admin: %d %s", r.Status, fx.membership("agent").Role)
	}
}

// "All matching this filter" takes the list's filter: only active agents
// get the new role.
func TestMembersBulkAllMatchingRole(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	r := owner.Post(fx.url("/bulk"), url.Values{"action": {"role"}, "role": {"sales"}, "all": {"1"},
		"filter": {"role=agent&status=suspended"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("bulk role: %d %.500s", r.Status, r.Body)
	}
	if fx.membership("suspended").Role != access.Role("sales") || fx.membership("agent").Role != access.RoleAgent {
		t.Fatalf("roles: suspended %s, agent %s", fx.membership("suspended").Role, fx.membership("agent").Role)
	}
	if n := len(fx.audit("member.role")); n != 1 {
		t.Fatalf("audit entries = %d, want 1", n)
	}
	// The list offers the bar to the owner, not to a plain manager.
	if !strings.Contains(owner.Get(fx.url("")).Body, `id="members-bulk"`) {
		t.Error("owner's list has no bulk bar")
	}
	if strings.Contains(fx.clients["manager"].Get(fx.url("")).Body, `id="members-bulk"`) {
		t.Error("manager's list has a bulk bar")
	}
}

// The preview counts what the selection loses and writes nothing; an agent
// cannot ask for it.
func TestMembersBulkPreview(t *testing.T) {
	fx := newMembersFx(t)
	before := fx.snapshot()
	r := fx.clients["owner"].PostHTMX(fx.url("/bulk/preview"), url.Values{"action": {"suspend"}, "ids": fx.ids("agent", "manager")})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="members-bulk-preview"`) || !strings.Contains(r.Body, "2 lose") {
		t.Fatalf("preview: %d %.3000s", r.Status, r.Body)
	}
	if r := fx.clients["agent"].PostHTMX(fx.url("/bulk/preview"), url.Values{"action": {"suspend"}, "ids": fx.ids("manager")}); r.Status != http.StatusForbidden {
		t.Fatalf("agent preview: %d", r.Status)
	}
	if after := fx.snapshot(); after != before {
		t.Fatal("the preview wrote")
	}
}

// Add to and remove from a group in bulk: one audit entry per member
// changed; a member already in the group is listed, not counted; the
// preview names the group's gains first.
func TestMembersBulkGroups(t *testing.T) {
	fx := newMembersFx(t)
	owner := fx.clients["owner"]
	gname := "Sales Team"
	gid := fx.groups[gname]
	if gid == 0 {
		t.Fatal("fixture has no Sales Team")
	}
	g := strconv.FormatInt(gid, 10)
	// The bar offers the groups (the group filter's cached options, none selected).
	page := owner.Get(fx.url("")).Body
	_, bar, _ := strings.Cut(page, `id="members-bulk-group"`)
	if !strings.Contains(bar, `<option value="`+g+`">`+gname+`</option>`) || strings.Contains(bar, `<option value="`+g+`" selected>`) {
		t.Errorf("the bulk bar's group choice lacks %s unselected: %.300s", gname, bar)
	}
	r := owner.PostHTMX(fx.url("/bulk/preview"), url.Values{"action": {"group_add"}, "group": {g}, "ids": fx.ids("agent", "manager")})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="members-bulk-preview"`) {
		t.Fatalf("group preview: %d %.2000s", r.Status, r.Body)
	}
	r = owner.Post(fx.url("/bulk"), url.Values{"action": {"group_add"}, "group": {g}, "ids": fx.ids("agent", "manager")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("bulk add: %d %.500s", r.Status, r.Body)
	}
	if page := owner.Get(fx.url("?group=" + g)).Body; !strings.Contains(page, `<option value="`+g+`" selected>`+gname+`</option>`) ||
		!strings.Contains(page, `id="members-bulk-group"`) {
		t.Error("the group filter does not show the filtered group selected, or the bar lacks its group choice")
	}
	r = owner.Post(fx.url("/bulk"), url.Values{"action": {"group_add"}, "group": {g}, "ids": fx.ids("agent")})
	if page := owner.Get(fx.url("")).Body; !strings.Contains(page, "already in that group") {
		t.Errorf("second add not listed as unchanged (%s)", gname)
	}
	if n := len(fx.audit("group.member_add")); n != 2 {
		t.Fatalf("add audit entries = %d, want 2", n)
	}
	r = owner.Post(fx.url("/bulk"), url.Values{"action": {"group_remove"}, "group": {g}, "ids": fx.ids("agent", "admin")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("bulk remove: %d %.500s", r.Status, r.Body)
	}
	if n := len(fx.audit("group.member_remove")); n != 1 {
		t.Fatalf("remove audit entries = %d, want 1 (admin was not in the group)", n)
	}
	// A manager (no members_edit) cannot.
	if r := fx.clients["manager"].Post(fx.url("/bulk"), url.Values{"action": {"group_add"}, "group": {g}, "ids": fx.ids("agent")}); r.Status != http.StatusForbidden {
		t.Fatalf("manager bulk add: %d", r.Status)
	}
}

// A search matching no one shows the empty state and no pager; the box
// keeps the search.
func TestMembersListZeroResultsNoPager(t *testing.T) {
	fx := newMembersFx(t)
	body := fx.clients["owner"].Get(fx.url("?q=nobody-matches-this")).Body
	if !strings.Contains(body, "No members match") || strings.Contains(body, `aria-label="Members pages"`) {
		t.Fatalf("zero results: %.3000s", between(body, "members-results", 1))
	}
	if !strings.Contains(body, `value="nobody-matches-this"`) {
		t.Fatal("search box lost its value")
	}
	if body := fx.clients["owner"].Get(fx.url("")).Body; !strings.Contains(body, `aria-label="Members pages"`) {
		t.Fatal("a list with members has no pager")
	}
}

// The search box filters the pending invitations too, in the full page and
// in the results it swaps (out of band).
func TestMembersSearchFiltersInvites(t *testing.T) {
	fx := newMembersFx(t)
	fx.inviteID("zed.pending@example.com")
	fx.inviteID("yan.other@example.com")
	owner := fx.clients["owner"]
	owner.Get(fx.url("")) // takes the invitations' flash notices
	body := owner.Get(fx.url("?q=zed")).Body
	if !strings.Contains(body, "zed.pending@example.com") || strings.Contains(body, "yan.other@example.com") {
		t.Fatalf("full page invites not filtered: %.2000s", between(body, `id="invites"`, 1))
	}
	req, _ := http.NewRequest(http.MethodGet, fx.app.URL+fx.url("?q=yan"), nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "members-results")
	req.Header.Set("HX-Trigger", "members-filter")
	r := owner.Do(req)
	if !strings.Contains(r.Body, `hx-swap-oob="true"`) || !strings.Contains(r.Body, "yan.other@example.com") || strings.Contains(r.Body, "zed.pending@example.com") {
		t.Fatalf("results swap invites: %.3000s", r.Body)
	}
	if body := owner.Get(fx.url("?q=nobody")).Body; !strings.Contains(body, "No pending invitations match.") {
		t.Fatal("no 'no match' line for invites")
	}
	if body := owner.Get(fx.url("")).Body; !strings.Contains(body, "zed.pending@example.com") || !strings.Contains(body, "yan.other@example.com") {
		t.Fatal("unfiltered list lost invites")
	}
}

// From htmx a bulk action answers with the list's results, the outcome
// beside the bar: the count, then each refused member by name with the
// reason, and the changed rows already showing it. A refused request (no
// selection) is said there too, with nothing written; a member who may not
// edit still gets a 403.
func TestMembersBulkRefusalsListed(t *testing.T) {
	fx := newMembersFx(t)
	admin := fx.clients["admin"]
	ids := fx.ids("agent", "manager", "owner", "admin")
	admin.Get(fx.url("?role=agent")) // the list cache holds this page from before the action
	r := admin.PostHTMX(fx.url("/bulk"), url.Values{"action": {"suspend"}, "ids": ids, "filter": {"role=agent"}})
	if r.Status != http.StatusOK {
		t.Fatalf("bulk suspend: %d %.500s", r.Status, r.Body)
	}
	panel := between(r.Body, `id="members-bulk-result"`, 1500)
	for _, want := range []string{"Suspended 2 members.", "2 left unchanged:", "<strong>Olivia Owner</strong> — ", "<strong>Adam Admin</strong> — ", "suspend yourself"} {
		if !strings.Contains(panel, want) {
			t.Errorf("result panel lacks %q: %.3000s", want, panel)
		}
	}
	// The seats card beside it (out of band) counts the suspended no more
	// (Sue Suspended was already).
	if seats := between(r.Body, `id="seat-usage"`, 400); !strings.Contains(seats, `hx-swap-oob="true"`) || !strings.Contains(seats, "3 suspended members") {
		t.Errorf("seat card: %s", seats)
	}
	if !strings.HasPrefix(strings.TrimSpace(r.Body), `<div id="members-results"`) || strings.Contains(r.Body, "<html") {
		t.Fatalf("not the results fragment: %.300s", r.Body)
	}
	// The results are the bar's filter (agents): Aggie shows suspended, Mona is not listed.
	row := between(r.Body, `data-member-id="`+fx.ids("agent")[0]+`"`, 4000)
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "Suspended") || strings.Contains(r.Body, "Mona Manager") {
		t.Errorf("results after the action: %.2000s", row)
	}
	if fx.membership("agent").Status != domain.StatusSuspended || fx.membership("owner").Status != domain.StatusActive {
		t.Fatal("statuses not as the panel says")
	}

	before := fx.snapshot()
	r = admin.PostHTMX(fx.url("/bulk"), url.Values{"action": {"reenable"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(between(r.Body, `id="members-bulk-result"`, 400), "Select at least one member") {
		t.Fatalf("empty selection: %d %.1500s", r.Status, r.Body)
	}
	if r := fx.clients["agent"].PostHTMX(fx.url("/bulk"), url.Values{"action": {"suspend"}, "ids": fx.ids("manager")}); r.Status != http.StatusForbidden || strings.Contains(r.Body, "members-bulk-result") {
		t.Fatalf("agent: %d", r.Status)
	}
	if fx.snapshot() != before {
		t.Fatal("a refused bulk action wrote")
	}
}
