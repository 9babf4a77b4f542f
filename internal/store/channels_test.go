package store

import (
	"context"
	"errors"
	"testing"

	"gatehouse/internal/domain"
)

// Channel names are unique per organization, folded like team names; the
// same name in another organization is fine.
func TestChannelNamesUnique(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	for _, name := range []string{"support MAIL", " Süpport mail ", "SupportMail"} {
		err := f.write(t, func(tx *Tx) error { _, err := tx.AddChannel(ctx, f.acme.ID, name, "sms", nil); return err })
		if !errors.Is(err, ErrConflict) || domain.AsError(err).Field != "name" {
			t.Errorf("AddChannel(%q): %v, want a conflict on the name", name, err)
		}
	}
	if err := f.write(t, func(tx *Tx) error { _, err := tx.AddChannel(ctx, f.globex.ID, "Support mail", "sms", nil); return err }); err != nil {
		t.Errorf("the same name in another organization: %v", err)
	}
	// Renaming to its own name (other case) is no conflict; to another's is.
	if err := f.write(t, func(tx *Tx) error {
		_, _, err := tx.UpdateChannel(ctx, f.acme.ID, f.open, "SUPPORT mail", "email", nil)
		return err
	}); err != nil {
		t.Errorf("rename to its own name: %v", err)
	}
	err := f.write(t, func(tx *Tx) error {
		_, _, err := tx.UpdateChannel(ctx, f.acme.ID, f.careCh, "Ops sms", "whatsapp", []int64{f.care})
		return err
	})
	if !errors.Is(err, ErrConflict) {
		t.Errorf("rename to another channel's name: %v", err)
	}
}

// CheckChannel names every wrong field at once; a crafted kind is invalid.
func TestCheckChannel(t *testing.T) {
	if name, err := CheckChannel("  Mail  ", "email"); err != nil || name != "Mail" {
		t.Errorf("CheckChannel: %q %v", name, err)
	}
	_, err := CheckChannel(" ", "fax")
	e := domain.AsError(err)
	if e == nil || e.Code != domain.CodeInvalid || e.For("name") == "" || e.For("kind") == "" {
		t.Fatalf("empty name and crafted kind: %+v", e)
	}
	if _, err := CheckChannel("Two\nlines", "sms"); domain.AsError(err).For("name") == "" {
		t.Error("a name with a line break is accepted")
	}
}

// An update is one transaction: a team of another organization refuses it
// and leaves name, kind and teams as they were.
func TestUpdateChannelAllOrNothing(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	err := f.write(t, func(tx *Tx) error {
		_, _, err := tx.UpdateChannel(ctx, f.acme.ID, f.careCh, "Renamed", "sms", []int64{f.ops, f.globexTeam})
		return err
	})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("another organization's team: %v, want not found", err)
	}
	c, err := f.s.Channel(ctx, f.acme.ID, f.careCh)
	if err != nil || c.Name != "Care WhatsApp" || c.Kind != "whatsapp" || len(c.Teams) != 1 || c.Teams[0].ID != f.care {
		t.Errorf("after the refused update: %+v %v", c, err)
	}
	var before, after Channel
	f.mustWrite(t, func(tx *Tx) (err error) {
		before, after, err = tx.UpdateChannel(ctx, f.acme.ID, f.careCh, " Care and ops ", "sms", []int64{f.ops, f.care, f.ops})
		return err
	})
	if before.Name != "Care WhatsApp" || after.Name != "Care and ops" || after.Kind != "sms" || len(after.Teams) != 2 {
		t.Errorf("update: before %+v after %+v", before, after)
	}
	if err := f.write(t, func(tx *Tx) error {
		_, _, err := tx.UpdateChannel(ctx, f.acme.ID, f.globexCh, "Mine now", "sms", nil)
		return err
	}); !errors.Is(err, ErrNotFound) {
		t.Errorf("another organization's channel: %v", err)
	}
}

// Archiving sets the state once (changed false the second time) and
// unarchiving clears it; conversation counts are per channel.
func TestChannelArchiveAndCounts(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	for i, want := range []bool{true, false} {
		var changed bool
		var c Channel
		f.mustWrite(t, func(tx *Tx) (err error) {
			c, changed, err = tx.SetChannelArchived(ctx, f.acme.ID, f.open, true)
			return
		})
		if c.Archived() != true || changed != want {
			t.Errorf("archive #%d: archived %v changed %v", i+1, c.Archived(), changed)
		}
	}
	f.mustWrite(t, func(tx *Tx) error {
		c, changed, err := tx.SetChannelArchived(ctx, f.acme.ID, f.open, false)
		if err == nil && (c.Archived() || !changed) {
			t.Errorf("unarchive: %+v changed %v", c, changed)
		}
		return err
	})
	f.mustWrite(t, func(tx *Tx) error {
		for _, ch := range []int64{f.open, f.open, f.careCh} {
			if _, err := tx.Exec(ctx, `INSERT INTO conversations (org_id, customer_id, channel_id, created_at, updated_at) VALUES (?, ?, ?, 1, 1)`,
				f.acme.ID, f.annCust, ch); err != nil {
				return err
			}
		}
		return nil
	})
	n, err := f.s.ChannelConversations(ctx, f.acme.ID)
	if err != nil || n[f.open] != 2 || n[f.careCh] != 1 || n[f.opsCh] != 0 || len(n) != 2 {
		t.Errorf("counts: %v %v", n, err)
	}
	if g, err := f.s.ChannelConversations(ctx, f.globex.ID); err != nil || len(g) != 0 {
		t.Errorf("globex counts: %v %v", g, err)
	}
}
