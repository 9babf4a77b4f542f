package chats

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/mail"
	"gatehouse/internal/store"
	"gatehouse/views/chats"
	"gatehouse/web/app"
)

// fileTypes are the files a message may carry, by extension: the type it
// is stored and served with, and what http.DetectContentType must find in
// its first bytes (a file whose content is not what its name says is
// refused).
var fileTypes = map[string]struct{ stored, sniffed string }{
	".png": {"image/png", "image/png"}, ".jpg": {"image/jpeg", "image/jpeg"}, ".jpeg": {"image/jpeg", "image/jpeg"},
	".gif": {"image/gif", "image/gif"}, ".webp": {"image/webp", "image/webp"},
	".pdf": {"application/pdf", "application/pdf"},
	".txt": {"text/plain; charset=utf-8", "text/plain"}, ".csv": {"text/csv; charset=utf-8", "text/plain"},
	".log": {"text/plain; charset=utf-8", "text/plain"},
	".mp3": {"audio/mpeg", "audio/mpeg"}, ".ogg": {"audio/ogg", "application/ogg"}, ".wav": {"audio/wav", "audio/wave"},
	".mp4": {"video/mp4", "video/mp4"}, ".zip": {"application/zip", "application/zip"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
}

// checkFile says what a file may be stored as, or why not.
func checkFile(name string, data []byte) (contentType, problem string) {
	t, ok := fileTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return "", "This kind of file cannot be attached: use an image, PDF, text, CSV, audio, video, ZIP or office document."
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if sniffed != t.sniffed {
		return "", "The file's content is not what its name says (" + filepath.Ext(name) + "). Nothing was sent."
	}
	return t.stored, ""
}

// checkText bounds a text's length and refuses control characters
// (newlines and tabs are fine where multiline).
func checkText(s string, maxLen int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "This contains characters that are not valid text."
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "Use at most " + itoa(int64(maxLen)) + " characters (this has " + itoa(int64(n)) + ")."
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return "Remove the control characters from this text."
		}
	}
	return ""
}

func cleanText(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// compose adds a reply or a note (with an optional file) to the thread.
func (s *Handlers) compose(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	v, err := s.load(c) // 404: organization, scope
	if err != nil {
		return err
	}
	kind, body, rawChannel := c.FormValue("kind"), cleanText(c.FormValue("body")), strings.TrimSpace(c.FormValue("channel"))
	fh, ferr := c.FormFile("attachment")
	hasFile := ferr == nil && (fh.Size > 0 || fh.Filename != "")
	errs := map[string]string{}
	// 403: the action, the attachment, the channel.
	var need access.Action
	switch kind {
	case "reply":
		need = actReply
	case "note":
		need = actNote
	default:
		errs["kind"] = "Choose a reply or an internal note."
	}
	if need != 0 && !a.Can(access.ModChats, need) {
		if need == actReply {
			return domain.Forbidden("You may not reply to customers in %s.", a.Org.Name)
		}
		return domain.Forbidden("You may not write internal notes in %s.", a.Org.Name)
	}
	if hasFile && !a.Can(access.ModChats, actAttach) {
		return domain.Forbidden("You may not attach files in %s.", a.Org.Name)
	}
	channel, channelKind := int64(0), ""
	if kind == "reply" {
		channel, channelKind = v.ChannelID, v.ChannelKind
		if rawChannel != "" {
			id, ok := optionalID(rawChannel)
			if !ok {
				errs["channel"] = "Choose one of the channels listed."
			}
			channel = id
		}
		if channel != 0 {
			ch, err := s.checkChannel(c, channel)
			if err != nil {
				return err
			}
			channelKind = ch.Kind
		}
	}
	// 422: the input.
	if body == "" {
		errs["body"] = "Write a message."
	} else if msg := checkText(body, maxBodyLen, true); msg != "" {
		errs["body"] = msg
	}
	var file *store.Attachment
	switch {
	case ferr != nil && !errors.Is(ferr, http.ErrMissingFile) && !errors.Is(ferr, http.ErrNotMultipart):
		errs["attachment"] = "The file did not arrive whole: try again."
	case hasFile:
		f, msg := readFile(fh)
		if msg != "" {
			errs["attachment"] = msg
		}
		file = f
	}
	if len(errs) > 0 {
		composer := chats.ComposerProps{Kind: kind, Body: body, Channel: rawChannel, Errors: errs}
		p, err := s.showProps(c, v, composer, nil)
		if err != nil {
			return err
		}
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, p.Subject, chats.Show(p)), nil)
	}
	m := store.NewMessage{ConversationID: v.ID, AuthorID: a.Membership.ID, Kind: kind, Body: body, Attachment: file}
	var out *mail.Message
	if kind == "reply" {
		// Replies go out on email channels when --smtp is set; the other
		// kinds have no provider yet: the thread says "stored, not sent".
		m.ChannelID, m.SentState = channel, "stored"
		if to, err := s.replyAddress(c, v, channelKind); err != nil {
			return err
		} else if to != "" {
			m.SentState = "queued"
			out = &mail.Message{To: to, Subject: "Re: " + cmp.Or(v.Subject, a.Org.Name), Text: body}
		}
	}
	var id int64
	err = s.ActingWrite(c, access.ModChats, need, func(tx *store.Tx, act *app.Auth) error {
		if file != nil && !act.Can(access.ModChats, actAttach) {
			return app.ErrForbidden
		}
		m.AuthorID = act.Membership.ID
		var err error
		id, err = tx.AddMessage(ctx, scope(act), m)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	if out != nil {
		s.mailReply(a.Org.ID, id, *out)
	}
	return app.Redirect(c, chatPath(a, v.ID)+"#m-"+itoa(id))
}

// mailReply sends queued reply id of org after its commit, trying again
// as the kernel's MailRetry says, then marks it sent, or stored (not sent)
// with an event in the thread naming the failure.
func (s *Handlers) mailReply(org, id int64, m mail.Message) {
	s.SendMailRetrying(m, func(sendErr error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := s.DB.Write(ctx, func(tx *store.Tx) error {
			if sendErr == nil {
				return tx.MarkReplySent(ctx, org, id)
			}
			// Not the address: the thread's readers may not see the customer's email.
			_, err := tx.MarkReplyUnsent(ctx, org, id, "The reply could not be sent by email to the customer"+
				" (the mail server refused it or could not be reached). It is stored, not sent: send it again or use another channel.")
			return err
		})
		if err != nil {
			s.Log.Error("reply delivery state not saved", "message", id, "err", err)
		}
	})
}

// readFile reads an uploaded file within the size limit and checks its
// content against its name.
func readFile(fh *multipart.FileHeader) (*store.Attachment, string) {
	if fh.Size > chats.AttachMaxBytes {
		return nil, chats.AttachTooLarge + " This one is " + sizeLabel(fh.Size) + "."
	}
	if fh.Size == 0 {
		return nil, "The file is empty."
	}
	name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/")))
	if msg := checkText(name, 200, false); msg != "" || name == "" || name == "." {
		return nil, "Give the file a name without control characters (at most 200 characters)."
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "The file did not arrive whole: try again."
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(f, chats.AttachMaxBytes+1)); err != nil || buf.Len() > chats.AttachMaxBytes {
		return nil, chats.AttachTooLarge
	}
	ct, msg := checkFile(name, buf.Bytes())
	if msg != "" {
		return nil, msg
	}
	return &store.Attachment{Name: name, ContentType: ct, Data: buf.Bytes()}, ""
}

// invalidControls answers 422 with the conversation's page and the
// controls' messages by field. Nothing has been written.
func (s *Handlers) invalidControls(c echo.Context, v store.Conversation, errs map[string]string) error {
	p, err := s.showProps(c, v, chats.ComposerProps{}, errs)
	if err != nil {
		return err
	}
	return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, p.Subject, chats.Show(p)), nil)
}

// audit records a change of conversation v by the actor.
func audit(c echo.Context, tx *store.Tx, a *app.Auth, action string, v store.Conversation, before, after map[string]any) error {
	return tx.Audit(c.Request().Context(), store.AuditEntry{OrgID: a.Org.ID, ActorID: a.User.ID, ActorEmail: a.User.Email, Action: action,
		Target: "conversation #" + itoa(v.ID) + " " + v.Subject, Before: store.JSON(before), After: store.JSON(after), IP: c.RealIP()})
}

// update changes status and subject (chats_edit).
func (s *Handlers) update(c echo.Context) error {
	v, err := s.load(c)
	if err != nil {
		return err
	}
	status, subject := strings.TrimSpace(c.FormValue("status")), cleanText(c.FormValue("subject"))
	errs := map[string]string{}
	if status == "" {
		status = v.Status
	}
	if !store.ValidConversationStatus(status) {
		errs["status"] = "Choose open, pending or closed."
	}
	if form, _ := c.FormParams(); form != nil && !form.Has("subject") {
		subject = v.Subject
	}
	if msg := checkText(subject, maxSubjectLen, false); msg != "" {
		errs["subject"] = msg
	}
	if len(errs) > 0 {
		return s.invalidControls(c, v, errs)
	}
	ctx := c.Request().Context()
	err = s.ActingWrite(c, access.ModChats, access.Edit, func(tx *store.Tx, act *app.Auth) error {
		sc := scope(act)
		if status != v.Status {
			body := act.User.Name + " changed the status from " + v.Status + " to " + status + "."
			if err := tx.SetConversationStatus(ctx, sc, v.ID, status, act.Membership.ID, body); err != nil {
				return err
			}
			if err := audit(c, tx, act, "chat.status", v, map[string]any{"status": v.Status}, map[string]any{"status": status}); err != nil {
				return err
			}
		}
		if subject != v.Subject {
			return tx.SetConversationSubject(ctx, sc, v.ID, subject)
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Conversation saved.")
	return app.Redirect(c, chatPath(app.AuthOf(c), v.ID))
}

// move hands the conversation to another team (or none) with a note; the
// assignee stays, the thread records who moved it and why.
func (s *Handlers) move(c echo.Context) error {
	a := app.AuthOf(c)
	v, err := s.load(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	team, ok := optionalID(strings.TrimSpace(c.FormValue("team")))
	note := cleanText(c.FormValue("note"))
	errs := map[string]string{}
	if !ok {
		errs["team"] = "Choose one of the teams listed, or none."
	}
	if msg := checkText(note, maxNoteLen, false); msg != "" {
		errs["note"] = msg
	}
	if len(errs) > 0 {
		return s.invalidControls(c, v, errs)
	}
	name := "no team"
	if team != 0 {
		t, err := s.DB.Team(ctx, a.Org.ID, team) // another organization's: 404
		if err != nil {
			return err
		}
		name = t.Name
	}
	if team == v.TeamID {
		return s.invalidControls(c, v, map[string]string{"team": "The conversation is with " + name + " already."})
	}
	body := a.User.Name + " moved this to " + name
	if note != "" {
		body += ": " + note
	} else {
		body += "."
	}
	err = s.ActingWrite(c, access.ModChats, access.Edit, func(tx *store.Tx, act *app.Auth) error {
		if err := tx.MoveConversation(ctx, scope(act), v.ID, team, act.Membership.ID, body); err != nil {
			return err
		}
		return audit(c, tx, act, "chat.team", v, map[string]any{"team": v.TeamName}, map[string]any{"team": strings.TrimPrefix(name, "no team"), "note": note})
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Moved to "+name+".")
	return s.afterChange(c, v.ID)
}

// afterChange goes back to the conversation, or to the lists when the
// change took it out of the member's scope.
func (s *Handlers) afterChange(c echo.Context, id int64) error {
	a := app.AuthOf(c)
	if _, err := s.DB.Conversation(c.Request().Context(), scope(a), id); errors.Is(err, store.ErrNotFound) {
		return app.Redirect(c, chatsPath(a))
	} else if err != nil {
		return err
	}
	return app.Redirect(c, chatPath(a, id))
}

// assign gives the conversation to someone (chats.canAssignToOthers) or
// to the member themself ("Take it").
func (s *Handlers) assign(c echo.Context) error {
	a := app.AuthOf(c)
	v, err := s.load(c)
	if err != nil {
		return err
	}
	assignee, ok := optionalID(strings.TrimSpace(c.FormValue("assignee")))
	if assignee != a.Membership.ID && !canAssignOthers(a) {
		return domain.Forbidden("You may take conversations for yourself only: assigning them to others needs “Assign conversations to others”.")
	}
	if !ok {
		return s.invalidControls(c, v, map[string]string{"assignee": "Choose an active member of " + a.Org.Name + "."})
	}
	ctx := c.Request().Context()
	err = s.ActingWrite(c, access.ModChats, access.Edit, func(tx *store.Tx, act *app.Auth) error {
		if assignee != act.Membership.ID && !act.Eff.CanFlag(access.FlagChatsCanAssignToOthers) {
			return app.ErrForbidden
		}
		if assignee != 0 && assignee != act.Membership.ID {
			// Only members who may open Conversations, as the picker offers them.
			if ok, err := tx.MayOpen(ctx, *act.Org, assignee, access.ModChats); err != nil {
				return err
			} else if !ok {
				return domain.Invalid("assignee", "Choose a member who can open Conversations.")
			}
		}
		if err := tx.AssignConversation(ctx, scope(act), v.ID, assignee, act.Membership.ID, act.User.Name); err != nil {
			return err
		}
		return audit(c, tx, act, "chat.assign", v, map[string]any{"assignee": v.AssigneeName}, map[string]any{"assignee_id": assignee})
	})
	if e := domain.AsError(err); e != nil && e.Code == domain.CodeInvalid {
		return s.invalidControls(c, v, map[string]string{e.Field: e.Message})
	}
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Assignment saved.")
	return s.afterChange(c, v.ID)
}

// remove deletes the conversation and its thread (chats_delete).
func (s *Handlers) remove(c echo.Context) error {
	a := app.AuthOf(c)
	v, err := s.load(c)
	if err != nil {
		return err
	}
	err = s.ActingWrite(c, access.ModChats, access.Delete, func(tx *store.Tx, act *app.Auth) error {
		if err := tx.DeleteConversation(c.Request().Context(), scope(act), v.ID); err != nil {
			return err
		}
		return audit(c, tx, act, "chat.delete", v, map[string]any{"subject": v.Subject, "customer": v.CustomerName}, nil)
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Conversation deleted.")
	return app.Redirect(c, chatsPath(a))
}

// newForm is the start form: a customer in the member's customers scope
// and a channel they may use.
func (s *Handlers) newForm(c echo.Context) error {
	p, err := s.newProps(c, chats.NewProps{})
	if err != nil {
		return err
	}
	return s.OK(c, "New conversation", chats.NewForm(p))
}

func (s *Handlers) newProps(c echo.Context, p chats.NewProps) (chats.NewProps, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	p.Action, p.CancelHref, p.CSRF = chatsPath(a), chatsPath(a), app.CSRFToken(c)
	if a.Scope(access.ModCustomers) != 0 {
		cs, _, err := s.DB.Customers(ctx, app.CustomerScope(a), store.CustomerQuery{Limit: maxPicker})
		if err != nil {
			return p, err
		}
		fields := customerFields(a)
		for _, cu := range cs {
			p.Customers = append(p.Customers, chats.Option{Value: itoa(cu.ID), Label: app.CustomerName(fields, cu.ID, cu.Name)})
		}
	}
	var err error
	p.Channels, p.MissingNote, err = s.channelOptions(c)
	return p, err
}

// create starts a conversation assigned to the member.
func (s *Handlers) create(c echo.Context) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	p := chats.NewProps{Customer: strings.TrimSpace(c.FormValue("customer")), Channel: strings.TrimSpace(c.FormValue("channel")),
		Subject: cleanText(c.FormValue("subject")), Errors: map[string]string{}}
	customer, okCu := optionalID(p.Customer)
	channel, okCh := optionalID(p.Channel)
	if okCh && channel != 0 {
		if _, err := s.checkChannel(c, channel); err != nil {
			return err
		}
	}
	if !okCu || customer == 0 {
		p.Errors["customer"] = "Choose one of your customers."
	} else if a.Scope(access.ModCustomers) == 0 {
		p.Errors["customer"] = "Choose one of your customers."
	} else if _, err := s.DB.Customer(ctx, app.CustomerScope(a), customer); errors.Is(err, store.ErrNotFound) {
		p.Errors["customer"] = "Choose one of your customers."
	} else if err != nil {
		return err
	}
	if !okCh || channel == 0 {
		p.Errors["channel"] = "Choose one of the channels listed."
	}
	if p.Subject == "" {
		p.Errors["subject"] = "Give the conversation a subject."
	} else if msg := checkText(p.Subject, maxSubjectLen, false); msg != "" {
		p.Errors["subject"] = msg
	}
	if len(p.Errors) > 0 {
		p, err := s.newProps(c, p)
		if err != nil {
			return err
		}
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "New conversation", chats.NewForm(p)), nil)
	}
	var id int64
	err := s.ActingWrite(c, access.ModChats, access.Create, func(tx *store.Tx, act *app.Auth) error {
		var err error
		id, err = tx.CreateConversation(ctx, store.NewConversation{OrgID: act.Org.ID, CustomerID: customer, ChannelID: channel,
			AssignedTo: act.Membership.ID, Subject: p.Subject})
		if err != nil {
			return err
		}
		_, err = tx.AddMessage(ctx, scope(act), store.NewMessage{ConversationID: id, AuthorID: act.Membership.ID, Kind: "event",
			Body: act.User.Name + " started this conversation."})
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return app.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.Flash(c, "success", "Conversation started.")
	return app.Redirect(c, chatPath(a, id))
}

// checkChannel refuses (403) a channel the member may not use: another
// organization's or none, one kept for teams they are not in, an archived one.
func (s *Handlers) checkChannel(c echo.Context, id int64) (store.Channel, error) {
	a := app.AuthOf(c)
	ch, ok, err := s.DB.ChannelUsable(c.Request().Context(), a.Org.ID, id, channelUser(a))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ch, domain.Forbidden("That channel is not one you can use.")
	case err != nil:
		return ch, err
	case !ok:
		return ch, domain.Forbidden("%s is kept for teams you are not in: you cannot use it.", ch.Name)
	case ch.Archived():
		return ch, domain.Forbidden("%s is archived: it takes nothing new. Use another channel.", ch.Name)
	}
	return ch, nil
}

// replyAddress is where a reply on a channel of kind goes out: the
// customer's email for an email channel when the server sends mail over
// SMTP; "" when the reply is only stored.
func (s *Handlers) replyAddress(c echo.Context, v store.Conversation, kind string) (string, error) {
	if _, smtp := s.Mail.(*mail.SMTPSender); !smtp || kind != "email" {
		return "", nil
	}
	a := app.AuthOf(c)
	// The conversation is in the member's scope: its customer's address is
	// the reply's recipient whatever their customers scope.
	cu, err := s.DB.Customer(c.Request().Context(), store.CustomersIn(a.Org.ID, access.ScopeAll, 0), v.CustomerID)
	if err != nil {
		return "", err
	}
	return cu.Email, nil
}
