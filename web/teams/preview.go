package teams

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/preview"
	"gatehouse/views/teams"
	"gatehouse/web/app"
)

// What a team change does to what a member sees, before it is confirmed
// (ARCHITECTURE.md, Previews): team changes grant nothing, they move the
// records team scope reaches. The member's scope on customers is the
// engine's (resolved as if active); the records are one count.

// teamChange is a change of one member's place in a team.
type teamChange uint8

const (
	changeAdd teamChange = iota + 1
	changeRemove
	changeLead
	changeUnlead
)

// teamImpact words what change would do to member mi of team t.
func (s *Handlers) teamImpact(c echo.Context, t domain.Team, mi store.MemberInfo, change teamChange) (preview.Props, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	name := cmp.Or(mi.Name, mi.Email)
	p := preview.Props{ID: teams.PreviewID}
	in, err := s.inTeam(c, t, mi.ID)
	if err != nil {
		return p, err
	}
	switch {
	case change == changeLead || change == changeUnlead:
		p.Pending = "Being a lead grants nothing: what " + name + " sees does not change."
		return p, nil
	case change == changeAdd && in:
		p.Pending = name + " is already in " + t.Name + ": nothing changes."
		return p, nil
	}
	input, err := s.DB.MemberInput(ctx, *a.Org, mi.Membership, store.AllLayers)
	if err != nil {
		return p, err
	}
	input.Suspended = false
	label := access.ModuleOf(access.ModCustomers).Label
	scope, ok := access.Resolve(input).Scope(access.ModCustomers)
	switch {
	case !ok:
		p.Pending = name + " cannot open " + label + ": this team changes nothing they see."
	case scope != access.ScopeTeam:
		p.Pending = name + "'s scope on " + label + " is " + scope.String() + ": this team changes nothing they see."
	default:
		n, err := s.DB.TeamRecordsBeyond(ctx, a.Org.ID, t.ID, mi.ID)
		if err != nil {
			return p, err
		}
		why := " (team scope on " + label + ")."
		switch {
		case n == 0:
			p.Pending = t.Name + " owns no customers " + name + " does not serve already: nothing changes" + why
		case change == changeAdd:
			p.Gains = []string{name + " will see " + customers(n, "more ") + why}
		default:
			p.Losses = []string{name + " will lose " + customers(n, "") + " of team " + t.Name + why}
		}
	}
	return p, nil
}

// teamEffect is the panel in one sentence, for the answer after the save
// ("" when it cannot be said: the change decides).
func (s *Handlers) teamEffect(c echo.Context, t domain.Team, mid int64, change teamChange) string {
	mi, err := s.MemberInfo(c, mid)
	if err != nil {
		return ""
	}
	p, err := s.teamImpact(c, t, mi, change)
	if err != nil {
		return ""
	}
	return strings.Join(append(append([]string{p.Pending}, p.Gains...), p.Losses...), "")
}

// inTeam reports whether membership mid is in team t.
func (s *Handlers) inTeam(c echo.Context, t domain.Team, mid int64) (bool, error) {
	ts, err := s.DB.TeamsOfMember(c.Request().Context(), app.AuthOf(c).Org.ID, mid)
	return slices.ContainsFunc(ts, func(mt domain.MemberTeam) bool { return mt.TeamID == t.ID }), err
}

func customers(n int, more string) string {
	if n == 1 {
		return "1 " + more + "customer"
	}
	return strconv.Itoa(n) + " " + more + "customers"
}

// memberByEmail is the member of the actor's organization with the
// address, or the refusal next to the add field.
func (s *Handlers) memberByEmail(c echo.Context, email string) (store.MemberInfo, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	notMember := domain.Invalid("member", "%s is not a member of %s.", email, a.Org.Name)
	if email == "" {
		return store.MemberInfo{}, domain.Invalid("member", "Enter the email address of a member.")
	}
	u, err := s.DB.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberInfo{}, notMember
	} else if err != nil {
		return store.MemberInfo{}, err
	}
	m, err := s.DB.MembershipOfUser(ctx, a.Org.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberInfo{}, notMember
	} else if err != nil {
		return store.MemberInfo{}, err
	}
	return s.DB.MemberInfo(ctx, a.Org.ID, m.ID)
}

// addPreview answers the add form's address with the panel; it writes nothing.
func (s *Handlers) addPreview(c echo.Context) error {
	t, err := s.loadTeam(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	if email == "" {
		return app.Render(c, http.StatusOK, preview.Panel(teams.IdlePreview(app.AuthOf(c).Org.Slug, t)), nil)
	}
	mi, err := s.memberByEmail(c, email)
	if r := domain.AsError(err); r != nil {
		p := teams.IdlePreview(app.AuthOf(c).Org.Slug, t)
		p.Pending, p.Errors = "", []string{r.Message}
		return app.Render(c, r.Status(), preview.Panel(p), nil)
	} else if err != nil {
		return err
	}
	p, err := s.teamImpact(c, t, mi, changeAdd)
	if err != nil {
		return err
	}
	p.URL = teams.AddPreviewURL(app.AuthOf(c).Org.Slug, t.ID)
	return app.Render(c, http.StatusOK, preview.Panel(p), nil)
}

// changePreview is the confirm step of removing a member or changing their
// lead mark (change=remove|lead|unlead): the panel and the button that
// does it; it writes nothing.
func (s *Handlers) changePreview(c echo.Context) error {
	a := app.AuthOf(c)
	t, mid, err := s.loadTeamMember(c)
	if err != nil {
		return err
	}
	mi, err := s.MemberInfo(c, mid)
	if err != nil {
		return err
	}
	if in, err := s.inTeam(c, t, mid); err != nil {
		return err
	} else if !in {
		return app.ErrNotFound // not in this team: nothing to confirm
	}
	var change teamChange
	switch c.FormValue("change") {
	case "remove":
		change = changeRemove
	case "lead":
		change = changeLead
	case "unlead":
		change = changeUnlead
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Unknown change.")
	}
	p, err := s.teamImpact(c, t, mi, change)
	if err != nil {
		return err
	}
	p.ID = teams.ChangePreviewID
	return app.Render(c, http.StatusOK, teams.Confirm(teams.ConfirmProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Team: t,
		MembershipID: mid, Name: cmp.Or(mi.Name, mi.Email), Change: c.FormValue("change"), Preview: p}), nil)
}
