package orgio_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/orgio"
)

// Seeds: the design's example, every structural mistake the import tests
// name, and odd JSON. `go test` runs them; `go test -fuzz FuzzParse` explores.
var fuzzDocs = []string{
	`{"version": 1, "organization": {"name": "Acme Ltd", "slug": "acme", "products": ["crm", "inbox"], "seats": 25},
	 "groups": [{"name": "Night shift", "description": "", "permissions": {
	   "customers": {"actions": ["view", "edit"], "flags": {"canAccessAll": false}},
	   "chats": {"actions": ["view", "create"], "flags": {"canAssignToOthers": true}}}}],
	 "members": [{"email": "bob@example.com", "name": "Bob Stone", "role": "agent", "status": "active",
	   "groups": ["Night shift"], "custom": null}]}`,
	`{"version": 1, "organization": {"name": "A", "slug": "a", "products": [], "seats": 1}, "groups": [], "members": [
	  {"email": "x@example.com", "role": "owner", "custom": {}}, {"email": "X@example.com", "role": "agnet", "status": "gone"}]}`,
	`{"version": 2, "organization": {"name": "", "slug": "-bad-", "products": ["crm", "crm", "core", "nope"], "seats": 0},
	  "groups": [{"name": "G", "predefined": true, "permissions": {"custmers": {}}}, {"name": "g", "permissions": {}}],
	  "members": [{"email": "not-an-email", "role": "agent", "groups": ["G", "g", 3]}]}`,
	`{"version": 2, "organization": {"name": "Acme Ltd", "slug": "acme", "products": ["crm"], "seats": 5}, "groups": [],
	  "teams": [{"name": "EMEA", "description": "", "leads": ["bob@example.com"]}, {"name": "emea", "leads": ["x", "bob@example.com"]}],
	  "members": [{"email": "bob@example.com", "role": "agent", "groups": [], "teams": ["EMEA", "Nowhere"], "custom": null}]}`,
	`{"version": 1, "version": 1, "extra": true}`,
	`{"version": "1", "organization": [], "groups": {}, "members": null}`,
	`{"version": 1.5, "organization": {"name": "Acme", "slug": "acme", "products": ["crm"], "seats": 1e3}, "groups": [], "members": []}`,
	`{"version": 99999999999999999999}`,
	`[]`, `null`, `"x"`, `1`, ``, `   `, `{`, `{"a":}`, `{"version": 1}` + "\n" + `{"version": 1}`,
	// Found by fuzzing: an invalid email without a name made the planner panic.
	`{"members":[{}]}`,
	`{"version":1,"organization":{"name":"Acme Ltd","slug":"acme","products":["crm"],"seats":5},"groups":[],"members":[{"email":"bob","role":"agent"}]}`,
	"\xef\xbb\xbf{}", "{\"organization\": {\"name\": \"\xff\"}}", `{"members": [{"email": "a@b.co", "custom": {"customers": {"actions": ["view", 7]}}}]}`,
}

// problemOK checks one problem: a FieldError with a message, located by a
// JSON path unless it is about the document as a whole.
func problemOK(t *testing.T, e error) {
	t.Helper()
	var fe access.FieldError
	if !errors.As(e, &fe) || strings.TrimSpace(fe.Message) == "" {
		t.Fatalf("problem %T %q is not a located message", e, e)
	}
	// Whole-document problems have no path; so has a top-level key "",
	// which the message quotes instead.
	if fe.Path == "" && !strings.HasPrefix(fe.Message, "invalid JSON") && !strings.HasPrefix(fe.Message, "the file is empty") &&
		!strings.HasPrefix(fe.Message, "expected an object") && !strings.HasSuffix(strings.SplitN(fe.Message, " (", 2)[0], ` field ""`) {
		t.Fatalf("problem without a JSON path: %q", fe.Message)
	}
	if fe.Path != "" && !strings.HasPrefix(e.Error(), fe.Path+": ") {
		t.Fatalf("problem %q does not start with its path %q", e.Error(), fe.Path)
	}
}

// FuzzParse: no panic; every problem is a message with its JSON path; a
// document without problems encodes back to one that parses to the same
// configuration, and that encoding is stable.
func FuzzParse(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, problems := orgio.Parse(data)
		for _, p := range problems {
			problemOK(t, p)
		}
		if len(problems) > 0 {
			return
		}
		if c.Version != orgio.Version && c.Version != orgio.VersionNoTeams {
			t.Fatalf("accepted version %d", c.Version)
		}
		var out bytes.Buffer
		if err := c.Encode(&out); err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, problems := orgio.Parse(out.Bytes())
		if len(problems) > 0 {
			t.Fatalf("the encoding of an accepted document is refused: %v\n%s", problems, out.Bytes())
		}
		if !reflect.DeepEqual(normalized(c), normalized(again)) {
			t.Fatalf("round trip changed the configuration:\n%+v\n%+v", c, again)
		}
		var out2 bytes.Buffer
		if err := again.Encode(&out2); err != nil || !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("encoding is not stable: %v\n%s\n%s", err, out.Bytes(), out2.Bytes())
		}
	})
}

// normalized makes nil and empty lists equal (Encode writes [] for both).
func normalized(c orgio.Config) orgio.Config {
	if c.Groups == nil {
		c.Groups = []orgio.Group{}
	}
	if c.Members == nil {
		c.Members = []orgio.Member{}
	}
	if c.Organization.Products == nil {
		c.Organization.Products = []string{}
	}
	if c.Teams == nil && c.Version >= orgio.Version {
		c.Teams = []orgio.Team{}
	}
	ts := make([]orgio.Team, len(c.Teams))
	for i, t := range c.Teams {
		if t.Leads == nil {
			t.Leads = []string{}
		}
		ts[i] = t
	}
	if c.Teams != nil {
		c.Teams = ts
	}
	ms := make([]orgio.Member, len(c.Members))
	for i, m := range c.Members {
		if m.Groups == nil {
			m.Groups = []string{}
		}
		if m.Teams == nil {
			m.Teams = []string{}
		}
		ms[i] = m
	}
	c.Members = ms
	return c
}

// FuzzImportDryRun runs the whole import (parse and plan) without a
// database, as `gatehouse import --dry-run` on a new database does: no
// panic; a refusal is an invalid *domain.Error listing located problems; an
// acceptance is a dry run that changes the document's organization.
func FuzzImportDryRun(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := orgio.Import(context.Background(), nil, data, orgio.Options{DryRun: true})
		if err != nil {
			problems := orgio.Problems(err)
			if len(problems) == 0 {
				t.Fatalf("refusal %T %v lists no problems", err, err)
			}
			for _, p := range problems {
				problemOK(t, p)
			}
			return
		}
		c, problems := orgio.Parse(data)
		if len(problems) > 0 {
			t.Fatalf("import accepted a document Parse refuses: %v", problems)
		}
		if !res.DryRun || res.Slug != c.Organization.Slug {
			t.Fatalf("result %+v for organization %q", res, c.Organization.Slug)
		}
	})
}
