package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// chatsFixture is teamsFixture with two teams in acme (care: ann; ops:
// bob) and channels: open to all, care-only, ops-only, and one archived.
type chatsFixture struct {
	*teamsFixture
	care, ops                       int64
	open, careCh, opsCh, archivedCh int64
	globexCh                        int64
}

func newChatsFixture(t *testing.T) *chatsFixture {
	t.Helper()
	f := &chatsFixture{teamsFixture: newTeamsFixture(t)}
	f.care = f.team(t, "Customer care", "", f.ann)
	f.ops = f.team(t, "Operations", "", f.bob)
	ctx := context.Background()
	f.mustWrite(t, func(tx *Tx) (err error) {
		ch := func(org int64, name, kind string, teams ...int64) int64 {
			id, e := tx.CreateChannel(ctx, org, name, kind, teams)
			if e != nil && err == nil {
				err = e
			}
			return id
		}
		f.open = ch(f.acme.ID, "Support mail", "email")
		f.careCh = ch(f.acme.ID, "Care WhatsApp", "whatsapp", f.care)
		f.opsCh = ch(f.acme.ID, "Ops SMS", "sms", f.ops)
		f.archivedCh = ch(f.acme.ID, "Old chat", "web_chat")
		f.globexCh = ch(f.globex.ID, "Globex mail", "email")
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE channels SET archived_at = 1 WHERE id = ?`, f.archivedCh)
		}
		return err
	})
	return f
}

func channelNames(cs []Channel) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestChannelsUsableByTeam(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		u             ChannelUser
		usable, other string
	}{
		{"ann (care)", ChannelUser{Membership: f.ann}, "[Care WhatsApp Support mail]", "[Ops SMS]"},
		{"bob (ops)", ChannelUser{Membership: f.bob}, "[Ops SMS Support mail]", "[Care WhatsApp]"},
		{"cat (no team, manager)", ChannelUser{Membership: f.cat}, "[Support mail]", "[Care WhatsApp Ops SMS]"},
		{"cat as owner", ChannelUser{Membership: f.cat, Owner: true}, "[Care WhatsApp Ops SMS Support mail]", "[]"},
	} {
		u, o, err := f.s.UsableChannels(ctx, f.acme.ID, c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmtList(channelNames(u)); got != c.usable {
			t.Errorf("%s: usable %s, want %s", c.name, got, c.usable)
		}
		if got := fmtList(channelNames(o)); got != c.other {
			t.Errorf("%s: others %s, want %s", c.name, got, c.other)
		}
	}
	if _, ok, err := f.s.ChannelUsable(ctx, f.acme.ID, f.opsCh, ChannelUser{Membership: f.ann}); ok || err != nil {
		t.Errorf("ann may use the ops channel: %v %v", ok, err)
	}
	if _, ok, err := f.s.ChannelUsable(ctx, f.acme.ID, f.careCh, ChannelUser{Membership: f.ann}); !ok || err != nil {
		t.Errorf("ann may not use the care channel: %v %v", ok, err)
	}
	_, _, err := f.s.ChannelUsable(ctx, f.acme.ID, f.globexCh, ChannelUser{Membership: f.ann, Owner: true})
	wantCode(t, "another organization's channel", err, domain.CodeNotFound, "")
	c, err := f.s.Channel(ctx, f.acme.ID, f.careCh)
	if err != nil || len(c.Teams) != 1 || c.Teams[0].Name != "Customer care" || c.Kind != "whatsapp" {
		t.Errorf("care channel: %+v %v", c, err)
	}
	err = f.write(t, func(tx *Tx) error { _, err := tx.CreateChannel(ctx, f.acme.ID, "Fax", "fax", nil); return err })
	wantCode(t, "a fax channel", err, domain.CodeInvalid, "kind")
	err = f.write(t, func(tx *Tx) error {
		_, err := tx.CreateChannel(ctx, f.acme.ID, "X", "sms", []int64{f.globexTeam})
		return err
	})
	wantCode(t, "another organization's team", err, domain.CodeNotFound, "")
}

func fmtList(s []string) string { return fmt.Sprint(s) }

// conv starts a conversation in acme for customer cust on channel ch.
func (f *chatsFixture) conv(t *testing.T, subject string, cust, ch, team, assignee int64) int64 {
	t.Helper()
	var id int64
	f.mustWrite(t, func(tx *Tx) (err error) {
		id, err = tx.CreateConversation(context.Background(), NewConversation{OrgID: f.acme.ID, CustomerID: cust, ChannelID: ch,
			TeamID: team, AssignedTo: assignee, Subject: subject})
		return err
	})
	return id
}

func subjects(vs []Conversation) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Subject)
	}
	return fmtList(out)
}

func TestConversationsUnderScope(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	annsOwn := f.conv(t, "ann own", f.annCust, f.open, 0, f.ann)
	careOne := f.conv(t, "care team", f.freeCust, f.careCh, f.care, 0)
	opsOne := f.conv(t, "ops team", f.bobCust, f.opsCh, f.ops, f.bob)
	f.conv(t, "nobody", f.freeCust, f.open, 0, 0)
	all := ScopeIn(f.acme.ID, access.ScopeAll, f.cat)
	for _, c := range []struct {
		name string
		sc   RecordScope
		want string
	}{
		{"ann own", ScopeIn(f.acme.ID, access.ScopeOwn, f.ann), "[ann own]"},
		{"ann team", ScopeIn(f.acme.ID, access.ScopeTeam, f.ann), "[care team ann own]"},
		{"bob team", ScopeIn(f.acme.ID, access.ScopeTeam, f.bob), "[ops team]"},
		{"cat all", all, "[nobody ops team care team ann own]"},
		{"cat all, mine", all.Mine(f.cat), "[]"},
	} {
		rows, _, err := f.s.Conversations(ctx, c.sc, ConversationQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got := subjects(rows); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// Filters and search.
	for _, c := range []struct {
		q    ConversationQuery
		want string
	}{
		{ConversationQuery{Team: f.ops}, "[ops team]"},
		{ConversationQuery{Channel: f.open}, "[nobody ann own]"},
		{ConversationQuery{Assignee: f.ann}, "[ann own]"},
		{ConversationQuery{Search: "Bob's"}, "[ops team]"},
		{ConversationQuery{Search: "care"}, "[care team]"},
		{ConversationQuery{Status: "closed"}, "[]"},
	} {
		rows, _, err := f.s.Conversations(ctx, all, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := subjects(rows); got != c.want {
			t.Errorf("%+v: %s, want %s", c.q, got, c.want)
		}
	}
	// Team scope with filters and a search (two plans: merged ranges, one walk).
	for _, c := range []struct {
		q    ConversationQuery
		want string
	}{
		{ConversationQuery{Status: "open"}, "[care team ann own]"},
		{ConversationQuery{Channel: f.careCh}, "[care team]"},
		{ConversationQuery{Search: "own"}, "[ann own]"},
		{ConversationQuery{Search: "Nobody's"}, "[care team]"},
		{ConversationQuery{Status: "pending"}, "[]"},
	} {
		rows, _, err := f.s.Conversations(ctx, ScopeIn(f.acme.ID, access.ScopeTeam, f.ann), c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := subjects(rows); got != c.want {
			t.Errorf("ann team %+v: %s, want %s", c.q, got, c.want)
		}
	}
	// Out of scope and another organization's: not found.
	if _, err := f.s.Conversation(ctx, ScopeIn(f.acme.ID, access.ScopeOwn, f.ann), opsOne); !errors.Is(err, ErrNotFound) {
		t.Errorf("ann loads ops' conversation: %v", err)
	}
	if _, err := f.s.Conversation(ctx, ScopeIn(f.globex.ID, access.ScopeAll, f.gus), annsOwn); !errors.Is(err, ErrNotFound) {
		t.Errorf("globex loads acme's conversation: %v", err)
	}
	if _, _, err := f.s.Conversations(ctx, RecordScope{}, ConversationQuery{}); !errors.Is(err, ErrNoScope) {
		t.Errorf("no scope: %v", err)
	}
	_ = careOne
}

func TestConversationKeysetPages(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	var want []string
	for i := range 23 {
		if i%5 == 0 {
			f.s.SetClock(func() time.Time { return time.Unix(int64(1000+i), 0) }) // ties on updated_at, ordered by id
		}
		f.conv(t, fmt.Sprintf("c%02d", i), f.freeCust, f.open, 0, 0)
	}
	all := ScopeIn(f.acme.ID, access.ScopeAll, f.cat)
	full, _, err := f.s.Conversations(ctx, all, ConversationQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range full {
		want = append(want, v.Subject)
	}
	var got []string
	var cur *ConversationCursor
	for pages := 0; ; pages++ {
		rows, more, err := f.s.Conversations(ctx, all, ConversationQuery{Limit: 5, Before: cur})
		if err != nil || pages > 10 {
			t.Fatal(err, pages)
		}
		for _, v := range rows {
			got = append(got, v.Subject)
		}
		if !more {
			break
		}
		last := rows[len(rows)-1]
		cur = &ConversationCursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
	}
	if fmtList(got) != fmtList(want) || len(got) != 23 {
		t.Errorf("pages %v\nfull  %v", got, want)
	}
}

func TestThreadMessagesAndEvents(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	id := f.conv(t, "thread", f.annCust, f.open, f.care, f.ann)
	ann := ScopeIn(f.acme.ID, access.ScopeTeam, f.ann)
	var first int64
	f.mustWrite(t, func(tx *Tx) (err error) {
		first, err = tx.AddMessage(ctx, ann, NewMessage{ConversationID: id, AuthorID: f.ann, Kind: "reply", Body: "Hello", ChannelID: f.open, SentState: "stored"})
		if err != nil {
			return err
		}
		_, err = tx.AddMessage(ctx, ann, NewMessage{ConversationID: id, AuthorID: f.ann, Kind: "note", Body: "see file",
			Attachment: &Attachment{Name: "a.txt", ContentType: "text/plain", Data: []byte("hi")}})
		return err
	})
	// Bob (own scope) cannot write to it: nothing is stored.
	err := f.write(t, func(tx *Tx) error {
		_, err := tx.AddMessage(ctx, ScopeIn(f.acme.ID, access.ScopeOwn, f.bob), NewMessage{ConversationID: id, AuthorID: f.bob, Kind: "note", Body: "x"})
		return err
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("bob writes to ann's conversation: %v", err)
	}
	// Hand-off to operations keeps the assignee and records who and why.
	f.mustWrite(t, func(tx *Tx) error {
		return tx.MoveConversation(ctx, ann, id, f.ops, f.ann, "Ann moved this to Operations: refund")
	})
	v, err := f.s.Conversation(ctx, ScopeIn(f.acme.ID, access.ScopeAll, f.cat), id)
	if err != nil || v.TeamID != f.ops || v.AssignedTo != f.ann {
		t.Fatalf("after the move: %+v %v", v, err)
	}
	msgs, err := f.s.Thread(ctx, f.acme.ID, id, 0, 100)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("thread %+v %v", msgs, err)
	}
	if msgs[0].Kind != "reply" || msgs[0].ChannelName != "Support mail" || msgs[0].AuthorName != "Ann" ||
		len(msgs[1].Attachments) != 1 || msgs[1].Attachments[0].Size != 2 ||
		msgs[2].Kind != "event" || msgs[2].Body != "Ann moved this to Operations: refund" {
		t.Errorf("thread %+v", msgs)
	}
	if v.LastMessageID != msgs[2].ID {
		t.Errorf("last message %d, want %d", v.LastMessageID, msgs[2].ID)
	}
	if after, _ := f.s.Thread(ctx, f.acme.ID, id, first, 100); len(after) != 2 {
		t.Errorf("after the first: %d messages", len(after))
	}
	if last, err := f.s.ConversationLastMessage(ctx, ScopeIn(f.acme.ID, access.ScopeTeam, f.bob), id); err != nil || last != msgs[2].ID {
		t.Errorf("bob (ops, team scope) polls: %d %v", last, err)
	}
	if _, err := f.s.ConversationLastMessage(ctx, ScopeIn(f.acme.ID, access.ScopeOwn, f.cat), id); !errors.Is(err, ErrNotFound) {
		t.Errorf("cat (own) polls: %v", err)
	}
	a, err := f.s.Attachment(ctx, ScopeIn(f.acme.ID, access.ScopeTeam, f.bob), id, msgs[1].Attachments[0].ID)
	if err != nil || string(a.Data) != "hi" {
		t.Errorf("attachment %+v %v", a, err)
	}
	if _, err := f.s.Attachment(ctx, ScopeIn(f.acme.ID, access.ScopeOwn, f.cat), id, msgs[1].Attachments[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("attachment out of scope: %v", err)
	}
	// A bad status and a suspended/foreign assignee change nothing.
	err = f.write(t, func(tx *Tx) error { return tx.SetConversationStatus(ctx, ann, id, "done", f.ann, "x") })
	wantCode(t, "status done", err, domain.CodeInvalid, "status")
	err = f.write(t, func(tx *Tx) error {
		return tx.AssignConversation(ctx, ScopeIn(f.acme.ID, access.ScopeAll, f.cat), id, f.gus, f.cat, "Cat")
	})
	wantCode(t, "assign to globex's member", err, domain.CodeInvalid, "assignee")
	if n, _ := f.s.Thread(ctx, f.acme.ID, id, 0, 100); len(n) != 3 {
		t.Errorf("refused changes wrote %d messages", len(n)-3)
	}
	// Deleting the team moves its conversations to none.
	f.mustWrite(t, func(tx *Tx) error { _, err := tx.DeleteTeam(ctx, f.acme.ID, f.ops, 0); return err })
	if v, _ := f.s.Conversation(ctx, ScopeIn(f.acme.ID, access.ScopeAll, f.cat), id); v.TeamID != 0 {
		t.Errorf("team after delete: %d", v.TeamID)
	}
}

// Deleting a customer deletes their conversations with their threads.
func TestConversationsGoWithTheirCustomer(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	id := f.conv(t, "bye", f.freeCust, f.open, 0, 0)
	all := ScopeIn(f.acme.ID, access.ScopeAll, f.cat)
	f.mustWrite(t, func(tx *Tx) error {
		_, err := tx.AddMessage(ctx, all, NewMessage{ConversationID: id, Kind: "note", Body: "x",
			Attachment: &Attachment{Name: "a.txt", ContentType: "text/plain", Data: []byte("x")}})
		return err
	})
	f.mustWrite(t, func(tx *Tx) error {
		return tx.DeleteCustomer(ctx, CustomersIn(f.acme.ID, access.ScopeAll, 0), f.freeCust)
	})
	if _, err := f.s.Conversation(ctx, all, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("the conversation outlived its customer: %v", err)
	}
	var n int
	if err := f.s.q.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM messages WHERE conversation_id = ?) + (SELECT COUNT(*) FROM attachments WHERE org_id = ?)`, id, f.acme.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages and files left (%v)", n, err)
	}
}

// The dashboard's open conversations count walks an index range in every
// scope, never the organization's conversations.
func TestOpenConversationsPlan(t *testing.T) {
	s := openTest(t)
	for _, sc := range []RecordScope{ScopeIn(1, access.ScopeAll, 2), ScopeIn(1, access.ScopeTeam, 2), ScopeIn(1, access.ScopeOwn, 2)} {
		q, args, err := openConversationsSQL(sc, 1001)
		if err != nil {
			t.Fatal(err)
		}
		plan := explain(t, s, q, args...)
		if strings.Contains(plan, "SCAN v") || strings.Contains(plan, "SCAN conversations") || strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "INDEX conversations_") {
			t.Errorf("scope %v: plan:\n%s", sc.scope, plan)
		}
	}
}
