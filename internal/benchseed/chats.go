package benchseed

import (
	"context"
	"gatehouse/internal/store"
	"strconv"
)

// Conversations of the bench organization (issue 24): AgentChats of them
// assigned to the agent actor (its "Those I serve"), the first of those
// with LongThread messages (the conversation page); the others over the
// serving members and teams, Messages spread over them all.
const (
	AgentChats = 300
	LongThread = 200
)

var chatSubjects = []string{"Invoice question", "Delivery delayed", "Refund request", "Login problem", "Change of address",
	"Contract renewal", "Damaged item", "Opening hours", "Order status", "Cancel subscription"}

// conversations seeds channels (two of them kept for teams), the
// conversations and their threads with multi-row inserts; ids are
// sequential, so each conversation's last message id is known up front.
func (s *seeder) conversations(ctx context.Context, tx *store.Tx) error {
	if s.o.Conversations == 0 {
		return nil
	}
	var channels []int64
	for i, c := range []struct{ name, kind string }{{"Support email", "email"}, {"WhatsApp", "whatsapp"}, {"Web chat", "web_chat"}, {"SMS", "sms"}} {
		var teams []int64
		if i >= 2 && len(s.teamIDs) > i {
			teams = []int64{s.teamIDs[i]}
		}
		id, err := tx.CreateChannel(ctx, s.orgID, c.name, c.kind, teams)
		if err != nil {
			return err
		}
		channels = append(channels, id)
	}
	var minCust, maxCust int64
	if err := tx.QueryRow(ctx, `SELECT MIN(id), MAX(id) FROM customers WHERE org_id = ?`, s.orgID).Scan(&minCust, &maxCust); err != nil {
		return err
	}
	firstConv, err := nextID(ctx, tx, "conversations")
	if err != nil {
		return err
	}
	firstMsg, err := nextID(ctx, tx, "messages")
	if err != nil {
		return err
	}
	convs, err := newBatch(ctx, tx, "conversations", "id", "org_id", "customer_id", "channel_id", "team_id", "assigned_to", "status",
		"subject", "created_at", "updated_at", "last_message_id")
	if err != nil {
		return err
	}
	msgs, err := newBatch(ctx, tx, "messages", "id", "org_id", "conversation_id", "author_id", "kind", "body", "channel_id", "sent_state", "created_at")
	if err != nil {
		return err
	}
	anyTeam := s.zipf(len(s.teamIDs), 10, 0.7)
	statuses := []string{"open", "open", "pending", "closed", "closed"}
	n := s.o.Conversations
	rest := max(0, s.o.Messages-LongThread) // spread over the others, at least one each
	type thread struct {
		assignee any
		channel  int64
		created  int64
		count    int
	}
	threads := make([]thread, n)
	msgID := firstMsg
	// The conversations first (the messages refer to them), each knowing
	// its thread's size: message times are 10 minutes apart.
	for i := range n {
		who := actorAgent
		if i >= AgentChats {
			who = firstRandom + s.rng.IntN(max(1, len(s.memberships)-firstRandom))
		}
		var assignee, team any = s.memberships[who].id, nil
		if i >= AgentChats && s.rng.IntN(100) < 10 {
			assignee = nil
		}
		if s.rng.IntN(100) < 60 && len(s.teamIDs) > 0 {
			team = s.teamIDs[anyTeam()]
		}
		count := 1 + (rest-(n-1))/max(1, n-1)
		if i == 0 {
			count = LongThread
		} else if extra := (rest - (n - 1)) % max(1, n-1); i <= extra {
			count++
		}
		t := thread{assignee: assignee, channel: channels[i%2], created: s.ago(365), count: max(1, count)}
		threads[i] = t
		msgID += int64(t.count)
		customer := minCust + s.rng.Int64N(maxCust-minCust+1)
		if err := convs.add(ctx, firstConv+int64(i), s.orgID, customer, t.channel, team, assignee, statuses[s.rng.IntN(len(statuses))],
			chatSubjects[s.rng.IntN(len(chatSubjects))]+" #"+strconv.Itoa(i+1), t.created, t.created+int64(t.count)*600, msgID-1); err != nil {
			return err
		}
	}
	if err := convs.close(ctx); err != nil {
		return err
	}
	msgID = firstMsg
	for i, t := range threads {
		for j := range t.count {
			kind, ch, sent := "reply", any(t.channel), "stored"
			if j%3 == 1 {
				kind, ch, sent = "note", nil, ""
			}
			if err := msgs.add(ctx, msgID, s.orgID, firstConv+int64(i), t.assignee, kind, "Message "+strconv.Itoa(j+1)+" of this conversation.",
				ch, sent, t.created+int64(j+1)*600); err != nil {
				return err
			}
			msgID++
		}
	}
	return msgs.close(ctx)
}
