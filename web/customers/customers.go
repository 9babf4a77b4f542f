package customers

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"gatehouse/web/app"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
	"gatehouse/views/customers"
	"gatehouse/web/chats"
)

// Customers is the reference module: every action is gated by its own
// permission in web/routes.go, and every query carries the member's scope into
// SQL (store.CustomerScope), so an out-of-scope record is simply not found.
// The scope is the engine's value (Auth.Scope): no handler reads a flag.

const (
	customersPerPage = 25
	maxSearchLen     = 200
	maxAssignees     = 500 // the "Assigned to" select; larger teams need a search picker
	maxTeams         = 500 // the "Team" select under all scope, likewise
)

func customersPath(a *app.Auth) string { return "/o/" + a.Org.Slug + "/customers" }

func customerPath(a *app.Auth, id int64) string {
	return customersPath(a) + "/" + strconv.FormatInt(id, 10)
}

// seesAllCustomers: the member's scope on customers is all.
func seesAllCustomers(a *app.Auth) bool { return a.Scope(access.ModCustomers).AtLeast(access.ScopeAll) }

// mineScope is "Those I serve": the member's scope narrowed to own.
func mineScope(a *app.Auth) store.CustomerScope { return app.CustomerScope(a).Mine(a.Membership.ID) }

// teamScope is "My teams": assigned to the member or owned by their teams.
func teamScope(a *app.Auth) store.CustomerScope { return app.CustomerScope(a).Team(a.Membership.ID) }

// seesTeamLists: the "My teams" list is open to the member (team or all
// scope, and the organization has a team), as its route guard says.
func seesTeamLists(a *app.Auth) bool {
	return a.HasTeams && a.Scope(access.ModCustomers).AtLeast(access.ScopeTeam)
}

// The lists of customers: their ?list= value in the export link.
const (
	listMine = "mine"
	listTeam = "team"
	listAll  = "all"
)

// parseID accepts only a canonical positive decimal ("12", not "012" or "+12").
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, false
	}
	return id, true
}

// customersHome sends "Customers" to the list the member can see.
func (s *Handlers) customersHome(c echo.Context) error {
	a := app.AuthOf(c)
	if seesAllCustomers(a) {
		return app.Redirect(c, customersPath(a)+"/all")
	}
	return app.Redirect(c, customersPath(a)+"/mine")
}

func (s *Handlers) customersMine(c echo.Context) error { return s.customerList(c, listMine) }

func (s *Handlers) customersTeam(c echo.Context) error { return s.customerList(c, listTeam) }

func (s *Handlers) customersAll(c echo.Context) error { return s.customerList(c, listAll) }

// listQuery reads the list's search and sort (?sort=company, ?sort=-credit_limit)
// under the member's projection: a sort on a field they cannot read, or
// on no sortable field, is the default order, as if not asked.
func listQuery(c echo.Context, fields access.Projection) store.CustomerQuery {
	sort := c.QueryParam("sort")
	key, desc := strings.CutPrefix(sort, "-")
	return store.CustomerQuery{Search: app.SearchParam(c, maxSearchLen), Fields: fields, Sort: key, Desc: desc}
}

// sortParam is the query's sort in effect as ?sort= writes it ("" by name).
func sortParam(q store.CustomerQuery) string {
	f := q.SortField()
	if f != "" && q.Desc {
		return "-" + f
	}
	return f
}

func (s *Handlers) customerList(c echo.Context, list string) error {
	if err := app.CheckQuery(c, "q", "sort"); err != nil {
		return err
	}
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	mine := list == listMine
	sc, path, title := app.CustomerScope(a), customersPath(a)+"/all", "All customers"
	switch list {
	case listMine:
		sc, path, title = mineScope(a), customersPath(a)+"/mine", "Those I serve"
	case listTeam:
		sc, path, title = teamScope(a), customersPath(a)+"/team", "My teams"
	}
	fields := fieldsOf(a)
	query, page := listQuery(c, fields), app.PageParam(c)
	q := query.Search
	query.Offset, query.Limit = (page-1)*customersPerPage, customersPerPage
	rows, total, err := s.list.customers(ctx, s.DB, a.Org, sc, query)
	if err != nil {
		return err
	}
	if last := max(1, (total+customersPerPage-1)/customersPerPage); page > last {
		// A page past the end (bookmark, deletions) shows the last one.
		page = last
		query.Offset = (page - 1) * customersPerPage
		if rows, total, err = s.list.customers(ctx, s.DB, a.Org, sc, query); err != nil {
			return err
		}
	}
	p := customers.ListProps{
		Title: title, Mine: mine, Team: list == listTeam, Q: q, MineHref: customersPath(a) + "/mine",
		Pager:  customers.Pager{Path: path, Q: q, Sort: sortParam(query), Page: page, PerPage: customersPerPage, Total: total},
		Memo:   s.markup,
		Fields: fields,
	}
	switch list {
	case listMine:
		p.Subtitle = "Customers assigned to you."
	case listTeam:
		p.Subtitle = "Customers assigned to you or owned by your teams."
	default:
		p.Subtitle = "Every customer of " + a.Org.Name + "."
	}
	if seesAllCustomers(a) {
		p.AllHref = customersPath(a) + "/all"
	}
	if seesTeamLists(a) {
		p.TeamHref = customersPath(a) + "/team"
	}
	if a.Can(access.ModCustomers, access.Create) {
		if r := createBlocked(fields); r != nil {
			p.NewBlocked = r.Message
		} else {
			p.NewHref = customersPath(a) + "/new"
		}
	}
	if a.Can(access.ModCustomers, access.Export) {
		v := url.Values{}
		if list != listAll {
			v.Set("list", list)
		}
		if q != "" {
			v.Set("q", q)
		}
		if p.Pager.Sort != "" {
			v.Set("sort", p.Pager.Sort)
		}
		p.ExportURL = customersPath(a) + "/export.csv"
		if len(v) > 0 {
			p.ExportURL += "?" + v.Encode()
		}
	}
	canEdit := a.Can(access.ModCustomers, access.Edit)
	p.Rows = make([]customers.Row, 0, len(rows))
	for _, r := range rows {
		r := project(r, fields)
		row := customers.Row{Name: displayName(&r, fields), Email: r.Email, Phone: r.Phone, Company: r.Company, TaxID: r.TaxID,
			CreditLimit: r.CreditLimit.String(), Assignee: r.AssigneeName, Team: r.TeamName, Href: customerPath(a, r.ID), Fields: fields}
		if canEdit {
			row.EditHref = row.Href + "/edit"
		}
		p.Rows = append(p.Rows, row)
	}
	c.Response().Header().Add("Vary", "HX-Target")
	if app.IsHTMX(c) && c.Request().Header.Get("HX-Target") == customers.ResultsID {
		return app.Render(c, http.StatusOK, customers.Results(p), nil) // live search, pagination
	}
	return s.OK(c, title, customers.List(p))
}

// loadCustomer finds the :id customer within the member's scope: a bad id,
// another organization's customer or one outside the scope is a 404.
func (s *Handlers) loadCustomer(c echo.Context) (store.Customer, error) {
	a := app.AuthOf(c)
	id, ok := parseID(c.Param("id"))
	if !ok {
		return store.Customer{}, app.ErrNotFound
	}
	cu, err := s.DB.Customer(c.Request().Context(), app.CustomerScope(a), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Customer{}, app.ErrNotFound
	}
	return cu, err
}

func (s *Handlers) customerShow(c echo.Context) error {
	a := app.AuthOf(c)
	cu, err := s.loadCustomer(c)
	if err != nil {
		return err
	}
	fields := fieldsOf(a)
	cu = project(cu, fields)
	p := customers.DetailProps{
		Name: displayName(&cu, fields), Email: cu.Email, Phone: cu.Phone, Company: cu.Company, Notes: cu.Notes, TaxID: cu.TaxID,
		CreditLimit: cu.CreditLimit.String(), Internal: cu.InternalNotes, Fields: fields, Assignee: cu.AssigneeName, Team: cu.TeamName,
		Created: time.Unix(cu.CreatedAt, 0).UTC().Format("2 January 2006"), CSRF: app.CSRFToken(c),
		BackHref: customersPath(a) + "/mine", BackLabel: "Those I serve",
	}
	if seesAllCustomers(a) {
		p.BackHref, p.BackLabel = customersPath(a)+"/all", "All customers"
	}
	if a.Can(access.ModCustomers, access.Edit) {
		p.EditHref = customerPath(a, cu.ID) + "/edit"
	}
	if a.Can(access.ModCustomers, access.Delete) {
		p.DeleteAction = customerPath(a, cu.ID) + "/delete"
	}
	convs, err := chats.ForCustomer(c, s.Kernel, cu.ID) // the customer's conversations in the viewer's scope
	if err != nil {
		return err
	}
	return s.OK(c, p.Name, templ.Join(customers.Show(p), convs))
}

func (s *Handlers) customerNew(c echo.Context) error {
	a := app.AuthOf(c)
	if r := createBlocked(fieldsOf(a)); r != nil {
		return r
	}
	p := customers.FormProps{Title: "New customer", Action: customersPath(a), CancelHref: customersPath(a), Submit: "Create customer", CSRF: app.CSRFToken(c),
		Fields: fieldsOf(a), Creating: true}
	if seesAllCustomers(a) {
		p.Values.AssignedTo = strconv.FormatInt(a.Membership.ID, 10) // a sensible default: yourself
	}
	if err := s.formOptions(c, &p, store.Customer{}); err != nil {
		return err
	}
	return s.OK(c, p.Title, customers.FormPage(p))
}

func (s *Handlers) customerEdit(c echo.Context) error {
	a := app.AuthOf(c)
	cu, err := s.loadCustomer(c)
	if err != nil {
		return err
	}
	fields := fieldsOf(a)
	p := customers.FormProps{Title: "Edit " + displayName(&cu, fields), Action: customerPath(a, cu.ID), CancelHref: customerPath(a, cu.ID),
		Submit: "Save changes", CSRF: app.CSRFToken(c), Fields: fields}
	for _, fd := range customerFields() {
		if fields.Editable(fd.Key) { // the inputs; read-only text comes from formOptions, hidden values nowhere
			*p.Values.Field(fd.Key) = cu.FieldValue(fd.Key)
		}
	}
	if cu.AssignedTo != 0 {
		p.Values.AssignedTo = strconv.FormatInt(cu.AssignedTo, 10)
	}
	if cu.TeamID != 0 {
		p.Values.Team = strconv.FormatInt(cu.TeamID, 10)
	}
	if err := s.formOptions(c, &p, cu); err != nil {
		return err
	}
	return s.OK(c, p.Title, customers.FormPage(p))
}

// errBadAssignee: the chosen member is not an active member of the organization.
var errBadAssignee = errors.New("bad assignee")

// refusedWrite is the first refused field write (applyForm) as the error
// that refuses the whole form: nothing of it is saved.
func refusedWrite(refused map[string]string) error {
	for _, fd := range customerFields() {
		if msg, ok := refused[fd.Key]; ok {
			return domain.Invalid(fd.Key, "%s", msg)
		}
	}
	return nil
}

func (s *Handlers) customerCreate(c echo.Context) error {
	a := app.AuthOf(c)
	if r := createBlocked(fieldsOf(a)); r != nil {
		return r // 403 before any 422 of the form
	}
	v, errs, in := readCustomerForm(c, a)
	p := customers.FormProps{Title: "New customer", Action: customersPath(a), CancelHref: customersPath(a), Submit: "Create customer",
		CSRF: app.CSRFToken(c), Values: v, Errors: errs, Fields: fieldsOf(a), Creating: true}
	_, refused := applyForm(store.Customer{}, v, in.present, p.Fields, true)
	fieldErrors(&p, refused)
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, store.Customer{})
	}
	ctx := c.Request().Context()
	var cu store.Customer
	err := s.ActingWrite(c, access.ModCustomers, access.Create, func(tx *store.Tx, a *app.Auth) error {
		// The member's levels as the transaction reads them decide.
		if r := createBlocked(fieldsOf(a)); r != nil {
			return r
		}
		var refused map[string]string
		if cu, refused = applyForm(store.Customer{}, v, in.present, fieldsOf(a), true); len(refused) > 0 {
			return refusedWrite(refused)
		}
		cu.OrgID, cu.AssignedTo, cu.TeamID = a.Org.ID, in.assignee, in.team
		if !seesAllCustomers(a) {
			cu.AssignedTo = a.Membership.ID // as readCustomerForm: only ever their own
		}
		if err := s.checkAssignee(ctx, tx, a, in.assignee, &store.Customer{}); err != nil {
			return err
		}
		if err := tx.CheckCustomerTeam(ctx, app.CustomerScope(a), in.team, 0); err != nil {
			return err
		}
		var err error
		if cu.ID, err = tx.CreateCustomer(ctx, cu); err != nil {
			return err
		}
		return tx.Audit(ctx, customerAudit(app.Actor(c), "customer.create", cu.ID, nil, withChoices(auditFields(&cu, nil), &cu, nil)))
	})
	if err := formRefusal(err, a, &p); err != nil {
		return err
	}
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, store.Customer{})
	}
	s.Flash(c, "success", "Customer “"+displayName(&cu, p.Fields)+"” created.")
	return app.Redirect(c, customerPath(a, cu.ID))
}

func (s *Handlers) customerUpdate(c echo.Context) error {
	a := app.AuthOf(c)
	old, err := s.loadCustomer(c)
	if err != nil {
		return err
	}
	v, errs, in := readCustomerForm(c, a)
	fields := fieldsOf(a)
	p := customers.FormProps{Title: "Edit " + displayName(&old, fields), Action: customerPath(a, old.ID), CancelHref: customerPath(a, old.ID),
		Submit: "Save changes", CSRF: app.CSRFToken(c), Values: v, Errors: errs, Fields: fields}
	_, refused := applyForm(old, v, in.present, fields, false)
	fieldErrors(&p, refused)
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, old)
	}
	ctx := c.Request().Context()
	var cu store.Customer
	err = s.ActingWrite(c, access.ModCustomers, access.Edit, func(tx *store.Tx, a *app.Auth) error {
		sc := app.CustomerScope(a)
		// The customer and the member's levels as the transaction reads
		// them: what a field's value is compared with, and what is kept.
		cur, err := tx.Customer(ctx, sc, old.ID)
		if err != nil {
			return err
		}
		var refused map[string]string
		if cu, refused = applyForm(cur, v, in.present, fieldsOf(a), false); len(refused) > 0 {
			return refusedWrite(refused)
		}
		cu.AssignedTo = in.assignee
		if !seesAllCustomers(a) {
			// Only a member who sees all customers chooses the assignee: an
			// edit under own or team scope keeps it (a supervisor editing a
			// team's customer does not take it over).
			cu.AssignedTo = cur.AssignedTo
		}
		if in.teamGiven {
			cu.TeamID = in.team
		}
		if err := s.checkAssignee(ctx, tx, a, in.assignee, &cur); err != nil {
			return err
		}
		if !in.teamGiven {
			err = tx.UpdateCustomer(ctx, sc, cu) // a form without the select keeps the team
		} else if err = tx.CheckCustomerTeam(ctx, sc, cu.TeamID, cur.TeamID); err == nil {
			err = tx.UpdateCustomerWithTeam(ctx, sc, cu)
		}
		if err != nil {
			return err
		}
		changed := changedFields(&cur, &cu)
		before, after := withChoices(auditFields(&cur, changed), &cur, &cu), withChoices(auditFields(&cu, changed), &cu, &cur)
		if len(before) == 0 && len(after) == 0 {
			return nil // nothing changed: nothing to record
		}
		return tx.Audit(ctx, customerAudit(app.Actor(c), "customer.update", cu.ID, before, after))
	})
	if err := formRefusal(err, a, &p); err != nil {
		return err
	}
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, old)
	}
	s.Flash(c, "success", "Customer “"+displayName(&cu, fields)+"” saved.")
	if cu.TeamID != old.TeamID {
		// Handing a team's customer to no team (or another) can take it
		// out of the member's scope: its page would be a 404.
		if _, err := s.DB.Customer(ctx, app.CustomerScope(a), cu.ID); errors.Is(err, store.ErrNotFound) {
			return app.Redirect(c, customersPath(a))
		} else if err != nil {
			return err
		}
	}
	return app.Redirect(c, customerPath(a, cu.ID))
}

// withChoices adds to a customer's audit fields its assignee and owning
// team (membership and team ids) where they differ from other's (all of
// them when other is nil: a create or a delete).
func withChoices(m map[string]string, cu, other *store.Customer) map[string]string {
	if other == nil {
		if cu.AssignedTo != 0 {
			m["assigned_to"] = idText(cu.AssignedTo)
		}
		if cu.TeamID != 0 {
			m["team"] = idText(cu.TeamID)
		}
		return m
	}
	if cu.AssignedTo != other.AssignedTo {
		m["assigned_to"] = idText(cu.AssignedTo)
	}
	if cu.TeamID != other.TeamID {
		m["team"] = idText(cu.TeamID)
	}
	return m
}

// idText is an id for an audit entry ("" for none).
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// formRefusal sorts a refused customer write: a bad assignee, team or
// field write goes next to its field (p's messages, nil returned: answer
// 422 with the form); the customer or the chosen team not found in the
// scope is a 404; anything else is returned as it is.
func formRefusal(err error, a *app.Auth, p *customers.FormProps) error {
	switch r := domain.AsError(err); {
	case err == nil:
		return nil
	case errors.Is(err, errBadAssignee):
		p.Errors.AssignedTo = "Choose an active member of " + a.Org.Name + "."
		return nil
	case r != nil && r.Code == domain.CodeInvalid && (r.Field == "team" || r.Field == "assigned_to"):
		*p.Errors.Field(r.Field) = r.Message
		return nil
	case r != nil && r.Code == domain.CodeInvalid && p.Errors.Field(r.Field) != nil:
		fieldErrors(p, map[string]string{r.Field: r.Message})
		return nil
	case errors.Is(err, store.ErrNotFound): // deleted or reassigned meanwhile, or another organization's team
		return app.ErrNotFound
	}
	return err
}

func (s *Handlers) customerDelete(c echo.Context) error {
	a := app.AuthOf(c)
	id, ok := parseID(c.Param("id"))
	if !ok {
		return app.ErrNotFound
	}
	ctx := c.Request().Context()
	cu, err := s.DB.Customer(ctx, app.CustomerScope(a), id)
	if err == nil {
		err = s.ActingWrite(c, access.ModCustomers, access.Delete, func(tx *store.Tx, a *app.Auth) error {
			sc := app.CustomerScope(a)
			cur, err := tx.Customer(ctx, sc, id)
			if err != nil {
				return err
			}
			if err := tx.DeleteCustomer(ctx, sc, id); err != nil {
				return err
			}
			return tx.Audit(ctx, customerAudit(app.Actor(c), "customer.delete", id, withChoices(auditFields(&cur, nil), &cur, nil), nil))
		})
	}
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Customer “"+displayName(&cu, fieldsOf(a))+"” deleted.")
	return app.Redirect(c, customersPath(a))
}

// customerFormInvalid answers 422 with the form and its messages: the form
// alone for htmx, the whole page otherwise. Nothing has been written.
func (s *Handlers) customerFormInvalid(c echo.Context, p customers.FormProps, cu store.Customer) error {
	if err := s.formOptions(c, &p, cu); err != nil {
		return err
	}
	return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, p.Title, customers.FormPage(p)), customers.Form(p))
}

// formOptions fills the form's selects and read-only fields for customer
// cu (empty: a new one).
func (s *Handlers) formOptions(c echo.Context, p *customers.FormProps, cu store.Customer) error {
	readOnlyFields(p, &cu)
	if err := s.assigneeOptions(c, p, cu); err != nil {
		return err
	}
	return s.teamOptions(c, p, cu)
}

// teamOptions fills the "Team" select with the teams the member may choose
// (store.CheckCustomerTeam): their own teams under own or team scope, every
// team of the organization under all scope; the customer's current team
// stays listed. Without any the select is left out (an edit then keeps the
// team), unless a team was posted: its message needs its field.
func (s *Handlers) teamOptions(c echo.Context, p *customers.FormProps, cu store.Customer) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	var teams []domain.Team
	switch {
	case !a.HasTeams:
	case seesAllCustomers(a):
		var err error
		if teams, _, err = s.DB.Teams(ctx, a.Org.ID, store.TeamQuery{Limit: maxTeams}); err != nil {
			return err
		}
	default:
		mine, err := s.DB.TeamsOfMember(ctx, a.Org.ID, a.Membership.ID)
		if err != nil {
			return err
		}
		for _, t := range mine {
			teams = append(teams, domain.Team{ID: t.TeamID, Name: t.Name})
		}
	}
	opts := make([]customers.Option, 0, len(teams)+1)
	current := cu.TeamID == 0
	for _, t := range teams {
		opts = append(opts, customers.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name})
		current = current || t.ID == cu.TeamID
	}
	if !current {
		label := cu.TeamName
		if !seesAllCustomers(a) {
			label += " (not one of your teams)"
		}
		opts = append(opts, customers.Option{Value: strconv.FormatInt(cu.TeamID, 10), Label: label})
	}
	if len(opts) > 0 || p.Values.Team != "" || p.Errors.Team != "" {
		p.Teams = opts
	}
	return nil
}

// assigneeOptions fills the "Assigned to" select for members who see all
// customers (others only ever create and keep their own) with the active
// members who may open Customers (store.Assignees, kept per organization version). The current
// assignee stays listed even when no longer active or allowed.
func (s *Handlers) assigneeOptions(c echo.Context, p *customers.FormProps, cu store.Customer) error {
	a := app.AuthOf(c)
	if !seesAllCustomers(a) {
		return nil
	}
	members, err := s.DB.Assignees(c.Request().Context(), *a.Org, access.ModCustomers, maxAssignees)
	if err != nil {
		return err
	}
	p.Assignees = []customers.Option{}
	current := false
	for _, m := range members {
		p.Assignees = append(p.Assignees, customers.Option{Value: strconv.FormatInt(m.MembershipID, 10), Label: m.Name + " (" + m.Email + ")"})
		current = current || m.MembershipID == cu.AssignedTo
	}
	if cu.AssignedTo != 0 && !current {
		// Not offered: suspended, or active without Customers (the one read
		// tells which, only for such a customer).
		why := " (not active)"
		if m, err := s.DB.Membership(c.Request().Context(), a.Org.ID, cu.AssignedTo); err == nil && !m.Suspended() {
			why = " (cannot open Customers)"
		}
		p.Assignees = append(p.Assignees, customers.Option{Value: strconv.FormatInt(cu.AssignedTo, 10), Label: cmp.Or(cu.AssigneeName, "Former member") + why})
	}
	return nil
}

// errNoCustomersAssignee is the refusal of an assignee who may not open
// Customers (the select does not offer them).
const errNoCustomersAssignee = "Choose a member who can open Customers."

// checkAssignee validates, inside the write, that the chosen member is an
// active member of the organization who may open Customers, as the select
// offers them (members without canAccessAll always get themselves).
// Keeping the customer's current assignee (customer cur) is no choice and
// is always allowed.
func (s *Handlers) checkAssignee(ctx context.Context, tx *store.Tx, a *app.Auth, assignee int64, cur *store.Customer) error {
	if !seesAllCustomers(a) || assignee == 0 || assignee == cur.AssignedTo {
		return nil
	}
	ok, err := tx.CanAssignCustomer(ctx, a.Org.ID, assignee, cur.ID)
	if err != nil {
		return err
	}
	if !ok {
		return errBadAssignee
	}
	if ok, err = tx.MayOpen(ctx, *a.Org, assignee, access.ModCustomers); err != nil {
		return err
	} else if !ok {
		return domain.Invalid("assigned_to", errNoCustomersAssignee)
	}
	return nil
}

// formChoices are the form's selects as ids, and which fields it sent.
type formChoices struct {
	assignee  int64
	team      int64 // 0: none
	teamGiven bool  // the form has a team field (absent: an edit keeps the team)
	form      url.Values
}

// present reports whether the form sent field key.
func (in formChoices) present(key string) bool {
	_, ok := in.form[key]
	return ok
}

// readCustomerForm reads and validates the form. The assignee is the member
// themself unless they see all customers, in which case the select decides
// (0 = unassigned); its membership is checked in the write, as is whether
// the member may choose the team.
func readCustomerForm(c echo.Context, a *app.Auth) (customers.FormValues, customers.FormErrors, formChoices) {
	v := customers.FormValues{
		Name:          strings.TrimSpace(c.FormValue("name")),
		Email:         strings.TrimSpace(c.FormValue("email")),
		Phone:         strings.TrimSpace(c.FormValue("phone")),
		Company:       strings.TrimSpace(c.FormValue("company")),
		Notes:         multiline(c.FormValue("notes")),
		TaxID:         strings.TrimSpace(c.FormValue("tax_id")),
		CreditLimit:   strings.TrimSpace(c.FormValue("credit_limit")),
		InternalNotes: multiline(c.FormValue("internal_notes")),
		AssignedTo:    strings.TrimSpace(c.FormValue("assigned_to")),
		Team:          strings.TrimSpace(c.FormValue("team")),
	}
	var e customers.FormErrors
	e.Name = checkText(v.Name, 120, false)
	if v.Name == "" {
		e.Name = "Enter the customer's name."
	}
	if v.Email != "" {
		e.Email = app.ValidateEmail(v.Email)
	}
	e.Phone = checkText(v.Phone, 40, false)
	e.Company = checkText(v.Company, 120, false)
	e.Name, e.Company = cmp.Or(e.Name, names.HiddenCharacter(v.Name)), cmp.Or(e.Company, names.HiddenCharacter(v.Company))
	e.Notes = checkText(v.Notes, 2000, true)
	e.TaxID = checkText(v.TaxID, 40, false)
	_, e.CreditLimit = domain.ParseAmount(v.CreditLimit)
	e.InternalNotes = checkText(v.InternalNotes, 2000, true)
	assignee := a.Membership.ID
	if seesAllCustomers(a) {
		assignee = 0
		if v.AssignedTo != "" {
			id, ok := parseID(v.AssignedTo)
			if !ok {
				e.AssignedTo = "Choose an active member of " + a.Org.Name + "."
			}
			assignee = id
		}
	}
	in := formChoices{assignee: assignee}
	if form, err := c.FormParams(); err == nil {
		in.form = form
		in.teamGiven = in.present("team")
	}
	if v.Team != "" {
		id, ok := parseID(v.Team)
		if !ok {
			e.Team = "Choose one of the teams listed, or none."
		}
		in.team = id
	}
	return v, e, in
}

// checkText bounds a field's length in characters and rejects control
// characters (newlines and tabs are fine where multiline).
func checkText(s string, maxLen int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "This contains characters that are not valid text."
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "Use at most " + strconv.Itoa(maxLen) + " characters (this has " + strconv.Itoa(n) + ")."
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return "Remove the control characters from this field."
		}
	}
	return ""
}

// multiline is a textarea's value: trimmed, with newlines as \n.
func multiline(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// customersExport writes the member's scope (narrowed to "Those I serve"
// with ?list=mine, to "My teams" with ?list=team, never widened), with the
// current search and sort, as CSV: id, the fields the member can read in
// declaration order, then the assignee and the owning team by name (empty
// for none). A field they cannot read has no column.
func (s *Handlers) customersExport(c echo.Context) error {
	if err := app.CheckQuery(c, "q", "sort"); err != nil {
		return err
	}
	a := app.AuthOf(c)
	sc := app.CustomerScope(a)
	switch c.QueryParam("list") {
	case listMine:
		sc = mineScope(a)
	case listTeam:
		sc = teamScope(a)
	}
	fields := fieldsOf(a)
	var keys []string
	for _, fd := range customerFields() {
		if fields.Readable(fd.Key) {
			keys = append(keys, fd.Key)
		}
	}
	name := "customers-" + a.Org.Slug + "-" + time.Now().UTC().Format("2006-01-02") + ".csv"
	header := append(append([]string{"id"}, keys...), "assigned_to", "team")
	row := make([]string, len(header))
	return app.WriteCSV(c, s.Log, "customers export", name, header, func(w *csv.Writer) error {
		return s.DB.EachCustomerOf(c.Request().Context(), sc, listQuery(c, fields), func(cu store.Customer) error {
			row = append(row[:0], strconv.FormatInt(cu.ID, 10))
			for _, k := range keys {
				row = append(row, app.CSVCell(cu.FieldValue(k)))
			}
			return w.Write(append(row, app.CSVCell(cu.AssigneeName), app.CSVCell(cu.TeamName)))
		})
	})
}
