package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The live thread's poll that answers 204 runs the auth query alone once
// the conversation has been polled at the current data version; any commit
// (a new message, a reassignment, a hand-off) is seen at the next poll,
// which grants and denies exactly as the uncached check.
func TestChatsPollCostsTheAuthQueryAlone(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat // EMEA's, the agent's own
	ms := f.thread(t, chat)
	last := ms[len(ms)-1].ID
	poll := func(c *testkit.Client, after int64) (*testkit.Response, int64) {
		t.Helper()
		n0 := f.app.DB.QueryCount()
		r := c.Get(f.path(chat, fmt.Sprintf("/messages?after=%d", after)))
		return r, f.app.DB.QueryCount() - n0
	}
	// Warm up: the first requests fill the auth and permission caches and
	// may record activity (a commit).
	for range 2 {
		r, _ := poll(f.agent, last)
		wantStatus(t, "poll, warming up", r, http.StatusNoContent)
	}
	for i := range 3 {
		r, n := poll(f.agent, last)
		wantStatus(t, "poll, nothing new", r, http.StatusNoContent)
		if n != 1 {
			t.Fatalf("poll %d answering 204 ran %d queries, want 1 (the auth query)", i, n)
		}
	}

	// A note by someone else is a commit: the next poll brings it.
	wantStatus(t, "owner's note", f.owner.Post(f.path(chat, "/messages"), url.Values{"kind": {"note"}, "body": {"Seen by the owner"}}), http.StatusSeeOther)
	r, _ := poll(f.agent, last)
	wantStatus(t, "poll after the note", r, http.StatusOK)
	if !strings.Contains(r.Body, "Seen by the owner") {
		t.Errorf("poll after the note: %s", r.Body)
	}
	last = f.thread(t, chat)[len(f.thread(t, chat))-1].ID

	// Denials hold as hard as grants. The operations member is out of
	// scope: 404, polled again from memory still 404, and nothing leaks
	// once the answer is cached.
	for range 3 {
		r, _ := poll(f.opsC, last)
		wantStatus(t, "ops, out of scope", r, http.StatusNotFound)
	}
	// Handed off to Operations: in the ops member's team scope at the next poll.
	wantStatus(t, "hand-off to ops", f.owner.Post(f.path(chat, "/move"), url.Values{"team": {fmt.Sprint(f.ops)}, "note": {"Refund"}}), http.StatusSeeOther)
	r, _ = poll(f.opsC, last)
	wantStatus(t, "ops after the hand-off", r, http.StatusOK) // the hand-off's event is new
	// Reassigned away from the agent (own scope): a 204 cached for them must
	// not outlive it.
	lastNow := f.thread(t, chat)[len(f.thread(t, chat))-1].ID
	r, _ = poll(f.agent, lastNow)
	wantStatus(t, "agent, still theirs", r, http.StatusNoContent)
	wantStatus(t, "owner gives it to care", f.owner.Post(f.path(chat, "/assign"), url.Values{"assignee": {fmt.Sprint(f.care.ID)}}), http.StatusSeeOther)
	r, _ = poll(f.agent, lastNow)
	wantStatus(t, "agent after losing it", r, http.StatusNotFound)
}

// The hand-off select lists every team, the conversation's own selected
// (and only it), from markup kept per team list: after a hand-off, and after
// a new team is created, the page still reads right.
func TestChatsTeamSelectMarksTheCurrentTeam(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat // EMEA's
	sel := regexp.MustCompile(`(?s)<select class="select" id="f-team" name="team">(.*?)</select>`)
	options := func(step string) (selected []string, all int) {
		t.Helper()
		r := f.owner.Get(f.path(chat, ""))
		wantStatus(t, step, r, http.StatusOK)
		m := sel.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("%s: no team select", step)
		}
		for _, o := range regexp.MustCompile(`<option value="(\d*)"( selected)?>`).FindAllStringSubmatch(m[1], -1) {
			if o[2] != "" {
				selected = append(selected, o[1])
			}
			all++
		}
		return selected, all
	}
	emea := fmt.Sprint(f.ids.AcmeTeam)
	got, n := options("EMEA's")
	if len(got) != 1 || got[0] != emea || n < 3 {
		t.Errorf("EMEA's conversation: selected %v of %d options, want [%s]", got, n, emea)
	}
	wantStatus(t, "hand-off to ops", f.owner.Post(f.path(chat, "/move"), url.Values{"team": {fmt.Sprint(f.ops)}, "note": {"Refund"}}), http.StatusSeeOther)
	if got, _ := options("after the hand-off"); len(got) != 1 || got[0] != fmt.Sprint(f.ops) {
		t.Errorf("after the hand-off: selected %v, want [%d]", got, f.ops)
	}
	wantStatus(t, "to no team", f.owner.Post(f.path(chat, "/move"), url.Values{"team": {""}, "note": {"Back"}}), http.StatusSeeOther)
	if got, _ := options("no team"); len(got) != 0 {
		t.Errorf("no team: selected %v, want none (None is the first)", got)
	}
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.CreateTeam(ctx, f.acme.ID, "Zeta squad", "")
		return err
	})
	r := f.owner.Get(f.path(chat, ""))
	if !strings.Contains(sel.FindString(r.Body), ">Zeta squad</option>") {
		t.Error("a new team is missing from the select")
	}
	if _, after := options("a team more"); after != n+1 {
		t.Errorf("options %d after a new team, want %d", after, n+1)
	}
}

// A conversation's page keeps its rendered thread between requests, and
// every change the thread shows is on the very next request: a reply, a
// note, a file, a hand-off's event, a reply's delivery state (which leaves
// the conversation row alone) and an author's new name.
func TestChatsThreadKeptYetNeverStale(t *testing.T) {
	f := newChatsFixture(t)
	chat := f.ids.AcmeChat
	page := func(what string) string {
		t.Helper()
		r := f.owner.Get(f.path(chat, ""))
		wantStatus(t, what, r, http.StatusOK)
		return r.Body
	}
	count := func(what string) int64 {
		t.Helper()
		n0 := f.app.DB.QueryCount()
		page(what)
		return f.app.DB.QueryCount() - n0
	}
	count("warm up")
	kept := count("repeat")
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET conversations_version = conversations_version + 1 WHERE id = ?`, f.acme.ID)
		return err
	})
	if read := count("after a bump"); read < kept+2 {
		t.Errorf("the page ran %d queries at a new version, %d at a kept one: want the thread's 2 more", read, kept)
	}
	shows := func(what, want string) {
		t.Helper()
		if body := page(what); !strings.Contains(body, want) {
			t.Errorf("%s: the page lacks %q", what, want)
		}
	}
	wantStatus(t, "reply", f.owner.Post(f.path(chat, "/messages"), url.Values{"kind": {"reply"}, "body": {"A kept reply"}}), http.StatusSeeOther)
	shows("after a reply", "A kept reply")
	wantStatus(t, "note", f.owner.Post(f.path(chat, "/messages"), url.Values{"kind": {"note"}, "body": {"A kept note"}}), http.StatusSeeOther)
	shows("after a note", "A kept note")
	wantStatus(t, "file", f.owner.PostFile(f.path(chat, "/messages"), "attachment", "kept.txt", []byte("hello"),
		url.Values{"kind": {"note"}, "body": {"With a file"}}), http.StatusSeeOther)
	shows("after a file", "kept.txt")
	wantStatus(t, "hand-off", f.owner.Post(f.path(chat, "/move"), url.Values{"team": {fmt.Sprint(f.ops)}, "note": {"Kept hand-off"}}), http.StatusSeeOther)
	shows("after a hand-off", "Kept hand-off")

	// A reply's delivery state changes the message alone.
	var reply int64
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM messages WHERE conversation_id = ? AND body = 'A kept reply'`, chat).Scan(&reply); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE messages SET sent_state = 'queued' WHERE id = ?`, reply)
		return err
	})
	item := regexp.MustCompile(fmt.Sprintf(`(?s)id="m-%d".*?</li>`, reply))
	state := func(what, want string) {
		t.Helper()
		m := item.FindString(page(what))
		if !strings.Contains(m, `<span class="muted">`+want+`</span>`) {
			t.Errorf("%s: the reply reads %q, want %s", what, m, want)
		}
	}
	state("queued", "queued")
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error { return tx.MarkReplySent(ctx, f.acme.ID, reply) })
	state("sent", "sent")

	// The owner renamed: their messages carry the new name (looked for in
	// the message: the page's header names the owner too).
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET user_name = 'Renamed Owner' WHERE org_id = ? AND id = (SELECT author_id FROM messages WHERE id = ?)`, f.acme.ID, reply)
		return err
	})
	if m := item.FindString(page("after a rename")); !strings.Contains(m, "<strong>Renamed Owner</strong>") {
		t.Errorf("after a rename: the reply reads %q", m)
	}
}
