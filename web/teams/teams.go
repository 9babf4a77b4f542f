// Package teams is the service teams screens (ARCHITECTURE.md, Teams): the
// list with search and paging, a team's page with its members and leads,
// and their changes through the membership service, which checks the
// service_teams actions again inside its transaction.
package teams

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/teams"
	"gatehouse/web/app"
)

// Handlers answers the service teams pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the service teams handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"service_teams.home":            s.list,
		"service_teams.create":          s.create,
		"service_teams.show":            s.show,
		"service_teams.update":          s.update,
		"service_teams.delete":          s.remove,
		"service_teams.candidates":      s.candidates,
		"service_teams.members.add":     s.memberAdd,
		"service_teams.members.remove":  s.memberRemove,
		"service_teams.members.lead":    s.memberLead,
		"service_teams.members.preview": s.addPreview,
		"service_teams.members.confirm": s.changePreview,
	}
}

const (
	teamsPerPage    = 25
	membersShown    = 500 // a team's page lists this many members
	maxSearchLen    = 100
	candidatesMax   = 10
	allTeamsForMove = 0 // every other team may take over the records
)

func listPath(a *app.Auth) string { return "/o/" + a.Org.Slug + "/settings/service_teams" }

func teamPath(a *app.Auth, id int64) string { return listPath(a) + "/" + strconv.FormatInt(id, 10) }

func (s *Handlers) listProps(c echo.Context) (teams.ListProps, error) {
	a := app.AuthOf(c)
	page := app.PageParam(c)
	p := teams.ListProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Q: app.SearchParam(c, maxSearchLen), Page: page, PerPage: teamsPerPage,
		CanCreate: a.Can(access.ModServiceTeams, access.Create), Errors: map[string]string{}}
	var err error
	p.Teams, p.Total, err = s.DB.Teams(c.Request().Context(), a.Org.ID, store.TeamQuery{Search: p.Q, Offset: (page - 1) * teamsPerPage, Limit: teamsPerPage})
	return p, err
}

func (s *Handlers) list(c echo.Context) error {
	if err := app.CheckQuery(c, "q", "page"); err != nil {
		return err
	}
	p, err := s.listProps(c)
	if err != nil {
		return err
	}
	return s.OK(c, "Service teams", teams.List(p))
}

// refusal is the refusal in err as a field message (field "" = the page's),
// nil when err is something else; another organization's id is a 404.
func refusal(err error) (*domain.Error, error) {
	if errors.Is(err, store.ErrNotFound) {
		return nil, app.ErrNotFound
	}
	if r := domain.AsError(err); r != nil {
		return r, nil
	}
	return nil, err
}

func (s *Handlers) create(c echo.Context) error {
	a := app.AuthOf(c)
	name, desc := c.FormValue("name"), c.FormValue("description")
	id, err := s.Members().CreateTeam(c.Request().Context(), app.Actor(c), name, desc)
	if err == nil {
		s.Flash(c, "success", "Created the team "+strings.TrimSpace(name)+".")
		return app.Redirect(c, teamPath(a, id))
	}
	r, err := refusal(err)
	if r == nil {
		return err
	}
	p, err := s.listProps(c)
	if err != nil {
		return err
	}
	p.Name, p.Description = name, desc
	p.Errors[fieldOf(r, "name")] = r.Message
	return app.Render(c, r.Status(), s.FullPage(c, "Service teams", teams.List(p)), nil)
}

// fieldOf is the field a refusal belongs next to (def when it names none).
func fieldOf(r *domain.Error, def string) string {
	if r.Field != "" {
		return r.Field
	}
	return def
}

// loadTeam reads :id; a malformed id or another organization's team is a 404.
func (s *Handlers) loadTeam(c echo.Context) (domain.Team, error) {
	return app.InOrg(c, "id", s.DB.Team)
}

// loadTeamMember is loadTeam and the membership id :mid of the path.
func (s *Handlers) loadTeamMember(c echo.Context) (domain.Team, int64, error) {
	t, err := s.loadTeam(c)
	if err != nil {
		return t, 0, err
	}
	mid, err := app.PathID(c, "mid")
	return t, mid, err
}

func (s *Handlers) detailProps(c echo.Context, t domain.Team) (teams.DetailProps, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	d := teams.DetailProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Team: t, Name: t.Name, Description: t.Description,
		CanEdit: a.Can(access.ModServiceTeams, access.Edit), CanDelete: a.Can(access.ModServiceTeams, access.Delete), Errors: map[string]string{}}
	var err error
	if d.Members, d.Total, err = s.DB.TeamMembers(ctx, a.Org.ID, t.ID, store.TeamMemberQuery{Limit: membersShown}); err != nil {
		return d, err
	}
	if d.CanDelete {
		if d.Records, err = s.DB.TeamRecordCount(ctx, a.Org.ID, t.ID); err != nil {
			return d, err
		}
		if d.OpensChannels, err = s.DB.ChannelsOnlyOf(ctx, a.Org.ID, t.ID); err != nil {
			return d, err
		}
		all, _, err := s.DB.Teams(ctx, a.Org.ID, store.TeamQuery{Limit: allTeamsForMove})
		if err != nil {
			return d, err
		}
		for _, h := range all {
			if h.ID != t.ID {
				d.Heirs = append(d.Heirs, h)
			}
		}
	}
	return d, nil
}

func (s *Handlers) show(c echo.Context) error {
	t, err := s.loadTeam(c)
	if err != nil {
		return err
	}
	d, err := s.detailProps(c, t)
	if err != nil {
		return err
	}
	return s.OK(c, t.Name, teams.Detail(d))
}

// answer redirects to the team's page after a change (POST-redirect-GET),
// or shows it again with the refusal next to its field.
func (s *Handlers) answer(c echo.Context, t domain.Team, err error, field, success string, fill func(*teams.DetailProps)) error {
	if err == nil {
		s.Flash(c, "success", success)
		return app.Redirect(c, teamPath(app.AuthOf(c), t.ID))
	}
	r, err := refusal(err)
	if r == nil {
		return err
	}
	d, err := s.detailProps(c, t)
	if err != nil {
		return err
	}
	if fill != nil {
		fill(&d)
	}
	d.Errors[fieldOf(r, field)] = r.Message
	return app.Render(c, r.Status(), s.FullPage(c, t.Name, teams.Detail(d)), nil)
}

func (s *Handlers) update(c echo.Context) error {
	t, err := s.loadTeam(c)
	if err != nil {
		return err
	}
	name, desc := c.FormValue("name"), c.FormValue("description")
	_, err = s.Members().UpdateTeam(c.Request().Context(), app.Actor(c), t.ID, name, desc)
	return s.answer(c, t, err, "name", "Saved "+strings.TrimSpace(name)+".", func(d *teams.DetailProps) { d.Name, d.Description = name, desc })
}

func (s *Handlers) remove(c echo.Context) error {
	t, err := s.loadTeam(c)
	if err != nil {
		return err
	}
	var moveTo int64
	if v := c.FormValue("move_to"); v != "" {
		if moveTo, err = strconv.ParseInt(v, 10, 64); err != nil || moveTo <= 0 {
			return s.answer(c, t, domain.Invalid("move_to", "Choose a team from the list, or none."), "move_to", "", nil)
		}
	}
	if err := s.Members().DeleteTeam(c.Request().Context(), app.Actor(c), t.ID, moveTo); err != nil {
		return s.answer(c, t, err, "move_to", "", nil)
	}
	s.Flash(c, "success", "Deleted the team "+t.Name+".")
	return app.Redirect(c, listPath(app.AuthOf(c)))
}

// candidates are the organization's members whose name or address matches
// the typed address, for the add-member field's suggestions.
func (s *Handlers) candidates(c echo.Context) error {
	if err := app.CheckQuery(c, "email"); err != nil {
		return err
	}
	if _, err := s.loadTeam(c); err != nil {
		return err
	}
	q := strings.TrimSpace(c.QueryParam("email"))
	var emails []string
	if q != "" && utf8.RuneCountInString(q) <= maxSearchLen {
		pg, err := s.DB.ListMembers(c.Request().Context(), app.AuthOf(c).Org.ID, store.MemberQuery{Search: q, Limit: candidatesMax})
		if err != nil {
			return err
		}
		for _, m := range pg.Rows {
			emails = append(emails, m.Email)
		}
	}
	return app.Render(c, http.StatusOK, teams.Candidates(emails), nil)
}

func (s *Handlers) memberAdd(c echo.Context) error {
	t, err := s.loadTeam(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	fill := func(d *teams.DetailProps) { d.Email = email }
	mi, err := s.memberByEmail(c, email)
	if err != nil {
		return s.answer(c, t, err, "member", "", fill)
	}
	effect := s.teamEffect(c, t, mi.ID, changeAdd)
	err = s.Members().AddTeamMember(c.Request().Context(), app.Actor(c), t.ID, mi.ID)
	return s.answer(c, t, err, "member", strings.TrimSpace("Added "+mi.Email+" to "+t.Name+". "+effect), fill)
}

func (s *Handlers) memberRemove(c echo.Context) error {
	t, mid, err := s.loadTeamMember(c)
	if err != nil {
		return err
	}
	effect := s.teamEffect(c, t, mid, changeRemove)
	err = s.Members().RemoveTeamMember(c.Request().Context(), app.Actor(c), t.ID, mid)
	return s.answer(c, t, err, "member", strings.TrimSpace("Removed the member from "+t.Name+". "+effect), nil)
}

func (s *Handlers) memberLead(c echo.Context) error {
	t, mid, err := s.loadTeamMember(c)
	if err != nil {
		return err
	}
	lead := c.FormValue("lead") == "1"
	err = s.Members().SetTeamLead(c.Request().Context(), app.Actor(c), t.ID, mid, lead)
	msg := "The member no longer leads " + t.Name + "."
	if lead {
		msg = "The member now leads " + t.Name + "."
	}
	return s.answer(c, t, err, "member", msg, nil)
}
