package demo

import (
	"context"
	"fmt"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
)

// Demo channels (ARCHITECTURE.md, Conversations): some open to everyone who may reply, some
// kept for a team, one archived.
const (
	ChannelEmail    = "Support email"
	ChannelWhatsApp = "WhatsApp EMEA"  // team EMEA only
	ChannelSMS      = "SMS Americas"   // team Americas only
	ChannelWebChat  = "Web chat"       // everyone
	ChannelOld      = "Old fax bridge" // archived
	ChannelGlobex   = "Globex mail"
)

// DemoConversations is how many conversations acme's demo has.
const DemoConversations = 300

// AttachmentName is the file of the first conversation of the demo agent.
const AttachmentName = "invoice-question.txt"

type channelSpec struct{ org, name, kind, team string }

var channelSpecs = []channelSpec{
	{OrgSlug, ChannelEmail, "email", ""},
	{OrgSlug, ChannelWhatsApp, "whatsapp", TeamEMEA},
	{OrgSlug, ChannelSMS, "sms", TeamAmericas},
	{OrgSlug, ChannelWebChat, "web_chat", ""},
	{OrgSlug, ChannelOld, "sms", ""},
	{OtherOrgSlug, ChannelGlobex, "email", ""},
}

var subjects = []string{"Invoice question", "Appointment change", "Order not delivered", "Refund request", "Login problem",
	"Prescription refill", "Insurance paperwork", "Billing address", "Device not working", "Opening hours"}

// addConversations adds the demo channels and conversations: a few hundred
// spread over acme's customers, their assignees and teams, each with a
// short thread; globex gets one (for the cross-organization denials).
func addConversations(ctx context.Context, tx *store.Tx) error {
	orgIDs, members, teams := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, o := range orgs {
		org, err := tx.OrgBySlug(ctx, o.slug)
		if err != nil {
			return err
		}
		orgIDs[o.slug] = org.ID
		refs, err := tx.TeamRefs(ctx, org.ID)
		if err != nil {
			return err
		}
		for _, t := range refs {
			teams[t.Name] = t.ID
		}
	}
	for _, l := range Logins() {
		m, err := membershipOf(ctx, tx, orgIDs[l.Org], l.Email)
		if err != nil {
			return err
		}
		members[l.Email] = m.ID
	}
	channels := map[string]int64{}
	for _, c := range channelSpecs {
		var ts []int64
		if c.team != "" {
			ts = []int64{teams[c.team]}
		}
		id, err := tx.CreateChannel(ctx, orgIDs[c.org], c.name, c.kind, ts)
		if err != nil {
			return fmt.Errorf("demo: channel %s: %w", c.name, err)
		}
		channels[c.name] = id
	}
	customers := map[string][]store.Customer{}
	for slug, org := range orgIDs {
		if err := tx.EachCustomer(ctx, store.CustomersIn(org, access.ScopeAll, 0), "", func(c store.Customer) error {
			customers[slug] = append(customers[slug], c)
			return nil
		}); err != nil {
			return err
		}
	}
	now := tx.Now()
	start := func(org, customer, channel, team, assignee int64, subject string, age int64, status string, thread []store.NewMessage) error {
		id, err := tx.CreateConversation(ctx, store.NewConversation{OrgID: org, CustomerID: customer, ChannelID: channel, TeamID: team,
			AssignedTo: assignee, Subject: subject})
		if err != nil {
			return err
		}
		sc := store.ScopeIn(org, access.ScopeAll, 0)
		for _, m := range thread {
			m.ConversationID = id
			if _, err := tx.AddMessage(ctx, sc, m); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE conversations SET status = ?, created_at = ?, updated_at = ? WHERE id = ?`, status, now-age-3600, now-age, id)
		return err
	}
	// Acme: the customers in name order; the first conversation of the
	// demo agent's first customer carries a file.
	acme := customers[OrgSlug]
	statuses := []string{"open", "open", "open", "pending", "closed"}
	for i := range DemoConversations {
		cu := acme[i%len(acme)]
		assignee, team := cu.AssignedTo, cu.TeamID
		if i%7 == 6 {
			assignee = 0
		}
		if team == 0 && i%4 == 1 {
			team = teams[[]string{TeamEMEA, TeamAmericas}[i/4%2]]
		}
		channel := channels[ChannelEmail]
		switch {
		case team == teams[TeamEMEA] && i%2 == 0:
			channel = channels[ChannelWhatsApp]
		case team == teams[TeamAmericas] && i%2 == 0:
			channel = channels[ChannelSMS]
		case i%5 == 2:
			channel = channels[ChannelWebChat]
		}
		author := assignee
		if author == 0 {
			author = members[SupervisorEmail]
		}
		thread := []store.NewMessage{
			{AuthorID: author, Kind: "reply", Body: "Hello " + cu.Name + ", thanks for getting in touch. We are looking into it.", ChannelID: channel, SentState: "stored"},
		}
		if i%2 == 0 {
			thread = append(thread, store.NewMessage{AuthorID: author, Kind: "note", Body: "Checked the account: nothing unusual so far."})
		}
		if i%3 == 0 {
			thread = append(thread, store.NewMessage{AuthorID: author, Kind: "reply", Body: "Could you send us the reference number, please?",
				ChannelID: channel, SentState: "stored"})
		}
		if i == 0 {
			thread[0].Attachment = &store.Attachment{Name: AttachmentName, ContentType: "text/plain; charset=utf-8",
				Data: []byte("Invoice 2024-117: the amount looks twice what we agreed.\n")}
		}
		subject := subjects[i%len(subjects)]
		if err := start(orgIDs[OrgSlug], cu.ID, channel, team, assignee, subject, int64(i)*5400, statuses[i%len(statuses)], thread); err != nil {
			return fmt.Errorf("demo: conversation %d: %w", i, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE channels SET archived_at = ? WHERE id = ?`, now, channels[ChannelOld]); err != nil {
		return err
	}
	g := customers[OtherOrgSlug][0]
	return start(orgIDs[OtherOrgSlug], g.ID, channels[ChannelGlobex], 0, g.AssignedTo, "Globex shipping question", 0, "open",
		[]store.NewMessage{{AuthorID: g.AssignedTo, Kind: "note", Body: "Globex's own thread.",
			Attachment: &store.Attachment{Name: "globex.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("globex\n")}}})
}
