package members

import (
	"context"
	"encoding/csv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/members"
	"gatehouse/web/app"
)

// exportChunk is the members read per statement while exporting: the
// list's own keyset pages, so the file holds exactly what the list shows.
const exportChunk = 200

// membersExport writes the members matching the list's filters (search,
// role, status, group, team, in the list's order) as CSV, page by page, so
// the rows are never all held in memory.
func (s *Handlers) membersExport(c echo.Context) error {
	if err := app.CheckQuery(c, "q"); err != nil {
		return err
	}
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	groups, err := s.groupRefs.get(ctx, s.DB, a.Org)
	if err != nil {
		return err
	}
	// The list ignores a filter it does not know; a file must not quietly
	// hold more members than asked for.
	f, warning := parseMemberFilter(c, groups.index.Refs, groups.teams)
	if warning != "" {
		return domain.Invalid("", "%s", warning)
	}
	name := "members-" + a.Org.Slug + "-" + time.Now().UTC().Format("2006-01-02") + ".csv"
	header := []string{"email", "name", "role", "status", "groups", "teams", "last_active"}
	return app.WriteCSV(c, s.Log, "members export", name, header, func(w *csv.Writer) error {
		return s.eachMatching(ctx, a.Org.ID, f, groups, func(r store.MemberRow) error {
			return w.Write(exportRow(memberRow(r)))
		})
	})
}

// eachMatching calls fn for every member matching f, in the list's order,
// reading the list's own keyset pages (exportChunk per statement).
func (s *Handlers) eachMatching(ctx context.Context, orgID int64, f members.Filter, groups *groupRefEntry, fn func(store.MemberRow) error) error {
	q := store.MemberQuery{Search: f.Q, Role: access.Role(f.Role), Status: f.Status, GroupID: f.GroupID, TeamID: f.TeamID,
		Sort: f.Sort, Desc: f.Desc, Limit: exportChunk, Groups: groups.index}
	for {
		page, err := s.DB.ListMembers(ctx, orgID, q)
		if err != nil {
			return err
		}
		for _, r := range page.Rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if !page.HasNext {
			return nil
		}
		// The statements run uncancelled: a client that left ends it here.
		if err := ctx.Err(); err != nil {
			return err
		}
		q.After = page.Next
	}
}

// exportRow is a member as the export's columns; lists are joined by "; "
// and last activity is UTC RFC 3339 (empty: never).
func exportRow(r members.Row) []string {
	active := ""
	if !r.LastActive.IsZero() {
		active = r.LastActive.UTC().Format(time.RFC3339)
	}
	return []string{app.CSVCell(r.Email), app.CSVCell(r.Name), r.Role, r.Status,
		app.CSVCell(strings.Join(r.Groups, "; ")), app.CSVCell(strings.Join(r.Teams, "; ")), active}
}
