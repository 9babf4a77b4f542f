package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// Thread reads the newest limit messages after a given one, oldest first,
// with every author's and channel's name (read apart from the messages),
// each kind and delivery state, and every file of a message in order; a
// removed author has no name, and another organization's names never show.
func TestThreadPagesNamesAndFiles(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	id := f.conv(t, "long", f.annCust, f.open, f.care, f.ann)
	all := ScopeIn(f.acme.ID, access.ScopeAll, f.cat)
	var ids []int64
	f.mustWrite(t, func(tx *Tx) error {
		for i, m := range []NewMessage{
			{AuthorID: f.ann, Kind: "reply", Body: "m0", ChannelID: f.open, SentState: "stored"},
			{AuthorID: f.bob, Kind: "note", Body: "m1"},
			{AuthorID: f.cat, Kind: "reply", Body: "m2", ChannelID: f.careCh, SentState: "queued"},
			{AuthorID: f.ann, Kind: "event", Body: "m3"},
			{AuthorID: f.bob, Kind: "reply", Body: "m4", ChannelID: f.opsCh, SentState: "sent",
				Attachment: &Attachment{Name: "b.txt", ContentType: "text/plain", Data: []byte("bb")}},
			{AuthorID: f.cat, Kind: "note", Body: "m5"},
		} {
			m.ConversationID = id
			mid, err := tx.AddMessage(ctx, all, m)
			if err != nil {
				return fmt.Errorf("message %d: %w", i, err)
			}
			ids = append(ids, mid)
		}
		// A second file on m4: a message's files come by id.
		_, err := tx.Exec(ctx, `INSERT INTO attachments (org_id, message_id, name, content_type, size, data) VALUES (?, ?, 'c.txt', 'text/plain', 3, 'ccc')`,
			f.acme.ID, ids[4])
		return err
	})
	f.mustWrite(t, func(tx *Tx) error { return tx.RemoveMember(ctx, f.acme.ID, f.cat) })

	show := func(ms []Message) string {
		var b strings.Builder
		for _, m := range ms {
			fmt.Fprintf(&b, "%s %s %q %s %s", m.Body, m.Kind, m.AuthorName, m.ChannelName, m.SentState)
			for _, a := range m.Attachments {
				fmt.Fprintf(&b, " [%s %d %s]", a.Name, a.Size, a.ContentType)
				if a.MessageID != m.ID {
					b.WriteString(" (another message's)")
				}
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	for _, c := range []struct {
		name         string
		after        int64
		limit        int
		orgID        int64
		want         string
		wantFirstIdx int
	}{
		{"all", 0, 100, f.acme.ID, `m0 reply "Ann" Support mail stored
m1 note "Bob"  
m2 reply "" Care WhatsApp queued
m3 event "Ann"  
m4 reply "Bob" Ops SMS sent [b.txt 2 text/plain] [c.txt 3 text/plain]
m5 note ""  
`, 0},
		{"newest 2", 0, 2, f.acme.ID, `m4 reply "Bob" Ops SMS sent [b.txt 2 text/plain] [c.txt 3 text/plain]
m5 note ""  
`, 4},
		{"after m1, newest 3", ids[1], 3, f.acme.ID, "m3 event \"Ann\"  \nm4 reply \"Bob\" Ops SMS sent [b.txt 2 text/plain] [c.txt 3 text/plain]\nm5 note \"\"  \n", 3},
		{"after m2, 10", ids[2], 10, f.acme.ID, "m3 event \"Ann\"  \nm4 reply \"Bob\" Ops SMS sent [b.txt 2 text/plain] [c.txt 3 text/plain]\nm5 note \"\"  \n", 3},
		{"after the last", ids[5], 10, f.acme.ID, "", 0},
		{"through globex", 0, 100, f.globex.ID, "", 0},
	} {
		ms, err := f.s.Thread(ctx, c.orgID, id, c.after, c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := show(ms); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
		if len(ms) > 0 && ms[0].ID != ids[c.wantFirstIdx] {
			t.Errorf("%s: first id %d, want %d", c.name, ms[0].ID, ids[c.wantFirstIdx])
		}
	}
}
