package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgio"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// chatsFixture is the demo with seed 003's operations team: members who
// read conversations and leave internal notes but never reply (ops, team
// scope, chats_view + chats_note), and the demo agent's conversation with
// its file (team EMEA, the agent's own).
type chatsFixture struct {
	app       *testkit.App
	ids       testkit.DemoIDs
	acme      domain.Org
	ops       int64 // the Operations team
	opsMember domain.Membership
	care      domain.Membership // a supervisor in EMEA: team scope, reply, note, attach, no canAssignToOthers
	careC     *testkit.Client
	agent     *testkit.Client
	opsC      *testkit.Client
	owner     *testkit.Client
	channels  map[string]int64
}

const opsEmail = "ops@acme.test"

func newChatsFixture(t *testing.T) *chatsFixture {
	t.Helper()
	app := testkit.NewDemoApp(t)
	f := &chatsFixture{app: app, ids: app.DemoIDs(), channels: map[string]int64{}}
	ctx := context.Background()
	var err error
	if f.acme, err = app.DB.OrgBySlug(ctx, demo.OrgSlug); err != nil {
		t.Fatal(err)
	}
	f.opsMember = app.Join(f.acme, opsEmail, "Otto Ops", demo.Password, access.RoleAgent)
	f.care = app.Join(f.acme, "care@acme.test", "Cara Care", demo.Password, access.RoleSupervisor)
	set := testkit.Set(t, "dashboard_view", "chats_view", "chats_note", "+chats.canAccessTeam")
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetCustom(ctx, f.acme.ID, f.opsMember.ID, &set); err != nil {
			return err
		}
		if f.ops, err = tx.CreateTeam(ctx, f.acme.ID, "Operations", "Refunds and logistics"); err != nil {
			return err
		}
		if _, err := tx.AddTeamMember(ctx, f.acme.ID, f.ops, f.opsMember.ID); err != nil {
			return err
		}
		var emea int64
		if err := tx.QueryRow(ctx, `SELECT id FROM teams WHERE org_id = ? AND name = ?`, f.acme.ID, demo.TeamEMEA).Scan(&emea); err != nil {
			return err
		}
		_, err := tx.AddTeamMember(ctx, f.acme.ID, emea, f.care.ID)
		return err
	})
	chs, err := app.DB.Channels(ctx, f.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chs {
		f.channels[c.Name] = c.ID
	}
	f.agent = app.LoginAs(demo.AgentEmail, demo.Password)
	f.opsC = app.LoginAs(opsEmail, demo.Password)
	f.owner = app.LoginAs(demo.OwnerEmail, demo.Password)
	f.careC = app.LoginAs("care@acme.test", demo.Password)
	return f
}

func (f *chatsFixture) path(id int64, tail string) string {
	return fmt.Sprintf("/o/acme/chats/%d%s", id, tail)
}

// thread is the stored thread of conversation id.
func (f *chatsFixture) thread(t *testing.T, id int64) []store.Message {
	t.Helper()
	ms, err := f.app.DB.Thread(context.Background(), f.acme.ID, id, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func wantStatus(t *testing.T, what string, r *testkit.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: %d, want %d; body %.600s", what, r.Status, status, r.Body)
	}
}

// The operations team reads and notes but never replies: no Reply button,
// a crafted reply is 403 and stores nothing, a note is stored; the
// hand-off from care to operations and back is recorded in the thread and
// the audit log and keeps the assignee.
func TestChatsOperationsNoteButNeverReply(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat
	// Before the hand-off the conversation (EMEA, the agent's) is not in ops' scope.
	wantStatus(t, "ops before the hand-off", f.opsC.Get(f.path(chat, "")), http.StatusNotFound)
	wantStatus(t, "ops posts before the hand-off", f.opsC.Post(f.path(chat, "/messages"), url.Values{"kind": {"reply"}, "body": {"hi"}}), http.StatusNotFound)

	before := len(f.thread(t, chat))
	r := f.agent.Post(f.path(chat, "/move"), url.Values{"team": {fmt.Sprint(f.ops)}, "note": {"refund needs operations"}})
	wantStatus(t, "agent hands off", r, http.StatusSeeOther)
	ms := f.thread(t, chat)
	if len(ms) != before+1 || ms[len(ms)-1].Kind != "event" || ms[len(ms)-1].Body != "Alex Morgan moved this to Operations: refund needs operations" {
		t.Fatalf("hand-off event: %+v", ms[len(ms)-1])
	}
	v, err := f.app.DB.Conversation(context.Background(), store.ScopeIn(f.acme.ID, access.ScopeAll, 0), chat)
	if err != nil || v.TeamID != f.ops || v.AssignedTo != f.ids.AgentMember {
		t.Fatalf("after the hand-off: team %d assignee %d (%v)", v.TeamID, v.AssignedTo, err)
	}

	page := f.opsC.Get(f.path(chat, ""))
	wantStatus(t, "ops opens it", page, http.StatusOK)
	for _, bad := range []string{`value="reply"`, `id="send-reply"`, "Reply to the customer", `name="attachment"`, `id="chat-move"`, `id="take-it"`} {
		if strings.Contains(page.Body, bad) {
			t.Errorf("ops' page shows %q", bad)
		}
	}
	for _, good := range []string{`id="send-note"`, "Internal note", "refund needs operations", `hx-trigger="every 5s"`} {
		if !strings.Contains(page.Body, good) {
			t.Errorf("ops' page lacks %q", good)
		}
	}
	n := len(f.thread(t, chat))
	// A crafted reply: 403, even with an empty body (403 before 422), nothing stored.
	wantStatus(t, "ops crafts a reply", f.opsC.Post(f.path(chat, "/messages"), url.Values{"kind": {"reply"}, "body": {"Dear customer"}}), http.StatusForbidden)
	wantStatus(t, "ops crafts an empty reply", f.opsC.Post(f.path(chat, "/messages"), url.Values{"kind": {"reply"}, "body": {""}}), http.StatusForbidden)
	wantStatus(t, "ops attaches to a note", f.opsC.PostFile(f.path(chat, "/messages"), "attachment", "a.txt", []byte("hello"),
		url.Values{"kind": {"note"}, "body": {"file"}}), http.StatusForbidden)
	wantStatus(t, "ops moves it", f.opsC.Post(f.path(chat, "/move"), url.Values{"team": {""}}), http.StatusForbidden)
	if got := len(f.thread(t, chat)); got != n {
		t.Fatalf("refused posts stored %d messages", got-n)
	}
	wantStatus(t, "ops notes", f.opsC.Post(f.path(chat, "/messages"), url.Values{"kind": {"note"}, "body": {"Refund issued."}}), http.StatusSeeOther)
	ms = f.thread(t, chat)
	if last := ms[len(ms)-1]; last.Kind != "note" || last.Body != "Refund issued." || last.AuthorName != "Otto Ops" {
		t.Fatalf("ops' note: %+v", last)
	}

	// And back to care.
	var emea int64
	for _, tm := range mustTeams(t, f) {
		if tm.Name == demo.TeamEMEA {
			emea = tm.ID
		}
	}
	wantStatus(t, "agent takes it back", f.agent.Post(f.path(chat, "/move"), url.Values{"team": {fmt.Sprint(emea)}, "note": {"done"}}), http.StatusSeeOther)
	wantStatus(t, "ops after the hand-back", f.opsC.Get(f.path(chat, "")), http.StatusNotFound)
	entries, err := f.app.DB.AuditLog(context.Background(), f.acme.ID, store.AuditFilter{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	moves := 0
	for _, e := range entries {
		if e.Action == "chat.team" {
			moves++
		}
	}
	if moves != 2 {
		t.Errorf("audit has %d team moves, want 2", moves)
	}
}

func mustTeams(t *testing.T, f *chatsFixture) []store.TeamRef {
	t.Helper()
	ts, err := f.app.DB.TeamRefs(context.Background(), f.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// Bad input answers by the field and stores nothing: an empty reply, a
// 6 MB file, a .png that is text, a channel of a team the member is not
// in, another organization's conversation, a crafted status.
func TestChatsBadInputStoresNothing(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat
	n := len(f.thread(t, chat))
	post := func(form url.Values) *testkit.Response { return f.careC.Post(f.path(chat, "/messages"), form) }

	r := post(url.Values{"kind": {"reply"}, "body": {"   "}})
	wantStatus(t, "empty reply", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `id="f-body-error"`) || !strings.Contains(r.Body, "Write a message.") {
		t.Errorf("empty reply: no message by the body field")
	}
	r = f.careC.PostFile(f.path(chat, "/messages"), "attachment", "big.pdf", bytes.Repeat([]byte("%PDF-1.4 "), 6<<20/9+1),
		url.Values{"kind": {"note"}, "body": {"see file"}})
	wantStatus(t, "6 MB file", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `id="f-attachment-error"`) || !strings.Contains(r.Body, "at most 5 MB") {
		t.Errorf("6 MB file: no message by the attachment field")
	}
	r = f.careC.PostFile(f.path(chat, "/messages"), "attachment", "photo.png", []byte("just some text, not a picture"),
		url.Values{"kind": {"note"}, "body": {"see file"}})
	wantStatus(t, "text named .png", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "not what its name says") {
		t.Errorf("text named .png: no message")
	}
	wantStatus(t, "kind shout", post(url.Values{"kind": {"shout"}, "body": {"x"}}), http.StatusUnprocessableEntity)
	// Cara is in EMEA: the Americas channel is not theirs.
	wantStatus(t, "Americas channel", post(url.Values{"kind": {"reply"}, "body": {"x"}, "channel": {fmt.Sprint(f.channels[demo.ChannelSMS])}}), http.StatusForbidden)
	wantStatus(t, "archived channel", post(url.Values{"kind": {"reply"}, "body": {"x"}, "channel": {fmt.Sprint(f.channels[demo.ChannelOld])}}), http.StatusForbidden)
	wantStatus(t, "globex's channel", post(url.Values{"kind": {"reply"}, "body": {"x"}, "channel": {"999999"}}), http.StatusForbidden)
	wantStatus(t, "globex's conversation", f.owner.Post(f.path(f.ids.GlobexChat, "/messages"), url.Values{"kind": {"note"}, "body": {"x"}}), http.StatusNotFound)
	wantStatus(t, "globex's conversation page", f.owner.Get(f.path(f.ids.GlobexChat, "")), http.StatusNotFound)
	r = f.careC.Post(f.path(chat, ""), url.Values{"status": {"done"}})
	wantStatus(t, "crafted status", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `id="f-status-error"`) {
		t.Errorf("crafted status: no message by the status field")
	}
	if got := len(f.thread(t, chat)); got != n {
		t.Fatalf("bad input stored %d messages", got-n)
	}
	v, _ := f.app.DB.Conversation(context.Background(), store.ScopeIn(f.acme.ID, access.ScopeAll, 0), chat)
	if v.Status == "done" {
		t.Fatal("crafted status stored")
	}

	// The composer lists only usable channels and says why others are missing.
	page := f.careC.Get(f.path(chat, "")).Body
	sel := page[strings.Index(page, `id="f-channel"`):]
	sel = sel[:strings.Index(sel, "</select>")]
	if strings.Contains(sel, demo.ChannelSMS) || !strings.Contains(sel, demo.ChannelWhatsApp) || !strings.Contains(page, "Not listed: "+demo.ChannelSMS) {
		t.Errorf("care's composer: the Americas channel is listed or its absence not explained")
	}
	// A good reply on the default channel, and a good file.
	wantStatus(t, "reply", post(url.Values{"kind": {"reply"}, "body": {"On it."}}), http.StatusSeeOther)
	wantStatus(t, "note with a png", f.careC.PostFile(f.path(chat, "/messages"), "attachment", "dot.png", pngBytes,
		url.Values{"kind": {"note"}, "body": {"screenshot"}}), http.StatusSeeOther)
	ms := f.thread(t, chat)
	if len(ms) != n+2 || ms[n].Kind != "reply" || ms[n].ChannelName != demo.ChannelWhatsApp || ms[n].SentState != "stored" ||
		len(ms[n+1].Attachments) != 1 || ms[n+1].Attachments[0].ContentType != "image/png" {
		t.Fatalf("stored: %+v", ms[n:])
	}
}

// pngBytes is a PNG signature and header: what http.DetectContentType reads.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 32)...)

// The live thread: 204 when nothing is new, the new messages otherwise;
// attachments download with their headers to members who see the
// conversation only.
func TestChatsPollAndAttachment(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat
	ms := f.thread(t, chat)
	last := ms[len(ms)-1].ID
	r := f.agent.Get(f.path(chat, fmt.Sprintf("/messages?after=%d", last)))
	wantStatus(t, "poll, nothing new", r, http.StatusNoContent)
	if r.Body != "" {
		t.Errorf("204 with a body: %q", r.Body)
	}
	wantStatus(t, "poll, bad after", f.agent.Get(f.path(chat, "/messages?after=x")), http.StatusUnprocessableEntity)
	wantStatus(t, "poll, out of scope", f.opsC.Get(f.path(chat, fmt.Sprintf("/messages?after=%d", last))), http.StatusNotFound)
	wantStatus(t, "note", f.agent.Post(f.path(chat, "/messages"), url.Values{"kind": {"note"}, "body": {"Fresh news"}}), http.StatusSeeOther)
	r = f.agent.Get(f.path(chat, fmt.Sprintf("/messages?after=%d", last)))
	wantStatus(t, "poll, one new", r, http.StatusOK)
	if !strings.Contains(r.Body, "Fresh news") || strings.Contains(r.Body, ms[0].Body) || !strings.Contains(r.Body, `hx-swap-oob="true"`) {
		t.Errorf("poll answer: %s", r.Body)
	}

	href := f.path(chat, fmt.Sprintf("/attachments/%d", f.ids.AcmeAttachment))
	r = f.agent.Get(href)
	wantStatus(t, "download", r, http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, demo.AttachmentName) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Body, "Invoice 2024-117") {
		t.Errorf("download headers %v body %q", r.Header, r.Body)
	}
	wantStatus(t, "download out of scope", f.opsC.Get(href), http.StatusNotFound)
	wantStatus(t, "globex's file through acme's conversation", f.owner.Get(f.path(chat, fmt.Sprintf("/attachments/%d", f.ids.GlobexAttachment))), http.StatusNotFound)
}

// Assigning to someone else needs chats.canAssignToOthers; without it a
// member can only take one for themselves ("Take it").
func TestChatsAssign(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	chat := f.ids.AcmeChat // EMEA's, the agent's: in Cara's team scope
	page := f.careC.Get(f.path(chat, ""))
	wantStatus(t, "care's page", page, http.StatusOK)
	if strings.Contains(page.Body, `id="f-assignee"`) || !strings.Contains(page.Body, `id="take-it"`) {
		t.Error("care (no canAssignToOthers) gets the assignee select, or no Take it")
	}
	wantStatus(t, "care assigns to ops", f.careC.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.opsMember.ID)}}), http.StatusForbidden)
	wantStatus(t, "care unassigns", f.careC.Post(f.path(chat, "/assign"), url.Values{"assignee": {""}}), http.StatusForbidden)
	v, _ := f.app.DB.Conversation(ctx, store.ScopeIn(f.acme.ID, access.ScopeAll, 0), chat)
	if v.AssignedTo != f.ids.AgentMember {
		t.Fatalf("refused assignment stored: %d", v.AssignedTo)
	}
	wantStatus(t, "care takes it", f.careC.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.care.ID)}}), http.StatusSeeOther)
	// The agent (who holds the flag) lost it: out of their own scope now.
	wantStatus(t, "agent after", f.agent.Get(f.path(chat, "")), http.StatusNotFound)
	wantStatus(t, "owner assigns to ops", f.owner.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.opsMember.ID)}}), http.StatusSeeOther)
	wantStatus(t, "owner assigns to globex's member", f.owner.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.ids.GlobexMember)}}), http.StatusUnprocessableEntity)
	ms := f.thread(t, chat)
	if ms[len(ms)-2].Body != "Cara Care took this." || ms[len(ms)-1].Body != "Olivia Bennett assigned this to Otto Ops." {
		t.Errorf("assignment events: %q, %q", ms[len(ms)-2].Body, ms[len(ms)-1].Body)
	}
	// Delete, audited.
	wantStatus(t, "care deletes", f.careC.Post(f.path(chat, "/delete"), nil), http.StatusForbidden)
	wantStatus(t, "owner deletes", f.owner.Post(f.path(chat, "/delete"), nil), http.StatusSeeOther)
	wantStatus(t, "deleted", f.owner.Get(f.path(chat, "")), http.StatusNotFound)
	entries, err := f.app.DB.AuditLog(ctx, f.acme.ID, store.AuditFilter{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Action]++
	}
	if seen["chat.assign"] != 2 || seen["chat.delete"] != 1 {
		t.Errorf("audit: %v", seen)
	}
}

// Starting a conversation: a customer of the member's scope on a usable
// channel; the lists and their scopes.
func TestChatsCreateAndLists(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	form := f.agent.Get("/o/acme/chats/new")
	wantStatus(t, "new form", form, http.StatusOK)
	mine := demo.CustomersOf(demo.AgentEmail)
	if !strings.Contains(form.Body, mine[0]) || strings.Contains(form.Body, demo.CustomersOf(demo.Agent2Email)[0]) {
		t.Error("the customer picker is not the agent's customers scope")
	}
	var own, other int64
	cs, _, _ := f.app.DB.Customers(ctx, store.CustomersIn(f.acme.ID, access.ScopeAll, 0), store.CustomerQuery{})
	for _, c := range cs {
		if c.Name == mine[0] {
			own = c.ID
		}
		if c.Name == demo.CustomersOf(demo.Agent2Email)[0] {
			other = c.ID
		}
	}
	email := fmt.Sprint(f.channels[demo.ChannelEmail])
	wantStatus(t, "someone else's customer", f.agent.Post("/o/acme/chats", url.Values{"customer": {fmt.Sprint(other)}, "channel": {email}, "subject": {"x"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "Americas channel", f.agent.Post("/o/acme/chats", url.Values{"customer": {fmt.Sprint(own)}, "channel": {fmt.Sprint(f.channels[demo.ChannelSMS])}, "subject": {"x"}}), http.StatusForbidden)
	wantStatus(t, "no subject", f.agent.Post("/o/acme/chats", url.Values{"customer": {fmt.Sprint(own)}, "channel": {email}}), http.StatusUnprocessableEntity)
	r := f.agent.Post("/o/acme/chats", url.Values{"customer": {fmt.Sprint(own)}, "channel": {email}, "subject": {"Brand new question"}})
	wantStatus(t, "create", r, http.StatusSeeOther)
	wantStatus(t, "ops creates (no chats_create)", f.opsC.Post("/o/acme/chats", url.Values{"customer": {fmt.Sprint(own)}, "channel": {email}, "subject": {"x"}}), http.StatusForbidden)

	list := f.agent.Get("/o/acme/chats/mine")
	wantStatus(t, "agent's list", list, http.StatusOK)
	if !strings.Contains(list.Body, "Brand new question") || strings.Contains(list.Body, demo.CustomersOf(demo.Agent2Email)[0]) {
		t.Error("agent's list: own conversation missing or another's shown")
	}
	wantStatus(t, "agent's all", f.agent.Get("/o/acme/chats/all"), http.StatusForbidden)
	all := f.owner.Get("/o/acme/chats/all?status=closed")
	wantStatus(t, "owner's closed", all, http.StatusOK)
	if strings.Contains(all.Body, "Brand new question") || !strings.Contains(all.Body, `rel="next"`) {
		t.Error("owner's closed list: the open one is shown, or no next page")
	}
	wantStatus(t, "crafted filter", f.owner.Get("/o/acme/chats/all?status=done"), http.StatusUnprocessableEntity)
	// Keyset paging: the next page follows the first without overlap.
	first := f.owner.Get("/o/acme/chats/all")
	i := strings.Index(first.Body, `rel="next"`)
	if i < 0 {
		t.Fatal("no next page")
	}
	j := strings.LastIndex(first.Body[:i], `href="`)
	next := strings.ReplaceAll(first.Body[j+6:strings.Index(first.Body[j+6:], `"`)+j+6], "&amp;", "&")
	wantStatus(t, "page 2", f.owner.Get(next), http.StatusOK)
}

// A customer's page lists their conversations in the viewer's scope.
func TestChatsOnCustomerPage(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	v, err := f.app.DB.Conversation(ctx, store.ScopeIn(f.acme.ID, access.ScopeAll, 0), f.ids.AcmeChat)
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/o/acme/customers/%d", v.CustomerID)
	link := fmt.Sprintf(`href="/o/acme/chats/%d"`, v.ID)
	for _, c := range []struct {
		name    string
		client  *testkit.Client
		section bool
		link    bool
	}{
		{"owner", f.owner, true, true},
		{"agent", f.agent, true, true},
		{"agent2 (customers, no conversations)", f.app.LoginAs(demo.Agent2Email, demo.Password), false, false},
	} {
		r := c.client.Get(page)
		wantStatus(t, c.name, r, http.StatusOK)
		if strings.Contains(r.Body, `id="customer-conversations"`) != c.section || strings.Contains(r.Body, link) != c.link {
			t.Errorf("%s: section %v link %v, want %v %v", c.name, !c.section, !c.link, c.section, c.link)
		}
	}
	// Handed to Operations and to Otto: no longer in the agent's scope.
	wantStatus(t, "owner assigns to ops", f.owner.Post(f.path(v.ID, "/assign"), url.Values{"assignee": {fmt.Sprint(f.opsMember.ID)}}), http.StatusSeeOther)
	if r := f.agent.Get(page); r.Status != http.StatusOK || strings.Contains(r.Body, link) {
		t.Errorf("agent's customer page after the reassignment: %d, link shown %v", r.Status, strings.Contains(r.Body, link))
	}
}

// With --smtp a reply on an email channel goes to the customer's address
// (queued, then sent once the mail server took it); on another kind it is
// stored, not sent. A mail server that refuses is tried again; one that
// keeps refusing leaves the reply stored, not sent, and the thread says so.
func TestChatsReplyByEmail(t *testing.T) {
	app := testkit.NewDemoApp(t, testkit.WithSMTP(), testkit.WithMailRetry(10*time.Millisecond, 10*time.Millisecond))
	ids := app.DemoIDs()
	ctx := context.Background()
	acme, err := app.DB.OrgBySlug(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	v, err := app.DB.Conversation(ctx, store.ScopeIn(acme.ID, access.ScopeAll, 0), ids.AcmeChat)
	if err != nil {
		t.Fatal(err)
	}
	cu, err := app.DB.Customer(ctx, store.CustomersIn(acme.ID, access.ScopeAll, 0), v.CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := app.DB.Channels(ctx, acme.ID)
	var email int64
	for _, c := range chs {
		if c.Name == demo.ChannelEmail {
			email = c.ID
		}
	}
	agent := app.LoginAs(demo.AgentEmail, demo.Password)
	path := fmt.Sprintf("/o/acme/chats/%d/messages", v.ID)
	wantStatus(t, "reply on WhatsApp", agent.Post(path, url.Values{"kind": {"reply"}, "body": {"Over WhatsApp"}}), http.StatusSeeOther)
	wantStatus(t, "reply by email", agent.Post(path, url.Values{"kind": {"reply"}, "body": {"Your refund is on its way."}, "channel": {fmt.Sprint(email)}}), http.StatusSeeOther)
	m := app.SMTP.WaitFor(t, cu.Email, 10*time.Second)
	if m.Subject != "Re: "+v.Subject || !strings.Contains(m.Text, "Your refund is on its way.") {
		t.Errorf("mail %q: %q", m.Subject, m.Text)
	}
	// The newest messages once the delivery settled (state is not queued).
	settled := func(n int) []store.Message {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ms, _ := app.DB.Thread(ctx, acme.ID, v.ID, 0, 1000)
			ms = ms[len(ms)-n:]
			if !slices.ContainsFunc(ms, func(m store.Message) bool { return m.SentState == "queued" }) || time.Now().After(deadline) {
				return ms
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	ms := settled(2)
	if a, b := ms[0], ms[1]; a.SentState != "stored" || b.SentState != "sent" || b.ChannelName != demo.ChannelEmail {
		t.Errorf("states %q (%s), %q (%s)", a.SentState, a.ChannelName, b.SentState, b.ChannelName)
	}
	page := agent.Get(fmt.Sprintf("/o/acme/chats/%d", v.ID)).Body
	if !strings.Contains(page, "stored, not sent") || !strings.Contains(page, `<span class="muted">sent</span>`) {
		t.Error("the thread does not say which replies were sent")
	}
	byEmail := func(body string) {
		t.Helper()
		wantStatus(t, "reply by email", agent.Post(path, url.Values{"kind": {"reply"}, "body": {body}, "channel": {fmt.Sprint(email)}}), http.StatusSeeOther)
	}
	// Refused once: the retry sends it.
	app.SMTP.RefuseNext(1)
	byEmail("Second try works.")
	if m := app.SMTP.WaitFor(t, cu.Email, 10*time.Second); !strings.Contains(m.Text, "Second try works.") {
		t.Errorf("retried mail: %q", m.Text)
	}
	if ms := settled(1); ms[0].SentState != "sent" || ms[0].Body != "Second try works." {
		t.Errorf("after a retry: %q %q", ms[0].SentState, ms[0].Body)
	}
	// Refused every time: stored, not sent, and an event by its author says why.
	app.SMTP.RefuseNext(100)
	byEmail("Nobody gets this.")
	ms = settled(2)
	if ms[0].Body != "Nobody gets this." || ms[0].SentState != "stored" || ms[1].Kind != "event" ||
		!strings.Contains(ms[1].Body, "could not be sent by email to the customer") || strings.Contains(ms[1].Body, cu.Email) || ms[1].AuthorID != ms[0].AuthorID {
		t.Errorf("after failures: %+v / %+v", ms[0], ms[1])
	}
	if n := len(app.SMTP.Messages()); n != 2 {
		t.Errorf("the server took %d mails, want 2", n)
	}
	page = agent.Get(fmt.Sprintf("/o/acme/chats/%d", v.ID)).Body
	if !strings.Contains(page, "could not be sent by email") {
		t.Error("the thread does not say the reply was not sent")
	}
}

// Assigning to a member who cannot open Conversations is refused by the
// field (the picker does not offer them) and stores nothing.
func TestChatsAssignOnlyToWhoMayOpen(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	chat := f.ids.AcmeChat
	noChats := f.app.Join(f.acme, "nochats@acme.test", "Nora Nochats", demo.Password, access.RoleAgent)
	dash := testkit.Set(t, "dashboard_view", "customers_view")
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetCustom(ctx, f.acme.ID, noChats.ID, &dash)
	})
	page := f.owner.Get(f.path(chat, ""))
	wantStatus(t, "owner's page", page, http.StatusOK)
	if strings.Contains(page.Body, "Nora Nochats") || !strings.Contains(page.Body, "Otto Ops") {
		t.Error("picker: offers Nora (no Conversations) or misses Otto")
	}
	before := len(f.thread(t, chat))
	r := f.owner.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(noChats.ID)}})
	wantStatus(t, "owner assigns to Nora", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "Choose a member who can open Conversations.") {
		t.Errorf("no message by the field: %.600s", r.Body)
	}
	v, _ := f.app.DB.Conversation(ctx, store.ScopeIn(f.acme.ID, access.ScopeAll, 0), chat)
	if v.AssignedTo != f.ids.AgentMember || len(f.thread(t, chat)) != before {
		t.Fatalf("refused assignment stored: assignee %d, thread %d → %d", v.AssignedTo, before, len(f.thread(t, chat)))
	}
	wantStatus(t, "owner assigns to Otto", f.owner.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.opsMember.ID)}}), http.StatusSeeOther)
}

// Customer fields in chats go through the member's projection on
// customers: with the name hidden, no list, page, picker or search shows
// or matches it (the customer's number stands in); a member without
// Customers at all reads no customer field either.
var threadBodies = regexp.MustCompile(`<div class="thread-body">[^<]*</div>`)

func TestChatsCustomerNameFollowsProjection(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	v, err := f.app.DB.Conversation(ctx, store.ScopeIn(f.acme.ID, access.ScopeAll, 0), f.ids.AcmeChat)
	if err != nil {
		t.Fatal(err)
	}
	name, number := v.CustomerName, fmt.Sprintf("Customer #%d", v.CustomerID)
	hidden := f.app.Join(f.acme, "hana@acme.test", "Hana Hidden", demo.Password, access.RoleAgent)
	set := testkit.Set(t, "dashboard_view", "chats_view", "chats_create", "+chats.canAccessAll", "customers_view", "+customers.canAccessAll")
	set.SetFieldLevel(access.ModCustomers, "name", access.LevelHidden)
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, f.acme.ID, hidden.ID, &set) })
	hana := f.app.LoginAs("hana@acme.test", demo.Password)
	// Handed to Operations, whose members cannot open Customers.
	wantStatus(t, "move to ops", f.owner.Post(f.path(v.ID, "/move"), url.Values{"team": {fmt.Sprint(f.ops)}, "note": {"Refund"}}), http.StatusSeeOther)
	search := "/o/acme/chats/all?q=" + url.QueryEscape(name)
	subject := ">" + v.Subject + "<"

	owner := f.owner.Get(search)
	wantStatus(t, "owner's search", owner, http.StatusOK)
	if !strings.Contains(owner.Body, name) || !strings.Contains(owner.Body, subject) {
		t.Fatalf("owner's search by customer name misses %q", v.Subject)
	}
	for _, c := range []struct {
		what, path string
		client     *testkit.Client
	}{
		{"hana's list", "/o/acme/chats/all", hana},
		{"hana's page", f.path(v.ID, ""), hana},
		{"hana's picker", "/o/acme/chats/new", hana},
		{"ops' page (no Customers)", f.path(v.ID, ""), f.opsC},
	} {
		r := c.client.Get(c.path)
		wantStatus(t, c.what, r, http.StatusOK)
		// Messages are what was written, not customer fields: the demo's
		// greet the customer by name.
		r.Body = threadBodies.ReplaceAllString(r.Body, "")
		if strings.Contains(r.Body, name) {
			i := strings.Index(r.Body, name)
			t.Errorf("%s shows the hidden customer name %q: …%s…", c.what, name, r.Body[max(0, i-300):i+50])
		}
		if c.what != "hana's list" && !strings.Contains(r.Body, "Customer #") {
			t.Errorf("%s: no customer number stands in", c.what)
		}
	}
	if r := hana.Get(f.path(v.ID, "")); !strings.Contains(r.Body, number) {
		t.Errorf("hana's page does not name %s", number)
	}
	r := hana.Get(search)
	wantStatus(t, "hana's search", r, http.StatusOK)
	if strings.Contains(r.Body, subject) {
		t.Error("a search by the hidden customer name matches")
	}
	if !strings.Contains(r.Body, `placeholder="Search by subject"`) || !strings.Contains(owner.Body, `placeholder="Search by subject or customer"`) {
		t.Error("the search box does not say what it matches")
	}
}

// The dashboard's open conversations figure counts the member's scope on
// conversations only (all, team, own), caps at "1,000+", and is absent
// without chats_view.
func TestDashboardOpenConversations(t *testing.T) {
	f := newChatsFixture(t)
	count := func(where string, args ...any) string {
		var n int
		f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM conversations v WHERE v.org_id = ? AND v.status = 'open' AND `+where,
				append([]any{f.acme.ID}, args...)...).Scan(&n)
		})
		return fmt.Sprint(n)
	}
	figure := func(c *testkit.Client) (string, bool) {
		r := c.Get("/o/acme")
		wantStatus(t, "dashboard", r, http.StatusOK)
		i := strings.Index(r.Body, `id="open-conversations"`)
		if i < 0 {
			return "", false
		}
		const open = `<div class="stat-value">`
		j := strings.Index(r.Body[i:], open) + i + len(open)
		return r.Body[j : j+strings.Index(r.Body[j:], "<")], true
	}
	all := count("1")
	own := count("v.assigned_to = ?", f.ids.AgentMember)
	team := count("(v.assigned_to = ? OR v.team_id IN (SELECT team_id FROM team_members WHERE membership_id = ?))", f.care.ID, f.care.ID)
	if all == own || all == team || all == "0" || own == "0" {
		t.Fatalf("the demo does not tell the scopes apart: all %s, own %s, team %s", all, own, team)
	}
	agent2 := f.app.LoginAs(demo.Agent2Email, demo.Password)
	for _, c := range []struct {
		who    string
		client *testkit.Client
		want   string
		shown  bool
	}{
		{"owner (all)", f.owner, all, true},
		{"agent (own)", f.agent, own, true},
		{"care (team)", f.careC, team, true},
		{"agent2 (no chats_view)", agent2, "", false},
	} {
		got, shown := figure(c.client)
		if shown != c.shown || got != c.want {
			t.Errorf("%s: figure %q shown %v, want %q %v", c.who, got, shown, c.want, c.shown)
		}
	}
	// Past the cap the figure stops counting.
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1001)
			INSERT INTO conversations (org_id, customer_id, channel_id, status, subject, created_at, updated_at)
			SELECT org_id, customer_id, channel_id, 'open', 'bulk', 1, 1 FROM conversations, n WHERE id = ?`, f.ids.AcmeChat)
		return err
	})
	if got, _ := figure(f.owner); got != "1,000+" {
		t.Errorf("owner past the cap: %q", got)
	}
}

// The conversation actions of its own (reply, note, attach) are the
// catalog's: the group grid offers them, a group saves them, My
// Permissions explains them, and import/export carry them.
func TestChatsActionsInGrid(t *testing.T) {
	f := newChatsFixture(t)
	form := f.owner.Get("/o/acme/settings/groups/new")
	wantStatus(t, "new group", form, http.StatusOK)
	for _, p := range []string{"chats_reply", "chats_note", "chats_attach"} {
		if !strings.Contains(form.Body, `value="`+p+`"`) {
			t.Errorf("the grid offers no %s", p)
		}
	}
	r := f.owner.Post("/o/acme/settings/groups", gridForm("Care desk", "", "dashboard_view", "chats_view", "chats_reply", "chats_attach"))
	wantStatus(t, "create group", r, http.StatusSeeOther)
	held := chatsKeys(groupNamed(t, f, "Care desk"))
	for key, want := range map[string]bool{"reply": true, "attach": true, "note": false} {
		if held[key] != want {
			t.Errorf("saved group: chats %s = %v, want %v", key, !want, want)
		}
	}
}

func TestChatsActionsInMyPermissions(t *testing.T) {
	f := newChatsFixture(t)
	r := f.opsC.Get("/o/acme/me/permissions")
	wantStatus(t, "ops' permissions", r, http.StatusOK)
	item := func(perm string) string {
		i := strings.Index(r.Body, `<li data-perm="`+perm+`">`)
		if i < 0 {
			t.Fatalf("no line for %s", perm)
		}
		return r.Body[i : i+strings.Index(r.Body[i:], "</li>")]
	}
	if it := item("chats_note"); !strings.Contains(it, "Note: ") || !strings.Contains(it, "perm-on") || !strings.Contains(it, "individual") {
		t.Errorf("chats_note: %s", it)
	}
	for p, label := range map[string]string{"chats_reply": "Reply: ", "chats_attach": "Attach: "} {
		if it := item(p); !strings.Contains(it, label) || strings.Contains(it, "perm-on") || !strings.Contains(it, "No") {
			t.Errorf("%s: %s", p, it)
		}
	}
}

func TestChatsActionsExportImport(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	r := f.owner.Post("/o/acme/settings/groups", gridForm("Care desk", "", "dashboard_view", "chats_view", "chats_reply"))
	wantStatus(t, "create group", r, http.StatusSeeOther)
	cfg, err := orgio.Export(ctx, f.app.DB, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	var desk string
	for i, g := range cfg.Groups {
		if g.Name == "Care desk" {
			b, _ := json.Marshal(g.Permissions)
			desk = string(b)
			// The document with note and attach added imports as those actions.
			for _, a := range access.ModuleOf(access.ModChats).OwnActionIDs() {
				cfg.Groups[i].Permissions.Grant(access.ModChats, a)
			}
		}
	}
	if !strings.Contains(desk, `"reply"`) || strings.Contains(desk, `"note"`) || strings.Contains(desk, `"attach"`) {
		t.Fatalf("exported Care desk: %s", desk)
	}
	var doc bytes.Buffer
	if err := cfg.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	if _, err := orgio.Import(ctx, f.app.DB, doc.Bytes(), orgio.Options{}); err != nil {
		t.Fatalf("%v: %v", err, orgio.Problems(err))
	}
	held := chatsKeys(groupNamed(t, f, "Care desk"))
	for _, key := range []string{"reply", "note", "attach"} {
		if !held[key] {
			t.Errorf("imported Care desk lacks chats %s", key)
		}
	}
}

// chatsKeys are the keys of the conversation actions group g holds.
func chatsKeys(g domain.Group) map[string]bool {
	m, out := access.ModuleOf(access.ModChats), map[string]bool{}
	for _, a := range g.Set.ActionsOf(access.ModChats) {
		out[m.ActionKey(a)] = true
	}
	return out
}

func groupNamed(t *testing.T, f *chatsFixture, name string) domain.Group {
	t.Helper()
	gs, err := f.app.DB.Groups(context.Background(), f.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no group %s", name)
	return domain.Group{}
}

// The lists' team filter is kept per permission version: a team created or
// renamed shows at once, and a page never offers another organization's teams.
func TestChatsTeamFilterFollowsTeams(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	owner := f.owner
	page := owner.Get("/o/acme/chats/all")
	wantStatus(t, "all list", page, http.StatusOK)
	if !strings.Contains(page.Body, ">Operations</option>") {
		t.Fatal("the team filter lacks Operations")
	}
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.RenameTeam(ctx, f.acme.ID, f.ops, "Logistics")
	})
	page = owner.Get("/o/acme/chats/all")
	if strings.Contains(page.Body, ">Operations</option>") || !strings.Contains(page.Body, ">Logistics</option>") {
		t.Error("the team filter still shows the old name after a rename")
	}
	if refs, err := f.app.DB.TeamRefs(ctx, f.acme.ID); err != nil || len(refs) == 0 {
		t.Fatalf("teams: %v %v", refs, err)
	}
	globex, err := f.app.DB.OrgBySlug(ctx, demo.OtherOrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	var other int64
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		other, err = tx.CreateTeam(ctx, globex.ID, "Globex only", "")
		return err
	})
	if other == 0 || strings.Contains(owner.Get("/o/acme/chats/all").Body, "Globex only") {
		t.Error("acme's team filter shows a globex team")
	}
}

// TestChatsDeleteAuditHidesTheCustomerName: chat.delete records the
// customer's name; an auditor whose projection hides name sees "changed"
// for it on the audit page and in its CSV, never the name, while the
// subject stays readable; the owner reads the name.
func TestChatsDeleteAuditHidesTheCustomerName(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	chat := f.ids.AcmeChat
	v, err := f.app.DB.Conversation(ctx, store.ScopeIn(f.acme.ID, access.ScopeAll, 0), chat)
	if err != nil || v.CustomerName == "" || v.Subject == "" {
		t.Fatalf("conversation: %+v, %v", v, err)
	}
	auditor := f.app.Join(f.acme, "auditor@acme.test", "Ada Auditor", demo.Password, access.RoleAgent)
	set := testkit.Set(t, "dashboard_view", "audit_view", "audit_export", "customers_view")
	set.SetFieldLevel(access.ModCustomers, "name", access.LevelHidden)
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.SetCustom(ctx, f.acme.ID, auditor.ID, &set) })
	ac := f.app.LoginAs("auditor@acme.test", demo.Password)
	wantStatus(t, "owner deletes", f.owner.Post(f.path(chat, "/delete"), nil), http.StatusSeeOther)
	for _, path := range []string{"/o/acme/settings/audit?action=chat.delete", "/o/acme/settings/audit/export.csv?action=chat.delete"} {
		r := ac.Get(path)
		wantStatus(t, "auditor "+path, r, http.StatusOK)
		if strings.Contains(r.Body, v.CustomerName) || !strings.Contains(r.Body, "changed") || !strings.Contains(r.Body, v.Subject) {
			t.Errorf("auditor's %s: shows %q (%v), or lacks changed / the subject; %.1500s", path, v.CustomerName, strings.Contains(r.Body, v.CustomerName), r.Body)
		}
		r = f.owner.Get(path)
		wantStatus(t, "owner "+path, r, http.StatusOK)
		if !strings.Contains(r.Body, v.CustomerName) {
			t.Errorf("owner's %s lacks the customer's name %q", path, v.CustomerName)
		}
	}
}
