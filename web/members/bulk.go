package members

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
	"gatehouse/views/components"
	"gatehouse/views/members"
	"gatehouse/views/preview"
	"gatehouse/web/app"
)

// bulkMax bounds one bulk action ("all matching" included).
const bulkMax = 20000

// membersBulk runs one action over the selected members (ids) or every
// member matching the list's filter (all=1): the service checks each one
// as the single action would and lists those it refused.
//
// From htmx it answers with the list's results for the same filter, the
// outcome above them: what changed and each refused member by name and
// reason (a refused request's message there too); otherwise a redirect
// to the list with the outcome as its notice.
func (s *Handlers) membersBulk(c echo.Context) error {
	res, act, err := s.runBulk(c)
	e := domain.AsError(err)
	if !app.IsHTMX(c) || err != nil && (e == nil || e.Code != domain.CodeInvalid) {
		if err != nil {
			return err
		}
		s.Flash(c, "success", bulkNotice(act.Action, res))
		return app.Redirect(c, members.MembersURL(app.AuthOf(c).Org.Slug))
	}
	// The results of the list the bar was on (its filter, first page), as
	// the action left them: the caches' versions read again after it.
	org := *app.AuthOf(c).Org
	if org.MembersVersion, org.PermVersion, err = s.DB.ListVersions(c.Request().Context(), org.ID); err != nil {
		return err
	}
	c.Request().URL.RawQuery = c.FormValue("filter")
	p, status, _, err := s.listProps(c, &org)
	if err != nil {
		return err
	}
	p.Bulk = &members.BulkOutcome{}
	if e != nil {
		p.Bulk.Error, status = e.Message, e.Status()
	} else {
		p.Bulk.Notice = bulkNotice(act.Action, membership.BulkResult{Done: res.Done})
		p.Bulk.Refused = refusalsOf(res.Refused)
	}
	return app.Render(c, status, templ.Join(members.Results(p), members.SeatUsage(p, true)), nil)
}

// runBulk reads the selection and the action and runs it.
func (s *Handlers) runBulk(c echo.Context) (membership.BulkResult, membership.BulkAction, error) {
	ids, err := s.bulkIDs(c)
	if err != nil {
		return membership.BulkResult{}, membership.BulkAction{}, err
	}
	act, err := bulkActionOf(c)
	if err != nil {
		return membership.BulkResult{}, act, err
	}
	res, err := s.Members().BulkMembers(c.Request().Context(), app.Actor(c), act, ids)
	return res, act, err
}

// bulkActionOf reads the action and its argument (role, group).
func bulkActionOf(c echo.Context) (membership.BulkAction, error) {
	act := membership.BulkAction{Action: c.FormValue("action"), Role: c.FormValue("role")}
	if v := c.FormValue("group"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return act, domain.Invalid("group", "Choose a group from the list.")
		}
		act.GroupID = id
	}
	return act, nil
}

// bulkIDs is the selection: the ids posted, or with all=1 every member
// matching the list's filter (field filter: the list's query string).
func (s *Handlers) bulkIDs(c echo.Context) ([]int64, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, domain.Invalid("ids", "The form could not be read.")
	}
	if form.Get("all") != "1" {
		ids, err := formIDs(form)
		if err == nil && len(ids) > bulkMax {
			return nil, domain.Invalid("ids", "At most %d members at once: narrow the filter.", bulkMax)
		}
		return ids, err
	}
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	groups, err := s.groupRefs.get(ctx, s.DB, a.Org)
	if err != nil {
		return nil, err
	}
	// parseMemberFilter reads the query string: the list's query is posted
	// as one field (its role would clash with the new role), read the same way.
	c.Request().URL.RawQuery = form.Get("filter")
	f, warning := parseMemberFilter(c, groups.index.Refs, groups.teams)
	if warning != "" {
		return nil, domain.Invalid("", "%s", warning)
	}
	var ids []int64
	err = s.eachMatching(ctx, a.Org.ID, f, groups, func(r store.MemberRow) error {
		if ids = append(ids, r.ID); len(ids) > bulkMax {
			return domain.Invalid("ids", "At most %d members at once: narrow the filter.", bulkMax)
		}
		return nil
	})
	return ids, err
}

// formIDs reads the selection's ids.
func formIDs(form url.Values) ([]int64, error) {
	ids := make([]int64, 0, len(form["ids"]))
	for _, v := range form["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, domain.Invalid("ids", "The selection is not valid.")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

var bulkVerbs = map[string]string{membership.BulkSuspend: "Suspended", membership.BulkReenable: "Re-enabled",
	membership.BulkRemove: "Removed", membership.BulkRole: "Changed the role of",
	membership.BulkGroupAdd: "Added to the group:", membership.BulkGroupDel: "Removed from the group:"}

// bulkNotice says how many members changed and, for each one refused, why.
func bulkNotice(action string, res membership.BulkResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s.", bulkVerbs[action], components.Plural(res.Done, "member", "members"))
	writeRefusals(&b, res.Refused)
	return b.String()
}

// flashRefusals bounds the refusals a flash names (it lives in a cookie);
// the htmx answer lists them all in the result panel.
const flashRefusals = 10

// writeRefusals adds "N left unchanged: who: why …" to a notice.
func writeRefusals(b *strings.Builder, rs []membership.BulkRefusal) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(b, " %d left unchanged:", len(rs))
	for i, r := range rs {
		if i == flashRefusals {
			fmt.Fprintf(b, " and %d more.", len(rs)-i)
			break
		}
		fmt.Fprintf(b, " %s: %s", r.Who, r.Reason)
	}
}

// membersBulkPreview is the effective-access summary of the bulk action
// before it is confirmed ("12 lose Customers"): every selected member's
// layers, edited as the action would, resolved by the engine once per
// distinct input, so it covers as many members as the action (bulkMax). It writes
// nothing; refusals are the action's own, shown after it runs.
func (s *Handlers) membersBulkPreview(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	ids, err := s.bulkIDs(c)
	if err != nil {
		return err
	}
	act, err := bulkActionOf(c)
	if err != nil {
		return err
	}
	var g domain.Group
	if act.GroupID > 0 {
		if g, err = s.DB.Group(ctx, a.Org.ID, act.GroupID); errors.Is(err, store.ErrNotFound) {
			return domain.Invalid("group", "Choose a group from the list.")
		} else if err != nil {
			return err
		}
	}
	edit, err := bulkEdit(act, g)
	if err != nil {
		return err
	}
	// Members with the same inputs are resolved once (another
	// organization's id is not previewed; the action refuses it).
	alike, err := s.DB.MemberInputsOf(ctx, *a.Org, ids)
	if err != nil {
		return err
	}
	var im access.Impact
	for _, w := range alike {
		before, after := w.In, w.In
		edit(&before, &after)
		im.Add(before, after, w.Members)
	}
	p := preview.Build(im, preview.Who{Of: "selected"})
	p.ID = members.BulkPreviewID
	return app.Render(c, http.StatusOK, preview.Panel(p), nil)
}

// bulkEdit is what an action does to a member's layers, for its preview.
func bulkEdit(act membership.BulkAction, g domain.Group) (func(before, after *access.Input), error) {
	drop := func(a *access.Input) {
		a.Groups = slices.DeleteFunc(slices.Clone(a.Groups), func(gg access.GroupGrant) bool { return gg.Name == g.Name })
	}
	switch act.Action {
	case membership.BulkGroupAdd, membership.BulkGroupDel:
		if g.ID == 0 {
			return nil, domain.Invalid("group", "Choose a group from the list.")
		}
		return func(b, a *access.Input) {
			b.Suspended, a.Suspended = false, false
			if drop(a); act.Action == membership.BulkGroupAdd {
				a.Groups = append(a.Groups, access.GroupGrant{Name: g.Name, Set: g.Set})
			}
		}, nil
	case membership.BulkSuspend, membership.BulkRemove: // a removed member keeps nothing, as a suspended one
		return func(b, a *access.Input) { b.Suspended, a.Suspended = false, true }, nil
	case membership.BulkReenable:
		return func(b, a *access.Input) { b.Suspended, a.Suspended = true, false }, nil
	case membership.BulkRole:
		role, ok := access.ParseRole(act.Role)
		if !ok {
			return nil, domain.Invalid("role", "Choose a role from the list.")
		}
		return func(b, a *access.Input) { b.Suspended, a.Suspended, a.Role = false, false, role }, nil
	}
	return nil, domain.Invalid("action", "Choose an action from the list.")
}
