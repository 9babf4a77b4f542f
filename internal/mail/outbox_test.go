package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

type outboxEntry struct{ to, subject, body string }

type fakeOutbox struct {
	entries []outboxEntry
	err     error
}

func (f *fakeOutbox) AddOutbox(_ context.Context, to, subject, body string) error {
	if f.err != nil {
		return f.err
	}
	f.entries = append(f.entries, outboxEntry{to, subject, body})
	return nil
}

func TestOutboxSender(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	store := &fakeOutbox{}
	s := NewOutboxSender(store, log)
	link := "http://127.0.0.1:1234/reset?token=abc123"

	if err := s.Send(context.Background(), Message{To: "alice@example.com", Subject: "Reset", Text: "Open " + link}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if want := []outboxEntry{{"alice@example.com", "Reset", "Open " + link}}; len(store.entries) != 1 || store.entries[0] != want[0] {
		t.Errorf("store = %+v, want %+v", store.entries, want)
	}
	for _, s := range []string{"alice@example.com", "Reset", link} {
		if !strings.Contains(logs.String(), s) {
			t.Errorf("log lacks %q:\n%s", s, logs.String())
		}
	}

	if err := s.Send(context.Background(), Message{To: "a@example.com\r\nBcc: b@example.com", Subject: "x", Text: "y"}); !errors.Is(err, ErrHeaderInjection) {
		t.Errorf("injection: err = %v", err)
	}
	if len(store.entries) != 1 {
		t.Errorf("invalid mail was stored: %+v", store.entries)
	}

	// A failing store is reported, and the link still reaches the log.
	logs.Reset()
	store.err = errors.New("disk full")
	err := s.Send(context.Background(), Message{To: "bob@example.com", Subject: "Invite", Text: link + "&x"})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("store failure: err = %v", err)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), link) {
		t.Errorf("store failure not logged with the body:\n%s", logs.String())
	}
}

func TestOutboxSenderNilLogger(t *testing.T) {
	if err := NewOutboxSender(&fakeOutbox{}, nil).Send(context.Background(), Message{To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
}
