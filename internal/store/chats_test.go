package store

import (
	"context"
	"fmt"
	"testing"

	"gatehouse/internal/domain"
)

// chatsFixture is teamsFixture with two teams in acme (care: ann; ops:
// bob) and channels: open to all, care-only, ops-only, and one archived.
type chatsFixture struct {
	*teamsFixture
	care, ops                       int64
	open, careCh, opsCh, archivedCh int64
	globexCh                        int64
}

func newChatsFixture(t *testing.T) *chatsFixture {
	t.Helper()
	f := &chatsFixture{teamsFixture: newTeamsFixture(t)}
	f.care = f.team(t, "Customer care", "", f.ann)
	f.ops = f.team(t, "Operations", "", f.bob)
	ctx := context.Background()
	f.mustWrite(t, func(tx *Tx) (err error) {
		ch := func(org int64, name, kind string, teams ...int64) int64 {
			id, e := tx.CreateChannel(ctx, org, name, kind, teams)
			if e != nil && err == nil {
				err = e
			}
			return id
		}
		f.open = ch(f.acme.ID, "Support mail", "email")
		f.careCh = ch(f.acme.ID, "Care WhatsApp", "whatsapp", f.care)
		f.opsCh = ch(f.acme.ID, "Ops SMS", "sms", f.ops)
		f.archivedCh = ch(f.acme.ID, "Old chat", "web_chat")
		f.globexCh = ch(f.globex.ID, "Globex mail", "email")
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE channels SET archived_at = 1 WHERE id = ?`, f.archivedCh)
		}
		return err
	})
	return f
}

func channelNames(cs []Channel) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestChannelsUsableByTeam(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		u             ChannelUser
		usable, other string
	}{
		{"ann (care)", ChannelUser{Membership: f.ann}, "[Care WhatsApp Support mail]", "[Ops SMS]"},
		{"bob (ops)", ChannelUser{Membership: f.bob}, "[Ops SMS Support mail]", "[Care WhatsApp]"},
		{"cat (no team, manager)", ChannelUser{Membership: f.cat}, "[Support mail]", "[Care WhatsApp Ops SMS]"},
		{"cat as owner", ChannelUser{Membership: f.cat, Owner: true}, "[Care WhatsApp Ops SMS Support mail]", "[]"},
	} {
		u, o, err := f.s.UsableChannels(ctx, f.acme.ID, c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmtList(channelNames(u)); got != c.usable {
			t.Errorf("%s: usable %s, want %s", c.name, got, c.usable)
		}
		if got := fmtList(channelNames(o)); got != c.other {
			t.Errorf("%s: others %s, want %s", c.name, got, c.other)
		}
	}
	if _, ok, err := f.s.ChannelUsable(ctx, f.acme.ID, f.opsCh, ChannelUser{Membership: f.ann}); ok || err != nil {
		t.Errorf("ann may use the ops channel: %v %v", ok, err)
	}
	if _, ok, err := f.s.ChannelUsable(ctx, f.acme.ID, f.careCh, ChannelUser{Membership: f.ann}); !ok || err != nil {
		t.Errorf("ann may not use the care channel: %v %v", ok, err)
	}
	_, _, err := f.s.ChannelUsable(ctx, f.acme.ID, f.globexCh, ChannelUser{Membership: f.ann, Owner: true})
	wantCode(t, "another organization's channel", err, domain.CodeNotFound, "")
	c, err := f.s.Channel(ctx, f.acme.ID, f.careCh)
	if err != nil || len(c.Teams) != 1 || c.Teams[0].Name != "Customer care" || c.Kind != "whatsapp" {
		t.Errorf("care channel: %+v %v", c, err)
	}
	err = f.write(t, func(tx *Tx) error { _, err := tx.CreateChannel(ctx, f.acme.ID, "Fax", "fax", nil); return err })
	wantCode(t, "a fax channel", err, domain.CodeInvalid, "kind")
	err = f.write(t, func(tx *Tx) error {
		_, err := tx.CreateChannel(ctx, f.acme.ID, "X", "sms", []int64{f.globexTeam})
		return err
	})
	wantCode(t, "another organization's team", err, domain.CodeNotFound, "")
}

func fmtList(s []string) string { return fmt.Sprint(s) }
