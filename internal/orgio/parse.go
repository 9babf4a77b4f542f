package orgio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
)

// Problem is one thing wrong with an import file, located by its JSON path
// (e.g. `members[3].role: unknown role "agnet"`).
type Problem = access.FieldError

// invalidFile is the refusal of an import that found problems (invalid,
// listing them in document order); nothing was written.
func invalidFile(problems []error) *domain.Error {
	e := domain.Invalid("", "%d problems in the file; nothing was written", len(problems))
	if len(problems) == 1 {
		e.Message = "1 problem in the file; nothing was written"
	}
	e.Problems = problems
	return e
}

// Problems is the list of an import's refusal (nil when err is something
// else: a real failure).
func Problems(err error) []error {
	if e := domain.AsError(err); e != nil && e.Code == domain.CodeInvalid {
		return e.Problems
	}
	return nil
}

// Parse decodes a document strictly and checks everything that does not need
// the database: JSON syntax and types, unknown or duplicate fields, the
// version, names, slug, products, seats, roles, statuses, emails, permission
// sets (unknown module, action or flag), duplicate group names and emails.
// It reports every problem, in document order. The returned Config holds
// what could be read; use it for changes only when there are no problems.
func Parse(data []byte) (Config, []error) {
	var c Config
	if len(bytes.TrimSpace(data)) == 0 {
		return c, []error{Problem{Message: "the file is empty; expected a JSON object"}}
	}
	if err := syntaxCheck(data); err != nil {
		return c, []error{err}
	}
	p := &parser{}
	p.document(data, &c)
	return c, p.errs
}

// syntaxCheck reports invalid JSON with its line and column.
func syntaxCheck(data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return Problem{Message: fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, se)}
	}
	return Problem{Message: "invalid JSON: " + err.Error()}
}

func lineCol(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

type parser struct {
	errs []error
	// memberTeams says, per member, whether it has a "teams" field: whether
	// it must is known only once the version is read.
	memberTeams []bool
	teamsSeen   bool
}

func (p *parser) add(path, format string, args ...any) {
	p.errs = append(p.errs, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// kind names a JSON value's type for messages.
func kind(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// field is one known key of an object.
type field struct {
	name    string
	missing string // message when absent; "" = optional
	read    func(path string, raw json.RawMessage)
}

// object walks a JSON object in document order: each known key goes to its
// reader; unknown and duplicate keys and missing required ones are problems.
// The input is valid JSON (Parse checked), so decoding cannot fail here.
func (p *parser) object(raw json.RawMessage, path, what string, fields []field) bool {
	if kind(raw) != "an object" {
		p.add(path, "expected %s, got %s", what, kind(raw))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	_, _ = dec.Token() // '{'
	seen := map[string]bool{}
	for dec.More() {
		t, _ := dec.Token()
		key, _ := t.(string)
		var val json.RawMessage
		_ = dec.Decode(&val)
		kp := join(path, key)
		f := findField(fields, key)
		switch {
		case seen[key]:
			p.add(kp, "duplicate field %q", key)
		case f == nil:
			p.add(kp, "unknown field %q (expected %s)", key, fieldNames(fields))
		default:
			f.read(kp, val)
		}
		seen[key] = true
	}
	for _, f := range fields {
		if f.missing != "" && !seen[f.name] {
			p.add(join(path, f.name), "%s", f.missing)
		}
	}
	return true
}

func findField(fields []field, key string) *field {
	for i := range fields {
		if fields[i].name == key {
			return &fields[i]
		}
	}
	return nil
}

func fieldNames(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// array walks a JSON array, calling each with the element's path.
func (p *parser) array(raw json.RawMessage, path, what string, each func(i int, path string, raw json.RawMessage)) bool {
	if kind(raw) != "an array" {
		p.add(path, "expected %s, got %s", what, kind(raw))
		return false
	}
	var elems []json.RawMessage
	_ = json.Unmarshal(raw, &elems)
	for i, e := range elems {
		each(i, index(path, i), e)
	}
	return true
}

// text reads a string field into dst and reports check's complaint about it.
func (p *parser) text(dst *string, check func(string) string) func(string, json.RawMessage) {
	return func(path string, v json.RawMessage) {
		if s, ok := p.str(path, v); ok {
			*dst = s
			if msg := check(s); msg != "" {
				p.add(path, "%s", msg)
			}
		}
	}
}

func (p *parser) str(path string, raw json.RawMessage) (string, bool) {
	if kind(raw) != "a string" {
		p.add(path, "expected a string, got %s", kind(raw))
		return "", false
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s, true
}

func (p *parser) boolean(path string, raw json.RawMessage) bool {
	if kind(raw) != "a boolean" {
		p.add(path, "expected true or false, got %s", kind(raw))
		return false
	}
	return string(bytes.TrimSpace(raw)) == "true"
}

// whole reads an integer; ok is false (and a problem recorded) otherwise.
func (p *parser) whole(path string, raw json.RawMessage) (int64, bool) {
	if kind(raw) != "a number" {
		p.add(path, "expected a whole number, got %s", kind(raw))
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		p.add(path, "expected a whole number, got %s", bytes.TrimSpace(raw))
		return 0, false
	}
	return n, true
}

func (p *parser) document(raw json.RawMessage, c *Config) {
	p.object(raw, "", "an object with version, organization, groups, teams, channels and members", []field{
		{"version", "required: this Gatehouse reads versions 1 and 2", func(path string, v json.RawMessage) {
			n, ok := p.whole(path, v)
			if ok && n != Version && n != VersionNoTeams {
				p.add(path, "unsupported version %d (this Gatehouse reads versions %d and %d)", n, VersionNoTeams, Version)
			}
			c.Version = int(n)
		}},
		{"organization", "required", func(path string, v json.RawMessage) { p.organization(path, v, &c.Organization) }},
		{"groups", "required (use [] for none)", func(path string, v json.RawMessage) {
			p.array(v, path, "an array of groups", func(i int, path string, v json.RawMessage) {
				c.Groups = append(c.Groups, p.group(path, v))
			})
		}},
		{"teams", "", func(path string, v json.RawMessage) {
			p.teamsSeen = true
			c.Teams = []Team{}
			p.array(v, path, "an array of teams", func(i int, path string, v json.RawMessage) {
				c.Teams = append(c.Teams, p.team(path, v))
			})
		}},
		{"channels", "", func(path string, v json.RawMessage) {
			c.Channels = []Channel{}
			p.array(v, path, "an array of channels", func(i int, path string, v json.RawMessage) {
				c.Channels = append(c.Channels, p.channel(path, v))
			})
		}},
		{"members", "required (use [] for none)", func(path string, v json.RawMessage) {
			p.array(v, path, "an array of members", func(i int, path string, v json.RawMessage) {
				c.Members = append(c.Members, p.member(path, v))
			})
		}},
	})
	p.versionFields(c)
	p.duplicates(c)
}

// versionFields checks the fields only version 2 has: required there,
// unknown in version 1.
func (p *parser) versionFields(c *Config) {
	switch c.Version {
	case Version:
		if !p.teamsSeen {
			p.add("teams", "required in version %d (use [] for none)", Version)
		}
		for i, has := range p.memberTeams {
			if !has {
				p.add(join(index("members", i), "teams"), "required in version %d (use [] for none)", Version)
			}
		}
	case VersionNoTeams:
		if p.teamsSeen {
			p.add("teams", "version %d files have no teams: write \"version\": %d", VersionNoTeams, Version)
		}
		if c.Channels != nil {
			p.add("channels", "version %d files have no channels: write \"version\": %d", VersionNoTeams, Version)
		}
		for i, has := range p.memberTeams {
			if has {
				p.add(join(index("members", i), "teams"), "version %d files have no teams: write \"version\": %d", VersionNoTeams, Version)
			}
		}
	}
}

func (p *parser) team(path string, raw json.RawMessage) Team {
	t := Team{Leads: []string{}}
	p.object(raw, path, "a team object with name, description and leads", []field{
		{"name", "required", p.text(&t.Name, checkName)},
		{"description", "", p.text(&t.Description, checkDescription)},
		{"leads", "", func(path string, v json.RawMessage) {
			seen := map[string]int{}
			p.array(v, path, "an array of member emails", func(i int, path string, v json.RawMessage) {
				s, ok := p.str(path, v)
				if !ok {
					return
				}
				if msg := checkEmail(s); msg != "" {
					p.add(path, "%s", msg)
					return
				}
				e := store.NormalizeEmail(s)
				if prev, dup := seen[e]; dup {
					p.add(path, "lead %q is listed twice (also at index %d)", s, prev)
					return
				}
				seen[e] = i
				t.Leads = append(t.Leads, e)
			})
		}},
	})
	return t
}

func (p *parser) organization(path string, raw json.RawMessage, o *Organization) {
	p.object(raw, path, "an object with name, slug, products and seats", []field{
		{"name", "required", p.text(&o.Name, checkName)},
		{"slug", "required", p.text(&o.Slug, checkSlug)},
		{"products", "required (use [] for core only)", func(path string, v json.RawMessage) {
			o.Products = []string{}
			seen := map[string]bool{}
			p.array(v, path, "an array of product keys", func(i int, path string, v json.RawMessage) {
				k, ok := p.str(path, v)
				if !ok {
					return
				}
				switch _, known := access.ProductByKey(k); {
				case !known:
					p.add(path, "unknown product %q (products: %s)", k, productKeys())
				case seen[k]:
					p.add(path, "duplicate product %q", k)
				default:
					o.Products = append(o.Products, k)
				}
				seen[k] = true
			})
		}},
		{"seats", "required", func(path string, v json.RawMessage) {
			n, ok := p.whole(path, v)
			switch {
			case !ok:
			case n < 1:
				p.add(path, "must be at least 1 (got %d)", n)
			case n > 1_000_000:
				p.add(path, "must be at most 1000000 (got %d)", n)
			default:
				o.Seats = int(n)
			}
		}},
	})
}

func productKeys() string {
	var keys []string
	for _, pr := range access.Products() {
		if !pr.AlwaysIncluded {
			keys = append(keys, pr.Key)
		}
	}
	return strings.Join(keys, ", ")
}

func (p *parser) group(path string, raw json.RawMessage) Group {
	var g Group
	p.object(raw, path, "a group object with name, description and permissions", []field{
		{"name", "required", p.text(&g.Name, checkName)},
		{"description", "", p.text(&g.Description, checkDescription)},
		{"predefined", "", func(path string, v json.RawMessage) { g.Predefined = p.boolean(path, v) }},
		{"permissions", "required (use {} for none)", func(path string, v json.RawMessage) {
			set, errs := access.DecodeSet(v, path)
			p.errs = append(p.errs, errs...)
			g.Permissions = set
		}},
	})
	return g
}

func (p *parser) member(path string, raw json.RawMessage) Member {
	m := Member{Status: domain.StatusActive, Groups: []string{}, Teams: []string{}}
	p.memberTeams = append(p.memberTeams, kind(raw) != "an object") // (a non-object is reported once)
	at := len(p.memberTeams) - 1
	p.object(raw, path, "a member object with email, name, role, status, groups, teams, custom, group_expires, custom_expires and role_until", []field{
		{"email", "required", func(path string, v json.RawMessage) {
			if s, ok := p.str(path, v); ok {
				m.Email = store.NormalizeEmail(s)
				if msg := checkEmail(s); msg != "" {
					p.add(path, "%s", msg)
				}
			}
		}},
		{"name", "", func(path string, v json.RawMessage) {
			if s, ok := p.str(path, v); ok && s != "" {
				m.Name = s
				if msg := checkName(s); msg != "" {
					p.add(path, "%s", msg)
				}
			}
		}},
		{"role", "required", func(path string, v json.RawMessage) {
			if s, ok := p.str(path, v); ok {
				m.Role = access.Role(s)
				if _, known := access.ParseRole(s); !known {
					p.add(path, "unknown role %q (roles: %s)", s, roleKeys())
				}
			}
		}},
		{"status", "", func(path string, v json.RawMessage) {
			if s, ok := p.str(path, v); ok {
				m.Status = s
				if s != domain.StatusActive && s != domain.StatusSuspended {
					p.add(path, "unknown status %q (use %q or %q)", s, domain.StatusActive, domain.StatusSuspended)
				}
			}
		}},
		{"groups", "", func(path string, v json.RawMessage) {
			seen := map[string]int{}
			p.array(v, path, "an array of group names", func(i int, path string, v json.RawMessage) {
				s, ok := p.str(path, v)
				if !ok {
					return
				}
				if prev, dup := seen[fold(s)]; dup {
					p.add(path, "group %q is listed twice (also at index %d)", s, prev)
					return
				}
				seen[fold(s)] = i
				m.Groups = append(m.Groups, s)
			})
		}},
		{"teams", "", func(path string, v json.RawMessage) {
			p.memberTeams[at] = true
			m.Teams = p.teamNames(path, v, m.Teams)
		}},
		{"custom", "", func(path string, v json.RawMessage) {
			if kind(v) == "null" {
				m.Custom = nil
				return
			}
			set, errs := access.DecodeSet(v, path)
			p.errs = append(p.errs, errs...)
			m.Custom = &set
		}},
		{"group_expires", "", func(path string, v json.RawMessage) {
			if kind(v) == "null" {
				return
			}
			if kind(v) != "an object" {
				p.add(path, "expected an object of group names and times, got %s", kind(v))
				return
			}
			var ends map[string]json.RawMessage
			_ = json.Unmarshal(v, &ends)
			m.GroupExpires = map[string]string{}
			for name, raw := range ends {
				if at, ok := p.end(join(path, name), raw); ok {
					m.GroupExpires[name] = at
				}
			}
		}},
		{"custom_expires", "", func(path string, v json.RawMessage) {
			if kind(v) == "null" {
				return
			}
			if at, ok := p.end(path, v); ok {
				m.CustomExpires = &at
			}
		}},
		{"role_until", "", func(path string, v json.RawMessage) {
			if kind(v) == "null" {
				return
			}
			var ru RoleUntil
			p.object(v, path, "an object with at and then, or null", []field{
				{"at", "required: when the temporary role ends", func(path string, v json.RawMessage) {
					ru.At, _ = p.end(path, v)
				}},
				{"then", "required: the role it returns to", func(path string, v json.RawMessage) {
					if s, ok := p.str(path, v); ok {
						ru.Then = access.Role(s)
						if _, known := access.ParseRole(s); !known {
							p.add(path, "unknown role %q (roles: %s)", s, roleKeys())
						}
					}
				}},
			})
			m.RoleUntil = &ru
		}},
	})
	return m
}

// teamNames reads an array of team names onto dst: a name listed twice
// (compared as team names are) is a problem.
func (p *parser) teamNames(path string, raw json.RawMessage, dst []string) []string {
	seen := map[string]int{}
	p.array(raw, path, "an array of team names", func(i int, path string, v json.RawMessage) {
		s, ok := p.str(path, v)
		if !ok {
			return
		}
		if prev, dup := seen[store.TeamNameKey(s)]; dup {
			p.add(path, "team %q is listed twice (also at index %d)", s, prev)
			return
		}
		seen[store.TeamNameKey(s)] = i
		dst = append(dst, s)
	})
	return dst
}

// endLayout is how the JSON formats write a time: UTC to the second, Z.
const endLayout = "2006-01-02T15:04:05Z"

// end reads a grant's end in endLayout.
func (p *parser) end(path string, raw json.RawMessage) (string, bool) {
	s, ok := p.str(path, raw)
	if !ok {
		return "", false
	}
	if _, err := time.Parse(endLayout, s); err != nil {
		p.add(path, "expected a time in UTC to the second like \"2026-12-31T00:00:00Z\", got %q", s)
		return "", false
	}
	return s, true
}

func roleKeys() string {
	var keys []string
	for _, r := range access.Roles() {
		keys = append(keys, string(r))
	}
	return strings.Join(keys, ", ")
}

// fold is how group names compare: ASCII case-insensitively, exactly as the
// database's NOCASE collation does.
func fold(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, name)
}

// duplicates reports group names and emails used twice.
func (p *parser) duplicates(c *Config) {
	groups := map[string]int{}
	for i, g := range c.Groups {
		if g.Name == "" {
			continue
		}
		if prev, dup := groups[fold(g.Name)]; dup {
			p.add(join(index("groups", i), "name"), "duplicate group name %q (already used by groups[%d]; names are compared case-insensitively)", g.Name, prev)
			continue
		}
		groups[fold(g.Name)] = i
	}
	teams := map[string]int{}
	for i, t := range c.Teams {
		if t.Name == "" {
			continue
		}
		if prev, dup := teams[store.TeamNameKey(t.Name)]; dup {
			p.add(join(index("teams", i), "name"), "duplicate team name %q (already used by teams[%d]; names are compared ignoring case, accents and spaces)", t.Name, prev)
			continue
		}
		teams[store.TeamNameKey(t.Name)] = i
	}
	channels := map[string]int{}
	for i, ch := range c.Channels {
		if ch.Name == "" {
			continue
		}
		key := names.FoldOrgName(ch.Name)
		if prev, dup := channels[key]; dup {
			p.add(join(index("channels", i), "name"), "duplicate channel name %q (already used by channels[%d]; names are compared ignoring case, accents and spaces)", ch.Name, prev)
			continue
		}
		channels[key] = i
	}
	emails := map[string]int{}
	for i, m := range c.Members {
		if m.Email == "" {
			continue
		}
		if prev, dup := emails[m.Email]; dup {
			p.add(join(index("members", i), "email"), "duplicate email %q (already used by members[%d])", m.Email, prev)
			continue
		}
		emails[m.Email] = i
	}
}
