// Package channels renders Settings → Channels (ARCHITECTURE.md, Conversations): the list at
// /o/{slug}/settings/channels with the "New channel" form, and a channel's
// page with its edit form (name, kind, teams) and archiving.
package channels

import (
	"strconv"

	"gatehouse/internal/store"
)

// Form is the channel form's values and refusals (field → message: name,
// kind, teams; "" for the form's own).
type Form struct {
	Name   string
	Kind   string
	Teams  map[int64]bool // the teams ticked
	Errors map[string]string
}

// ListProps is the channels list.
type ListProps struct {
	Slug, CSRF    string
	Channels      []store.Channel
	Conversations map[int64]int   // per channel id
	Teams         []store.TeamRef // the organization's, for the form
	CanCreate     bool            // channels_create: the "New channel" form
	Form          Form
}

// DetailProps is a channel's page.
type DetailProps struct {
	Slug, CSRF    string
	Channel       store.Channel
	Conversations int
	Teams         []store.TeamRef
	CanEdit       bool // channels_edit: name, kind, teams
	CanArchive    bool // channels_delete: archive, unarchive
	Form          Form
	// ConfirmOpen asks before a save that removes the channel's last team.
	ConfirmOpen bool
}

// Kind is a channel kind with its label.
type Kind struct{ Key, Label string }

// Kinds are the channel kinds in display order (store.ChannelKinds).
var Kinds = []Kind{{"email", "Email"}, {"whatsapp", "WhatsApp"}, {"web_chat", "Web chat"}, {"sms", "SMS"}}

// KindLabel is the label of a kind key (the key itself when unknown).
func KindLabel(k string) string {
	for _, c := range Kinds {
		if c.Key == k {
			return c.Label
		}
	}
	return k
}

// OpenText says who may use a channel without teams.
const OpenText = "Everyone who may reply"

// OpenWarning is the warning before a save removes a channel's last team.
const OpenWarning = "Without a team, this channel opens to everyone who may reply to conversations, not only the members of its teams."

func listURL(slug string) string { return "/o/" + slug + "/settings/channels" }

func channelURL(slug string, id int64) string { return listURL(slug) + "/" + strconv.FormatInt(id, 10) }

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// FormOf is the form filled with channel c as stored.
func FormOf(c store.Channel) Form {
	f := Form{Name: c.Name, Kind: c.Kind, Teams: map[int64]bool{}, Errors: map[string]string{}}
	for _, t := range c.Teams {
		f.Teams[t.ID] = true
	}
	return f
}

func conversationCount(n int) string {
	if n == 1 {
		return "1 conversation"
	}
	return strconv.Itoa(n) + " conversations"
}
