package domain_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// The design's error table, written out by hand: code, status.
func TestCodeStatusIsTheErrorTable(t *testing.T) {
	for _, tc := range []struct {
		code domain.Code
		key  string
		want int
	}{
		{domain.CodeUnauthenticated, "unauthenticated", 401},
		{domain.CodeForbidden, "forbidden", 403},
		{domain.CodeNotFound, "not_found", 404},
		{domain.CodeConflict, "conflict", 409},
		{domain.CodeInvalid, "invalid", 422},
		{domain.CodeRateLimited, "rate_limited", 429},
		{domain.CodeUnavailable, "unavailable", 503},
		{domain.Code("gone"), "gone", 500}, // not a code: the server's fault
		{domain.Code(""), "", 500},
	} {
		if string(tc.code) != tc.key {
			t.Errorf("code %q is spelled %q", tc.key, tc.code)
		}
		if got := tc.code.Status(); got != tc.want {
			t.Errorf("%q.Status() = %d, want %d", tc.key, got, tc.want)
		}
		if got := (&domain.Error{Code: tc.code}).Status(); got != tc.want {
			t.Errorf("Error{%q}.Status() = %d, want %d", tc.key, got, tc.want)
		}
	}
}

func TestConstructors(t *testing.T) {
	for _, tc := range []struct {
		err   *domain.Error
		code  domain.Code
		field string
		msg   string
	}{
		{domain.Forbidden("no %s", "way"), domain.CodeForbidden, "", "no way"},
		{domain.Invalid("email", "Enter %d address.", 1), domain.CodeInvalid, "email", "Enter 1 address."},
		{domain.NotFound("no member %d", 7), domain.CodeNotFound, "", "no member 7"},
		{domain.Conflict("name", "%q is taken", "x"), domain.CodeConflict, "name", `"x" is taken`},
		{domain.RateLimited(time.Minute, "slow down"), domain.CodeRateLimited, "", "slow down"},
		{domain.Unavailable(5*time.Second, "busy"), domain.CodeUnavailable, "", "busy"},
		{domain.New(domain.CodeUnauthenticated, "sign in"), domain.CodeUnauthenticated, "", "sign in"},
	} {
		e := tc.err
		if e.Code != tc.code || e.Field != tc.field || e.Message != tc.msg || e.Error() != tc.msg {
			t.Errorf("%+v, want code %s field %q message %q", e, tc.code, tc.field, tc.msg)
		}
		if errors.Is(e, access.ErrEscalation) {
			t.Errorf("%s is not an anti-escalation refusal", tc.code)
		}
	}
	if e := domain.RateLimited(90*time.Second, "x"); e.RetryAfter != 90*time.Second {
		t.Errorf("RetryAfter = %v", e.RetryAfter)
	}
}

func TestEscalationIsForbiddenAndMatchesTheSentinel(t *testing.T) {
	var missing access.Set
	missing.Grant(access.ModCustomers, access.Edit)
	e := domain.Escalation("perm", missing, "Nothing was saved: you can only grant permissions you hold yourself.")
	wrapped := fmt.Errorf("saving: %w", e)
	if e.Code != domain.CodeForbidden || e.Status() != http.StatusForbidden || e.Field != "perm" {
		t.Fatalf("%+v, want forbidden on perm", e)
	}
	if !errors.Is(wrapped, access.ErrEscalation) {
		t.Fatal("errors.Is(escalation, access.ErrEscalation) = false")
	}
	if got := domain.AsError(wrapped); got != e {
		t.Fatalf("AsError through a wrap = %v", got)
	}
	if !domain.HasCode(wrapped, domain.CodeForbidden) || domain.HasCode(wrapped, domain.CodeInvalid) {
		t.Fatal("HasCode")
	}
	if got := e.Text(func(s access.Set) string { return fmt.Sprint(s.Permissions()) }); got !=
		"Nothing was saved: you can only grant permissions you hold yourself: [customers_edit]." {
		t.Fatalf("Text = %q", got)
	}
	if got := domain.Forbidden("Plain.").Text(func(access.Set) string { return "never" }); got != "Plain." {
		t.Fatalf("Text without Missing = %q", got)
	}
}

func TestForAndAsError(t *testing.T) {
	e := &domain.Error{Code: domain.CodeInvalid, Field: "name", Message: "Enter a name.",
		Fields: map[string]string{"email": "Enter an email address."}}
	for field, want := range map[string]string{"email": "Enter an email address.", "name": "Enter a name.", "role": ""} {
		if got := e.For(field); got != want {
			t.Errorf("For(%q) = %q, want %q", field, got, want)
		}
	}
	var none *domain.Error
	if none.For("name") != "" {
		t.Error("a nil error has messages")
	}
	if domain.AsError(errors.New("disk full")) != nil || domain.AsError(nil) != nil {
		t.Error("AsError of a real failure is not nil")
	}
	cause := errors.New("cause")
	if !errors.Is(&domain.Error{Code: domain.CodeConflict, Err: cause}, cause) {
		t.Error("Unwrap does not reach the cause")
	}
}
