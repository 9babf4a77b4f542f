package audit

import (
	"encoding/csv"
	"encoding/json"
	"gatehouse/web/app"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/audit"
)

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 50

// auditFilter reads and checks the filters of the query string. Bad input
// comes back as messages per field, and nothing is queried.
func auditFilter(c echo.Context) (audit.Filter, store.AuditFilter) {
	f := audit.Filter{
		Actor:  strings.TrimSpace(c.QueryParam("actor")),
		Target: strings.TrimSpace(c.QueryParam("target")),
		Action: strings.TrimSpace(c.QueryParam("action")),
		From:   strings.TrimSpace(c.QueryParam("from")),
		To:     strings.TrimSpace(c.QueryParam("to")),
		Errors: map[string]string{},
	}
	sf := store.AuditFilter{Actor: f.Actor, Target: f.Target, Action: f.Action}
	if len(f.Actor) > 254 {
		f.Errors["actor"] = "Use at most 254 characters."
	}
	if len(f.Target) > 200 {
		f.Errors["target"] = "Use at most 200 characters."
	}
	if !validAuditAction(f.Action) {
		f.Errors["action"] = "Choose an action from the list."
	}
	from, fromOK := parseDay(f.From)
	if !fromOK {
		f.Errors["from"] = "Enter a date as YYYY-MM-DD, e.g. 2025-03-31."
	}
	to, toOK := parseDay(f.To)
	if !toOK {
		f.Errors["to"] = "Enter a date as YYYY-MM-DD, e.g. 2025-03-31."
	}
	if fromOK && toOK && !from.IsZero() && !to.IsZero() && to.Before(from) {
		f.Errors["to"] = "The end date is before the start date."
	}
	if !from.IsZero() {
		sf.From = from.Unix()
	}
	if !to.IsZero() {
		sf.To = to.AddDate(0, 0, 1).Unix() // "to" includes its whole day
	}
	app.QueryErrors(f.Errors, map[string]string{"actor": f.Actor, "target": f.Target, "action": f.Action, "from": f.From, "to": f.To})
	return f, sf
}

// parseDay reads an optional YYYY-MM-DD date (UTC); zero time when empty.
func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 2000 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// validAuditAction accepts an action key or a family prefix ("member.").
func validAuditAction(a string) bool {
	if len(a) > 64 {
		return false
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// auditLog is the organization's audit log, newest first, one keyset page.
func (s *Handlers) auditLog(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	f, sf := auditFilter(c)
	p := audit.Props{Slug: a.Org.Slug, Filter: f, CanExport: a.Can(access.ModAudit, access.Export)}
	if raw := c.QueryParam("before"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "This page link is not valid. Go back to the newest entries.")
		}
		p.Before, sf.Before = n, n
	}
	actions, err := s.DB.AuditActions(ctx, a.Org.ID)
	if err != nil {
		return err
	}
	p.Actions = actions
	status := http.StatusOK
	if len(f.Errors) > 0 {
		status = domain.CodeInvalid.Status()
	} else {
		sf.Limit = auditPageSize + 1 // one more tells whether an older page exists
		entries, err := s.DB.AuditLog(ctx, a.Org.ID, sf)
		if err != nil {
			return err
		}
		if len(entries) > auditPageSize {
			entries = entries[:auditPageSize]
			p.Older = entries[len(entries)-1].ID
		}
		hidden := hiddenFields(a)
		for _, e := range entries {
			changes := audit.Diff(e.Before, e.After)
			if projected(e.Action) {
				changes = audit.DiffHiding(e.Before, e.After, hiddenIn(e.Action, hidden))
			}
			p.Entries = append(p.Entries, audit.Entry{ID: e.ID, At: time.Unix(e.At, 0), Actor: e.ActorEmail,
				Action: e.Action, Target: e.Target, IP: e.IP, Location: s.Geo.Locate(e.IP),
				Changes: changes})
		}
	}
	return app.Render(c, status, s.FullPage(c, "Audit log", audit.Page(p)), audit.Log(p))
}

// auditExport downloads every entry matching the filters (all pages) as CSV.
func (s *Handlers) auditExport(c echo.Context) error {
	a := app.AuthOf(c)
	f, sf := auditFilter(c)
	if len(f.Errors) > 0 {
		actions, err := s.DB.AuditActions(c.Request().Context(), a.Org.ID)
		if err != nil {
			return err
		}
		p := audit.Props{Slug: a.Org.Slug, Filter: f, Actions: actions, CanExport: true}
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "Audit log", audit.Page(p)), audit.Log(p))
	}
	name := "audit-" + a.Org.Slug + "-" + time.Now().UTC().Format("20060102-150405") + ".csv"
	header := []string{"id", "time_utc", "actor", "action", "target", "ip", "before", "after"}
	hidden := hiddenFields(a)
	return app.WriteCSV(c, s.Log, "audit export", name, header, func(w *csv.Writer) error {
		return s.DB.EachAudit(c.Request().Context(), a.Org.ID, sf, func(e store.AuditEntry) error {
			if projected(e.Action) {
				h := hiddenIn(e.Action, hidden)
				e.Before, e.After = redact(e.Before, h), redact(e.After, h)
			}
			return w.Write([]string{strconv.FormatInt(e.ID, 10), time.Unix(e.At, 0).UTC().Format(time.RFC3339), app.CSVCell(e.ActorEmail),
				app.CSVCell(e.Action), app.CSVCell(e.Target), app.CSVCell(e.IP), app.CSVCell(e.Before), app.CSVCell(e.After)})
		})
	})
}

// Customer entries (customer.create, .update, .delete) hold the changed
// fields' values, and conversation entries (chat.*) may hold the
// customer's name under "customer"; the log shows them through the
// viewer's own projection (ARCHITECTURE.md, Fields): a field the viewer cannot
// read shows "changed", never a value, on the page and in the export.
func projected(action string) bool {
	return strings.HasPrefix(action, "customer.") || strings.HasPrefix(action, "chat.")
}

// hiddenIn is hidden (hiddenFields) for the keys of an entry of action: a
// customer entry's keys are the fields' own; a conversation entry names
// the customer under "customer", which is their name field.
func hiddenIn(action string, hidden func(key string) bool) func(key string) bool {
	if strings.HasPrefix(action, "chat.") {
		name := hidden("name")
		return func(key string) bool { return name && key == "customer" }
	}
	return hidden
}

// hiddenFields reports the customers fields the viewer cannot read (keys
// that are no field, the assignee and team, are not hidden).
func hiddenFields(a *app.Auth) func(key string) bool {
	p := a.Eff.Projection(access.ModCustomers)
	return func(key string) bool {
		for _, f := range access.ModuleOf(access.ModCustomers).Fields {
			if f.Key == key {
				return !p.Readable(key)
			}
		}
		return false
	}
}

// redact rewrites an entry's JSON object with "changed" for every hidden
// key; what is not an object is replaced whole.
func redact(doc string, hidden func(string) bool) string {
	if doc == "" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return `"changed"`
	}
	for k := range m {
		if hidden(k) {
			m[k] = "changed"
		}
	}
	return store.JSON(m)
}
