// Package audit holds the organization's audit log
// (/o/{slug}/settings/audit): filters, entries newest first with their
// before → after as a readable diff, keyset pagination and CSV export.
package audit

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LogID is the element htmx swaps when filtering or paging.
const LogID = "audit-log"

// Props is the page.
type Props struct {
	Slug      string
	Filter    Filter
	Actions   []string // known actions for the filter
	Entries   []Entry
	Before    int64 // the page's keyset cursor (0 = newest)
	Older     int64 // cursor of the next (older) page; 0 when none
	CanExport bool
}

// Filter is the query string of the page, as typed, with its errors.
type Filter struct {
	Actor, Target, Action, From, To string
	Errors                          map[string]string
}

// Entry is one recorded change.
type Entry struct {
	ID       int64
	At       time.Time
	Actor    string
	Action   string
	Target   string
	IP       string
	Location string
	Changes  []Change
}

func (p Props) base() string { return "/o/" + p.Slug + "/settings/audit" }

// query is the filter as a query string (without the cursor).
func (f Filter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "target": f.Target, "action": f.Action, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// Active reports whether any filter is set.
func (f Filter) Active() bool { return len(f.query()) > 0 }

func (p Props) olderURL() string {
	q := p.Filter.query()
	q.Set("before", strconv.FormatInt(p.Older, 10))
	return p.base() + "?" + q.Encode()
}

func (p Props) newestURL() string {
	if q := p.Filter.query().Encode(); q != "" {
		return p.base() + "?" + q
	}
	return p.base()
}

// ExportURL downloads exactly the filtered rows (every page).
func (p Props) ExportURL() string {
	if q := p.Filter.query().Encode(); q != "" {
		return p.base() + "/export.csv?" + q
	}
	return p.base() + "/export.csv"
}

func (f Filter) err(k string) string { return f.Errors[k] }

func (p Props) hasErrors() bool { return len(p.Filter.Errors) > 0 }

func when(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04:05 UTC") }

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ActionLabel words an action key: "group.member_add" → "Group: member add".
func ActionLabel(action string) string {
	subject, verb, ok := strings.Cut(action, ".")
	subject = strings.ReplaceAll(subject, "_", " ")
	if subject != "" {
		subject = strings.ToUpper(subject[:1]) + subject[1:]
	}
	if !ok {
		return subject
	}
	return subject + ": " + strings.ReplaceAll(verb, "_", " ")
}

// actionOptions are the filter's choices: each family ("member.") then
// each action, so one can see all member changes or just role changes.
func (p Props) actionOptions() []option {
	var out []option
	seen := map[string]bool{}
	for _, a := range p.Actions {
		if fam, _, ok := strings.Cut(a, "."); ok && !seen[fam] {
			seen[fam] = true
			out = append(out, option{Value: fam + ".", Label: "All " + strings.ReplaceAll(fam, "_", " ") + " changes"})
		}
	}
	for _, a := range p.Actions {
		out = append(out, option{Value: a, Label: ActionLabel(a) + " (" + a + ")"})
	}
	// Keep an action typed in the URL selectable even if it never happened.
	if v := p.Filter.Action; v != "" {
		found := false
		for _, o := range out {
			found = found || o.Value == v
		}
		if !found {
			out = append(out, option{Value: v, Label: v})
		}
	}
	return out
}

type option struct{ Value, Label string }
