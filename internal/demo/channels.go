package demo

import (
	"context"
	"fmt"

	"gatehouse/internal/store"
)

// Demo channels (DESIGN.md §14): acme's, some open to everyone who may
// reply, some only for a team's members, one archived.
const (
	ChannelSupportMail  = "Support mail"
	ChannelWhatsAppEMEA = "WhatsApp EMEA"
)

// Channel is one demo channel.
type Channel struct {
	Org, Name, Kind string
	Teams           []string // the teams that may use it; none: everyone who may reply
	Archived        bool
}

// Channels lists the demo channels.
func Channels() []Channel {
	return []Channel{
		{OrgSlug, ChannelSupportMail, "email", nil, false},
		{OrgSlug, ChannelWhatsAppEMEA, "whatsapp", []string{TeamEMEA}, false},
		{OrgSlug, "Americas SMS", "sms", []string{TeamAmericas}, false},
		{OrgSlug, "Website chat", "web_chat", nil, false},
		{OrgSlug, "Old web chat", "web_chat", nil, true},
	}
}

// addChannels adds the demo channels to a seeded database (after its teams).
func addChannels(ctx context.Context, tx *store.Tx) error {
	for _, c := range Channels() {
		org, err := tx.OrgBySlug(ctx, c.Org)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", c.Org, err)
		}
		refs, err := tx.TeamRefs(ctx, org.ID)
		if err != nil {
			return err
		}
		var teams []int64
		for _, name := range c.Teams {
			for _, r := range refs {
				if r.Name == name {
					teams = append(teams, r.ID)
				}
			}
		}
		ch, err := tx.AddChannel(ctx, org.ID, c.Name, c.Kind, teams)
		if err != nil {
			return fmt.Errorf("demo: channel %s: %w", c.Name, err)
		}
		if _, _, err := tx.SetChannelArchived(ctx, org.ID, ch.ID, c.Archived); err != nil {
			return err
		}
	}
	return nil
}
