package members

import (
	"cmp"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"gatehouse/web/app"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/session"
	"gatehouse/internal/store"
	"gatehouse/views/components"
	"gatehouse/views/members"

	gmail "gatehouse/internal/mail"
)

// maxBulkFile bounds a bulk-invite upload; the page checks it in the
// browser too.
const maxBulkFile = members.BulkFileMax

// invitesProps is the pending invitations section as the actor sees it.
func (s *Handlers) invitesProps(c echo.Context) (members.InvitesProps, error) {
	list, err := s.DB.OpenInvites(c.Request().Context(), app.AuthOf(c).Org.ID, maxInvitesListed)
	if err != nil {
		return members.InvitesProps{}, err
	}
	return s.invitesPropsOf(c, list), nil
}

// invitesPropsOf is the section for the given open invitations.
func (s *Handlers) invitesPropsOf(c echo.Context, list []store.Invite) members.InvitesProps {
	a := app.AuthOf(c)
	now := s.DB.Now()
	p := members.InvitesProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), CanManage: a.Can(access.ModMembers, access.Create),
		Now: time.Unix(now, 0)}
	for _, inv := range list {
		p.Invites = append(p.Invites, members.Invite{ID: inv.ID, Email: inv.Email, Role: string(inv.Role),
			Groups: inv.GroupNames, Inviter: inv.InviterName,
			Expires: time.Unix(inv.ExpiresAt, 0), Expired: inv.State(now) == store.InviteExpired})
	}
	return p
}

// inviteFormProps is the invite form with the roles and groups the actor may grant.
func (s *Handlers) inviteFormProps(c echo.Context) (members.InviteForm, error) {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	f := members.InviteForm{Slug: a.Org.Slug, CSRF: app.CSRFToken(c), Errors: map[string]string{}, Role: string(access.RoleAgent)}
	for _, r := range membership.GrantableRoles(a.Eff) {
		f.Roles = append(f.Roles, members.Option{Value: string(r), Label: r.Label()})
	}
	gs, err := s.DB.Groups(ctx, a.Org.ID)
	if err != nil {
		return f, err
	}
	for _, g := range gs {
		o := members.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name}
		if !membership.CanGrantGroup(a.Eff, g) {
			o.Disabled, o.Note = true, "Grants permissions you don't hold"
		}
		f.Groups = append(f.Groups, o)
	}
	f.Preview = invitePreview(a, "", access.Role(f.Role), nil)
	f.Seats, err = s.DB.SeatUsage(ctx, a.Org.ID)
	return f, err
}

func (s *Handlers) inviteForm(c echo.Context) error {
	f, err := s.inviteFormProps(c)
	if err != nil {
		return err
	}
	return s.OK(c, "Invite a member", members.InvitePage(f))
}

// inviteCreate invites one address: a pending invitation and a mail, with
// or without an account behind the address (an account must accept).
func (s *Handlers) inviteCreate(c echo.Context) error {
	a := app.AuthOf(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	in := membership.InviteInput{Email: strings.TrimSpace(form.Get("email")), Name: strings.TrimSpace(form.Get("name")), Role: form.Get("role")}
	badGroup := false
	for _, v := range form["groups"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			badGroup = true
			continue
		}
		in.GroupIDs = append(in.GroupIDs, id)
	}
	var res membership.InviteResult
	if badGroup {
		err = domain.Invalid("groups", "One of the chosen groups is not valid. Reload the page and try again.")
	} else {
		res, err = s.Members().Invite(c.Request().Context(), app.Actor(c), in)
	}
	if err != nil {
		e := domain.AsError(err)
		if e == nil {
			return err
		}
		f, ferr := s.inviteFormProps(c)
		if ferr != nil {
			return ferr
		}
		f.Email, f.Name, f.Role = in.Email, in.Name, in.Role
		if p, perr := s.invitePreviewOf(c, form); perr == nil {
			f.Preview = p
		}
		chosen := map[string]bool{}
		for _, v := range form["groups"] {
			chosen[v] = true
		}
		for i := range f.Groups {
			f.Groups[i].Checked = chosen[f.Groups[i].Value]
		}
		for k, v := range e.Fields {
			f.Errors[k] = v
		}
		if len(e.Fields) == 0 {
			f.Errors[cmp.Or(e.Field, "form")] = e.Message
		}
		return app.Render(c, e.Status(), s.FullPage(c, "Invite a member", members.InvitePage(f)), members.InviteFormSection(f))
	}
	s.mailInvite(c, res)
	// The same words whether or not the address has an account; then what
	// the preview said they get.
	summary := ""
	if p, perr := s.invitePreviewOf(c, form); perr == nil {
		summary = " " + cmp.Or(p.Rule, p.Headline)
	}
	s.Flash(c, "success", "Invitation sent to "+res.Email+". The link works for "+membership.InviteLifetime()+"."+summary)
	return app.Redirect(c, members.MembersURL(a.Org.Slug))
}

// mailInvite sends the invitation. A new address gets a link to create its
// account and join; an address with an account is asked to accept (on
// /orgs, or through the same link): it joins only when it does.
func (s *Handlers) mailInvite(c echo.Context, res membership.InviteResult) {
	a := app.AuthOf(c)
	inviter := cmp.Or(a.User.Name, a.User.Email)
	exp := time.Unix(res.Invite.ExpiresAt, 0).UTC().Format("2 January 2006 15:04 UTC")
	if res.Existing {
		s.SendMail(gmail.Message{To: res.Email, Subject: inviter + " invited you to " + res.Org.Name + " on Gatehouse",
			Text: fmt.Sprintf("Hello %s,\n\n%s invited you to join %s on Gatehouse as %s.\n"+
				"Nothing changes until you accept. Log in as %s and accept or decline it on your organizations page:\n\n%s\n\n"+
				"or open this link:\n\n%s\n\n"+
				"The invitation lasts %s: it expires on %s. If you did not expect it, decline it or ignore this mail.\n",
				cmp.Or(res.User.Name, res.Email), inviter, res.Org.Name, res.Role.Label(), res.Email, s.AbsURL("/orgs"),
				s.AbsURL("/invite/"+res.Token), membership.InviteLifetime(), exp)})
		return
	}
	s.SendMail(gmail.Message{To: res.Email, Subject: inviter + " invited you to " + res.Org.Name + " on Gatehouse",
		Text: fmt.Sprintf("Hello,\n\n%s invited you to join %s on Gatehouse as %s.\n"+
			"Open this link to create your account and join:\n\n%s\n\n"+
			"The link works once and lasts %s: it expires on %s. If you did not expect this invitation, ignore this mail.\n",
			inviter, res.Org.Name, res.Role.Label(), s.AbsURL("/invite/"+res.Token), membership.InviteLifetime(), exp)})
}

// inviteID reads :inv.
func inviteID(c echo.Context) (int64, error) { return app.PathID(c, "inv") }

// inviteChange runs a resend or revoke and answers with the invitations
// section (htmx) or a redirect to the list.
func (s *Handlers) inviteChange(c echo.Context, do func(id int64) (string, error)) error {
	id, err := inviteID(c)
	if err != nil {
		return err
	}
	notice, err := do(id)
	e, err := app.Refusal(err)
	if err != nil {
		return err
	}
	return s.invitesAnswer(c, e, notice, notice, nil)
}

// invitesAnswer is the invitations section with the outcome of a change
// (htmx: notice and refused, or the refusal e) or, without htmx, a
// redirect to the list with flash (or e) as its message.
func (s *Handlers) invitesAnswer(c echo.Context, e *domain.Error, flash, notice string, refused []members.Refusal) error {
	if !app.IsHTMX(c) {
		if e != nil {
			s.Flash(c, "error", e.Message)
		} else {
			s.Flash(c, "success", flash)
		}
		return app.Redirect(c, members.MembersURL(app.AuthOf(c).Org.Slug)+"#invites")
	}
	p, err := s.invitesProps(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if e != nil {
		p.Error, status = e.Message, e.Status()
	} else {
		p.Notice, p.Refused = notice, refused
	}
	return app.Render(c, status, members.Invites(p), nil)
}

func (s *Handlers) inviteResend(c echo.Context) error {
	return s.inviteChange(c, func(id int64) (string, error) {
		res, err := s.Members().ResendInvite(c.Request().Context(), app.Actor(c), id)
		if err != nil {
			return "", err
		}
		s.mailInvite(c, res)
		return "A new link was sent to " + res.Email + "; the previous one no longer works.", nil
	})
}

// inviteIDs reads the selected invitations (ids).
func inviteIDs(c echo.Context) ([]int64, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, domain.Invalid("ids", "The form could not be read.")
	}
	return formIDs(form)
}

// resendMany runs (or, dry, previews) the bulk resend of the selected
// invitations; an id that is not one of the organization's is a 404.
func (s *Handlers) resendMany(c echo.Context, dry bool) (membership.ResendResult, error) {
	ids, err := inviteIDs(c)
	if err != nil {
		return membership.ResendResult{}, err
	}
	res, err := s.Members().ResendInvites(c.Request().Context(), app.Actor(c), ids, dry)
	if e := domain.AsError(err); e != nil && e.Code == domain.CodeNotFound {
		return res, app.ErrNotFound
	}
	return res, err
}

// refusalsOf is the refusals as the views list them.
func refusalsOf(rs []membership.BulkRefusal) []members.Refusal {
	out := make([]members.Refusal, 0, len(rs))
	for _, r := range rs {
		out = append(out, members.Refusal{Who: r.Who, Reason: r.Reason})
	}
	return out
}

// invitesResend resends the selected invitations (each by the single
// resend's rules, one audit entry each) and mails the new links once
// committed; it answers with the invitations section (htmx) or a redirect.
func (s *Handlers) invitesResend(c echo.Context) error {
	res, err := s.resendMany(c, false)
	e := domain.AsError(err)
	if err != nil && (e == nil || e.Code == domain.CodeForbidden) {
		return err
	}
	for _, one := range res.Sent {
		s.mailInvite(c, one)
	}
	sent := membership.ResendResult{Sent: res.Sent, Renewed: res.Renewed}
	return s.invitesAnswer(c, e, resendNotice(res), resendNotice(sent), refusalsOf(res.Refused))
}

// resendNotice says how many invitations got new links; without htmx the
// refusals are named in it (at most MaxRefusalsShown).
func resendNotice(res membership.ResendResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Resent %s with new links; the previous links no longer work.",
		components.Plural(len(res.Sent), "invitation", "invitations"))
	if res.Renewed > 0 {
		fmt.Fprintf(&b, " %s had expired and %s a seat again.", components.Plural(res.Renewed, "invitation", "invitations"),
			map[bool]string{true: "takes", false: "take"}[res.Renewed == 1])
	}
	writeRefusals(&b, res.Refused)
	return b.String()
}

// invitesResendPreview says what the bulk resend would do: a dry run of
// it, rolled back.
func (s *Handlers) invitesResendPreview(c echo.Context) error {
	res, err := s.resendMany(c, true)
	if err != nil {
		return err
	}
	return app.Render(c, http.StatusOK, members.InvitesPreview(members.ResendPreview{Resent: len(res.Sent), Renewed: res.Renewed,
		Expires: time.Unix(res.Expires, 0), Free: res.Seats.Free(), Refused: refusalsOf(res.Refused)}), nil)
}

func (s *Handlers) inviteRevoke(c echo.Context) error {
	return s.inviteChange(c, func(id int64) (string, error) {
		if err := s.Members().RevokeInvite(c.Request().Context(), app.Actor(c), id); err != nil {
			return "", err
		}
		return "Invitation revoked; its link no longer works.", nil
	})
}

func (s *Handlers) bulkProps(c echo.Context) (members.BulkProps, error) {
	a := app.AuthOf(c)
	p := members.BulkProps{Slug: a.Org.Slug, CSRF: app.CSRFToken(c)}
	for _, r := range access.Roles() {
		p.Roles = append(p.Roles, members.Option{Value: string(r), Label: r.Label()})
	}
	groups, err := s.groupRefs.get(c.Request().Context(), s.DB, a.Org)
	if err != nil {
		return p, err
	}
	for _, g := range groups.index.Refs {
		p.Groups = append(p.Groups, g.Name)
	}
	return p, nil
}

func (s *Handlers) bulkForm(c echo.Context) error {
	p, err := s.bulkProps(c)
	if err != nil {
		return err
	}
	return s.OK(c, "Bulk invite", members.BulkPage(p))
}

// bulkTemplate is a file to fill in: the columns and one example row.
func (s *Handlers) bulkTemplate(c echo.Context) error {
	header := []string{"email", "name", "role", "groups"}
	return app.WriteCSV(c, s.Log, "bulk invite template", "invite-template.csv", header, func(w *csv.Writer) error {
		return w.Write([]string{"ana@example.com", "Ana Silva", access.RoleAgent.Label(), ""})
	})
}

// bulkPreview reads the uploaded CSV and shows every row's problems;
// nothing is written.
func (s *Handlers) bulkPreview(c echo.Context) error {
	p, err := s.bulkProps(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		p.Error = "Choose a CSV file to upload."
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "Bulk invite", members.BulkPage(p)), nil)
	}
	if fh.Size > maxBulkFile {
		p.Error = members.BulkFileTooLarge
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "Bulk invite", members.BulkPage(p)), nil)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxBulkFile+1))
	if err != nil {
		return err
	}
	return s.bulkRun(c, p, raw, false)
}

// bulkProblems downloads the previewed file's rows with problems, each
// with a problem column, to fix and upload again; nothing is written.
func (s *Handlers) bulkProblems(c echo.Context) error {
	raw, err := base64.StdEncoding.DecodeString(c.FormValue("csv"))
	if err != nil || len(raw) == 0 || len(raw) > maxBulkFile {
		return domain.Invalid("csv", "The preview expired or was changed. Upload the file again.")
	}
	rows, err := membership.ParseCSV(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	plan, err := s.Members().PreviewBulk(c.Request().Context(), app.Actor(c), rows)
	if err != nil {
		return err
	}
	header := []string{"email", "name", "role", "groups", "problem"}
	return app.WriteCSV(c, s.Log, "bulk invite problems", "invite-problems.csv", header, func(w *csv.Writer) error {
		for _, r := range plan.Rows {
			if len(r.Problems) == 0 {
				continue
			}
			row := []string{r.Email, r.Name, r.RoleKey, strings.Join(r.Groups, ";"), strings.Join(r.Problems, "; ")}
			for i := range row {
				row[i] = app.CSVCell(row[i])
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// bulkConfirm invites every row of the previewed file, or none.
func (s *Handlers) bulkConfirm(c echo.Context) error {
	p, err := s.bulkProps(c)
	if err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(c.FormValue("csv"))
	if err != nil || len(raw) == 0 || len(raw) > maxBulkFile {
		p.Error = "The preview expired or was changed. Upload the file again."
		return app.Render(c, domain.CodeInvalid.Status(), s.FullPage(c, "Bulk invite", members.BulkPage(p)), nil)
	}
	return s.bulkRun(c, p, raw, true)
}

func (s *Handlers) bulkRun(c echo.Context, p members.BulkProps, raw []byte, commit bool) error {
	a := app.AuthOf(c)
	ctx := c.Request().Context()
	rows, err := membership.ParseCSV(strings.NewReader(string(raw)))
	if err != nil {
		if e := domain.AsError(err); e != nil {
			p.Error = e.Message
			return app.Render(c, e.Status(), s.FullPage(c, "Bulk invite", members.BulkPage(p)), nil)
		}
		return err
	}
	var plan membership.BulkPlan
	var results []membership.InviteResult
	switch {
	case commit && c.FormValue("valid_only") == "1":
		plan, results, err = s.Members().BulkInviteValid(ctx, app.Actor(c), rows)
	case commit:
		plan, results, err = s.Members().BulkInvite(ctx, app.Actor(c), rows)
	default:
		plan, err = s.Members().PreviewBulk(ctx, app.Actor(c), rows)
	}
	status := http.StatusOK
	if err != nil {
		e := domain.AsError(err)
		if e == nil {
			return err
		}
		p.Error, status = e.Message, e.Status()
	}
	if commit && err == nil {
		for _, r := range results {
			s.mailInvite(c, r)
		}
		msg := fmt.Sprintf("%d invitation(s) sent. The links work for %s.", len(results), membership.InviteLifetime())
		if bad := plan.Bad(); bad > 0 {
			msg += fmt.Sprintf(" %d row(s) with problems were left out.", bad)
		}
		s.Flash(c, "success", msg)
		return app.Redirect(c, members.MembersURL(a.Org.Slug))
	}
	p.Preview, p.CSV, p.Seats, p.Bad = len(plan.Rows) > 0, base64.StdEncoding.EncodeToString(raw), plan.Seats, plan.Bad()
	for _, r := range plan.Rows {
		p.Rows = append(p.Rows, members.BulkRow{Line: r.Line, Email: r.Email, Name: r.Name, Role: r.RoleKey, Groups: r.Groups,
			Problems: r.Problems})
	}
	if p.Bad > 0 && status == http.StatusOK {
		status = domain.CodeInvalid.Status() // the file cannot be confirmed as it is
	}
	return app.Render(c, status, s.FullPage(c, "Bulk invite", members.BulkPage(p)), nil)
}

// InviteLanding is the public page of an invitation link.
func (s *Handlers) InviteLanding(c echo.Context) error {
	token := c.Param("token")
	p := members.AcceptProps{CSRF: app.CSRFToken(c), Token: token, Now: time.Unix(s.DB.Now(), 0)}
	if a := app.AuthOf(c); a != nil {
		p.SignedInAs = a.User.Email
	}
	status := http.StatusOK
	l, err := s.DB.InviteByToken(c.Request().Context(), session.HashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.Dead, status = "This invitation link is not valid. It may have been replaced by a newer one: use the link in the most recent invitation mail.", http.StatusNotFound
	case err != nil:
		return err
	default:
		p.OrgName, p.Role, p.Email, p.Name, p.Inviter, p.Expires = l.OrgName, string(l.Role), l.Email, l.Name, l.InviterName, time.Unix(l.ExpiresAt, 0)
		if p.Dead = membership.DeadInviteMessage(l.Invite, s.DB.Now()); p.Dead != "" {
			status = domain.CodeConflict.Status() // an invitation already used, revoked or expired
		}
	}
	// The token is in the URL: it must not travel to other sites in a Referer.
	// "no-referrer" would also make the browser send "Origin: null" with the
	// page's own forms, which the cross-site rule refuses.
	c.Response().Header().Set("Referrer-Policy", "same-origin")
	return app.Render(c, status, members.AcceptPage(s.Page(c, "Invitation"), p), nil)
}

// InviteAccept joins the signed-in user to the organization, if the
// invitation is theirs and still valid.
func (s *Handlers) InviteAccept(c echo.Context) error {
	a := app.AuthOf(c)
	token := c.Param("token")
	res, err := s.Members().AcceptInvite(c.Request().Context(), a.User, token, c.RealIP())
	if err != nil {
		e := domain.AsError(err)
		if e == nil {
			return err
		}
		status := e.Status()
		p := members.AcceptProps{CSRF: app.CSRFToken(c), Token: token, SignedInAs: a.User.Email, Now: time.Unix(s.DB.Now(), 0)}
		if l, lerr := s.DB.InviteByToken(c.Request().Context(), session.HashToken(token)); lerr == nil {
			p.OrgName, p.Role, p.Email, p.Name, p.Inviter, p.Expires = l.OrgName, string(l.Role), l.Email, l.Name, l.InviterName, time.Unix(l.ExpiresAt, 0)
		}
		switch {
		case e.Code == domain.CodeNotFound || e.Code == domain.CodeConflict:
			p.Dead = e.Message
		case e.Code == domain.CodeForbidden && p.Email != "":
			// The page itself says whose invitation this is.
		default:
			p.Error = e.Message
		}
		return app.Render(c, status, members.AcceptPage(s.Page(c, "Invitation"), p), nil)
	}
	if res.AlreadyMember {
		s.Flash(c, "info", "You are already a member of "+res.Org.Name+".")
	} else {
		s.Flash(c, "success", "Welcome to "+res.Org.Name+". You joined as "+res.Role.Label()+".")
	}
	return app.Redirect(c, "/o/"+res.Org.Slug)
}
