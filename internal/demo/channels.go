package demo

import (
	"context"
	"fmt"

	"gatehouse/internal/store"
)

// Demo channels (DESIGN.md §14): some open to everyone who may reply, some
// kept for a team, one archived. The names and kinds are the ones the
// conversations' demo data (branch h4, internal/demo/chats.go) creates, so
// that file replaces this one when the two meet.
const (
	ChannelEmail    = "Support email"
	ChannelWhatsApp = "WhatsApp EMEA"  // team EMEA only
	ChannelSMS      = "SMS Americas"   // team Americas only
	ChannelWebChat  = "Web chat"       // everyone
	ChannelOld      = "Old fax bridge" // archived
	ChannelGlobex   = "Globex mail"
)

var demoChannels = []struct{ org, name, kind, team string }{
	{OrgSlug, ChannelEmail, "email", ""},
	{OrgSlug, ChannelWhatsApp, "whatsapp", TeamEMEA},
	{OrgSlug, ChannelSMS, "sms", TeamAmericas},
	{OrgSlug, ChannelWebChat, "web_chat", ""},
	{OrgSlug, ChannelOld, "sms", ""},
	{OtherOrgSlug, ChannelGlobex, "email", ""},
}

// addChannels adds the demo channels to a seeded database (after its teams).
func addChannels(ctx context.Context, tx *store.Tx) error {
	for _, c := range demoChannels {
		org, err := tx.OrgBySlug(ctx, c.org)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", c.org, err)
		}
		refs, err := tx.TeamRefs(ctx, org.ID)
		if err != nil {
			return err
		}
		var teams []int64
		for _, r := range refs {
			if r.Name == c.team {
				teams = append(teams, r.ID)
			}
		}
		ch, err := tx.AddChannel(ctx, org.ID, c.name, c.kind, teams)
		if err != nil {
			return fmt.Errorf("demo: channel %s: %w", c.name, err)
		}
		if _, _, err := tx.SetChannelArchived(ctx, org.ID, ch.ID, c.name == ChannelOld); err != nil {
			return err
		}
	}
	return nil
}
