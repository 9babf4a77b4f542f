package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

type outboxEntry struct {
	to, subject, body string
	secrets           []string
}

type fakeOutbox struct {
	entries   []outboxEntry
	forgotten []int64
	err       error
}

func (f *fakeOutbox) AddOutbox(_ context.Context, to, subject, body string, secrets []string) (int64, error) {
	if f.err != nil {
		return 0, f.err
	}
	f.entries = append(f.entries, outboxEntry{to, subject, body, secrets})
	return int64(len(f.entries)), nil
}

func (f *fakeOutbox) ForgetOutboxSecrets(_ context.Context, id int64) error {
	f.forgotten = append(f.forgotten, id)
	return nil
}

const testToken = "Zq3v0W8sJk1mN2bV5cX7zL9aQ4wE6rT8yU0iO1pA2sD"

func TestOutboxSender(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	store := &fakeOutbox{}
	s := NewOutboxSender(store, log)
	link := "http://127.0.0.1:1234/reset?token=" + testToken

	if err := s.Send(context.Background(), Message{To: "alice@example.com", Subject: "Reset", Text: "Open " + link}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(store.entries) != 1 || store.entries[0].body != "Open "+link || len(store.entries[0].secrets) != 1 || store.entries[0].secrets[0] != testToken {
		t.Errorf("store = %+v", store.entries)
	}
	for _, s := range []string{"alice@example.com", "Reset", "/reset?token=" + Mask} {
		if !strings.Contains(logs.String(), s) {
			t.Errorf("log lacks %q:\n%s", s, logs.String())
		}
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("the log prints the token:\n%s", logs.String())
	}

	if err := s.Send(context.Background(), Message{To: "a@example.com\r\nBcc: b@example.com", Subject: "x", Text: "y"}); !errors.Is(err, ErrHeaderInjection) {
		t.Errorf("injection: err = %v", err)
	}
	if len(store.entries) != 1 {
		t.Errorf("invalid mail was stored: %+v", store.entries)
	}

	// A failing store is reported and logged, still without the token.
	logs.Reset()
	store.err = errors.New("disk full")
	err := s.Send(context.Background(), Message{To: "bob@example.com", Subject: "Invite", Text: link + "&x"})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("store failure: err = %v", err)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || strings.Contains(logs.String(), testToken) {
		t.Errorf("store failure not logged, or logged with the token:\n%s", logs.String())
	}
}

func TestOutboxSenderNilLogger(t *testing.T) {
	if err := NewOutboxSender(&fakeOutbox{}, nil).Send(context.Background(), Message{To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
}

func TestSecrets(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Open https://gh.example/reset?token=abc now.", []string{"abc"}},
		{"Join: http://x/invite/" + testToken + ".", []string{testToken}},
		{"http://x/setup/short1", []string{"short1"}},
		{"http://x/confirm-email?code=123456&next=/orgs", []string{"123456"}},
		{"Open it here: http://x/o/acme-corporation-international-holdings", nil},
		{"Visit http://x/o/acme/settings/members/invites/12/resend", nil},
		{"no link " + testToken, nil},
		{"http://x/a/" + testToken + "/b?z=" + strings.Repeat("ab12", 10), []string{testToken, strings.Repeat("ab12", 10)}},
	}
	for _, c := range cases {
		got := Secrets(c.text)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("Secrets(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	if got := MaskSecrets("a http://x/invite/" + testToken + " b"); got != "a http://x/invite/"+Mask+" b" {
		t.Errorf("MaskSecrets = %q", got)
	}
}
