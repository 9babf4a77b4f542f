package customers

import (
	"cmp"
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

func (s *Handlers) customerList(c echo.Context, list string) error {
	if err := app.CheckQuery(c, "q"); err != nil {
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
	q, page := app.SearchParam(c, maxSearchLen), app.PageParam(c)
	rows, total, err := s.list.customers(ctx, s.DB, a.Org, sc, store.CustomerQuery{Search: q, Offset: (page - 1) * customersPerPage, Limit: customersPerPage})
	if err != nil {
		return err
	}
	if last := max(1, (total+customersPerPage-1)/customersPerPage); page > last {
		// A page past the end (bookmark, deletions) shows the last one.
		page = last
		if rows, total, err = s.list.customers(ctx, s.DB, a.Org, sc, store.CustomerQuery{Search: q, Offset: (page - 1) * customersPerPage, Limit: customersPerPage}); err != nil {
			return err
		}
	}
	p := customers.ListProps{
		Title: title, Mine: mine, Team: list == listTeam, Q: q, MineHref: customersPath(a) + "/mine",
		Pager: customers.Pager{Path: path, Q: q, Page: page, PerPage: customersPerPage, Total: total},
		Memo:  s.markup,
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
		p.NewHref = customersPath(a) + "/new"
	}
	if a.Can(access.ModCustomers, access.Export) {
		v := url.Values{}
		if list != listAll {
			v.Set("list", list)
		}
		if q != "" {
			v.Set("q", q)
		}
		p.ExportURL = customersPath(a) + "/export.csv"
		if len(v) > 0 {
			p.ExportURL += "?" + v.Encode()
		}
	}
	canEdit := a.Can(access.ModCustomers, access.Edit)
	p.Rows = make([]customers.Row, 0, len(rows))
	for _, r := range rows {
		row := customers.Row{Name: r.Name, Email: r.Email, Phone: r.Phone, Company: r.Company, Assignee: r.AssigneeName, Team: r.TeamName,
			Href: customerPath(a, r.ID)}
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
	p := customers.DetailProps{
		Name: cu.Name, Email: cu.Email, Phone: cu.Phone, Company: cu.Company, Notes: cu.Notes, Assignee: cu.AssigneeName, Team: cu.TeamName,
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
	return s.OK(c, cu.Name, templ.Join(customers.Show(p), convs))
}

func (s *Handlers) customerNew(c echo.Context) error {
	a := app.AuthOf(c)
	p := customers.FormProps{Title: "New customer", Action: customersPath(a), CancelHref: customersPath(a), Submit: "Create customer", CSRF: app.CSRFToken(c)}
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
	p := customers.FormProps{Title: "Edit " + cu.Name, Action: customerPath(a, cu.ID), CancelHref: customerPath(a, cu.ID),
		Submit: "Save changes", CSRF: app.CSRFToken(c), Values: customers.FormValues{Name: cu.Name, Email: cu.Email,
			Phone: cu.Phone, Company: cu.Company, Notes: cu.Notes}}
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

func (s *Handlers) customerCreate(c echo.Context) error {
	a := app.AuthOf(c)
	v, errs, in := readCustomerForm(c, a)
	p := customers.FormProps{Title: "New customer", Action: customersPath(a), CancelHref: customersPath(a), Submit: "Create customer",
		CSRF: app.CSRFToken(c), Values: v, Errors: errs}
	if errs.Any() {
		return s.customerFormInvalid(c, p, store.Customer{})
	}
	cu := customerFromForm(v)
	cu.OrgID, cu.AssignedTo, cu.TeamID = a.Org.ID, in.assignee, in.team
	var id int64
	err := s.customerWrite(c, access.Create, func(tx *store.Tx, a *app.Auth) error {
		if !seesAllCustomers(a) {
			cu.AssignedTo = a.Membership.ID // as readCustomerForm: only ever their own
		}
		if err := checkAssignee(c, tx, a, in.assignee, 0); err != nil {
			return err
		}
		if err := tx.CheckCustomerTeam(c.Request().Context(), app.CustomerScope(a), in.team, 0); err != nil {
			return err
		}
		var err error
		id, err = tx.CreateCustomer(c.Request().Context(), cu)
		return err
	})
	if err := formRefusal(err, a, &p.Errors); err != nil {
		return err
	}
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, store.Customer{})
	}
	s.Flash(c, "success", "Customer “"+cu.Name+"” created.")
	return app.Redirect(c, customerPath(a, id))
}

func (s *Handlers) customerUpdate(c echo.Context) error {
	a := app.AuthOf(c)
	old, err := s.loadCustomer(c)
	if err != nil {
		return err
	}
	v, errs, in := readCustomerForm(c, a)
	p := customers.FormProps{Title: "Edit " + old.Name, Action: customerPath(a, old.ID), CancelHref: customerPath(a, old.ID),
		Submit: "Save changes", CSRF: app.CSRFToken(c), Values: v, Errors: errs}
	if errs.Any() {
		return s.customerFormInvalid(c, p, old)
	}
	cu := customerFromForm(v)
	cu.ID, cu.OrgID, cu.AssignedTo, cu.TeamID = old.ID, a.Org.ID, in.assignee, old.TeamID
	if in.teamGiven {
		cu.TeamID = in.team
	}
	ctx := c.Request().Context()
	err = s.customerWrite(c, access.Edit, func(tx *store.Tx, a *app.Auth) error {
		if !seesAllCustomers(a) {
			// Only a member who sees all customers chooses the assignee: an
			// edit under own or team scope keeps it (a supervisor editing a
			// team's customer does not take it over).
			cu.AssignedTo = old.AssignedTo
		}
		if err := checkAssignee(c, tx, a, in.assignee, old.ID); err != nil {
			return err
		}
		sc := app.CustomerScope(a)
		if !in.teamGiven {
			return tx.UpdateCustomer(ctx, sc, cu) // a form without the select keeps the team
		}
		if err := tx.CheckCustomerTeam(ctx, sc, cu.TeamID, old.TeamID); err != nil {
			return err
		}
		return tx.UpdateCustomerWithTeam(ctx, sc, cu)
	})
	if err := formRefusal(err, a, &p.Errors); err != nil {
		return err
	}
	if p.Errors.Any() {
		return s.customerFormInvalid(c, p, old)
	}
	s.Flash(c, "success", "Customer “"+cu.Name+"” saved.")
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

// formRefusal sorts a refused customer write: a bad assignee or team goes
// next to its field (errs, nil returned: answer 422 with the form); the
// customer or the chosen team not found in the scope is a 404; anything
// else is returned as it is.
func formRefusal(err error, a *app.Auth, errs *customers.FormErrors) error {
	switch r := domain.AsError(err); {
	case err == nil:
		return nil
	case errors.Is(err, errBadAssignee):
		errs.AssignedTo = "Choose an active member of " + a.Org.Name + "."
		return nil
	case r != nil && r.Code == domain.CodeInvalid && r.Field == "team":
		errs.Team = r.Message
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
	cu, err := s.DB.Customer(c.Request().Context(), app.CustomerScope(a), id)
	if err == nil {
		err = s.customerWrite(c, access.Delete, func(tx *store.Tx, a *app.Auth) error {
			return tx.DeleteCustomer(c.Request().Context(), app.CustomerScope(a), id)
		})
	}
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Customer “"+cu.Name+"” deleted.")
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

// formOptions fills the form's selects for customer cu (empty: a new one).
func (s *Handlers) formOptions(c echo.Context, p *customers.FormProps, cu store.Customer) error {
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
// customers (others only ever create and keep their own). The current
// assignee stays listed even when no longer active.
func (s *Handlers) assigneeOptions(c echo.Context, p *customers.FormProps, cu store.Customer) error {
	a := app.AuthOf(c)
	if !seesAllCustomers(a) {
		return nil
	}
	members, err := s.DB.ActiveMembersBrief(c.Request().Context(), a.Org.ID, maxAssignees)
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
		p.Assignees = append(p.Assignees, customers.Option{Value: strconv.FormatInt(cu.AssignedTo, 10), Label: cmp.Or(cu.AssigneeName, "Former member") + " (not active)"})
	}
	return nil
}

// checkAssignee validates, inside the write, that the chosen member belongs
// to the organization (members without canAccessAll always get themselves).
func checkAssignee(c echo.Context, tx *store.Tx, a *app.Auth, assignee, customerID int64) error {
	if !seesAllCustomers(a) || assignee == 0 {
		return nil
	}
	ok, err := tx.CanAssignCustomer(c.Request().Context(), a.Org.ID, assignee, customerID)
	if err != nil {
		return err
	}
	if !ok {
		return errBadAssignee
	}
	return nil
}

// formChoices are the form's selects as ids.
type formChoices struct {
	assignee  int64
	team      int64 // 0: none
	teamGiven bool  // the form has a team field (absent: an edit keeps the team)
}

// readCustomerForm reads and validates the form. The assignee is the member
// themself unless they see all customers, in which case the select decides
// (0 = unassigned); its membership is checked in the write, as is whether
// the member may choose the team.
func readCustomerForm(c echo.Context, a *app.Auth) (customers.FormValues, customers.FormErrors, formChoices) {
	v := customers.FormValues{
		Name:       strings.TrimSpace(c.FormValue("name")),
		Email:      strings.TrimSpace(c.FormValue("email")),
		Phone:      strings.TrimSpace(c.FormValue("phone")),
		Company:    strings.TrimSpace(c.FormValue("company")),
		Notes:      strings.TrimSpace(strings.ReplaceAll(c.FormValue("notes"), "\r\n", "\n")),
		AssignedTo: strings.TrimSpace(c.FormValue("assigned_to")),
		Team:       strings.TrimSpace(c.FormValue("team")),
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
		_, in.teamGiven = form["team"]
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

func customerFromForm(v customers.FormValues) store.Customer {
	return store.Customer{Name: v.Name, Email: v.Email, Phone: v.Phone, Company: v.Company, Notes: v.Notes}
}

// customersExport writes the member's scope (narrowed to "Those I serve"
// with ?list=mine, to "My teams" with ?list=team, never widened) and the
// current search as CSV.
func (s *Handlers) customersExport(c echo.Context) error {
	if err := app.CheckQuery(c, "q"); err != nil {
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
	name := "customers-" + a.Org.Slug + "-" + time.Now().UTC().Format("2006-01-02") + ".csv"
	// id, the customer's fields in their declaration order, then the
	// assignee and the owning team by name (empty for none).
	header := []string{"id", "name", "email", "phone", "company", "notes", "assigned_to", "team"}
	return app.WriteCSV(c, s.Log, "customers export", name, header, func(w *csv.Writer) error {
		return s.DB.EachCustomer(c.Request().Context(), sc, app.SearchParam(c, maxSearchLen), func(cu store.Customer) error {
			return w.Write([]string{strconv.FormatInt(cu.ID, 10), app.CSVCell(cu.Name), app.CSVCell(cu.Email), app.CSVCell(cu.Phone), app.CSVCell(cu.Company),
				app.CSVCell(cu.Notes), app.CSVCell(cu.AssigneeName), app.CSVCell(cu.TeamName)})
		})
	})
}
