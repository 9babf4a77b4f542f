package orgio

// Channels in the access configuration (version 2, optional): a channel's
// teams decide who may use it, so they travel with the teams. An import
// that lists "channels" makes them the whole truth: the file's channels
// are created or updated (kind, teams, archived), matched by name like
// organization names; a channel the file omits is archived, never deleted
// (its conversations stay readable, ARCHITECTURE.md, Conversations). A file
// without "channels" leaves them as they are.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
)

func (p *parser) channel(path string, raw json.RawMessage) Channel {
	ch := Channel{Teams: []string{}}
	p.object(raw, path, "a channel object with name, kind, teams and archived", []field{
		{"name", "required", p.text(&ch.Name, checkChannelName)},
		{"kind", "required", p.text(&ch.Kind, func(k string) string {
			if !store.ValidChannelKind(k) {
				return fmt.Sprintf("unknown kind %q (kinds: %s)", k, strings.Join(store.ChannelKinds, ", "))
			}
			return ""
		})},
		{"teams", "", func(path string, v json.RawMessage) { ch.Teams = p.teamNames(path, v, ch.Teams) }},
		{"archived", "", func(path string, v json.RawMessage) { ch.Archived = p.boolean(path, v) }},
	})
	return ch
}

// checkChannelName is the settings page's rule (store.CheckChannel), and
// the name exactly as it will be stored (no spaces around it).
func checkChannelName(s string) string {
	if strings.TrimSpace(s) != s {
		return fmt.Sprintf("%q has leading or trailing spaces", s)
	}
	_, err := store.CheckChannel(s, store.ChannelKinds[0])
	if e := domain.AsError(err); e != nil && e.Fields["name"] != "" {
		msg := e.Fields["name"]
		return strings.ToLower(msg[:1]) + strings.TrimSuffix(msg[1:], ".")
	}
	return ""
}

// chstate is a channel as it will be after the import.
type chstate struct {
	id   int64          // 0 until created
	old  *store.Channel // nil: created by the import
	want Channel        // the file's (when file >= 0)
	file int            // index in Config.Channels; -1 when the file omits it
}

// channelJSON is a channel as its audit entries record it (as Settings →
// Channels does).
type channelJSON struct {
	Name  string   `json:"name"`
	Kind  string   `json:"kind"`
	Teams []string `json:"teams"`
}

// planChannels matches the file's channels to the organization's and checks
// that each team they name is one of the file's.
func (p *planner) planChannels() {
	if p.c.Channels == nil {
		p.openedChannels()
		return
	}
	byKey := map[string]*chstate{}
	var existing []*chstate
	if p.st.snap != nil {
		for i := range p.st.snap.Channels {
			ch := &chstate{id: p.st.snap.Channels[i].ID, old: &p.st.snap.Channels[i], file: -1}
			existing = append(existing, ch)
			byKey[names.FoldOrgName(ch.old.Name)] = ch
		}
	}
	for i, fc := range p.c.Channels {
		if fc.Name == "" {
			continue // reported by Parse
		}
		for j, name := range fc.Teams {
			if p.team(name) == nil {
				p.problem(index(join(index("channels", i), "teams"), j), "unknown team %q: define it in \"teams\"", name)
			}
		}
		ch := byKey[names.FoldOrgName(fc.Name)]
		if ch == nil {
			ch = &chstate{file: -1}
			byKey[names.FoldOrgName(fc.Name)] = ch
		}
		if ch.file >= 0 {
			continue // a duplicate, reported by Parse
		}
		ch.file, ch.want = i, fc
		p.channels = append(p.channels, ch)
	}
	for _, ch := range existing {
		if ch.file < 0 {
			p.channels = append(p.channels, ch)
		}
	}
}

// openedChannels notes, for a file without "channels", each channel whose
// every team the import deletes: it opens to everyone who may reply.
func (p *planner) openedChannels() {
	if p.st.snap == nil || !p.c.HasTeams() {
		return
	}
	for i := range p.st.snap.Channels {
		c := &p.st.snap.Channels[i]
		ts := p.storedTeams(c)
		if len(ts) > 0 && !slices.ContainsFunc(ts, func(t *tstate) bool { return !t.delete }) {
			p.note("channel %s opens to everyone who may reply: the import deletes its teams (%s)", c.Name, strings.Join(teamNames(ts), ", "))
		}
	}
}

// channelTeams are the teams a channel of the file names, sorted by name.
func (p *planner) channelTeams(fc Channel) []*tstate {
	out := make([]*tstate, 0, len(fc.Teams))
	for _, name := range fc.Teams {
		if t := p.team(name); t != nil {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *tstate) int { return compareNames(a.name, b.name) })
	return out
}

// storedTeams are an existing channel's teams (with those the import
// deletes, so that the change says the channel loses them), sorted by name.
func (p *planner) storedTeams(c *store.Channel) []*tstate {
	if p.teamOf == nil {
		p.teamOf = map[int64]*tstate{}
		for _, t := range p.teams {
			if t.exists {
				p.teamOf[t.id] = t
			}
		}
	}
	out := make([]*tstate, 0, len(c.Teams))
	for _, r := range c.Teams {
		if t := p.teamOf[r.ID]; t != nil {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *tstate) int { return compareNames(a.name, b.name) })
	return out
}

// pluck is f of each of xs.
func pluck[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func teamNames(ts []*tstate) []string { return pluck(ts, func(t *tstate) string { return t.name }) }

// teamIDs are the ids of ts when the change is applied (new teams have
// them by then).
func teamIDs(ts []*tstate) []int64 { return pluck(ts, func(t *tstate) int64 { return t.id }) }

// channelOps creates and updates the file's channels in file order (after
// the teams they name are created), then archives those it omits.
func (p *planner) channelOps() {
	for _, ch := range p.channels {
		if ch.file < 0 {
			if !ch.old.Archived() {
				p.archiveOp(ch, ch.old.Name, true, " (not in the file; its conversations stay readable)")
			}
			continue
		}
		teams := p.channelTeams(ch.want)
		want := channelJSON{Name: ch.want.Name, Kind: ch.want.Kind, Teams: teamNames(teams)}
		if ch.old == nil {
			p.ops = append(p.ops, op{text: fmt.Sprintf("create channel %s (%s; teams: %s)", want.Name, want.Kind, listOrNone(want.Teams)),
				audit: store.AuditEntry{Action: "channel.create", Target: "channel " + want.Name, After: store.JSON(want)},
				apply: func(ctx context.Context, tx *store.Tx, e *env) error {
					id, err := tx.CreateChannel(ctx, e.orgID, want.Name, want.Kind, teamIDs(teams))
					if err != nil {
						return fmt.Errorf("create channel %s: %w", want.Name, err)
					}
					ch.id = id
					return nil
				}})
			if ch.want.Archived {
				p.archiveOp(ch, want.Name, true, "")
			}
			continue
		}
		old := channelJSON{Name: ch.old.Name, Kind: ch.old.Kind, Teams: teamNames(p.storedTeams(ch.old))}
		if diff := channelDiff(old, want); diff != "" {
			p.ops = append(p.ops, op{text: "update channel " + old.Name + ": " + diff,
				audit: store.AuditEntry{Action: "channel.update", Target: "channel " + want.Name, Before: store.JSON(old), After: store.JSON(want)},
				apply: func(ctx context.Context, tx *store.Tx, e *env) error {
					_, _, err := tx.UpdateChannel(ctx, e.orgID, ch.id, want.Name, want.Kind, teamIDs(teams))
					if err != nil {
						return fmt.Errorf("update channel %s: %w", want.Name, err)
					}
					return nil
				}})
		}
		if ch.want.Archived != ch.old.Archived() {
			p.archiveOp(ch, want.Name, ch.want.Archived, "")
		}
	}
}

// archiveOp archives channel ch (named name) or puts it back in use.
func (p *planner) archiveOp(ch *chstate, name string, archived bool, why string) {
	text, action := "put channel "+name+" back in use", "channel.unarchive"
	if archived {
		text, action = "archive channel "+name+why, "channel.archive"
	}
	p.ops = append(p.ops, op{text: text,
		audit: store.AuditEntry{Action: action, Target: "channel " + name,
			Before: store.JSON(map[string]bool{"archived": !archived}), After: store.JSON(map[string]bool{"archived": archived})},
		apply: func(ctx context.Context, tx *store.Tx, e *env) error {
			_, _, err := tx.SetChannelArchived(ctx, e.orgID, ch.id, archived)
			return err
		}})
}

// channelDiff words what changes: `name "email" → "Email"; kind sms → email; teams (none) → EMEA`.
func channelDiff(old, want channelJSON) string {
	var parts []string
	if old.Name != want.Name {
		parts = append(parts, fmt.Sprintf("name %q → %q", old.Name, want.Name))
	}
	if old.Kind != want.Kind {
		parts = append(parts, fmt.Sprintf("kind %s → %s", old.Kind, want.Kind))
	}
	if !slices.Equal(old.Teams, want.Teams) {
		parts = append(parts, fmt.Sprintf("teams %s → %s", listOrNone(old.Teams), listOrNone(want.Teams)))
	}
	return strings.Join(parts, "; ")
}
