package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gatehouse/internal/domain"
	"gatehouse/internal/names"
)

// The channel changes of Settings → Channels (ARCHITECTURE.md, Conversations): create with a
// name unique in the organization, edit (name, kind, teams in the caller's
// one transaction), archive and unarchive. What the conversation screens
// read of channels is in chats.go.

// CheckChannel trims a channel's name and checks it and the kind: invalid,
// with each field's message (name, kind) at once.
func CheckChannel(name, kind string) (string, error) {
	name = strings.TrimSpace(name)
	msgs := map[string]string{}
	switch {
	case name == "":
		msgs["name"] = "Give the channel a name."
	case utf8.RuneCountInString(name) > ChannelNameMax:
		msgs["name"] = fmt.Sprintf("A channel name has at most %d characters.", ChannelNameMax)
	case strings.ContainsAny(name, "\r\n\t\x1f"):
		msgs["name"] = "A channel name is one line of text."
	}
	if !ValidChannelKind(kind) {
		msgs["kind"] = "Choose email, WhatsApp, web chat or SMS."
	}
	if len(msgs) == 0 {
		return name, nil
	}
	field := "name"
	if msgs[field] == "" {
		field = "kind"
	}
	e := domain.Invalid(field, "%s", msgs[field])
	e.Fields = msgs
	return name, e
}

// channelNameFree refuses (conflict, next to the name) a name another
// channel of orgID than except already has, folded like team names
// ("Support ", "support" and "Süpport" are one name).
func (tx *Tx) channelNameFree(ctx context.Context, orgID, except int64, name string) error {
	rows, err := tx.Query(ctx, `SELECT id, name FROM channels WHERE org_id = ?`, orgID)
	type idName struct {
		id   int64
		name string
	}
	all, err := collect(rows, err, func(sc scanner, v *idName) error { return sc.Scan(&v.id, &v.name) })
	if err != nil {
		return err
	}
	key := names.FoldOrgName(name)
	for _, c := range all {
		if c.id != except && names.FoldOrgName(c.name) == key {
			e := domain.Conflict("name", "A channel named %q already exists in this organization.", c.name)
			e.Err = ErrConflict
			return e
		}
	}
	return nil
}

// AddChannel is CreateChannel with the settings page's rules: the name and
// kind checked (invalid), the name unique in the organization (conflict),
// every team one of the organization's (not found).
func (tx *Tx) AddChannel(ctx context.Context, orgID int64, name, kind string, teams []int64) (Channel, error) {
	name, err := CheckChannel(name, kind)
	if err != nil {
		return Channel{}, err
	}
	if err := tx.channelNameFree(ctx, orgID, 0, name); err != nil {
		return Channel{}, err
	}
	id, err := tx.CreateChannel(ctx, orgID, name, kind, teams)
	if err != nil {
		return Channel{}, err
	}
	return tx.Channel(ctx, orgID, id)
}

// UpdateChannel saves the name, kind and teams of channel id of orgID (the
// caller's transaction holds all three) and returns it before and after:
// not found for another organization's channel or team, invalid, conflict
// for a name in use.
func (tx *Tx) UpdateChannel(ctx context.Context, orgID, id int64, name, kind string, teams []int64) (before, after Channel, err error) {
	if before, err = tx.Channel(ctx, orgID, id); err != nil {
		return before, after, err
	}
	if name, err = CheckChannel(name, kind); err != nil {
		return before, after, err
	}
	if err = tx.channelNameFree(ctx, orgID, id, name); err != nil {
		return before, after, err
	}
	if err = tx.execOne(ctx, `UPDATE channels SET name = ?, kind = ? WHERE id = ? AND org_id = ?`, name, kind, id, orgID); err != nil {
		return before, after, err
	}
	if err = tx.SetChannelTeams(ctx, orgID, id, teams); err != nil {
		return before, after, err
	}
	after, err = tx.Channel(ctx, orgID, id)
	return before, after, err
}

// SetChannelArchived archives channel id of orgID (it takes no new
// replies; its conversations stay readable) or puts it back in use.
// changed is false when it already was so.
func (tx *Tx) SetChannelArchived(ctx context.Context, orgID, id int64, archived bool) (c Channel, changed bool, err error) {
	if c, err = tx.Channel(ctx, orgID, id); err != nil || c.Archived() == archived {
		return c, false, err
	}
	var at any
	if archived {
		at = tx.Now()
	}
	if err = tx.execOne(ctx, `UPDATE channels SET archived_at = ? WHERE id = ? AND org_id = ?`, at, id, orgID); err != nil {
		return c, false, err
	}
	c, err = tx.Channel(ctx, orgID, id)
	return c, err == nil, err
}

// ChannelConversations counts each channel's conversations in orgID (a
// channel without any is absent), from the conversations_channel index.
func (r reads) ChannelConversations(ctx context.Context, orgID int64) (map[int64]int, error) {
	rows, err := r.q.query(ctx, `SELECT channel_id, COUNT(*) FROM conversations WHERE org_id = ? GROUP BY channel_id`, orgID)
	type count struct {
		id int64
		n  int
	}
	all, err := collect(rows, err, func(sc scanner, v *count) error { return sc.Scan(&v.id, &v.n) })
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(all))
	for _, c := range all {
		out[c.id] = c.n
	}
	return out, nil
}

// ChannelsOnlyOf names the channels of orgID whose one team is teamID, by
// name: deleting that team opens them to everyone who may reply.
func (r reads) ChannelsOnlyOf(ctx context.Context, orgID, teamID int64) ([]string, error) {
	rows, err := r.q.query(ctx, `SELECT ch.name FROM channel_teams ct JOIN channels ch ON ch.id = ct.channel_id
		WHERE ct.team_id = ? AND ch.org_id = ?
		AND NOT EXISTS (SELECT 1 FROM channel_teams o WHERE o.channel_id = ct.channel_id AND o.team_id <> ct.team_id)
		ORDER BY ch.name COLLATE NOCASE, ch.id`, teamID, orgID)
	return collect(rows, err, scanText)
}
