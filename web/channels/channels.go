// Package channels is Settings → Channels (ARCHITECTURE.md, Conversations): the list, a
// channel's page, create (channels_create), edit of name, kind and teams
// (channels_edit) and archive/unarchive (channels_delete: archiving is how a
// channel leaves use). Each change is one transaction that reads the actor
// again (store.ActingFor) and writes its audit entry.
package channels

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/channels"
	"gatehouse/web/app"
)

// Handlers answers the channels pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the channels handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the declared pages (internal/access/modules.go) by key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"channels.home":      s.list,
		"channels.create":    s.create,
		"channels.show":      s.show,
		"channels.update":    s.update,
		"channels.archive":   s.archive,
		"channels.unarchive": s.unarchive,
	}
}

func listPath(a *app.Auth) string { return "/o/" + a.Org.Slug + "/settings/channels" }

func channelPath(a *app.Auth, id int64) string {
	return listPath(a) + "/" + strconv.FormatInt(id, 10)
}

// channelText is a channel as its audit entries record it.
type channelText struct {
	Name  string   `json:"name"`
	Kind  string   `json:"kind"`
	Teams []string `json:"teams"`
}

func textOf(c store.Channel) channelText {
	t := channelText{Name: c.Name, Kind: c.Kind, Teams: []string{}}
	for _, r := range c.Teams {
		t.Teams = append(t.Teams, r.Name)
	}
	return t
}

// write runs one channel change in one transaction, the actor read again
// in it holding channels_<need> (app.ActingWrite: a refusal is the guards'
// suspended page, 403 or 404), and audits what fn returns (action ""
// records nothing).
func (s *Handlers) write(c echo.Context, need access.Action, fn func(ctx context.Context, tx *store.Tx, org int64) (action string, ch store.Channel, before, after any, err error)) (store.Channel, error) {
	ctx := c.Request().Context()
	var ch store.Channel
	err := s.ActingWrite(c, access.ModChannels, need, func(tx *store.Tx, a *app.Auth) error {
		action, got, before, after, err := fn(ctx, tx, a.Org.ID)
		ch = got
		if err != nil || action == "" {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: a.Org.ID, ActorID: a.User.ID, ActorEmail: a.User.Email, Action: action,
			Target: "channel " + got.Name, Before: store.JSON(before), After: store.JSON(after), IP: c.RealIP()})
	})
	return ch, err
}

// parseForm reads the channel form: name, kind and the ticked teams (a
// malformed team id is invalid, next to the teams).
func parseForm(c echo.Context) (channels.Form, []int64, error) {
	f := channels.Form{Name: c.FormValue("name"), Kind: c.FormValue("kind"), Teams: map[int64]bool{}, Errors: map[string]string{}}
	form, err := c.FormParams()
	if err != nil {
		return f, nil, err
	}
	var ids []int64
	for _, v := range form["teams"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, nil, domain.Invalid("teams", "Choose teams from the list.")
		}
		if !f.Teams[id] {
			f.Teams[id] = true
			ids = append(ids, id)
		}
	}
	return f, ids, nil
}

// refused puts an invalid or conflicting input in the form next to its
// field(s) and returns its status; anything else (the actor's 403 or 404,
// another organization's team) is returned as the error for HandleError.
func refused(f *channels.Form, err error) (int, error) {
	r := domain.AsError(err)
	if r == nil || (r.Code != domain.CodeInvalid && r.Code != domain.CodeConflict) {
		return 0, err
	}
	if len(r.Fields) > 0 {
		for k, v := range r.Fields {
			f.Errors[k] = v
		}
	} else {
		f.Errors[r.Field] = r.Message
	}
	return r.Status(), nil
}

func (s *Handlers) listProps(c echo.Context, f channels.Form) (channels.ListProps, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	p := channels.ListProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Form: f,
		CanCreate: a.Can(access.ModChannels, access.Create)}
	var err error
	if p.Channels, err = s.DB.Channels(ctx, a.Org.ID); err != nil {
		return p, err
	}
	if p.Conversations, err = s.DB.ChannelConversations(ctx, a.Org.ID); err != nil {
		return p, err
	}
	if p.CanCreate {
		p.Teams, err = s.DB.TeamRefs(ctx, a.Org.ID)
	}
	return p, err
}

func (s *Handlers) list(c echo.Context) error {
	if err := app.CheckQuery(c); err != nil {
		return err
	}
	p, err := s.listProps(c, channels.Form{Kind: "email", Teams: map[int64]bool{}, Errors: map[string]string{}})
	if err != nil {
		return err
	}
	return s.OK(c, "Channels", channels.List(p))
}

func (s *Handlers) create(c echo.Context) error {
	f, teams, err := parseForm(c)
	if err == nil {
		var ch store.Channel
		ch, err = s.write(c, access.Create, func(ctx context.Context, tx *store.Tx, org int64) (string, store.Channel, any, any, error) {
			ch, err := tx.AddChannel(ctx, org, f.Name, f.Kind, teams)
			return "channel.create", ch, nil, textOf(ch), err
		})
		if err == nil {
			s.Flash(c, "success", "Created the channel "+ch.Name+".")
			return app.Redirect(c, channelPath(app.AuthOf(c), ch.ID))
		}
	}
	status, err := refused(&f, err)
	if err != nil {
		return err
	}
	p, err := s.listProps(c, f)
	if err != nil {
		return err
	}
	return app.Render(c, status, s.FullPage(c, "Channels", channels.List(p)), nil)
}

// load reads :id; a malformed id or another organization's channel is a 404.
func (s *Handlers) load(c echo.Context) (store.Channel, error) {
	return app.InOrg(c, "id", s.DB.Channel)
}

func (s *Handlers) detail(c echo.Context, status int, ch store.Channel, f channels.Form, confirm bool) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	d := channels.DetailProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Channel: ch, Form: f, ConfirmOpen: confirm,
		CanEdit: a.Can(access.ModChannels, access.Edit), CanArchive: a.Can(access.ModChannels, access.Delete)}
	counts, err := s.DB.ChannelConversations(ctx, a.Org.ID)
	if err != nil {
		return err
	}
	d.Conversations = counts[ch.ID]
	if d.CanEdit {
		if d.Teams, err = s.DB.TeamRefs(ctx, a.Org.ID); err != nil {
			return err
		}
	}
	return app.Render(c, status, s.FullPage(c, ch.Name, channels.Detail(d)), nil)
}

func (s *Handlers) show(c echo.Context) error {
	if err := app.CheckQuery(c); err != nil {
		return err
	}
	ch, err := s.load(c)
	if err != nil {
		return err
	}
	return s.detail(c, http.StatusOK, ch, channels.FormOf(ch), false)
}

func (s *Handlers) update(c echo.Context) error {
	ch, err := s.load(c)
	if err != nil {
		return err
	}
	f, teams, err := parseForm(c)
	if err == nil {
		_, err = store.CheckChannel(f.Name, f.Kind)
	}
	if err == nil && ch.Restricted() && len(teams) == 0 && c.FormValue("confirm_open") != "1" {
		// Removing the last team opens the channel to everyone who may
		// reply: the form comes back with the warning, nothing saved.
		return s.detail(c, http.StatusOK, ch, f, true)
	}
	if err == nil {
		var saved store.Channel
		saved, err = s.write(c, access.Edit, func(ctx context.Context, tx *store.Tx, org int64) (string, store.Channel, any, any, error) {
			before, after, err := tx.UpdateChannel(ctx, org, ch.ID, f.Name, f.Kind, teams)
			b, a := textOf(before), textOf(after)
			if err != nil || equalText(b, a) {
				return "", after, nil, nil, err
			}
			return "channel.update", after, b, a, nil
		})
		if err == nil {
			s.Flash(c, "success", "Saved the channel "+saved.Name+".")
			return app.Redirect(c, channelPath(app.AuthOf(c), ch.ID))
		}
	}
	status, err := refused(&f, err)
	if err != nil {
		return err
	}
	return s.detail(c, status, ch, f, false)
}

func equalText(a, b channelText) bool {
	if a.Name != b.Name || a.Kind != b.Kind || len(a.Teams) != len(b.Teams) {
		return false
	}
	for i := range a.Teams {
		if a.Teams[i] != b.Teams[i] {
			return false
		}
	}
	return true
}

func (s *Handlers) archive(c echo.Context) error { return s.setArchived(c, true) }

func (s *Handlers) unarchive(c echo.Context) error { return s.setArchived(c, false) }

// setArchived archives the channel or puts it back in use; doing what is
// already so records nothing.
func (s *Handlers) setArchived(c echo.Context, archived bool) error {
	ch, err := s.load(c)
	if err != nil {
		return err
	}
	action, done := "channel.unarchive", "is in use again"
	if archived {
		action, done = "channel.archive", "is archived: it takes no new replies"
	}
	_, err = s.write(c, access.Delete, func(ctx context.Context, tx *store.Tx, org int64) (string, store.Channel, any, any, error) {
		got, changed, err := tx.SetChannelArchived(ctx, org, ch.ID, archived)
		if err != nil || !changed {
			return "", got, nil, nil, err
		}
		return action, got, map[string]bool{"archived": !archived}, map[string]bool{"archived": archived}, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "The channel "+ch.Name+" "+done+".")
	return app.Redirect(c, channelPath(app.AuthOf(c), ch.ID))
}
