package store

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gatehouse/internal/domain"
)

// Conversations (ARCHITECTURE.md, Conversations): channels, conversations, their threads and
// attachments. Conversations are a scoped module (chats) and every query
// over them takes a RecordScope, like customers. The channel CRUD of the
// settings page lives in channels.go; this file holds what the
// conversation screens need of channels.

// ChannelKinds are the kinds a channel may have, in display order.
var ChannelKinds = []string{"email", "whatsapp", "web_chat", "sms"}

// ValidChannelKind reports whether k is one of ChannelKinds.
func ValidChannelKind(k string) bool {
	for _, c := range ChannelKinds {
		if c == k {
			return true
		}
	}
	return false
}

// Channel is a channel of an organization with the teams that may use it
// (none: everyone who may reply).
type Channel struct {
	ID         int64
	OrgID      int64
	Name       string
	Kind       string
	ArchivedAt int64 // 0: in use
	CreatedAt  int64
	Teams      []TeamRef // by name; empty: no restriction
}

// Archived reports whether the channel takes no new replies.
func (c Channel) Archived() bool { return c.ArchivedAt != 0 }

// Restricted reports whether only members of the channel's teams may use it.
func (c Channel) Restricted() bool { return len(c.Teams) > 0 }

// errChannelNotFound is a channel id that is not one of the organization's.
func errChannelNotFound() *domain.Error {
	e := domain.NotFound("No such channel in this organization.")
	e.Err = ErrNotFound
	return e
}

const channelCols = `ch.id, ch.org_id, ch.name, ch.kind, COALESCE(ch.archived_at, 0), ch.created_at,
	COALESCE((SELECT group_concat(t.id || ':' || t.name, char(31)) FROM (SELECT t.id, t.name FROM channel_teams ct
		JOIN teams t ON t.id = ct.team_id WHERE ct.channel_id = ch.id ORDER BY t.name COLLATE NOCASE, t.id) t), '')`

func scanChannel(sc scanner, c *Channel) error {
	var teams string
	if err := sc.Scan(&c.ID, &c.OrgID, &c.Name, &c.Kind, &c.ArchivedAt, &c.CreatedAt, &teams); err != nil {
		return err
	}
	c.Teams = parseTeamRefs(teams)
	return nil
}

// parseTeamRefs reads "id:name" pairs joined by the unit separator (which
// a team name cannot hold: names are single-line text).
func parseTeamRefs(s string) []TeamRef {
	if s == "" {
		return nil
	}
	var out []TeamRef
	for _, p := range strings.Split(s, "\x1f") {
		id, name, _ := strings.Cut(p, ":")
		n, _ := strconv.ParseInt(id, 10, 64)
		out = append(out, TeamRef{ID: n, Name: name})
	}
	return out
}

// Channels lists an organization's channels by name, archived ones too.
func (r reads) Channels(ctx context.Context, orgID int64) ([]Channel, error) {
	rows, err := r.q.query(ctx, `SELECT `+channelCols+` FROM channels ch WHERE ch.org_id = ? ORDER BY ch.name COLLATE NOCASE, ch.id`, orgID)
	return collect(rows, err, scanChannel)
}

// ChannelRefs lists an organization's channels by name, archived ones
// too, with only their ids and names (a list's channel filter and its
// rows' channel names): one walk of channels_org_name, without the teams
// Channels reads for each channel.
func (r reads) ChannelRefs(ctx context.Context, orgID int64) ([]GroupRef, error) {
	rows, err := r.q.query(ctx, `SELECT ch.id, ch.name FROM channels ch WHERE ch.org_id = ? ORDER BY ch.name COLLATE NOCASE, ch.id`, orgID)
	return collect(rows, err, func(sc scanner, c *GroupRef) error { return sc.Scan(&c.ID, &c.Name) })
}

// Channel loads a channel of orgID (another organization's: not found).
func (r reads) Channel(ctx context.Context, orgID, id int64) (Channel, error) {
	c, err := one(r.q.queryRow(ctx, `SELECT `+channelCols+` FROM channels ch WHERE ch.id = ? AND ch.org_id = ?`, id, orgID), scanChannel)
	if errors.Is(err, ErrNotFound) {
		return c, errChannelNotFound()
	}
	return c, err
}

// ChannelUser is who asks to use a channel: their membership, and whether
// they are the organization's owner (owners use every channel; everyone
// else, admins included, follows the teams rule).
type ChannelUser struct {
	Membership int64
	Owner      bool
}

// CanUse reports whether u may use channel c (archived or not: whether an
// archived channel takes a reply is the caller's second question).
func (c Channel) CanUse(u ChannelUser, teams []int64) bool {
	if u.Owner || len(c.Teams) == 0 {
		return true
	}
	for _, t := range c.Teams {
		for _, m := range teams {
			if t.ID == m {
				return true
			}
		}
	}
	return false
}

// UsableChannels splits the organization's channels not archived into the
// ones u may use and the ones they may not (restricted to teams u is not
// in): the composer lists the first and says why the others are missing.
func (r reads) UsableChannels(ctx context.Context, orgID int64, u ChannelUser) (usable, others []Channel, err error) {
	all, err := r.Channels(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	teams, err := r.memberTeamIDs(ctx, orgID, u.Membership)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range all {
		switch {
		case c.Archived():
		case c.CanUse(u, teams):
			usable = append(usable, c)
		default:
			others = append(others, c)
		}
	}
	return usable, others, nil
}

// ChannelUsable loads channel id of orgID and reports whether u may use it.
func (r reads) ChannelUsable(ctx context.Context, orgID, id int64, u ChannelUser) (Channel, bool, error) {
	c, err := r.Channel(ctx, orgID, id)
	if err != nil {
		return c, false, err
	}
	if u.Owner || !c.Restricted() {
		return c, true, nil
	}
	teams, err := r.memberTeamIDs(ctx, orgID, u.Membership)
	return c, err == nil && c.CanUse(u, teams), err
}

// memberTeamIDs lists the ids of a membership's teams in orgID.
func (r reads) memberTeamIDs(ctx context.Context, orgID, membershipID int64) ([]int64, error) {
	rows, err := r.q.query(ctx, `SELECT tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE tm.membership_id = ? AND t.org_id = ?`, membershipID, orgID)
	return collect(rows, err, func(sc scanner, id *int64) error { return sc.Scan(id) })
}

// ChannelNameMax bounds a channel's name.
const ChannelNameMax = 100

// CreateChannel inserts a channel of orgID usable by the given teams (none:
// everyone who may reply); name and kind are checked by CheckChannel
// (invalid), a team of another organization is not found. (The settings
// page's add, edit and archive live in channels.go.)
func (tx *Tx) CreateChannel(ctx context.Context, orgID int64, name, kind string, teams []int64) (int64, error) {
	name, err := CheckChannel(name, kind)
	if err != nil {
		return 0, err
	}
	res, err := tx.Exec(ctx, `INSERT INTO channels (org_id, name, kind, created_at) VALUES (?, ?, ?, ?)`, orgID, name, kind, tx.Now())
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, tx.SetChannelTeams(ctx, orgID, id, teams)
}

// SetChannelTeams replaces the teams that may use channel id of orgID.
func (tx *Tx) SetChannelTeams(ctx context.Context, orgID, id int64, teams []int64) error {
	if _, err := tx.Channel(ctx, orgID, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM channel_teams WHERE channel_id = ?`, id); err != nil {
		return err
	}
	for _, t := range teams {
		if _, err := tx.Team(ctx, orgID, t); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT OR IGNORE INTO channel_teams (channel_id, team_id) VALUES (?, ?)`, id, t); err != nil {
			return err
		}
	}
	return nil
}
