package store

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// BenchmarkConversations is the conversation list (first page, a deep
// keyset page, a status filter, a search) under own, team and all scope,
// and a thread of 200 messages, over 6,000 conversations (a third the
// member's own, the others owned by one of 30 teams, 3 of them the
// member's) with 5 messages each. Uncached: the store's queries alone.
func BenchmarkConversations(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var org domain.Org
	var m domain.Membership
	var long int64
	if err := s.Write(ctx, func(tx *Tx) error {
		var teams []int64
		var err error
		if org, m, teams, err = benchTeamsOrg(ctx, tx); err != nil {
			return err
		}
		ch, err := tx.CreateChannel(ctx, org.ID, "Mail", "email", nil)
		if err != nil {
			return err
		}
		cust, err := tx.CreateCustomer(ctx, Customer{OrgID: org.ID, Name: "Customer"})
		if err != nil {
			return err
		}
		sc := ScopeIn(org.ID, access.ScopeAll, 0)
		for i := range 6000 {
			n := NewConversation{OrgID: org.ID, CustomerID: cust, ChannelID: ch, Subject: "Order " + strconv.Itoa(i*7919%6000)}
			if i%3 == 0 {
				n.AssignedTo = m.ID
			} else {
				n.TeamID = teams[i%30]
			}
			id, err := tx.CreateConversation(ctx, n)
			if err != nil {
				return err
			}
			msgs := 5
			if i == 0 {
				long, msgs = id, 200
			}
			for j := range msgs {
				if _, err := tx.AddMessage(ctx, sc, NewMessage{ConversationID: id, AuthorID: m.ID, Kind: "note", Body: "Message " + strconv.Itoa(j)}); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE conversations SET updated_at = ? WHERE id = ?`, int64(1_000_000+i*13%6000), id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	scopes := []struct {
		name string
		sc   RecordScope
	}{{"all", ScopeIn(org.ID, access.ScopeAll, m.ID)}, {"own", ScopeIn(org.ID, access.ScopeOwn, m.ID)}, {"team", ScopeIn(org.ID, access.ScopeTeam, m.ID)}}
	for _, sc := range scopes {
		// The deep page's cursor: after 1,000 rows of the list.
		rows, _, err := s.Conversations(ctx, sc.sc, ConversationQuery{Limit: 1000})
		if err != nil || len(rows) < 100 {
			b.Fatal(err, len(rows))
		}
		last := rows[len(rows)-1]
		deep := &ConversationCursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
		for _, q := range []struct {
			name string
			q    ConversationQuery
		}{
			{"page1", ConversationQuery{Limit: 50}},
			{"deep", ConversationQuery{Limit: 50, Before: deep}},
			{"open", ConversationQuery{Status: "open", Limit: 50}},
			{"search", ConversationQuery{Search: "Order 7", Limit: 50}},
		} {
			b.Run(sc.name+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if rows, _, err := s.Conversations(ctx, sc.sc, q.q); err != nil || len(rows) == 0 {
						b.Fatal(err, len(rows))
					}
				}
			})
		}
	}
	b.Run("thread200", func(b *testing.B) {
		for b.Loop() {
			if msgs, err := s.Thread(ctx, org.ID, long, 0, 200); err != nil || len(msgs) != 200 {
				b.Fatal(err, len(msgs))
			}
		}
	})
	b.Run("poll", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ConversationLastMessage(ctx, ScopeIn(org.ID, access.ScopeOwn, m.ID), long); err != nil {
				b.Fatal(err)
			}
		}
	})
}
