package mail

import (
	"strings"
	"testing"
)

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		raw     string
		want    SMTPConfig
		wantErr string // substring; "" means success
	}{
		{raw: "smtp://mail.example.com", want: SMTPConfig{Host: "mail.example.com", Port: 587}},
		{raw: "smtp://127.0.0.1:2525", want: SMTPConfig{Host: "127.0.0.1", Port: 2525}},
		{raw: "SMTP://mail.example.com:25/", want: SMTPConfig{Host: "mail.example.com", Port: 25}},
		{raw: "smtps://mail.example.com", want: SMTPConfig{Host: "mail.example.com", Port: 465, ImplicitTLS: true}},
		{raw: "smtp://[::1]:2525", want: SMTPConfig{Host: "::1", Port: 2525}},
		{
			raw:  "smtp://user%40example.com:p%3Ass%2Fw@mail.example.com:587?from=Gatehouse+%3Cgate%40example.com%3E",
			want: SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user@example.com", Password: "p:ss/w", From: "Gatehouse <gate@example.com>"},
		},
		{raw: "smtp://apikey@mail.example.com", want: SMTPConfig{Host: "mail.example.com", Port: 587, Username: "apikey"}},
		{raw: "http://mail.example.com", wantErr: `unsupported scheme "http"`},
		{raw: "mail.example.com:25", wantErr: "unsupported scheme"},
		{raw: "mail.example.com", wantErr: "missing scheme"},
		{raw: "", wantErr: "missing scheme"},
		{raw: "smtp://", wantErr: "missing host"},
		{raw: "smtp://user:pw@:25", wantErr: "missing host"},
		{raw: "smtp:mail.example.com", wantErr: "missing host"},
		{raw: "smtp://mail.example.com:0", wantErr: "bad port"},
		{raw: "smtp://mail.example.com:70000", wantErr: "bad port"},
		{raw: "smtp://mail.example.com:", wantErr: "bad port"},
		{raw: "smtp://user:secret@mail.example.com:abc", wantErr: "invalid port"},
		{raw: "smtp://mail.example.com/inbox", wantErr: "unexpected path"},
		{raw: "smtp://mail.example.com?form=a@b.c", wantErr: `unknown parameter "form"`},
		{raw: "smtp://mail.example.com?from=not-an-address", wantErr: "bad from address"},
		{raw: "smtp://mail.example.com?from=a@b.c%0D%0ABcc:x@y.z", wantErr: "CR or LF"},
	} {
		got, err := ParseSMTPURL(tc.raw)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseSMTPURL(%q) err = %v, want it to mention %q", tc.raw, err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseSMTPURL(%q) error leaks the password: %v", tc.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", tc.raw, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}

func TestSMTPConfigStringRedactsPassword(t *testing.T) {
	cfg, err := ParseSMTPURL("smtps://gate:hunter2@mail.example.com?from=a@example.com")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.String()
	if strings.Contains(s, "hunter2") || !strings.HasPrefix(s, "smtps://gate:xxxxx@mail.example.com:465") {
		t.Errorf("String() = %q", s)
	}
}

func TestDefaultFrom(t *testing.T) {
	for base, want := range map[string]string{
		"https://gate.example.com":       `Gatehouse <no-reply@gate.example.com>`,
		"http://127.0.0.1:8080/app":      `Gatehouse <no-reply@127.0.0.1>`,
		"http://[::1]:8080":              `Gatehouse <no-reply@localhost>`,
		"":                               `Gatehouse <no-reply@localhost>`,
		"https://GATE.example.com:8443/": `Gatehouse <no-reply@GATE.example.com>`,
	} {
		if got := DefaultFrom(base); got != want {
			t.Errorf("DefaultFrom(%q) = %q, want %q", base, got, want)
		}
	}
}
