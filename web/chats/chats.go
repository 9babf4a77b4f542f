// Package chats is the Conversations module (ARCHITECTURE.md, Conversations): the lists
// under the member's scope, a conversation's page with its live thread and
// composer, and the writes. Every query carries the member's scope on
// chats into SQL (store.RecordScope); checks run 404 (organization,
// scope), then 403 (the action, the attachment, the channel), then 422.
package chats

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/cache"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/chats"
	"gatehouse/web/app"
)

// Handlers answers the conversation pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	// teams are each organization's team choices (the lists' filter, the
	// hand-off's select) at a permission version: creating, renaming or
	// deleting a team moves it (internal/store/bumps.go), so an entry is
	// never stale. At 500 teams reading them was a fifth of a list's CPU,
	// and rendering the filter's options another fifth.
	teams *cache.Cache[orgVersion, *teamChoices]
	// markup: the lists' rendered rows (views/chats.Memo).
	markup *chats.Memo
	// pages: the lists' pages (cache.go); a page of 50 rows is 10–15 KB,
	// so about 100 stay.
	pages *cache.Cache[pageKey, listPage]
	// channels: the lists' channel choices and names (cache.go).
	channels *cache.Cache[orgVersion, []store.GroupRef]
	// threads: conversations' rendered threads (cache.go); 200 messages
	// are some 60 KB.
	threads *cache.HTML[threadKey]
}

type orgVersion struct{ org, version int64 }

// teamChoices are an organization's teams at one permission version;
// immutable once made.
type teamChoices struct {
	opts   []chats.Option   // by name
	names  map[int64]string // a list row's team is named from it
	filter cache.Options    // the list filter's options, none selected
}

// New makes the conversation handlers.
func New(k *app.Kernel) *Handlers {
	return &Handlers{Kernel: k, teams: cache.New[orgVersion, *teamChoices](64, 8<<20, 0), markup: chats.NewMemo(),
		pages: cache.New[pageKey, listPage](256, 1536<<10, 0), channels: cache.New[orgVersion, []store.GroupRef](256, 1<<20, 0),
		threads: cache.NewHTML[threadKey](64, 4<<20)}
}

// teamChoices are the organization's teams as choices, by name (the
// lists' filter, the hand-off's select).
func (s *Handlers) teamChoices(c echo.Context) (*teamChoices, error) {
	a := app.AuthOf(c)
	k := orgVersion{a.Org.ID, a.Org.PermVersion}
	if tc, ok := s.teams.Get(k, 0); ok {
		return tc, nil
	}
	ctx := c.Request().Context()
	teams, err := s.DB.TeamRefs(ctx, a.Org.ID)
	if err != nil {
		return nil, err
	}
	tc := &teamChoices{opts: make([]chats.Option, 0, len(teams)), names: make(map[int64]string, len(teams))}
	size := 0
	for _, t := range teams {
		tc.opts = append(tc.opts, chats.Option{Value: itoa(t.ID), Label: t.Name})
		tc.names[t.ID] = t.Name
		size += 96 + 2*len(t.Name)
	}
	if tc.filter, err = cache.RenderOptions(ctx, len(tc.opts), tc.option); err != nil {
		return nil, err
	}
	s.teams.Put(k, tc, size+tc.filter.Size(), 0)
	return tc, nil
}

func (tc *teamChoices) option(i int, selected bool) templ.Component {
	return chats.FilterOption(tc.opts[i], selected)
}

// filterHTML is the team filter's options with the one whose value is
// selected marked.
func (tc *teamChoices) filterHTML(ctx context.Context, selected string) (string, error) {
	i := -1
	if selected != "" {
		i = slices.IndexFunc(tc.opts, func(o chats.Option) bool { return o.Value == selected })
	}
	return tc.filter.With(ctx, i, tc.option)
}

// Screens binds the declared pages (internal/access/modules.go).
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"chats.home":            s.home,
		"chats.mine":            func(c echo.Context) error { return s.list(c, listMine) },
		"chats.team":            func(c echo.Context) error { return s.list(c, listTeam) },
		"chats.all":             func(c echo.Context) error { return s.list(c, listAll) },
		"chats.new":             s.newForm,
		"chats.create":          s.create,
		"chats.show":            s.show,
		"chats.update":          s.update,
		"chats.messages":        s.poll,
		"chats.messages.create": s.compose,
		"chats.move":            s.move,
		"chats.assign":          s.assign,
		"chats.delete":          s.remove,
		"chats.attachment":      s.attachment,
	}
}

const (
	listMine = "mine"
	listTeam = "team"
	listAll  = "all"

	perPage       = 50
	threadSize    = 200 // messages a conversation's page opens with
	maxSearchLen  = 200
	maxSubjectLen = 200
	maxBodyLen    = 10000
	maxNoteLen    = 500
	maxPicker     = 500 // customers and members in a select
)

// The module's own actions and the assignment flag.
var (
	chatsModule = access.ModuleOf(access.ModChats)
	actReply    = ownAction("reply")
	actNote     = ownAction("note")
	actAttach   = ownAction("attach")
)

func ownAction(key string) access.Action {
	a, ok := chatsModule.ParseAction(key)
	if !ok {
		panic("chats: no action " + key)
	}
	return a
}

func chatsPath(a *app.Auth) string { return "/o/" + a.Org.Slug + "/chats" }

func chatPath(a *app.Auth, id int64) string { return chatsPath(a) + "/" + strconv.FormatInt(id, 10) }

// scope is the member's scope on conversations.
func scope(a *app.Auth) store.RecordScope {
	return store.ScopeIn(a.Org.ID, a.Scope(access.ModChats), a.Membership.ID)
}

func channelUser(a *app.Auth) store.ChannelUser {
	return store.ChannelUser{Membership: a.Membership.ID, Owner: a.IsOwner}
}

func seesAll(a *app.Auth) bool { return a.Scope(access.ModChats).AtLeast(access.ScopeAll) }

func seesTeams(a *app.Auth) bool {
	return a.HasTeams && a.Scope(access.ModChats).AtLeast(access.ScopeTeam)
}

// customerFields is the member's projection on customers: every customer
// field chats show (the name, in lists, pages, the picker and the search)
// goes through it.
func customerFields(a *app.Auth) access.Projection { return a.Eff.Projection(access.ModCustomers) }

func canAssignOthers(a *app.Auth) bool { return a.Eff.CanFlag(access.FlagChatsCanAssignToOthers) }

func when(unix int64) string { return chats.When(unix) }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// optionalID reads an optional id field: "" is 0, anything but a canonical
// positive decimal is bad.
func optionalID(v string) (int64, bool) {
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != v {
		return 0, false
	}
	return id, true
}

func (s *Handlers) home(c echo.Context) error {
	a := app.AuthOf(c)
	if seesAll(a) {
		return app.Redirect(c, chatsPath(a)+"/all")
	}
	return app.Redirect(c, chatsPath(a)+"/mine")
}

func (s *Handlers) list(c echo.Context, list string) error {
	if err := app.CheckQuery(c, "q"); err != nil {
		return err
	}
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	sc, title, sub := scope(a), "All conversations", "Every conversation of "+a.Org.Name+"."
	switch list {
	case listMine:
		sc, title, sub = sc.Mine(a.Membership.ID), "Those I serve", "Conversations assigned to you."
	case listTeam:
		sc, title, sub = sc.Team(a.Membership.ID), "My teams", "Conversations assigned to you or owned by your teams."
	}
	fields := customerFields(a)
	q := store.ConversationQuery{Search: app.SearchParam(c, maxSearchLen), Fields: fields, Status: c.QueryParam("status"), Limit: perPage}
	if q.Status != "" && !store.ValidConversationStatus(q.Status) {
		return domain.Invalid("status", "Choose open, pending or closed.")
	}
	var ok [3]bool
	q.Channel, ok[0] = optionalID(c.QueryParam("channel"))
	q.Team, ok[1] = optionalID(c.QueryParam("team"))
	q.Assignee, ok[2] = optionalID(c.QueryParam("assignee"))
	if !ok[0] || !ok[1] || !ok[2] {
		return domain.Invalid("", "A filter is not one of the choices listed.")
	}
	if b := c.QueryParam("before"); b != "" {
		at, id, found := strings.Cut(b, ".")
		u, e1 := strconv.ParseInt(at, 10, 64)
		i, e2 := strconv.ParseInt(id, 10, 64)
		if !found || e1 != nil || e2 != nil {
			return domain.Invalid("", "That page link is broken: start from the newest.")
		}
		q.Before = &store.ConversationCursor{UpdatedAt: u, ID: i}
	}
	rows, more, err := s.conversations(ctx, a.Org, sc, q)
	if err != nil {
		return err
	}
	path := chatsPath(a) + "/" + list
	p := chats.ListProps{Title: title, Subtitle: sub, Path: path, MineHref: chatsPath(a) + "/mine", Current: list,
		Q: q.Search, Status: q.Status, Channel: c.QueryParam("channel"), Team: c.QueryParam("team"), SearchHint: "Search by subject"}
	if fields.Readable("name") {
		p.SearchHint += " or customer"
	}
	switch a.Scope(access.ModChats) {
	case access.ScopeAll:
		p.ScopeText = "You see all conversations of " + a.Org.Name + "."
	case access.ScopeTeam:
		p.ScopeText = "You see the conversations assigned to you or owned by your teams."
	default:
		p.ScopeText = "You see the conversations assigned to you."
	}
	if seesTeams(a) {
		p.TeamHref = chatsPath(a) + "/team"
	}
	if seesAll(a) {
		p.AllHref = chatsPath(a) + "/all"
	}
	if a.Can(access.ModChats, access.Create) {
		p.NewHref = chatsPath(a) + "/new"
	}
	for _, st := range store.ConversationStatuses {
		p.Statuses = append(p.Statuses, chats.Option{Value: st, Label: st})
	}
	channels, err := s.channelRefs(ctx, a.Org) // at the version of the rows: every channel a row names is there
	if err != nil {
		return err
	}
	channelNames := make(map[int64]string, len(channels))
	for _, ch := range channels {
		p.Channels = append(p.Channels, chats.Option{Value: itoa(ch.ID), Label: ch.Name})
		channelNames[ch.ID] = ch.Name
	}
	var teams *teamChoices
	if a.HasTeams || slices.ContainsFunc(rows, func(r store.Conversation) bool { return r.TeamID != 0 }) {
		if teams, err = s.teamChoices(c); err != nil {
			return err
		}
		if len(teams.opts) > 0 {
			if p.TeamOptions, err = teams.filterHTML(ctx, p.Team); err != nil {
				return err
			}
		}
	}
	p.Memo = s.markup
	p.Rows = make([]chats.Row, 0, len(rows))
	base := chatsPath(a) + "/"
	for _, r := range rows {
		row := chats.Row{Href: base + itoa(r.ID), Subject: r.Subject, Customer: app.CustomerName(fields, r.CustomerID, r.CustomerName),
			Channel: channelNames[r.ChannelID], Status: r.Status, Assignee: r.AssigneeName, UpdatedAt: r.UpdatedAt}
		if teams != nil {
			row.Team = teams.names[r.TeamID]
		}
		p.Rows = append(p.Rows, row)
	}
	v := c.QueryParams()
	if more {
		last := rows[len(rows)-1]
		v.Set("before", itoa(last.UpdatedAt)+"."+itoa(last.ID))
		p.NextHref = path + "?" + v.Encode()
	}
	if q.Before != nil {
		v.Del("before")
		p.FirstHref = path
		if len(v) > 0 {
			p.FirstHref += "?" + v.Encode()
		}
	}
	return s.OK(c, title, chats.List(p))
}

// load finds the :id conversation in the member's scope: a bad id, another
// organization's conversation or one out of scope is a 404.
func (s *Handlers) load(c echo.Context) (store.Conversation, error) {
	id, err := app.PathID(c, "id")
	if err != nil {
		return store.Conversation{}, err
	}
	v, err := s.DB.Conversation(c.Request().Context(), scope(app.AuthOf(c)), id)
	if errors.Is(err, store.ErrNotFound) {
		return v, app.ErrNotFound
	}
	return v, err
}

func (s *Handlers) show(c echo.Context) error {
	v, err := s.load(c)
	if err != nil {
		return err
	}
	p, err := s.showProps(c, v, chats.ComposerProps{}, nil)
	if err != nil {
		return err
	}
	return s.OK(c, p.Subject, chats.Show(p))
}

// showProps builds a conversation's page; composer carries a refused
// post's values and messages (zero: a fresh composer).
func (s *Handlers) showProps(c echo.Context, v store.Conversation, composer chats.ComposerProps, errs map[string]string) (chats.ShowProps, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	thread, err := s.thread(ctx, a, v.ID)
	if err != nil {
		return chats.ShowProps{}, err
	}
	p := chats.ShowProps{Subject: v.Subject, Customer: app.CustomerName(customerFields(a), v.CustomerID, v.CustomerName), Channel: v.ChannelName, Status: v.Status,
		Assignee: v.AssigneeName, Team: v.TeamName, CSRF: app.CSRFToken(c), Thread: thread,
		PollHref: chatPath(a, v.ID) + "/messages?after=" + itoa(v.LastMessageID), Errors: errs,
		BackHref: chatsPath(a) + "/mine", BackLabel: "Those I serve", MeID: itoa(a.Membership.ID)}
	if seesAll(a) {
		p.BackHref, p.BackLabel = chatsPath(a)+"/all", "All conversations"
	}
	if a.Can(access.ModCustomers, access.View) {
		if _, err := s.DB.Customer(ctx, app.CustomerScope(a), v.CustomerID); err == nil {
			p.CustomerHref = "/o/" + a.Org.Slug + "/customers/" + itoa(v.CustomerID)
		}
	}
	composer.Action, composer.CSRF = chatPath(a, v.ID)+"/messages", p.CSRF
	composer.CanReply, composer.CanNote = a.Can(access.ModChats, actReply), a.Can(access.ModChats, actNote)
	composer.CanAttach = composer.Allowed() && a.Can(access.ModChats, actAttach)
	if composer.CanReply {
		if err := s.channelChoices(c, v, &composer); err != nil {
			return p, err
		}
	}
	p.Composer = composer
	if a.Can(access.ModChats, access.Edit) {
		p.UpdateAction, p.MoveAction, p.AssignAction = chatPath(a, v.ID), chatPath(a, v.ID)+"/move", chatPath(a, v.ID)+"/assign"
		for _, st := range store.ConversationStatuses {
			p.Statuses = append(p.Statuses, chats.Option{Value: st, Label: st})
		}
		// The team filter's options kept rendered (cache.Options), the
		// conversation's team selected: 500 teams rendered per page were a
		// tenth of a conversation's page.
		teams, err := s.teamChoices(c)
		if err != nil {
			return p, err
		}
		team := ""
		if v.TeamID != 0 {
			team = itoa(v.TeamID)
		}
		if p.TeamOptions, err = teams.filterHTML(ctx, team); err != nil {
			return p, err
		}
		if canAssignOthers(a) {
			members, err := s.DB.Assignees(ctx, *a.Org, access.ModChats, maxPicker) // only members who may open Conversations, kept per organization version
			if err != nil {
				return p, err
			}
			p.Assignees = []chats.Option{}
			for _, m := range members {
				p.Assignees = append(p.Assignees, chats.Option{Value: itoa(m.MembershipID), Label: m.Name})
			}
		}
		p.TakeIt = v.AssignedTo != a.Membership.ID
	}
	if a.Can(access.ModChats, access.Delete) {
		p.DeleteAction = chatPath(a, v.ID) + "/delete"
	}
	return p, nil
}

// channelChoices fills the composer's channel select with the channels the
// member may use, the conversation's selected by default, and says why
// others are missing.
func (s *Handlers) channelChoices(c echo.Context, v store.Conversation, p *chats.ComposerProps) error {
	var err error
	if p.Channels, p.MissingNote, err = s.channelOptions(c); err != nil {
		return err
	}
	if p.Channel == "" {
		p.Channel = itoa(v.ChannelID)
	}
	if v.ChannelArchived {
		p.ArchivedNote = "This conversation's channel, " + v.ChannelName + ", is archived: it takes no new replies. Reply on another channel."
	}
	return nil
}

// channelOptions are the channels the member may use, and a line naming
// the ones kept for teams they are not in ("" when none is).
func (s *Handlers) channelOptions(c echo.Context) ([]chats.Option, string, error) {
	a := app.AuthOf(c)
	usable, others, err := s.DB.UsableChannels(c.Request().Context(), a.Org.ID, channelUser(a))
	if err != nil {
		return nil, "", err
	}
	var opts []chats.Option
	for _, ch := range usable {
		opts = append(opts, chats.Option{Value: itoa(ch.ID), Label: ch.Name + " (" + kindLabel(ch.Kind) + ")"})
	}
	missing := ""
	if len(others) > 0 {
		var names []string
		for _, ch := range others {
			names = append(names, ch.Name)
		}
		missing = "Not listed: " + app.ListSome(names) + ", kept for teams you are not in."
	}
	return opts, missing, nil
}

func kindLabel(kind string) string {
	switch kind {
	case "email":
		return "email"
	case "whatsapp":
		return "WhatsApp"
	case "web_chat":
		return "web chat"
	case "sms":
		return "SMS"
	}
	return kind
}

// messages shapes a thread for the page.
func (s *Handlers) messages(a *app.Auth, conv int64, ms []store.Message) []chats.Message {
	out := make([]chats.Message, 0, len(ms))
	for _, m := range ms {
		vm := chats.Message{ID: itoa(m.ID), Kind: m.Kind, Author: m.AuthorName, Body: m.Body, Channel: m.ChannelName, At: when(m.CreatedAt)}
		switch m.SentState {
		case "stored":
			vm.Delivery = "stored, not sent"
		case "queued":
			vm.Delivery = "queued"
		case "sent":
			vm.Delivery = "sent"
		}
		for _, f := range m.Attachments {
			vm.Attachments = append(vm.Attachments, chats.AttachmentLink{Href: chatPath(a, conv) + "/attachments/" + itoa(f.ID),
				Name: f.Name, Size: sizeLabel(f.Size)})
		}
		out = append(out, vm)
	}
	return out
}

func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// poll answers the live thread: 204 when nothing is newer than ?after,
// else the new messages. The scope check, which also reads the newest
// message id, is answered from memory while nothing has been committed
// since it was last read at the auth's data version: then a 204 costs the
// auth query alone.
func (s *Handlers) poll(c echo.Context) error {
	a := app.AuthOf(c)
	id, err := app.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	last, err := s.DB.ConversationLastMessageAt(ctx, scope(a), id, a.DataVersion)
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	after, err := int64(0), error(nil)
	if raw := c.QueryParam("after"); raw != "" {
		after, err = strconv.ParseInt(raw, 10, 64)
	}
	if err != nil || after < 0 {
		return domain.Invalid("after", "after is the id of the last message shown.")
	}
	if last <= after {
		return c.NoContent(http.StatusNoContent)
	}
	ms, err := s.DB.Thread(ctx, a.Org.ID, id, after, threadSize)
	if err != nil {
		return err
	}
	next := chatPath(a, id) + "/messages?after=" + itoa(last)
	if len(ms) > 0 {
		next = chatPath(a, id) + "/messages?after=" + itoa(ms[len(ms)-1].ID)
	}
	return app.Render(c, http.StatusOK, chats.NewMessages(s.messages(a, id, ms), next), nil)
}

// attachment serves a file of a conversation in scope as a download, never
// rendered by the browser.
func (s *Handlers) attachment(c echo.Context) error {
	a := app.AuthOf(c)
	id, err := app.PathID(c, "id")
	if err != nil {
		return err
	}
	aid, err := app.PathID(c, "aid")
	if err != nil {
		return err
	}
	f, err := s.DB.Attachment(c.Request().Context(), scope(a), id, aid)
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
